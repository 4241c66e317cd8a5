"""The amount audit traces the numbers the tasks' targets state to their parameters (before any waiver),
and the CLI lists tasks and writes the monthly report."""

import json

from typer.testing import CliRunner

from jiuye.audit import extract_numbers
from jiuye.cli import app
from jiuye.supervision.tasks import all_tasks


def test_every_number_a_target_states_is_traced_to_its_parameter():
    report = json.loads(CliRunner().invoke(app, ["audit", "--json"]).stdout)
    rows = {(r["clause"], r["number"]): r for r in report["rows"] if r.get("number")}
    checked = 0
    for task in all_tasks():
        for target in task.targets:
            for number in extract_numbers(task.clause, target.quote):
                row = rows[(task.clause, number.key)]
                assert row["status"] == "traced", (task.id, number.key, row)
                assert row["reason"].startswith("target "), (task.id, number.key, row)
                checked += 1
    assert checked >= 12
    # the texts' targets no longer rest on a waiver: 100个 (heping/三), 95% (beijing/9), 5万名 (beijing/10)
    for clause, key in (("heping/三", "100个"), ("beijing/9", "95%"), ("beijing/10", "50000人"),
                        ("beijing/21", "40000户"), ("beijing/21", "200000个"), ("heping/附件1/22", "9个")):
        assert rows[(clause, key)]["status"] == "traced", (clause, key)
    assert report["ok"]


def test_cli_lists_tasks_with_their_units():
    out = CliRunner().invoke(app, ["tasks", "list", "--unit", "区民政局", "--json"])
    assert out.exit_code == 0, out.output
    tasks = json.loads(out.stdout)
    assert [t["id"] for t in tasks] == [f"heping/附件1/{n}" for n in (15, 61, 62, 63, 64)]
    assert tasks[1]["lead_unit"] == "区人社局" and tasks[1]["co_units"] == ["区民政局", "各街道"]
    out = CliRunner().invoke(app, ["tasks", "list", "--document", "nowhere"])
    assert out.exit_code == 2 and "--document" in out.output


def test_cli_reports_and_writes_the_monthly_report(tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from jiuye.ledger import Ledger
    from jiuye.supervision import Supervision
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    ledger = Ledger(url)
    sup = Supervision(ledger)
    worker = ledger.create_user(None, "rs_worker", "case_worker").id
    sup.add_member(None, worker, sup.unit("heping", "区人社局").id)
    ledger.close()
    monkeypatch.setenv("JIUYE_DATABASE_URL", url)
    runner = CliRunner()
    out = runner.invoke(app, ["tasks", "report", "heping/附件1/52", "--period", "2024-05", "--status", "on_track",
                              "--as", "rs_worker", "--figure", "follow_ups=1", "--progress", "电话跟踪", "--on", "2024-06-03"])
    assert out.exit_code == 0, out.output
    assert "已报送" in out.stdout and "截止2024-06-05" in out.stdout
    again = runner.invoke(app, ["tasks", "report", "heping/附件1/52", "--period", "2024-05", "--status", "completed",
                                "--as", "rs_worker", "--on", "2024-06-04"])
    assert again.exit_code == 3 and "退回" in again.output                    # submitted: refused, with the reason
    bad = runner.invoke(app, ["tasks", "report", "heping/附件1/52", "--period", "2024-5", "--status", "on_track",
                              "--as", "rs_worker"])
    assert bad.exit_code == 2 and "period" in bad.output
    forbidden = runner.invoke(app, ["tasks", "report", "heping/附件1/15", "--period", "2024-05", "--status", "on_track",
                                    "--as", "rs_worker", "--unit", "区民政局"])
    assert forbidden.exit_code == 3 and "forbidden" in forbidden.output
    written = runner.invoke(app, ["report", "monthly", "--month", "2024-05", "--out", str(tmp_path / "m.xlsx"),
                                  "--today", "2024-06-10"])
    assert written.exit_code == 0, written.output
    rows = [[c.value for c in r] for r in load_workbook(tmp_path / "m.xlsx")["工作进展"].iter_rows(min_row=2)]
    mine = [r for r in rows if r[0] == "heping/附件1/52" and r[2] == "区人社局"]
    assert mine and mine[0][3] == "按计划推进" and mine[0][5] == "2024-06-03"
    wrong = runner.invoke(app, ["report", "monthly", "--month", "2024-05", "--out", str(tmp_path / "m.docx")])
    assert wrong.exit_code == 2 and "--out" in wrong.output
