"""The figures on the demo data equal a hand count (jiuye/registry/demo.py), and the CLI's commands."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jiuye.cli import app
from jiuye.registry import demo
from jiuye.registry.figures import to_excel


@pytest.fixture
def seeded(registry, monkeypatch):
    monkeypatch.setenv("JIUYE_DEMO", "1")
    demo.seed(registry)
    ledger = registry.claims_ledger()
    return {u: ledger.user_by_name(u).id for u, *_ in demo.USERS}


def test_demo_figures_equal_a_hand_count(registry, seeded, tmp_path):
    report = registry.figures(seeded["dudao"], month="2026-11")
    rows = {r["area"]: r for r in report["rows"]}
    c = rows["新街口社区"]
    # 回访 (xicheng/8): 李娜, 王强, 吴敏 owed on Nov 30 (周杰 is employed); 王强 visited
    assert (c["visit_due"], c["visit_done"]) == (3, 1)
    # 一生一策: 李娜 (低保, willing) owed, no plan yet
    assert (c["plan_due"], c["plan_done"]) == (1, 0)
    # 零就业家庭: 赵家 (赵军 not employed; 刘芳 past the statutory retirement age)
    assert c["zero_households"] == 1
    # registered unemployed on Nov 30: 张伟, 赵军, 陈刚; contacted in November: 赵军 (11-05), 陈刚 (11-09)
    assert (c["contacted_due"], c["contacted_done"]) == (3, 2)
    # 北京生源 2026 graduates: 李娜, 王强, 周杰; employed: 周杰 — against beijing/9's 95%
    assert (c["graduate_due"], c["graduate_done"], c["graduate_target_met"]) == (3, 1, False)
    assert rows["德胜街道"]["visit_due"] == 3 and rows["六铺炕社区"]["visit_due"] == 0
    assert report["target"] == 0.95 and report["target_clause"] == "beijing/9"
    to_excel(report, tmp_path / "f.xlsx")
    from openpyxl import load_workbook
    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert [cell.value for cell in sheet[1]][:3] == ["区域", "层级", "应回访"]
    assert sheet.max_row == 1 + len(report["rows"])


def test_demo_escalated_the_overdue_step_to_the_street_supervisor(registry, seeded):
    escalated = registry.escalations(seeded["dudao"])
    assert [e["on"] for e in escalated] == ["2026-11-23"] and "职业指导" in escalated[0]["note"]
    assert [p["person_name"] for p in registry.plans(seeded["jigou"])] == ["陈刚"]


def test_cli_due_record_figures(registry, seeded, ledger, db_url, monkeypatch):
    monkeypatch.setenv("JIUYE_DATABASE_URL", db_url)
    runner = CliRunner()
    out = runner.invoke(app, ["registry", "due", "--on", "2026-11-23", "--community", "新街口社区", "--as", "zhuanyuan",
                              "--json"])
    assert out.exit_code == 0, out.output
    lines = json.loads(out.output)
    li = next(x for x in lines if x["name"] == "李娜" and x["duty"] == "xicheng/8/visit")
    out = runner.invoke(app, ["registry", "record", str(li["person_id"]), "--kind", "phone", "--on", "2026-11-23",
                              "--as", "zhuanyuan", "--outcome", "电话回访"])
    assert out.exit_code == 0 and "xicheng/8/visit" in out.output
    out = runner.invoke(app, ["registry", "record", str(li["person_id"]), "--kind", "phone", "--on", "2026-11-23",
                              "--as", "zhuanyuan2"])
    assert out.exit_code == 3 and "不存在" in out.output
    out = runner.invoke(app, ["registry", "record", str(li["person_id"]), "--kind", "fax", "--on", "2026-11-23",
                              "--as", "zhuanyuan"])
    assert out.exit_code == 2 and "kind" in out.output
    out = runner.invoke(app, ["registry", "figures", "--month", "2026-11", "--as", "dudao", "--json"])
    assert out.exit_code == 0
    rows = {r["area"]: r for r in json.loads(out.output)["rows"]}
    assert (rows["新街口社区"]["visit_due"], rows["新街口社区"]["visit_done"]) == (3, 2)
    out = runner.invoke(app, ["registry", "figures", "--month", "2026-13"])
    assert out.exit_code == 2 and "month" in out.output


def _counts_from_lines(lines) -> dict:
    """The figures the due lines of the month's last day give (one line per person and duty)."""
    from collections import defaultdict
    out: dict = defaultdict(lambda: defaultdict(int))
    plans: dict = defaultdict(dict)
    for x in lines:
        c, settled = out[x["community_id"]], x["state"] == "settled"
        if x["duty"] == "xicheng/8/visit":
            c["visit_due"] += 1
            c["visit_done"] += settled
        elif x["duty"] in ("xicheng/8/plan", "beijing/8/plan"):
            plans[x["community_id"]][x["person_id"]] = plans[x["community_id"]].get(x["person_id"], False) or settled
        elif x["duty"] == "haidian/二是/agency_referral" and x["state"] != "undetermined":
            c["referral_due"] += 1
            c["referral_done"] += settled and x["settled_on"] <= x["due_on"]
    for community, people in plans.items():
        out[community]["plan_due"] += len(people)
        out[community]["plan_done"] += sum(people.values())
    return out


def test_the_figures_count_what_the_due_lines_say(registry, world):
    """The figures are computed from arrays, without making the due lines: they count what the due
    list of the month's last day says, line for line (both sides of the referral's deadline, a plan
    owed under two clauses counted once, an undetermined referral not counted)."""
    import datetime as dt

    from jiuye.registry.due import owed_lines

    from .conftest import person_number

    def person(community, actor, region="110102", **kw):
        return registry.register_person(actor, person_number(region), "某人", community, on="2026-05-01", **kw)["id"]

    graduate = {"graduation_date": "2026-06-30", "origin": "beijing"}
    for visited, planned in ((True, True), (False, False), (True, False)):
        p = person(world.xinjiekou, world.xc, hukou_district="xicheng")
        registry.add_status(world.xc, p, "graduate", start_on="2026-06-30", details=graduate)
        registry.add_status(world.xc, p, "low_income", start_on="2026-06-01", details={"kind": "低保"})
        registry.add_status(world.xc, p, "willing", start_on="2026-06-01", details={"willing": True})
        if visited:
            registry.record(world.xc, p, "phone", on="2026-07-03")
        if planned:
            registry.open_plan(world.xc, p, on="2026-07-04", goals="一生一策")
    for referred_on, willing in (("2026-06-05", True), ("2026-06-20", True), (None, None)):
        p = person(world.zgc, world.hd, region="110108")
        registry.add_status(world.hd, p, "unemployed", start_on="2026-04-01")
        if willing is not None:
            registry.add_status(world.hd, p, "willing", start_on="2026-04-01", details={"willing": willing})
        registry.record(world.hd, p, "phone", on="2026-05-01")        # public service from 05-01: owed from 06-01, by 06-11
        if referred_on:
            registry.record(world.hd, p, "agency_referral", on=referred_on, agency="北京某人力资源服务有限公司")
    report = registry.figures(None, month="2026-07")
    rows = {r["area_id"]: r for r in report["rows"]}
    assert (rows[world.zgc]["referral_due"], rows[world.zgc]["referral_done"]) == (2, 1)      # 06-05 in time, 06-20 late
    assert (rows[world.xinjiekou]["plan_due"], rows[world.xinjiekou]["plan_done"]) == (3, 1)  # xicheng/8 and beijing/8: once
    assert (rows[world.xinjiekou]["visit_due"], rows[world.xinjiekou]["visit_done"]) == (3, 2)
    expected = _counts_from_lines(owed_lines(registry, registry.scope(None), dt.date(2026, 7, 31)))   # the month's last day
    for community in (world.xinjiekou, world.other, world.zgc, world.rongye):
        for key in ("visit_due", "visit_done", "plan_due", "plan_done", "referral_due", "referral_done"):
            assert rows[community][key] == expected[community][key], (community, key)
