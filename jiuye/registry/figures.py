"""Figures per community, street and district for a month, counted on the month's last day from the
due lines (duties evaluated as in the work queues) and the registry's facts:

* 回访 coverage: persons owed xicheng/8's 回访, and of them those visited (settled);
* 一生一策 coverage: 困难家庭 graduates owed a plan (xicheng/8, beijing/8), and of them those with one;
* 零就业家庭 not yet cleared: households with working-age members and none employed (beijing/13);
* referrals on time: persons owed the referral of haidian/二是, settled by its due day;
* registered unemployed contacted this month: persons registered unemployed on the month's last
  day, and of them those with a contact or a service in the month;
* 北京生源高校毕业生就业率: registry graduates of Beijing origin graduating in the month's year, employed
  (单位 or 灵活) on the month's last day, against beijing/9's 95%.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from sqlalchemy import select

from ..ledger.errors import InvalidInput
from .duties import month_end
from .models import Area, Record

TARGET = 0.95        # beijing/9: 确保北京生源高校毕业生就业率不低于95%
TARGET_CLAUSE = "beijing/9"
MEASURES = [
    ("visit", "回访覆盖率（已回访/应回访）", "xicheng/8"),
    ("plan", "“一生一策”覆盖率（困难家庭毕业生）", "xicheng/8、beijing/8"),
    ("zero_households", "零就业家庭未清零（户）", "beijing/13"),
    ("referral", "按时转介率（海淀）", "haidian/二是"),
    ("contacted", "登记失业人员本月已联系", "heping/二十二"),
    ("graduate_rate", "北京生源高校毕业生就业率", "beijing/9"),
]


def parse_month(month: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError):
        raise InvalidInput("month", f"月份格式应为YYYY-MM，而不是“{str(month)[:20]}”") from None
    return first, month_end(first)


def figures(registry, actor, month: str, area_id: int | None = None) -> dict:
    from ..model.system import get_system
    from .due import owed_lines
    from .facts import status_facts
    first, last = parse_month(month)
    communities = registry.scope(actor)
    with registry.db.read() as s:
        areas = {a.id: a for a in s.scalars(select(Area))}
    if area_id is not None:
        if area_id not in areas:
            raise InvalidInput("area_id", "没有这个区域")
        under = {c for c in communities if area_id in _ancestors(areas, c)}
        if not under:
            raise InvalidInput("area_id", "不在你可查看的范围内")
        communities = sorted(under)
    lines = owed_lines(registry, communities, last)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    plan_people: dict[int, dict] = defaultdict(dict)
    for line in lines:
        c = counts[line["community_id"]]
        settled = line["state"] == "settled"
        if line["duty"] == "xicheng/8/visit":
            c["visit_due"] += 1
            c["visit_done"] += settled
        elif line["duty"] in ("xicheng/8/plan", "beijing/8/plan"):
            plan_people[line["community_id"]][line["person_id"]] = \
                plan_people[line["community_id"]].get(line["person_id"], False) or settled
        elif line["duty"] == "haidian/二是/agency_referral" and line["state"] != "undetermined":
            c["referral_due"] += 1
            c["referral_done"] += bool(settled and line["settled_on"] and line["settled_on"] <= line["due_on"])
    for community, people in plan_people.items():
        counts[community]["plan_due"] += len(people)
        counts[community]["plan_done"] += sum(people.values())
    # facts of the month's last day
    system = get_system()
    with registry.db.read() as s:
        snap = registry._snapshot(s, communities)
        contacted = set()
        if snap.n:
            ids = [int(p) for p in snap.person_id]
            for i in range(0, len(ids), 5000):
                contacted.update(s.scalars(select(Record.person_id).where(
                    Record.person_id.in_(ids[i:i + 5000]), Record.on >= first, Record.on <= last)))
    if snap.n:
        population = status_facts(snap, last, system)
        facts = population.person_facts
        zero = facts["zero_employment_family"]
        for community in np.unique(snap.community_id):
            rows = snap.community_id == community
            counts[int(community)]["zero_households"] += len(np.unique(snap.household_id[rows & zero]))
        unemployed = facts["registered_unemployed"]
        was_contacted = np.array([int(p) in contacted for p in snap.person_id], bool)
        employed = facts["employed"] | facts["flexibly_employed"]
        cohort = _beijing_cohort(snap, first.year)
        for community in np.unique(snap.community_id):
            rows = snap.community_id == community
            c = counts[int(community)]
            c["contacted_due"] += int((rows & unemployed).sum())
            c["contacted_done"] += int((rows & unemployed & was_contacted).sum())
            c["graduate_due"] += int((rows & cohort).sum())
            c["graduate_done"] += int((rows & cohort & employed).sum())
    return _report(month, areas, communities, counts)


def _beijing_cohort(snap, year: int) -> np.ndarray:
    """Persons with a 离校未就业 status (current or ended) of Beijing origin graduating in ``year``."""
    out = np.zeros(snap.n, bool)
    for i in np.flatnonzero(snap.s_kind == "graduate"):
        details = snap.s_details[i]
        when = str(details.get("graduation_date", ""))
        if details.get("origin") == "beijing" and when[:4] == str(year):
            out[snap.s_person[i]] = True
    return out


def _ancestors(areas: dict, area_id: int) -> list[int]:
    out = []
    while area_id is not None:
        out.append(area_id)
        area_id = areas[area_id].parent_id
    return out


KEYS = ("visit", "plan", "referral", "contacted", "graduate")


def _report(month: str, areas: dict, communities: list[int], counts: dict) -> dict:
    rows: dict[int, dict] = {}
    for community in communities:
        for level_id in _ancestors(areas, community):
            row = rows.setdefault(level_id, {"area_id": level_id, "area": areas[level_id].name,
                                             "level": areas[level_id].kind, "zero_households": 0,
                                             **{f"{k}_{x}": 0 for k in KEYS for x in ("due", "done")}})
            for key, value in counts.get(community, {}).items():
                row[key] += value
    order = {"district": 0, "street": 1, "community": 2}
    visible = set(communities)
    out = []
    for row in rows.values():
        under = {a for a, area in areas.items() if area.kind == "community" and row["area_id"] in _ancestors(areas, a)}
        if not under <= visible:
            continue              # an area only partly visible to the actor: its total would mislead
        for key in KEYS:
            row[f"{key}_rate"] = round(row[f"{key}_done"] / row[f"{key}_due"], 4) if row[f"{key}_due"] else None
        row["graduate_target_met"] = None if row["graduate_rate"] is None else row["graduate_rate"] >= TARGET
        out.append(row)
    out.sort(key=lambda r: (order[r["level"]], r["area"]))
    return {"month": month, "target": TARGET, "target_clause": TARGET_CLAUSE, "measures": MEASURES, "rows": out}


def to_excel(report: dict, path) -> None:
    """The figures as a workbook (one sheet, Chinese headers)."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = f"帮扶台账{report['month']}"
    sheet.append(["区域", "层级", "应回访", "已回访", "回访覆盖率", "应“一生一策”", "已制定", "覆盖率",
                  "零就业家庭未清零（户）", "应转介（海淀）", "按时转介", "按时率", "登记失业人员", "本月已联系",
                  "联系率", "北京生源毕业生", "已就业", "就业率", f"目标{int(TARGET * 100)}%（{TARGET_CLAUSE}）"])
    labels = {"district": "区", "street": "街道", "community": "社区"}
    for r in report["rows"]:
        sheet.append([r["area"], labels[r["level"]], r["visit_due"], r["visit_done"], r["visit_rate"],
                      r["plan_due"], r["plan_done"], r["plan_rate"], r["zero_households"], r["referral_due"],
                      r["referral_done"], r["referral_rate"], r["contacted_due"], r["contacted_done"],
                      r["contacted_rate"], r["graduate_due"], r["graduate_done"], r["graduate_rate"],
                      {True: "达标", False: "未达标", None: "—"}[r["graduate_target_met"]]])
    book.save(path)
