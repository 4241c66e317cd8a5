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
