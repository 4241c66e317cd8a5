"""binjiang: the legal moment of each measure, time on the assessment day, and the one 50万 cap of a
street area (binjiang/一). Expected amounts are worked out from the clause text."""

import datetime as dt

import pytest

from tests.conftest import result_for, run
from tests.policies.helpers import node

TEXT_一 = ("给予街道每年最高50万元，其中经区人力社保局备案的社区就业创业服务中心由街道根据考核绩效给予补贴，"
          "最高15万元。")


def _street(**facts):
    return {"org_type": "street", "registration_district": "binjiang", "binjiang_1_year": 2023,
            "binjiang_1_assessed": True, **facts}


def _community(**facts):
    return {"org_type": "community", "registration_district": "binjiang", "binjiang_1_year": 2023,
            "binjiang_1_assessed": True, "binjiang_1_community_centre_filed": True, **facts}


def _area(street, community):
    return {"persons": {"a": {}, "b": {}},
            "organisations": {"street": {"members": ["a"], **street}, "community": {"members": ["b"], **community}}}


def _street_area_total(report):
    street = result_for(report, "binjiang/一/street", "street")
    community = result_for(report, "binjiang/一/community", "community")
    return street, community, street["amount_to_date"] + community["amount_to_date"]


def test_the_clause_words(catalogue):
    assert TEXT_一 in catalogue.documents["binjiang"].text


def test_street_area_one_cap_of_500000():
    """“给予街道每年最高50万元，其中……社区就业创业服务中心……最高15万元”: the community centre's 15万 lies
    inside the street's 50万. Street assessed 420000, its community centre 150000: the street keeps
    500000 − 150000 = 350000 and the area gets 500000, not 420000 + 150000 = 570000."""
    report = run(_area(_street(binjiang_1_assessed_amount=420000, binjiang_1_community_centre_grants=150000),
                       _community(binjiang_1_assessed_amount=150000)), "2024-06-30",
                 ["binjiang/一/street", "binjiang/一/community"])
    street, community, total = _street_area_total(report)
    assert (street["status"], community["status"]) == ("eligible", "eligible")
    assert street["installments"] == [{"due": "2023-12-31", "amount": 350000.0, "ceiling": False}]
    assert community["amount_to_date"] == 150000.0
    assert total == 500000.0


@pytest.mark.parametrize("assessed, given, expected", [
    (350000, 150000, 350000.0),       # exactly the remainder 500000 − 150000
    (350000.01, 150000, 350000.0),    # one fen above the remainder: capped
    (300000, 100000, 300000.0),       # below the remainder 400000: the assessed amount
    (100000, 500000, 0.0),            # the whole 50万 went to the communities' centres
])
def test_street_keeps_the_remainder(assessed, given, expected):
    report = run(_area(_street(binjiang_1_assessed_amount=assessed, binjiang_1_community_centre_grants=given),
                       _community()), "2024-06-30", ["binjiang/一/street"])
    assert result_for(report, "binjiang/一/street", "street")["amount_to_date"] == expected


def test_community_centre_at_most_150000():
    report = run(_area(_street(), _community(binjiang_1_assessed_amount=150000.01)), "2024-06-30",
                 ["binjiang/一/community"])
    assert result_for(report, "binjiang/一/community", "community")["amount_to_date"] == 150000.0


def test_street_share_not_given_is_a_ceiling():
    """Without the communities' share the street's own part is only known to be at most 50万 (最高)."""
    report = run(_area(_street(binjiang_1_assessed_amount=420000), _community()), "2024-06-30",
                 ["binjiang/一/street"])
    assert result_for(report, "binjiang/一/street", "street")["installments"] == [
        {"due": "2023-12-31", "amount": 420000.0, "ceiling": True}]


def test_every_executable_measure_declares_its_moment(catalogue, system):
    measures = [m for m in catalogue.of_document("binjiang") if m.executable]
    assert len(measures) == 28      # 七 and 九 each also claimed by a stated count (issue 12)
    for m in measures:
        assert m.moment and m.moment.get("label"), m.id
        if m.moment.get("fact"):
            assert system.variables[m.moment["fact"]].value_type is dt.date, m.id


# --- time on the day ------------------------------------------------------------------------------
def _status(situation, on, measure, beneficiary):
    return result_for(run(situation, on, [measure]), measure, beneficiary)["status"]


@pytest.mark.parametrize("on, status", [("2022-12-31", "ineligible"), ("2023-01-01", "eligible")])
def test_in_force_from_the_effective_date(on, status):
    """附则 “本意见自2023年 月 日起施行” (binjiang.effective_date, unconfirmed default 2023-01-01): judged on the
    assessment day. A 2023 street grant (its year ends after the effective date) assessed the day before."""
    street = _street(binjiang_1_assessed_amount=1)
    situation = {"persons": {"a": {}}, "organisations": {"s": {"members": ["a"], **street}}}
    result = result_for(run(situation, on, ["binjiang/一/street"]), "binjiang/一/street", "s")
    assert result["status"] == status
    assert [f["variable"] for f in result["failed"]] == (["binjiang_in_force"] if status == "ineligible" else [])


def test_the_demo_street_area_stays_within_500000():
    """The demo of 一 (its example.json): street assessed 420000, its community centre 150000."""
    from tests.conftest import load_example
    report = run(load_example("binjiang/一"), "2024-06-30", ["binjiang/一/street", "binjiang/一/community"])
    street = result_for(report, "binjiang/一/street", "changhe_street")
    community = result_for(report, "binjiang/一/community", "a_community")
    assert (street["amount_to_date"], community["amount_to_date"]) == (350000.0, 150000.0)   # 500000 − 150000


@pytest.mark.parametrize("on, status", [("2024-06-19", "ineligible"), ("2024-06-20", "eligible")])
@pytest.mark.parametrize("measure, facts", [
    ("binjiang/七/training_by_count", {"org_type": "limited_company", "registration_district": "binjiang",
                                      "binjiang_7_activity_filed": True, "binjiang_7_count_declared": True,
                                      "binjiang_7_count_trainees": 10, "binjiang_7_count_days": 3,
                                      "binjiang_7_count_end_date": "2024-06-20"}),
    ("binjiang/九/certificates_by_count", {"binjiang_9_filed_provider": True, "binjiang_9_count_declared": True,
                                          "binjiang_9_count_senior": 2,
                                          "binjiang_9_count_certificate_date": "2024-06-20"})])
def test_counted_claims_on_the_day(measure, facts, on, status):
    """七 and 九 by a stated count: due on the stated end date / certificate date, not before it (same
    month); 七: 10 × 3 × 200 = 6000, 九: 2 × 1000 = 2000."""
    situation = {"persons": {"a": {}}, "organisations": {"o": {"members": ["a"], **facts}}}
    result = result_for(run(situation, on, [measure]), measure, "o")
    assert result["status"] == status
    if status == "eligible":
        assert result["amount_to_date"] == (6000.0 if "七" in measure else 2000.0)


@pytest.mark.parametrize("on, status", [("2024-06-19", "ineligible"), ("2024-06-20", "eligible")])
def test_newly_recognised_community_on_the_day(on, status):
    """二 “新认定”: a recognition on 2024-06-20 has not happened on 2024-06-19 (same month)."""
    situation = {"persons": {"a": {}}, "organisations": {"c": {
        "members": ["a"], "org_type": "community", "registration_district": "binjiang",
        "binjiang_2_community_level": "provincial", "binjiang_2_recognition_date": "2024-06-20"}}}
    result = result_for(run(situation, on, ["binjiang/二"]), "binjiang/二", "c")
    assert result["status"] == status
    if status == "eligible":
        assert result["installments"] == [{"due": "2024-06-20", "amount": 50000.0, "ceiling": False}]  # 省级5万元


@pytest.mark.parametrize("on, status", [("2023-05-09", "ineligible"), ("2023-05-10", "eligible")])
def test_gig_market_accepted_on_the_day(on, status):
    situation = {"persons": {"a": {}}, "organisations": {"s": {
        "members": ["a"], **_street(binjiang_1_gig_market_accepted=True,
                                    binjiang_1_gig_market_acceptance_date="2023-05-10")}}}
    assert _status(situation, on, "binjiang/一/gig_market", "s") == status


@pytest.mark.parametrize("on, status", [("2024-03-14", "ineligible"), ("2024-03-15", "eligible")])
def test_studio_recognised_by_the_assessment_day(on, status):
    """十一 领衔人补贴: the studio must be recognised on or before the assessment day."""
    situation = {"persons": {"l": {"binjiang_11_studio_leader": True, "binjiang_11_session_year": 2024,
                                   "binjiang_11_session_count": 2}},
                 "organisations": {"w": {"employees": ["l"], "org_type": "limited_company",
                                         "registration_district": "binjiang",
                                         "binjiang_11_district_master_studio": True,
                                         "binjiang_11_recognition_date": "2024-03-15"}}}
    assert _status(situation, on, "binjiang/十一/leader_sessions", "l") == status


def _graduate(start):
    return {"persons": {"g": {"hukou_district": "binjiang", "education_level": "bachelor",
                              "graduation_date": "2023-07-01", "binjiang_employed_at_training_start": False,
                              "binjiang_university_enrolled": False, "binjiang_training_start_date": start,
                              "training_end_date": "2025-07-03", "binjiang_7_days": 3}},
            "organisations": {"e": {"members": ["g"], "org_type": "limited_company",
                                    "registration_district": "binjiang", "binjiang_7_activity_filed": True,
                                    "binjiang_7_daily_cost": 250,
                                    "binjiang_9_filed_provider": False}}}   # 九 (the same 不重复 group) does not apply


@pytest.mark.parametrize("start, status", [("2025-07-01", "eligible"), ("2025-07-02", "ineligible")])
def test_graduate_window_judged_at_the_training_start(start, status):
    """七 “离校2年未就业高校毕业生”: judged on the day the training starts (graduated 2023-07-01: a start
    on 2025-07-01 is within the two years, 2025-07-02 is not), whatever the assessment day."""
    for on in ("2025-07-31", "2027-01-15"):
        result = result_for(run(_graduate(start), on, ["binjiang/七/training"]), "binjiang/七/training", "e")
        assert result["status"] == status
        if status == "eligible":
            assert result["amount_to_date"] == 600.0    # min(250, 200)元/人/天 × min(3, 3)天


# --- 本区户籍大学生: the hukou on the day the service or training begins (issue 9 item 2) -------------
TRAINING_MEASURES = ["binjiang/七/training", "binjiang/九/level_certificate", "binjiang/九/special_certificate"]


def _student(measure, **facts):
    """An enrolled student trained from 2024-03-01 by a unit of Binjiang offering `measure`."""
    person = {"hukou_district": "binjiang", "binjiang_university_enrolled": True,
              "binjiang_training_start_date": "2024-03-01", **facts}
    if measure == "binjiang/七/training":
        person.update(training_end_date="2024-03-03", binjiang_7_days=3)
        unit = {"org_type": "limited_company", "binjiang_7_activity_filed": True}
    else:
        if measure == "binjiang/九/level_certificate":
            person.update(skill_certificate_level="intermediate", skill_certificate_date="2024-05-01")
        else:
            person.update(skill_certificate_level="none", binjiang_special_skill_certificate_date="2024-05-01")
        person.update(binjiang_registered_unemployed_in_district_at_training_start=False, binjiang_in_district=False)  # no other group
        unit = {"org_type": "private_non_enterprise", "binjiang_9_filed_provider": True}
    return {"persons": {"s": person},
            "organisations": {"u": {"members": ["s"], "registration_district": "binjiang", **unit}}}


def test_the_training_measures_share_the_moment_the_hukou_is_read_on(catalogue):
    """binjiang_hukou reads the moment of binjiang/七/training: 九's two records name the same day."""
    facts = {catalogue.measure(m).moment["fact"] for m in TRAINING_MEASURES}
    assert facts == {"binjiang_training_start_date"}


@pytest.mark.parametrize("measure", TRAINING_MEASURES)
@pytest.mark.parametrize("today, moved_in, previous, status", [
    ("binjiang", "2024-03-02", "xihu", "ineligible"),   # moved into Binjiang the day after the start
    ("xihu", "2024-03-02", "binjiang", "eligible"),     # a Binjiang hukou on the start, moved away since
    ("binjiang", "2024-03-01", "xihu", "eligible"),     # moved in on the start day itself: already there
    ("xihu", "2024-03-01", "binjiang", "ineligible"),   # moved away on the start day: elsewhere that day
])
def test_hukou_is_judged_on_the_training_start(catalogue, measure, today, moved_in, previous, status):
    situation = _student(measure, hukou_district=today, hukou_moved_in_date=moved_in, previous_hukou_district=previous)
    result = result_for(run(situation, "2024-06-30", [measure]), measure, "u")
    assert result["status"] == status
    assert node(result["conditions"], "binjiang_hukou")["result"] is (status == "eligible")
    assert result["moment"] == catalogue.measure(measure).moment["label"]


@pytest.mark.parametrize("measure", TRAINING_MEASURES)
def test_hukou_moved_after_the_start_without_the_previous_district_is_asked(measure):
    result = result_for(run(_student(measure, hukou_moved_in_date="2024-04-01"), "2024-06-30", [measure]), measure, "u")
    assert result["status"] == "undetermined"
    assert node(result["conditions"], "binjiang_hukou")["result"] is None
    assert [m["variable"] for m in result["missing"]] == ["previous_hukou_district"]


@pytest.mark.parametrize("measure", TRAINING_MEASURES)
@pytest.mark.parametrize("today, status", [("binjiang", "eligible"), ("xihu", "ineligible")])
def test_hukou_never_moved_is_todays(measure, today, status):
    result = result_for(run(_student(measure, hukou_district=today), "2024-06-30", [measure]), measure, "u")
    assert result["status"] == status
    assert "previous_hukou_district" not in {m["variable"] for m in result["missing"]}


# --- statuses at the moment (issue 9 item 2): 区内失业人员 and 脱贫人口 at the training's start (九), 对口帮扶地区
# 脱贫人口 at each hire (四) ---------------------------------------------------------------------------------
def _trainee(**facts):
    """A trainee from 2024-03-01 of a filed Binjiang provider, 中级工 certificate 2024-05-01 (500), in no
    group unless `facts` say so."""
    person = {"binjiang_training_start_date": "2024-03-01", "skill_certificate_level": "intermediate",
              "skill_certificate_date": "2024-05-01", "hukou_district": "xihu", "veteran": False,
              "binjiang_registered_unemployed_in_district_at_training_start": False,
              "binjiang_flexibly_employed_at_training_start": False, "binjiang_lifted_from_poverty_at_training_start": False,
              "binjiang_migrant_worker_at_training_start": False, "binjiang_in_district": True, **facts}
    return {"persons": {"t": person},
            "organisations": {"u": {"members": ["t"], "org_type": "private_non_enterprise",
                                    "registration_district": "binjiang", "binjiang_9_filed_provider": True}}}


UNEMPLOYED, POOR = "binjiang_9_district_unemployed", "binjiang_9_lifted_from_poverty"


@pytest.mark.parametrize("facts, group, holds", [
    # registered unemployed in Binjiang on 2024-03-01, a job found and the registration cancelled since
    ({"binjiang_registered_unemployed_in_district_at_training_start": True, "registered_unemployed": False},
     UNEMPLOYED, True),
    # registered in Binjiang then, moved the registration to 西湖区 since
    ({"binjiang_registered_unemployed_in_district_at_training_start": True,
      "unemployment_registration_district": "xihu"}, UNEMPLOYED, True),
    # registered in Binjiang only since the start
    ({"registered_unemployed": True, "unemployment_registration_district": "binjiang"}, UNEMPLOYED, False),
    # a 脱贫人口 living in the district when the training started (no today's 脱贫人口 fact is read)
    ({"binjiang_lifted_from_poverty_at_training_start": True}, POOR, True),
])
def test_9_district_unemployed_and_lifted_from_poverty_at_the_training_start(facts, group, holds):
    """（九） “组织区内失业人员…脱贫人口…开展职业技能培训”: the group on the training's start day; assessed on the
    certificate day and a year later, 500 (中级工) to the provider when the trainee is in a group then."""
    for on in ("2024-05-01", "2025-05-01"):
        found = result_for(run(_trainee(**facts), on, ["binjiang/九/level_certificate"]),
                           "binjiang/九/level_certificate", "u")
        assert node(found["conditions"], group)["result"] is holds
        assert found["status"] == ("eligible" if holds else "ineligible")
        assert found["amount_to_date"] == (500 if holds else 0)


def test_9_statuses_at_the_start_asked_only_where_they_decide():
    """A veteran living in the district: eligible, neither status at the start asked; in no other group: the
    two statuses at the start are asked (today's registration district is not)."""
    veteran = _trainee(veteran=True)
    for name in ("binjiang_registered_unemployed_in_district_at_training_start", "binjiang_lifted_from_poverty_at_training_start"):
        del veteran["persons"]["t"][name]
    found = result_for(run(veteran, "2024-06-30", ["binjiang/九/level_certificate"]), "binjiang/九/level_certificate", "u")
    assert found["status"] == "eligible" and not found.get("missing")
    veteran["persons"]["t"]["veteran"] = False
    found = result_for(run(veteran, "2024-06-30", ["binjiang/九/level_certificate"]), "binjiang/九/level_certificate", "u")
    assert found["status"] == "undetermined"
    assert {m["variable"] for m in found["missing"]} == {"binjiang_registered_unemployed_in_district_at_training_start",
                                                          "binjiang_lifted_from_poverty_at_training_start"}


def _hiring_firm(last: dict):
    """An enterprise of Binjiang with 49 stable 2023 hires of a Binjiang hukou and one more employee, `last`,
    hired 2023-06-01 with another hukou: 50 counted (5万元) when `last` counts, 49 (nothing) otherwise."""
    persons = {f"p{i}": {"hukou_district": "binjiang", "binjiang_stably_employed": True,
                         "contract_start_date": "2023-03-01"} for i in range(49)}
    persons["last"] = {"hukou_district": "other", "binjiang_stably_employed": True, "contract_start_date": "2023-06-01",
                       **last}
    return {"persons": persons,
            "organisations": {"o": {"employees": sorted(persons), "org_type": "limited_company",
                                    "registration_district": "binjiang", "binjiang_4_year": 2023}}}


@pytest.mark.parametrize("last, status, amount", [
    ({"binjiang_4_paired_poverty_at_hire": True}, "eligible", 50000),
    # a paired-area 脱贫人口 when hired whose hukou has since moved into Binjiang (not 本区户籍 on the hire day)
    ({"binjiang_4_paired_poverty_at_hire": True, "hukou_district": "binjiang", "hukou_moved_in_date": "2023-09-01",
      "previous_hukou_district": "other"}, "eligible", 50000),
    ({"binjiang_4_paired_poverty_at_hire": False}, "ineligible", 0),
])
def test_4_paired_area_poverty_is_judged_at_the_hire(last, status, amount):
    """（四） “区内企业招用本区户籍人员、对口帮扶地区脱贫人口…招用并稳定就业50人及以上给予5万元”: the 50th hire
    counts when a paired-area 脱贫人口 on the day of the hire (2023-06-01), whatever has changed since."""
    found = result_for(run(_hiring_firm(last), "2024-06-30", ["binjiang/四/hiring"]), "binjiang/四/hiring", "o")
    assert found["status"] == status
    assert found["amount_to_date"] == amount


def test_4_paired_area_poverty_at_the_hire_not_given_is_asked_alone():
    found = result_for(run(_hiring_firm({}), "2024-06-30", ["binjiang/四/hiring"]), "binjiang/四/hiring", "o")
    assert found["status"] == "undetermined"
    assert {m["variable"] for m in found["missing"]} == {"binjiang_4_paired_poverty_at_hire"}
