"""Calibration: raking a synthetic population to known counts meets every count within 0.1 %; bad
files are named field by field, in Chinese."""

import copy
import datetime as dt

import numpy as np
import pytest
import yaml

from jiuye.batch.calibration import TOLERANCE, CalibrationError, calibrate, load_calibration, parse_calibration

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "calibration" / "xicheng.yaml"
ON = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def population(system):
    from jiuye.batch.synth import generate_population
    return generate_population(20_000, 2_000, seed=20250615, on=ON, system=system)


def _index(system, name, member):
    return system.variables[name].possible_values[member].index


def test_raking_meets_every_margin_of_the_example_within_a_tenth_of_a_percent(population, system):
    calibration = load_calibration(EXAMPLE, system)
    weights = calibrate(calibration, population, system, ON)
    assert (weights.person >= 0).all() and (weights.org >= 0).all()
    counted = [r for r in weights.results if not r.derived]
    assert len(counted) == sum(len(m.counts) for m in calibration.margins)
    for r in counted:
        assert abs(r.achieved - r.target) <= TOLERANCE * r.target, r

    # the same counts recomputed from the facts themselves, not from the raking's own tables
    f, o = population.person_facts, population.org_facts
    unemployed = f["registered_unemployed"] & (f["unemployment_registration_district"]
                                               == _index(system, "unemployment_registration_district", "xicheng"))
    hard = f["hard_to_employ"] & (f["hukou_district"] == _index(system, "hukou_district", "xicheng"))
    individual = (o["registration_district"] == _index(system, "registration_district", "xicheng")) & \
        (o["org_type"] == _index(system, "org_type", "individual_business"))
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    value = {m["key"]: m.get("value") for m in data["margins"]}
    for mask, key, w in ((unemployed, "registered_unemployed", weights.person), (hard, "hard_to_employ", weights.person),
                         (individual, "individual_businesses", weights.org)):
        assert w[mask].sum() == pytest.approx(value[key], rel=TOLERANCE)


def test_a_given_total_is_met_and_persons_follow_their_organisations(population, system):
    data = {"title": "t", "totals": {"organisation": {"value": 50_000, "unit": "户", "source": "", "illustrative": True}},
            "margins": [{"label": "本区注册", "entity": "organisation", "where": {"registration_district": "xicheng"},
                         "value": 20_000, "unit": "户", "source": "某年鉴表1-2", "illustrative": False}]}
    weights = calibrate(parse_calibration(data, system), population, system, ON)
    assert weights.org.sum() == pytest.approx(50_000, rel=TOLERANCE)
    home = population.org_facts["registration_district"] == _index(system, "registration_district", "xicheng")
    assert weights.org[home].sum() == pytest.approx(20_000, rel=TOLERANCE)
    # no person margin: a person carries the weight of their organisation
    assert np.allclose(weights.person, weights.org[population.org_of_person])


def test_cross_classified_margins_of_both_entities_converge(population, system):
    """Margins that overlap (start-ups among enterprises by size; graduates among the registered)
    are met together: raking fits every margin of the cross-classification at once."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["margins"].append({"key": "unemployed_graduates", "label": "登记失业的大专及以上学历人员", "entity": "person",
                            "where": {"registered_unemployed": True,
                                      "education_level": ["college", "bachelor", "master", "doctor"]},
                            "value": 5000, "unit": "人", "source": "", "illustrative": True})
    weights = calibrate(parse_calibration(data, system), population, system, ON)
    for r in weights.results:
        if not r.derived:
            assert abs(r.achieved - r.target) <= TOLERANCE * r.target, r


def _margin(**changes):
    base = {"key": "m", "label": "本区登记失业人员", "entity": "person",
            "where": {"registered_unemployed": True}, "value": 100, "unit": "人", "source": "", "illustrative": True}
    base.update(changes)
    return {"title": "t", "margins": [base]}


@pytest.mark.parametrize("data, where, message", [
    (_margin(where={"registerd_unemployed": True}), "margins[0].where.registerd_unemployed", "是否指 registered_unemployed"),
    (_margin(where={"hukou_district": "xichen"}), "margins[0].where.hukou_district", "没有成员 'xichen'"),
    (_margin(where={"registered_unemployed": "yes"}), "margins[0].where.registered_unemployed", "true 或 false"),
    (_margin(where={"graduation_date": {"within": 3}}), "margins[0].where.graduation_date", "within_days"),
    (_margin(value=-3), "margins[0].value", "非负数字"),
    (_margin(illustrative="yes"), "margins[0].illustrative", "true（示意数值）"),
    (_margin(illustrative=False), "margins[0].source", "必须注明来源"),
    ({"title": "t", "margins": [{"label": "x", "entity": "person", "value": 1, "unit": "人", "illustrative": True}]},
     "margins[0].source", "必填"),
    (_margin(entity="household"), "margins[0].entity", "person（人员）或 organisation（单位）"),
    (_margin(colour="red"), "margins[0].colour", "未知字段"),
    (_margin(where={"xicheng_6_employer": True}), "margins[0].where.xicheng_6_employer", "由公式计算"),
    (_margin(where={"org_type": "limited_company"}), "margins[0].where.org_type", "人员没有事实"),
])
def test_a_bad_calibration_file_is_named_field_by_field(system, data, where, message):
    with pytest.raises(CalibrationError) as error:
        parse_calibration(data, system)
    assert error.value.where == where and message in error.value.message


@pytest.mark.parametrize("change, where, message", [
    ({"where": {"registered_unemployed": True, "age": {"min": 200}}}, "margins[0]", "人口中没有人员符合"),
    ({"value": 10 ** 9}, "margins[0]", "小于"),
])
def test_a_count_the_population_cannot_reach_is_named(population, system, change, where, message):
    data = _margin(**change)
    data["totals"] = {"person": {"value": 1_000_000, "unit": "人", "source": "", "illustrative": True}} \
        if "value" in change else {}
    with pytest.raises(CalibrationError) as error:
        calibrate(parse_calibration(data, system), population, system, ON)
    assert error.value.where.startswith(("margins[0]", "totals")) and message in error.value.message


def test_overlapping_categories_are_refused(population, system):
    data = copy.deepcopy(_margin())
    del data["margins"][0]["value"]
    data["margins"][0]["counts"] = [{"label": "30岁及以下", "where": {"age": {"max": 30}}, "value": 10},
                                    {"label": "25岁及以上", "where": {"age": {"min": 25}}, "value": 10}]
    with pytest.raises(CalibrationError) as error:
        calibrate(parse_calibration(data, system), population, system, ON)
    assert error.value.where == "margins[0].counts[1]" and "重叠" in error.value.message
