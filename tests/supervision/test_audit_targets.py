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
