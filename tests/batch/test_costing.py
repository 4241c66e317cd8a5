"""财政测算: yearly cost per measure; a reform as data changes it by what its parameters say."""

import datetime as dt

import numpy as np
import pytest
from typer.testing import CliRunner

from jiuye.batch.evaluate import Evaluator
from jiuye.batch.reform import ReformError, build_reform, load_reform, parse_reform
from jiuye.cli import app

from .conftest import ROOT

REFORM = ROOT / "examples" / "reforms" / "xicheng_6_post_subsidy.yaml"


def test_the_reform_changes_the_xicheng_6_cost_by_what_its_brackets_say(synth_roster, system, catalogue):
    _, population = synth_roster
    measures = catalogue.executable()
    base = Evaluator(population, system).cost(measures, 2026)
    reformed_system = build_reform(system, load_reform(REFORM, system))
    reform = Evaluator(population, reformed_system, base_system=system).cost(measures, 2026)
    employer = base["xicheng/6/employer"]
    # every installment paid in 2026 is the k-th contract year's: 6000 / 9000 / 12000 (one per person
    # in a year); the reform pays 8000 / 10000 / 15000 for the same installments
    amounts, counts = np.unique(employer.cents // 100, return_counts=True)
    assert set(amounts) <= {6000, 9000, 12000} and counts.sum() >= 5 and len(amounts) >= 2
    raise_by = {6000: 2000, 9000: 1000, 12000: 3000}
    expected = sum(raise_by[a] * c for a, c in zip(amounts, counts)) * 100
    assert reform["xicheng/6/employer"].cents.sum() - employer.cents.sum() == expected
    assert np.array_equal(reform["xicheng/6/employer"].unit, employer.unit)          # the same head-count
    # nothing else moves: the person's reward has its own scale
    for mid in base:
        if mid != "xicheng/6/employer":
            assert base[mid].cents.sum() == reform[mid].cents.sum(), mid
    # the baseline system is untouched by the reform
    assert system.get_parameters_at_instant("2026-01-01").xicheng.c06.post_subsidy.amounts[0] == 6000


def test_month_by_month_adds_up_to_the_year(synth_roster, system, catalogue):
    _, population = synth_roster
    result = Evaluator(population, system).cost([catalogue.measure("xicheng/6/employer")], 2026)["xicheng/6/employer"]
    assert result.month_cents.sum() == result.cents.sum()
    assert len(result.eligible_units) >= len(result.unit)


@pytest.mark.parametrize("data, where, message", [
    ({"changes": [{"parameter": "xicheng.c06.post_subsidi", "brackets": [{"threshold": 1, "amount": 1}]}]},
     "changes[0].parameter", "是否指xicheng.c06.post_subsidy"),
    ({"changes": [{"parameter": "xicheng.c06.post_subsidy", "value": 8000}]}, "changes[0].value", "是分档参数"),
    ({"changes": [{"parameter": "xicheng.c06.max_years", "brackets": []}]}, "changes[0].brackets", "是单个值的参数"),
    ({"changes": [{"parameter": "xicheng.c06.max_years", "value": "four"}]}, "changes[0].value", "应为数字"),
    ({"changes": [{"parameter": "xicheng.c06", "value": 4}]}, "changes[0].parameter", "是一组参数"),
    ({"changes": [{"parameter": "xicheng.c06.max_years", "value": 4, "from": "2026-13-01"}]}, "changes[0].from", "“2026-13-01”不是存在的日期"),
    ({"changes": [{"parameter": "xicheng.c06.post_subsidy",
                   "brackets": [{"threshold": 2, "amount": 1}, {"threshold": 1, "amount": 2}]}]},
     "changes[0].brackets", "应逐档递增"),
    ({"title": "x"}, "reform.changes", "不能为空"),
])
def test_a_bad_reform_is_named_precisely(system, data, where, message):
    with pytest.raises(ReformError) as error:
        parse_reform(data, system)
    assert error.value.where == where and message in error.value.message


def test_a_value_from_a_date(system):
    spec = parse_reform({"changes": [{"parameter": "xicheng.c10.monthly_amount", "value": 2500, "from": "2026-07-01"}]},
                        system)
    reformed = build_reform(system, spec)
    assert reformed.get_parameters_at_instant("2026-06-30").xicheng.c10.monthly_amount == \
        system.get_parameters_at_instant("2026-06-30").xicheng.c10.monthly_amount
    assert reformed.get_parameters_at_instant("2026-07-01").xicheng.c10.monthly_amount == 2500


def test_cli_simulate_writes_the_report_with_charts(tmp_path, synth_roster):
    import openpyxl
    from matplotlib import font_manager
    from jiuye.batch.report import cjk_font
    out, _ = synth_roster
    result = CliRunner().invoke(app, ["simulate", str(out), "--year", "2026", "--reform", str(REFORM),
                                      "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    report = tmp_path / "report"
    for name in ("report.md", "report.html", "report.xlsx", "charts/cost_by_measure.png", "charts/monthly.png",
                 "charts/cost_by_document.png", "charts/headcount.png", "charts/difference.png"):
        assert (report / name).exists(), name
    md = (report / "report.md").read_text(encoding="utf-8")
    assert "岗位补贴标准提高" in md and "![各措施应发金额](charts/cost_by_measure.png)" in md
    assert "data:image/png;base64," in (report / "report.html").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(report / "report.xlsx")
    assert book.sheetnames == ["说明", "改革方案", "按文件", "各措施", "各月", "图表"]
    # the charts' font is a CJK font (Chinese would otherwise be boxes)
    assert "CJK" in font_manager.findfont(cjk_font())


def test_cli_simulate_names_a_bad_reform_parameter(tmp_path, synth_roster):
    out, _ = synth_roster
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nchanges:\n  - parameter: xicheng.c06.post_subsidi\n    value: 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", str(out), "--year", "2026", "--reform", str(bad),
                                      "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "changes[0].parameter: 没有名为'xicheng.c06.post_subsidi'的参数" in result.output
