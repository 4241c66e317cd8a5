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
from .duties import load_duties, month_end
from .due import BIG, Settling, owed_once
from .models import Area

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


FIGURE_DUTIES = {"visit": ("xicheng/8/visit",), "plan": ("xicheng/8/plan", "beijing/8/plan"),
                 "referral": ("haidian/二是/agency_referral",)}


def figures(registry, actor, month: str, area_id: int | None = None) -> dict:
    """The figures of the communities the actor may read (or those under ``area_id``), counted from
    arrays: the persons' rows read once per table (``jiuye.registry.load``), the duties' conditions
    evaluated three-valued for all persons at once, what settles them found with array operations —
    the same counts as the due lines of ``owed_lines`` on the month's last day, without making them."""
    from ..model.system import get_system
    from . import load
    from .due import Days
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
    every = {a for a, area in areas.items() if area.kind == "community"}
    chosen = None if set(communities) == every else communities        # every community: no list sent
    with registry.db.read() as s:
        snap, recs, (plan_row, plan_opened, plan_agency) = load.read_with_records(s, chosen, until=last, names=False)
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    if snap.n == 0:
        return _report(month, areas, communities, counts)
    ids, where = np.unique(snap.community_id, return_inverse=True)
    tally = {}

    def count(key: str, mask: np.ndarray) -> None:
        tally[key] = np.bincount(where[mask], minlength=len(ids))

    days = Days(snap, get_system(), reasons=False)
    settled_by = Settling(snap, recs, plan_row, plan_opened, plan_agency)
    by_duty = {}
    for duty in load_duties():
        if any(duty.id in ids_ for ids_ in FIGURE_DUTIES.values()):
            by_duty[duty.id] = owed_once(duty, snap, days, last, settled_by)
    empty = np.zeros(snap.n, bool)
    line, settled, _, _, _ = by_duty.get("xicheng/8/visit") or (empty,) * 5
    count("visit_due", line)
    count("visit_done", line & settled)
    any_line, any_settled = empty.copy(), empty.copy()
    for duty_id in FIGURE_DUTIES["plan"]:
        line, settled, _, _, _ = by_duty.get(duty_id) or (empty,) * 5
        any_line |= line
        any_settled |= line & settled
    count("plan_due", any_line)
    count("plan_done", any_settled)
    found = by_duty.get("haidian/二是/agency_referral")
    if found:
        line, settled, unknown, done, due_on = found
        counted = line & (settled | ~unknown)             # an undetermined line is not counted
        count("referral_due", counted)
        count("referral_done", counted & settled & (done <= due_on))
    # facts of the month's last day
    population = days.get(last)[0]
    facts = population.person_facts
    zero = facts["zero_employment_family"]
    base = max(int(snap.household_id.max()), 0) + 1
    pairs = np.unique(where[zero] * base + snap.household_id[zero])        # (community, household), once each
    tally["zero_households"] = np.bincount(pairs // base, minlength=len(ids))
    unemployed = np.asarray(facts["registered_unemployed"], bool)
    in_month = recs.day >= np.datetime64(first, "D")
    contacted = np.zeros(snap.n, bool)
    contacted[recs.row[in_month]] = True
    count("contacted_due", unemployed)
    count("contacted_done", unemployed & contacted)
    employed = facts["employed"] | facts["flexibly_employed"]
    cohort = _beijing_cohort(snap, first.year)
    count("graduate_due", cohort)
    count("graduate_done", cohort & employed)
    for key, values in tally.items():
        for k, value in zip(ids.tolist(), values.tolist()):
            if value or key == "zero_households":
                counts[k][key] += value
    return _report(month, areas, communities, counts)


def _beijing_cohort(snap, year: int) -> np.ndarray:
    """Persons with a 离校未就业 status (current or ended) of Beijing origin graduating in ``year``."""
    out = np.zeros(snap.n, bool)
    rows = (snap.s_kind == "graduate") & snap.detail_test(
        lambda x: x.get("origin") == "beijing" and str(x.get("graduation_date", ""))[:4] == str(year))
    out[snap.s_person[rows]] = True
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
    under: dict[int, set] = defaultdict(set)          # area -> every community under it
    for a, area in areas.items():
        if area.kind == "community":
            for level_id in _ancestors(areas, a):
                under[level_id].add(a)
    out = []
    for row in rows.values():
        if not under[row["area_id"]] <= visible:
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
