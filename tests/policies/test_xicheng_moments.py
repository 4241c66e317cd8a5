"""xicheng: the legal moment of each measure and time tested on the assessment day (issue 9 §2).

Statuses are judged on the day the clause judges them (xicheng/9: the internship start; xicheng/6:
the signing of the labour contract), and elapsed-time conditions (一年以上, 6个月以上) and the dates of
qualifying events (认定, 获奖, 举办 …) are tested on the assessment day itself, never on the end of the
assessment month. Every boundary is tested on both sides; amounts are worked out from the clause text.
"""

import copy

import pytest

from ..conftest import load_example, result_for, run
from .helpers import day_after, day_before, node


def result(situation: dict, on: str, measure: str, beneficiary: str, person: str | None = None) -> dict:
    report = run(situation, on, [measure])
    found = [r for r in report["results"] if r["measure"] == measure and r["beneficiary"] == beneficiary
             and (person is None or r.get("person") == person)]
    assert len(found) == 1, f"{measure}/{beneficiary}/{person}: {len(found)} results"
    return found[0]


# -- xicheng/14 正常经营一年以上: on the assessment day ---------------------------------------------------
def rent_case(registered: str) -> dict:
    situation = load_example("xicheng_14_rent.json")
    situation["organisations"]["li_si_studio"]["registration_date"] = registered
    return situation


@pytest.mark.parametrize("on, holds", [("2025-05-02", False), ("2025-05-18", False), ("2025-05-19", True)])
def test_14_one_year_of_operation_is_tested_on_the_assessment_day(on, holds):
    """“在本区注册且正常经营一年以上”: registered 2024-05-20, the first year completes on 2025-05-19
    (the day before the corresponding day). On 2025-05-02 — the same month — it is not yet a year."""
    found = result(rent_case("2024-05-20"), on, "xicheng/14", "li_si_studio")
    assert node(found["conditions"], "xicheng_14_operating_one_year")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")
    if holds:
        # 每年最高不超过4万元 (premises in Xicheng), rent 60000 given: 40000 per operating year, three years
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [
            ("2025-05-19", 40000), ("2026-05-19", 40000), ("2027-05-19", 40000)]
        assert found["amount_to_date"] == 40000


# -- xicheng/9 青年失业人员: judged on the internship start ---------------------------------------------
def youth_intern(birth: str, start: str = "2026-03-01", end: str = "2027-02-28") -> dict:
    situation = load_example("xicheng_9_internship.json")
    person = situation["persons"]["zhao_liu"]
    person.update({"birth_date": birth, "xicheng_registered_unemployed_at_internship_start": True, "education_level": "high_school",
                   "internship_start_date": start, "internship_end_date": end})
    for key in ("graduation_date", "student_origin_city"):
        person.pop(key, None)
    return situation


def test_9_youth_turning_25_during_the_internship_keeps_the_allowance():
    """Born 2001-05-08: 24 on the internship start 2026-03-01, 25 from 2026-05-08. Assessed on
    2026-11-23, the person is still a 青年失业人员 for this internship: 2000元 a month, 12 months
    (不超过一年), and the months already completed stay listed."""
    found = result(youth_intern("2001-05-08"), "2026-11-23", "xicheng/9", "zhao_liu")
    assert found["status"] == "eligible"
    assert node(found["conditions"], "xicheng_unemployed_youth")["result"] is True
    months = [i["due"] for i in found["installments"]]
    assert months[:3] == ["2026-03-31", "2026-04-30", "2026-05-31"] and months[-1] == "2027-02-28"
    assert sum(i["amount"] for i in found["installments"]) == 12 * 2000
    # completed by 2026-11-23: the months ending 2026-03-31 … 2026-10-31, 8 × 2000
    assert found["amount_to_date"] == 8 * 2000


@pytest.mark.parametrize("start, holds", [("2026-05-07", True), ("2026-05-08", False)])
def test_9_age_limit_on_the_internship_start_both_sides(start, holds):
    """16周岁至24周岁: an internship starting the day before the 25th birthday qualifies, one starting
    on the birthday does not — whatever the assessment date."""
    situation = youth_intern("2001-05-08", start=start, end="2027-05-06")
    found = result(situation, "2026-06-15", "xicheng/9", "zhao_liu")
    assert node(found["conditions"], "xicheng_unemployed_youth")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")


def test_9_moment_label_names_the_internship_start():
    found = result(youth_intern("2001-05-08"), "2026-11-23", "xicheng/9", "zhao_liu")
    assert found["moment"] == "参加就业见习之日"
    assert node(found["conditions"], "xicheng_9__in_force")["label"].startswith("参加就业见习之日在措施有效期内")


# -- xicheng/6: the validity window applies to the signing of the contract -----------------------------
@pytest.mark.parametrize("start, holds", [("2020-12-31", False), ("2021-01-01", True)])
def test_6_window_applies_to_the_contract_start(start, holds):
    """The document is read as in force from 2021-01-01: a contract signed on 2020-12-31 is before it,
    one signed on 2021-01-01 is inside, and keeps its three contract years (6000, 9000, 12000)."""
    situation = load_example("xicheng_6_stable_employment.json")
    person = next(iter(situation["persons"].values()))
    person["contract_start_date"] = start
    person.pop("contract_end_date", None)
    person["contract_type"] = "open_ended"
    found = run(situation, "2026-11-23", ["xicheng/6/employer"])["results"][0]
    assert node(found["conditions"], "xicheng_6_employer__in_force")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")
    if holds:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [
            ("2021-12-31", 6000), ("2022-12-31", 9000), ("2023-12-31", 12000)]


# -- every other date tested on the assessment day: the day before ✗, the day ✓ --------------------------
BOUNDARY = "2026-05-19"
CASES = [
    # example, measure, beneficiary, person, (entity kind, id, fact, value), condition, amount on the day
    ("xicheng_16_incubator.json", "xicheng/16", "xicheng_incubator", None,
     ("organisations", "xicheng_incubator", "xicheng_16_recognition_date", BOUNDARY),
     "xicheng_16_recognised_by_month_end", 30000),                 # 3万元一次性运作补贴
    ("xicheng_17_contest.json", "xicheng/17", "green_logistics", None,
     ("organisations", "green_logistics", "xicheng_17_award_date", BOUNDARY),
     "xicheng_17_awarded_by_month_end", 50000),                    # 二等奖 5万元
    ("xicheng_18_training.json", "xicheng/18/startup_grant", "feng_founder", None,
     ("organisations", "feng_tea_house", "registration_date", "2025-05-20"),
     "xicheng_18_business_operating_one_year", 10000),             # 正常经营一年以上: 1万元
    ("xicheng_18_training.json", "xicheng/18/flexible_subsidy", "wu_driver", None,
     ("persons", "wu_driver", "xicheng_18_flexible_employment_date", BOUNDARY),
     "xicheng_18_flexible_after_certificate", 300),                # 实现灵活就业 300元
    ("xicheng_19_online_training.json", "xicheng/19", "xicheng_tech_co", "li_si",
     ("persons", "li_si", "training_end_date", BOUNDARY),
     "xicheng_19_at_least_1800_minutes", 200),                     # 每人200元
    ("xicheng_21_master_studio.json", "xicheng/21/studio", "xicheng_precision_co", None,
     ("organisations", "xicheng_precision_co", "xicheng_21_master_studio_date", BOUNDARY),
     "xicheng_21_has_master_studio", 100000),                      # 10万元一次性补贴
    ("xicheng_21_master_studio.json", "xicheng/21/certificates", "xicheng_precision_co", "chen_gong",
     ("persons", "chen_gong", "skill_certificate_date", BOUNDARY),
     "xicheng_21_high_skill_certificate", 2500),                   # 技师 2500元
    ("xicheng_23_competition.json", "xicheng/23/award", "xicheng_service_co", "zhou_champion",
     ("persons", "zhou_champion", "xicheng_23_award_date", BOUNDARY),
     "xicheng_23_top_three", 50000),                               # 国家级前三名 5万元
    ("xicheng_23_competition.json", "xicheng/23/district_competition", "xicheng_service_co", None,
     ("organisations", "xicheng_service_co", "xicheng_23_district_competition_date", BOUNDARY),
     "xicheng_23_held_district_competition", 30000),               # 60人: 50人（含）至100人 3万元
    ("xicheng_23_competition.json", "xicheng/23/showcase", "xicheng_catering_association", None,
     ("organisations", "xicheng_catering_association", "xicheng_23_showcase_date", BOUNDARY),
     "xicheng_23_held_showcase", 50000),                           # 50个项目以上 5万元
    ("xicheng_25_placement.json", "xicheng/25", "xicheng_hr_agency", None,
     ("organisations", "xicheng_hr_agency", "xicheng_25_employment_start_date", "2025-11-20"),
     "xicheng_25_stable_six_months", 4 * 1000),                    # 6个月以上, 4人 × 1000元
    ("xicheng_26_headhunting.json", "xicheng/26/agency", "xicheng_headhunter", None,
     ("organisations", "xicheng_headhunter", "xicheng_26_placement_date", BOUNDARY),
     "xicheng_26_recommended_by_now", 0.10 * 200000),              # 服务费用的10%
    ("xicheng_27_hr_grade.json", "xicheng/27/aaaaa", "xicheng_hr_group", None,
     ("organisations", "xicheng_hr_group", "xicheng_27_grade_date", BOUNDARY),
     "xicheng_27_grade_date_reached", 500000),                     # AAAAA 每年50万元, the first year
    ("xicheng_29_street.json", "xicheng/29", "jinrongjie_street", None,
     ("organisations", "jinrongjie_street", "xicheng_29_assessment_date", BOUNDARY),
     "xicheng_29_assessed_by_now", 280000),                        # 优秀: 不超过30万元, 280000 requested
    ("xicheng_30_community.json", "xicheng/30/demonstration", "a_community", None,
     ("organisations", "a_community", "xicheng_30_demonstration_date", BOUNDARY),
     "xicheng_30_demonstration_date_reached", 40000),              # 充分就业示范社区 4万元
]


@pytest.mark.parametrize("example, measure, beneficiary, person, change, variable, amount", CASES,
                         ids=[case[1] for case in CASES])
def test_dates_are_tested_on_the_assessment_day(example, measure, beneficiary, person, change, variable, amount):
    situation = copy.deepcopy(load_example(example))
    kind, key, fact, value = change
    situation[kind][key][fact] = value
    before = result(situation, day_before(BOUNDARY), measure, beneficiary, person)
    assert node(before["conditions"], variable)["result"] is False
    assert before["status"] == "ineligible"
    on = result(situation, BOUNDARY, measure, beneficiary, person)
    assert node(on["conditions"], variable)["result"] is True
    assert on["status"] == "eligible"
    # what falls due up to the day (amount_to_date can wait on an undetermined measure of the same
    # stacking group, e.g. 培训奖励 beside the 灵活就业 培训补贴)
    assert sum(i["amount"] for i in on["installments"] if i["due"] <= BOUNDARY) == pytest.approx(amount)


@pytest.mark.parametrize("on, holds", [("2026-05-18", False), ("2026-05-19", True)])
def test_18_six_months_of_stable_employment_on_the_assessment_day(on, holds):
    """“3个月内实现单位就业，且稳定就业6个月以上”: training ends 2025-11-01, the contract starts
    2025-11-20 (within 3 months) and its 6 months complete on 2026-05-19: 3000元 培训奖励 from that day."""
    situation = load_example("xicheng_18_training.json")
    welder = situation["persons"]["zhou_welder"]
    welder.update({"training_end_date": "2025-11-01", "contract_start_date": "2025-11-20"})
    found = result(situation, on, "xicheng/18/skills_reward", "zhou_welder")
    assert node(found["conditions"], "xicheng_18_stable_six_months")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")
    if holds:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2026-05-19", 3000)]


# -- 本区户籍 on the legal moment (issue 9 item 2) -------------------------------------------------------
# measure, example, beneficiary, person (for an organisation's measure per person), the moment's day,
# the condition reading the hukou on it. Every example person has a Xicheng hukou and qualifies on
# 2026-11-23 with no moved-in date.
HUKOU_ON = "2026-11-23"
HUKOU_CASES = [
    ("xicheng/6/employer", "xicheng/6", "xicheng_company", "zhang_san", "2024-03-15", "xicheng_hukou_at_hire"),
    ("xicheng/6/person", "xicheng/6", "zhang_san", None, "2024-03-15", "xicheng_hukou_at_hire"),
    ("xicheng/10", "xicheng/10", "li_si", None, "2024-06-01", "xicheng_hukou_at_hire"),
    ("xicheng/9", "xicheng/9", "zhao_liu", None, "2026-03-01", "xicheng_9_hukou"),
    ("xicheng/18/entrepreneurship_subsidy", "xicheng/18", "chen_entrepreneur", None, "2025-03-15",
     "xicheng_18_hukou_at_training"),
    ("xicheng/18/provider_fee", "xicheng/18", "xicheng_training_school", "chen_entrepreneur", "2025-03-15",
     "xicheng_18_hukou_at_training"),
    ("xicheng/18/startup_grant", "xicheng/18", "feng_founder", None, "2025-03-15", "xicheng_18_hukou_at_training"),
    ("xicheng/18/skills_reward", "xicheng/18", "zhou_welder", None, "2025-03-15", "xicheng_18_hukou_at_training"),
    ("xicheng/18/flexible_subsidy", "xicheng/18", "wu_driver", None, "2025-03-15", "xicheng_18_hukou_at_training"),
    ("xicheng/18/provider_fee_skills", "xicheng/18", "xicheng_training_school", "wu_driver", "2025-03-15",
     "xicheng_18_hukou_at_training"),
    ("xicheng/18/partial", "xicheng/18", "zheng_dropout", None, "2025-03-15", "xicheng_18_hukou_at_training"),
    ("xicheng/18/partial_fee", "xicheng/18", "xicheng_training_school", "zheng_dropout", "2025-03-15",
     "xicheng_18_hukou_at_training"),
]


def _moved(example: str, beneficiary: str, person: str | None, **facts) -> dict:
    situation = copy.deepcopy(load_example(example))
    situation["persons"][person or beneficiary].update(facts)
    return situation


def _hukou_result(case, **facts):
    measure, example, beneficiary, person, _, _ = case
    return result(_moved(example, beneficiary, person, **facts), HUKOU_ON, measure, beneficiary, person)


@pytest.mark.parametrize("case", HUKOU_CASES, ids=[c[0] for c in HUKOU_CASES])
def test_hukou_moved_in_after_the_moment_does_not_count(case):
    """The hukou moved into Xicheng the day after the moment (from chaoyang): not 本区户籍 then."""
    found = _hukou_result(case, hukou_district="xicheng", hukou_moved_in_date=day_after(case[4]),
                          previous_hukou_district="chaoyang")
    assert node(found["conditions"], case[5])["result"] is False
    assert found["status"] == "ineligible" and found["amount_to_date"] == 0


@pytest.mark.parametrize("case", HUKOU_CASES, ids=[c[0] for c in HUKOU_CASES])
def test_hukou_moved_away_after_the_moment_still_counts(case):
    """本区户籍 on the moment, moved to chaoyang the day after: the measure gives what it gives to the
    person who never moved (same status and schedule)."""
    unmoved = _hukou_result(case)
    found = _hukou_result(case, hukou_district="chaoyang", hukou_moved_in_date=day_after(case[4]),
                          previous_hukou_district="xicheng")
    assert node(found["conditions"], case[5])["result"] is True
    assert found["status"] == unmoved["status"] and found["status"] in ("eligible", "undetermined")
    assert found["installments"] == unmoved["installments"]
    assert found["amount_to_date"] == unmoved["amount_to_date"]


@pytest.mark.parametrize("case", HUKOU_CASES, ids=[c[0] for c in HUKOU_CASES])
def test_hukou_moved_in_on_the_moment_day_counts(case):
    """Moved in on the day itself: already there that day."""
    found = _hukou_result(case, hukou_district="xicheng", hukou_moved_in_date=case[4],
                          previous_hukou_district="chaoyang")
    assert node(found["conditions"], case[5])["result"] is True
    assert found["status"] == _hukou_result(case)["status"]


@pytest.mark.parametrize("case", HUKOU_CASES, ids=[c[0] for c in HUKOU_CASES])
def test_hukou_moved_in_after_the_moment_from_an_unknown_district_is_asked(case):
    """Moved in after the moment, the district moved from not given: undetermined, and that district is
    the fact to supply; moved in before the moment it is not needed."""
    measure, example, beneficiary, person, moment, variable = case
    who = person or beneficiary
    found = _hukou_result(case, hukou_district="xicheng", hukou_moved_in_date=day_after(moment))
    assert node(found["conditions"], variable)["result"] is None
    assert found["status"] == "undetermined"
    assert ("person", who, "previous_hukou_district") in {
        (m["entity"], m["id"], m["variable"]) for m in found["missing"]}
    before = _hukou_result(case, hukou_district="xicheng", hukou_moved_in_date=day_before(moment))
    assert node(before["conditions"], variable)["result"] is True
    assert "previous_hukou_district" not in {m["variable"] for m in before["missing"]}


@pytest.mark.parametrize("case", HUKOU_CASES, ids=[c[0] for c in HUKOU_CASES])
def test_hukou_without_a_moved_in_date_is_todays(case):
    found = _hukou_result(case, hukou_district="chaoyang")
    assert node(found["conditions"], case[5])["result"] is False
    assert found["status"] == "ineligible"


@pytest.mark.parametrize("hukou, moved, previous, holds", [
    ("xicheng", "2026-03-02", "chaoyang", False),   # moved in the day after the internship start
    ("chaoyang", "2026-03-02", "xicheng", True),    # moved away after it
    ("xicheng", "2026-03-01", "chaoyang", True),    # moved in on the start day
])
def test_9_youth_hukou_on_the_internship_start(hukou, moved, previous, holds):
    """青年失业人员 (附则（二）: 本区户籍的16周岁至24周岁登记失业人员), judged on the internship start
    2026-03-01 like the age: born 2001-05-08, 24 then."""
    situation = youth_intern("2001-05-08")
    situation["persons"]["zhao_liu"].update(hukou_district=hukou, hukou_moved_in_date=moved,
                                            previous_hukou_district=previous)
    found = result(situation, HUKOU_ON, "xicheng/9", "zhao_liu")
    assert node(found["conditions"], "xicheng_unemployed_youth")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")


@pytest.mark.parametrize("hukou, previous, holds", [("xicheng", "chaoyang", True), ("chaoyang", "xicheng", False)])
def test_18_free_training_reads_todays_hukou(hukou, previous, holds):
    """The free training is judged on application (每人每年可…享受一次免费…培训): moved in after the
    last training — the hukou today is what counts, the one who moved away no longer trains free."""
    situation = _moved("xicheng/18", "chen_entrepreneur", None, hukou_district=hukou,
                       hukou_moved_in_date="2025-06-01", previous_hukou_district=previous)
    found = result(situation, HUKOU_ON, "xicheng/18/free_training", "chen_entrepreneur")
    assert node(found["conditions"], "xicheng_hukou")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")


def _reads(deps, name, seen):
    for child in deps.variables.get(name, ()):
        if child not in seen:
            seen.add(child)
            _reads(deps, child, seen)
    return seen


def test_measures_sharing_a_hukou_condition_share_its_moment(system, catalogue):
    """xicheng_hukou_at_hire reads the moment of xicheng/6/employer, xicheng_18_hukou_at_training that of
    xicheng/18/entrepreneurship_subsidy: every measure that reads them has the same moment fact, and
    every one is among the cases above."""
    from jiuye.assess.dependencies import dependencies
    deps = dependencies(system)
    hukou = {"xicheng_hukou_at_hire", "xicheng_9_hukou", "xicheng_18_hukou_at_training"}
    moments, measures = {}, set()
    for measure in catalogue.measures.values():
        if not (measure.executable and measure.variable):
            continue
        for variable in _reads(deps, f"{measure.variable}__eligible", set()) & hukou:
            moments.setdefault(variable, set()).add((measure.moment or {}).get("fact"))
            measures.add(measure.id)
    assert moments == {"xicheng_hukou_at_hire": {"contract_start_date"}, "xicheng_9_hukou": {"internship_start_date"},
                       "xicheng_18_hukou_at_training": {"training_end_date"}}
    assert measures == {case[0] for case in HUKOU_CASES}
