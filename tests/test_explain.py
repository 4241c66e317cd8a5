"""Explanations: status, schedule, amount to date, conditions with facts, parameters, missing facts."""

import copy

from .conftest import load_example, result_for, run

BASE = {
    "persons": {"p1": {
        "birth_date": "1995-05-01", "hukou_district": "xicheng", "registered_unemployed_at_hire": True,
        "dibao": False, "dibao_at_hire": False, "veteran": False, "public_welfare_placed_at_hire": False, "city_diverted_worker_at_hire": False,
        "education_level": "high_school", "contract_start_date": "2024-03-15", "contract_type": "fixed_term",
        "contract_term_months": 36, "monthly_wage": 4000, "wage_paid_monthly_in_full": True,
        "social_insurance_paid": True}},
    "organisations": {"o1": {"employees": ["p1"], "org_type": "limited_company", "registration_district": "xicheng"}},
}
EMPLOYER = ["xicheng/6/employer"]


def with_person(**changes):
    situation = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            situation["persons"]["p1"].pop(key)
        else:
            situation["persons"]["p1"][key] = value
    return situation


def test_schedule_and_amount_to_date_around_the_first_completed_year():
    # first contract year 2024-03-15 .. 2025-03-14 completes on 2025-03-14: 6000 due that day
    before = result_for(run(BASE, "2025-03-13", EMPLOYER), "xicheng/6/employer")
    on = result_for(run(BASE, "2025-03-14", EMPLOYER), "xicheng/6/employer")
    assert before["status"] == on["status"] == "eligible"
    assert before["amount_to_date"] == 0
    assert on["amount_to_date"] == 6000
    assert [(i["due"], i["amount"]) for i in on["installments"]] == [
        ("2025-03-14", 6000), ("2026-03-14", 9000), ("2027-03-14", 12000)]
    assert on["beneficiary"] == "o1" and on["person"] == "p1"


def test_a_missing_fact_makes_the_result_undetermined_never_false():
    report = run(with_person(monthly_wage=None), "2026-11-23", EMPLOYER)
    result = result_for(report, "xicheng/6/employer")
    assert result["status"] == "undetermined"
    assert result["amount_to_date"] is None
    assert [m["variable"] for m in result["missing"]] == ["monthly_wage"]
    assert result["missing"][0]["label"] == "月工资（元）"


def test_missing_organisation_facts_are_named_with_the_organisation():
    situation = copy.deepcopy(BASE)
    del situation["organisations"]["o1"]["org_type"]
    result = result_for(run(situation, "2026-11-23", EMPLOYER), "xicheng/6/employer")
    assert result["status"] == "undetermined"
    assert {(m["entity"], m["id"], m["variable"]) for m in result["missing"]} == {("organisation", "o1", "org_type")}


def test_a_known_false_condition_makes_it_ineligible_and_is_named():
    result = result_for(run(with_person(hukou_district="chaoyang"), "2026-11-23", EMPLOYER), "xicheng/6/employer")
    assert result["status"] == "ineligible"
    assert result["amount_to_date"] == 0
    assert [f["label"] for f in result["failed"]] == ["本区户籍（签订劳动合同之日）"]


def test_an_alternative_that_holds_settles_an_any_of_with_open_alternatives():
    # registered unemployed at hire is enough; the graduate alternative stays open but does not matter
    result = result_for(run(with_person(education_level=None), "2026-11-23", EMPLOYER), "xicheng/6/employer")
    assert result["status"] == "eligible"
    assert result["missing"] == []


def test_failed_alternatives_are_named_as_one_group():
    person = dict(registered_unemployed_at_hire=False)
    result = result_for(run(with_person(**person), "2026-11-23", EMPLOYER), "xicheng/6/employer")
    assert result["status"] == "ineligible"
    assert [f["label"] for f in result["failed"]] == [
        "登记失业人员、应届高校毕业生、退役士兵、社会公益性就业组织安置人员、本市分流职工（之一）"]


def test_conditions_carry_labels_clauses_results_and_the_facts_read():
    result = result_for(run(BASE, "2026-11-23", EMPLOYER), "xicheng/6/employer")
    hukou = next(c for c in result["conditions"] if c.get("variable") == "xicheng_hukou_at_hire")
    assert hukou["label"] == "本区户籍（签订劳动合同之日）" and hukou["clause"] == "xicheng/6" and hukou["result"] is True
    # the hukou on the signing: the contract start, today's district, and the moved-in date (not given:
    # never moved); the district moved from is read but not needed, so not missing
    given = {f["variable"]: (f["given"], f["value"]) for f in hukou["facts"]}
    assert given == {"contract_start_date": (True, "2024-03-15"), "hukou_district": (True, "xicheng"),
                     "hukou_moved_in_date": (False, None), "previous_hukou_district": (False, None)}
    assert hukou["missing"] == []
    stable = next(c for c in result["conditions"] if c.get("label") == "实现稳定就业")
    wage = next(c for c in stable["conditions"] if c["variable"] == "xicheng_wage_at_least_1_2_minimum")
    assert {f["variable"] for f in wage["facts"]} == {"monthly_wage"}


def test_parameters_report_value_date_source_and_confidence():
    result = result_for(run(BASE, "2026-11-23", EMPLOYER), "xicheng/6/employer")
    by_name = {p["name"]: p for p in result["parameters"]}
    wage = by_name["reference.minimum_wage.beijing"]
    assert (wage["value"], wage["effective_from"], wage["unconfirmed"]) == (2540, "2025-09-01", False)
    assert wage["source"] == "京人社劳发〔2025〕7号"
    assert [b["amount"] for b in by_name["xicheng.c06.post_subsidy"]["value"]] == [6000, 9000, 12000]


def test_unconfirmed_reference_values_are_flagged_in_the_explanation():
    # Beijing's 2200 minimum wage (2019-07 .. 2021-07) is marked "check" in reference-values.md
    situation = with_person(contract_start_date="2021-01-04")
    result = result_for(run(situation, "2021-05-10", EMPLOYER), "xicheng/6/employer")
    assert "reference.minimum_wage.beijing" in result["unconfirmed"]
    wage = next(p for p in result["parameters"] if p["name"] == "reference.minimum_wage.beijing")
    assert wage["value"] == 2200 and wage["unconfirmed"] is True


def test_interpretation_is_part_of_the_explanation():
    result = result_for(run(BASE, "2026-11-23", EMPLOYER), "xicheng/6/employer")
    assert "本区户籍" in result["interpretation"] and "届满" in result["interpretation"]


def test_near_misses_are_sorted_by_fewest_failed_conditions():
    from jiuye.explain import near_misses
    situation = with_person(hukou_district="chaoyang")
    report = run(situation, "2026-11-23", ["xicheng/6/employer", "xicheng/10"])
    ordered = near_misses(report["results"])
    assert [len(r["failed"]) for r in ordered] == sorted(len(r["failed"]) for r in ordered)


def test_dibao_unemployed_person_gets_clause_10_not_6_person():
    report = run(with_person(dibao_at_hire=True), "2026-11-23", ["xicheng/6/person", "xicheng/10"])
    assert result_for(report, "xicheng/6/person")["status"] == "ineligible"
    ten = result_for(report, "xicheng/10")
    assert ten["status"] == "eligible"
    # 2000 a month, paid per completed year: 24000 on 2025-03-14 and on 2026-03-14 so far
    assert ten["amount_to_date"] == 48000


def test_examples_run(catalogue):
    from .conftest import example_date, example_files, load_example
    import json
    for path in example_files():
        from jiuye.examples import example_name
        name = example_name(path)
        report = run(load_example(path), example_date(path))
        assert report["results"], name
        key, number = name.split("_")[:2]
        clause = f"{key}/{number}"
        mine = [r for r in report["results"] if r["clause"] == clause]
        assert any(r["status"] == "eligible" for r in mine), f"{name}: nothing eligible under {clause}"


def test_a_document_taking_effect_mid_month_can_be_assessed_on_its_first_day():
    # heping takes effect on 2020-06-30: its parameters start that day, the month on the 1st
    from .conftest import load_example
    report = run(load_example("heping_十_hiring.json"), "2020-06-30")
    assert report["results"]
    before = run(load_example("heping_十_hiring.json"), "2020-06-29")
    assert all(r["status"] == "ineligible" for r in before["results"] if r["measure"].startswith("heping/"))


def test_a_person_in_no_organisation_does_not_borrow_another_organisations_facts():
    import copy
    situation = copy.deepcopy(BASE)
    situation["persons"]["alone"] = dict(BASE["persons"]["p1"])      # same facts, no organisation
    situation["organisations"]["o2"] = {"employees": [], "org_type": "limited_company",
                                        "registration_district": "chaoyang"}
    report = run(situation, "2026-11-23", ["xicheng/6/person", "xicheng/6/employer"])
    alone = result_for(report, "xicheng/6/person", "alone")
    assert alone["status"] == "undetermined"          # its employer's type and place are not given
    assert {m["variable"] for m in alone["missing"]} >= {"org_type", "registration_district"}
    assert result_for(report, "xicheng/6/person", "p1")["status"] == "eligible"
    # only the organisations of the situation are beneficiaries
    assert {r["beneficiary"] for r in report["results"] if r["measure"] == "xicheng/6/employer"} == {"o1"}
    from jiuye.assess.openfisca_case import build_openfisca_case as build_case
    import datetime as dt
    case = build_case(situation, dt.date(2026, 11, 23))
    eligible = case.simulation.calculate("xicheng_6_person__eligible", "2026-11")
    assert eligible.tolist() == [True, False]


def test_derived_facts_show_their_value_once_their_inputs_are_given():
    result = result_for(run(BASE, "2026-11-23", EMPLOYER), "xicheng/6/employer")
    employer = next(c for c in result["conditions"] if c.get("variable") == "xicheng_employer_is_employer_unit")
    city = next(f for f in employer["facts"] if f["variable"] == "registration_city")
    assert city == {"variable": "registration_city", "label": "注册地（所在市）", "entity": "organisation",
                    "id": "o1", "given": False, "value": "beijing", "derived": True}


def test_only_the_documents_of_the_situations_cities_are_assessed():
    report = run(BASE, "2026-11-23")
    assert report["documents"] == ["beijing", "haidian", "xicheng"]      # Xicheng hukou and registration
    assert {r["measure"].split("/")[0] for r in report["results"]} <= {"beijing", "haidian", "xicheng"}
    tianjin = with_person(hukou_district="heping")
    del tianjin["organisations"]["o1"]["registration_district"]
    assert run(tianjin, "2024-06-30")["documents"] == ["heping"]
    nowhere = {"persons": {"p": {"birth_date": "1990-01-01"}}}
    assert run(nowhere, "2024-06-30")["documents"] == ["beijing", "binjiang", "haidian", "heping", "xicheng"]
