"""Central values and P10–P90: seeded runs are reproducible, every range holds its central value,
re-weighting the rows stands for generating the population again under the changed assumption,
and the report says which inputs are calibrated and which assumed — flagging illustrative counts."""

import dataclasses
import datetime as dt
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from jiuye.batch.assumptions import assumptions_for
from jiuye.batch.calibration import Frame, load_calibration
from jiuye.batch.evaluate import Evaluator
from jiuye.batch.uncertainty import analyse
from jiuye.cli import app

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "calibration" / "xicheng.yaml"
REFORM = ROOT / "examples" / "reforms" / "xicheng_6_post_subsidy.yaml"
ON = dt.date(2025, 6, 30)
ILLUSTRATIVE = "示意数据，非官方统计"


@pytest.fixture(scope="module")
def costed(system, catalogue):
    from jiuye.batch.synth import generate_population
    population = generate_population(20_000, 2_000, seed=20250615, on=ON, system=system)
    measures = catalogue.executable()
    return population, measures, Evaluator(population, system).cost(measures, 2026)


def _analyse(system, costed, seed, calibration=None, draws=60):
    population, measures, base = costed
    assumptions = assumptions_for(system, Frame(population, system, ON), "xicheng", population.generic_facts)
    return analyse(population, system, measures, base, None, on=ON, calibration=calibration, assumptions=assumptions,
                   draws=draws, seed=seed)


def test_seeded_ranges_are_reproducible_and_hold_their_central_value(system, costed):
    calibration = load_calibration(EXAMPLE, system)
    a = _analyse(system, costed, 7, calibration)
    b = _analyse(system, costed, 7, load_calibration(EXAMPLE, system))
    c = _analyse(system, costed, 8, calibration)
    costly = [mid for mid, r in a.measures.items() if r.cost.central > 0]
    assert len(costly) >= 5
    for mid in a.measures:
        assert np.array_equal(a.measures[mid].draws, b.measures[mid].draws), mid
        assert a.measures[mid].cost == b.measures[mid].cost
    assert any(not np.array_equal(a.measures[mid].draws, c.measures[mid].draws) for mid in costly)
    for mid in costly:
        r = a.measures[mid].cost
        assert r.p10 <= r.central <= r.p90, (mid, r)
        assert r.p10 < r.p90, mid                  # every costed measure rests on some assumption
    assert a.total.p10 <= a.total.central <= a.total.p90


def test_the_central_value_is_the_calibrated_weighted_sum(system, costed):
    population, measures, base = costed
    u = _analyse(system, costed, 1, load_calibration(EXAMPLE, system), draws=0)
    for m in measures:
        r = base[m.id]
        w = u.weights.of(m.entity)
        assert u.measures[m.id].cost.central == pytest.approx(float(w[r.unit] @ r.cents) / 100)


def _tilt(assumption, frame, value):
    theta = np.array([[value]])
    return np.exp(assumption.features(frame) @ assumption.coef(theta)[0])


@pytest.mark.parametrize("key, constant, attribute, value, statistic", [
    # a share: the weighted number of 就业困难人员 at 6 % equals a population drawn at 6 %
    ("hard_to_employ", "PERSON_FLAGS", "hard_to_employ", 0.06,
     lambda p, s: p.person_facts["hard_to_employ"].astype(float), ),
    # an exponential mean: organisations registered in the last year when they are 8 years old on average
    ("registration_age", "ORG_AGE_MEAN_DAYS", None, 8.0,
     lambda p, s: ((np.datetime64(ON, "D") - p.org_facts["registration_date"]).astype(np.int64) < 365).astype(float)),
    # a log-normal median: the mean rent of those who give one when the median is 400,000 元
    ("annual_rent", "ANNUAL_RENT", None, 400_000.0,
     lambda p, s: np.nan_to_num(p.org_facts["annual_rent"].astype(float))),
])
def test_reweighting_stands_for_generating_the_population_again(system, monkeypatch, key, constant, attribute, value,
                                                                statistic):
    from jiuye.batch import synth
    population = synth.generate_population(40_000, 8_000, seed=3, on=ON, system=system)
    frame = Frame(population, system, ON)
    assumption = next(a for a in assumptions_for(system, frame, "xicheng", population.generic_facts) if a.key == key)
    entity_weights = _tilt(assumption, frame, value)
    x = statistic(population, system)
    reweighted = (entity_weights * x).sum() / entity_weights.sum()
    owner = next(m for m in (synth.base, synth.persons, synth.organisations, synth.generic) if constant in vars(m))
    if attribute:
        monkeypatch.setitem(getattr(owner, constant), attribute, value)
    elif constant == "ORG_AGE_MEAN_DAYS":
        monkeypatch.setattr(owner, constant, value * 365)
    else:
        monkeypatch.setattr(owner, constant, (value, owner.ANNUAL_RENT[1]))
    again = synth.generate_population(40_000, 8_000, seed=4, on=ON, system=system)
    y = statistic(again, system)
    plain = x.mean()
    # the re-weighted statistic moved to the regenerated one (within 4 standard errors of both samples)
    error = 4 * np.sqrt(y.var() / len(y) + (entity_weights * x).var() / len(x))
    assert abs(reweighted - y.mean()) <= error
    assert abs(plain - y.mean()) > error           # and the change is large enough to be seen


def test_every_assumption_keeps_the_population_size(system, costed):
    """Importance ratios of a normalised distribution average 1: a draw moves shares, not the total."""
    population = costed[0]
    frame = Frame(population, system, ON)
    for a in assumptions_for(system, frame, "xicheng", population.generic_facts):
        for u in (0.25, 0.75):
            theta = np.array([[p.draw(np.array([u]))[0] for p in a.params]])
            w = np.exp(a.features(frame) @ a.coef(theta)[0])
            # a sample mean: within 4 of its standard errors of 1 (a Poisson count's ratios at the
            # range's ends have a standard deviation of ~2.5, so a fixed 0.08 on 2,000 organisations
            # failed or passed with the order the generator draws in)
            error = max(0.02, 4 * w.std() / np.sqrt(len(w)))
            assert abs(w.mean() - 1) <= error, (a.key, u, w.mean(), error)
        assert np.allclose(a.coef(a.central()), 0), a.key      # the central value changes nothing


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("ranges")
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--persons", "10000", "--orgs", "1000", "--out", str(out / "pop"), "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["simulate", str(out / "pop"), "--year", "2026", "--calibrate", str(EXAMPLE),
                                 "--draws", "80", "--seed", "3", "--out", str(out / "report")])
    assert result.exit_code == 0, result.output
    return out


def test_the_report_flags_illustrative_counts_everywhere(report):
    import openpyxl
    md = (report / "report" / "report.md").read_text(encoding="utf-8")
    assert ILLUSTRATIVE in "\n".join(md.splitlines()[:4])            # at the top, before any number
    html = (report / "report" / "report.html").read_text(encoding="utf-8")
    assert html.index(ILLUSTRATIVE) < html.index("<h2>")
    book = openpyxl.load_workbook(report / "report" / "report.xlsx")
    assert {"校准", "不确定性", "假设区间"} <= set(book.sheetnames)
    assert book["说明"]["A2"].value == ILLUSTRATIVE
    for name in ("校准", "不确定性", "假设区间"):
        assert ILLUSTRATIVE in book[name]["A1"].value
    # every count of the example is listed as illustrative, with no source
    calibration_rows = [r for r in book["校准"].iter_rows(min_row=3, values_only=True) if r[0]]
    listed = [r for r in calibration_rows if r[8] != "推算"]
    assert listed and all(r[8] == "是（示意）" and r[7] == "（无）" for r in listed)
    assert (report / "report" / "charts" / "ranges.png").exists()


def test_the_report_lists_calibrated_and_assumed_inputs_per_measure(report, system, catalogue):
    import json

    import openpyxl
    from jiuye.batch.reads import fact_paths
    book = openpyxl.load_workbook(report / "report" / "report.xlsx")
    sheet = book["不确定性"]
    headers = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(headers, r)) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    measures = {m.id: m for m in catalogue.executable()}
    assert set(rows) == set(measures)
    calibration = load_calibration(EXAMPLE, system)
    margin_of = calibration.calibrated_facts()
    generic = set(json.loads((report / "pop" / "synth.json").read_text(encoding="utf-8"))["generic_facts"])
    paths = fact_paths(system)
    seen_calibrated = seen_placeholder = 0
    for mid, row in rows.items():
        assert row["P10（元）"] <= row["中心值（元）"] <= row["P90（元）"], mid
        read = {f for f, _ in paths.of_measure(measures[mid])}
        calibrated = row["已校准的输入"]
        for fact in read:
            label = f"{system.variables[fact].label}（"
            if fact in margin_of:                         # a fact some margin counts: listed with the margin
                assert label + "、".join(dict.fromkeys(margin_of[fact])) + "）" in calibrated, (mid, fact)
                seen_calibrated += 1
            elif fact in generic:                         # a placeholder fact: its assumed range is listed
                assert system.variables[fact].label + "（占位" in row["假设的输入（中心值与区间）"], (mid, fact)
                seen_placeholder += 1
        if calibrated != "—":
            assert all(any(m in part for m in (mg.label for mg in calibration.margins))
                       for part in calibrated.split("；")), mid
    assert seen_calibrated and seen_placeholder


def test_no_raw_keys_in_the_chinese_sections(report):
    md = (report / "report" / "report.md").read_text(encoding="utf-8")
    sections = md[md.index("## 校准"):md.index("## 按文件和受益方类型")]
    # identifiers of facts, enum members and assumptions look like snake_case words; measure ids
    # (xicheng/6/employer) are the catalogue's citations and stay
    sections = re.sub(r"\b[a-z]+/[^\s|（）]+", "", sections)
    words = set(re.findall(r"[a-z][a-z0-9]*_[a-z0-9_]+", sections))
    assert not words, sorted(words)[:10]
    for english in ("illustrative", "placeholder", "person", "organisation", "True", "False"):
        assert english not in sections


def test_synth_calibrate_writes_weights_and_simulate_reuses_them(tmp_path):
    import json

    import pyarrow.parquet as pq
    runner = CliRunner()
    result = runner.invoke(app, ["synth", "--persons", "10000", "--orgs", "1000", "--calibrate", str(EXAMPLE),
                                 "--out", str(tmp_path / "pop"), "--no-csv"])
    assert result.exit_code == 0, result.output
    assert ILLUSTRATIVE in result.output
    manifest = json.loads((tmp_path / "pop" / "synth.json").read_text(encoding="utf-8"))
    assert manifest["calibration_illustrative"] is True and "weights.parquet" in manifest["files"]
    weights = pq.read_table(tmp_path / "pop" / "weights.parquet").to_pydict()
    assert weights["entity"].count("person") == 10000 and weights["entity"].count("organisation") == 1000
    result = runner.invoke(app, ["simulate", str(tmp_path / "pop"), "--year", "2026", "--draws", "0",
                                 "--measure", "xicheng/6/employer", "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert ILLUSTRATIVE in md and "## 校准" in md


def test_a_bad_calibration_fails_before_the_long_part(tmp_path, synth_roster):
    out, _ = synth_roster
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nmargins:\n  - label: 失业\n    entity: person\n    where: {registerd_unemployed: true}\n"
                   "    value: 10\n    unit: 人\n    source: ''\n    illustrative: true\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", str(out), "--year", "2026", "--calibrate", str(bad),
                                      "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "--calibrate: margins[0].where.registerd_unemployed：" in result.output
    assert "是否指 registered_unemployed" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


def test_progress_bars_go_to_stderr_and_quiet_silences_everything(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(app, ["synth", "--persons", "500", "--orgs", "50", "--out", str(tmp_path / "a"), "--progress"])
    assert shown.exit_code == 0 and shown.stdout == ""
    assert "生成 500 人" in shown.stderr and "━" in shown.stderr            # the bar, on stderr
    plain = runner.invoke(app, ["synth", "--persons", "500", "--orgs", "50", "--out", str(tmp_path / "b")])
    assert "━" not in plain.stderr                                          # not a terminal: no bar
    quiet = runner.invoke(app, ["synth", "--persons", "500", "--orgs", "50", "--out", str(tmp_path / "c"),
                                "--progress", "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (tmp_path / "c" / "persons.parquet").exists()
    result = runner.invoke(app, ["simulate", str(tmp_path / "c"), "--year", "2026", "--measure", "xicheng/6/employer",
                                 "--draws", "20", "--out", str(tmp_path / "r"), "--progress"])
    assert result.exit_code == 0, result.output
    assert "测算 2026" in result.stderr and "蒙特卡洛 20 次" in result.stderr and "━" in result.stderr
    result = runner.invoke(app, ["match", str(tmp_path / "c"), "--on", "2025-06-30", "--measure", "xicheng/6/employer",
                                 "--out", str(tmp_path / "m.xlsx"), "-q"])
    assert result.exit_code == 0 and result.output == ""
