"""beijing: the legal moment of each measure and time tested on the assessment day (issue 9 §2).

The document (京就办发〔2022〕1号, 印发 2022-06-16, open-ended; beijing/5/job_expansion "政策执行期限至
2022年底") is applied to the qualifying event each clause names — the hire, the internship start, the
start of flexible insured employment, the registration, the loan, the end of training, the
certificate — so an entitlement that arose inside the window keeps its schedule however late it is
assessed, and an event before 2022-06-16 is not this document's case. That the event has happened is
tested on the assessment day itself (not the end of the assessment month). Both sides of every
boundary; amounts from the clause text.
"""


import pytest

from ..conftest import load_example, run
from .helpers import day_before, find


def node(conditions: list, variable: str) -> dict:
    found = find(conditions, variable)
    assert found is not None, f"{variable} not in the condition tree"
    return found


def result(situation: dict, on: str, measure: str, beneficiary: str) -> dict:
    report = run(situation, on, [measure])
    found = [r for r in report["results"] if r["measure"] == measure and r["beneficiary"] == beneficiary]
    assert len(found) == 1, f"{measure}/{beneficiary}: {len(found)} results"
    return found[0]


# measure, example, beneficiary, where the qualifying event's date is (entity group, id, fact),
# the condition that the event has happened by the assessment day, the moment's label
EVENTS = [
    ("beijing/5/job_expansion", "beijing_5_job_expansion.json", "chaoyang_tech",
     ("persons", "li_ming", "contract_start_date"), "beijing_labour_contract", "签订劳动合同之日（招用之日）"),
    ("beijing/5/social_insurance", "beijing_5_job_expansion.json", "chaoyang_tech",
     ("persons", "li_ming", "contract_start_date"), "beijing_labour_contract", "签订劳动合同之日（招用之日）"),
    ("beijing/5/internship", "beijing_5_flexible_graduate.json", "zhou_jie",
     ("persons", "zhou_jie", "internship_start_date"), "beijing_5_internship_period", "见习开始之日"),
    ("beijing/5/flexible", "beijing_5_flexible_graduate.json", "wang_fang",
     ("persons", "wang_fang", "beijing_flexible_employment_start_date"), "beijing_flexible_started",
     "以灵活就业人员身份参保缴费之日"),
    ("beijing/4", "beijing_4_flexible_employment.json", "liu_yang",
     ("persons", "liu_yang", "beijing_flexible_employment_start_date"), "beijing_flexible_started",
     "以灵活就业人员身份参保缴费之日"),
    ("beijing/2", "beijing_2_epidemic_post.json", "fengtai_services",
     ("persons", "gao_qiang", "contract_start_date"), "beijing_2_temporary_post", "上岗之日（劳动（用工）合同起始日）"),
    ("beijing/10", "beijing_10_rural_labour.json", "miyun_property",
     ("persons", "zhang_tie", "contract_start_date"), "beijing_labour_contract", "签订劳动合同之日（招用之日）"),
    ("beijing/12/post_subsidy", "beijing_12_hard_to_employ.json", "fangshan_logistics",
     ("persons", "wu_min", "contract_start_date"), "beijing_labour_contract", "签订劳动合同之日（招用之日）"),
    ("beijing/12/social_insurance", "beijing_12_hard_to_employ.json", "fangshan_logistics",
     ("persons", "wu_min", "contract_start_date"), "beijing_labour_contract", "签订劳动合同之日（招用之日）"),
    ("beijing/12/flexible", "beijing_12_hard_to_employ.json", "zheng_hua",
     ("persons", "zheng_hua", "beijing_flexible_employment_start_date"), "beijing_flexible_started",
     "以灵活就业人员身份参保缴费之日"),
    ("beijing/1/startup_grant", "beijing_1_startup_support.json", "sun_hao",
     ("organisations", "sun_studio", "registration_date"), "beijing_1_startup_registered", "所创办单位工商登记之日"),
    ("beijing/1/loan_interest", "beijing_1_startup_support.json", "sun_studio",
     ("organisations", "sun_studio", "beijing_guaranteed_loan_date"), "beijing_guaranteed_loan_granted",
     "创业担保贷款发放之日"),
    ("beijing/19/loan", "beijing_19_guaranteed_loan.json", "ma_li_shop",
     ("organisations", "ma_li_shop", "beijing_guaranteed_loan_date"), "beijing_guaranteed_loan_granted",
     "创业担保贷款发放之日"),
    ("beijing/19/guarantee_fee", "beijing_19_guaranteed_loan.json", "ma_li_shop",
     ("organisations", "ma_li_shop", "beijing_guaranteed_loan_date"), "beijing_guaranteed_loan_granted",
     "创业担保贷款发放之日"),
    ("beijing/19/training", "beijing_19_guaranteed_loan.json", "ma_li",
     ("persons", "ma_li", "training_end_date"), "beijing_19_entrepreneurship_training", "创业培训结束之日"),
    ("beijing/7", "beijing_7_startup_rent.json", "he_xin",
     ("organisations", "he_xin_design", "beijing_startup_lease_start_date"), "beijing_7_first_lease",
     "初次租用创业场地之日（起租日）"),
    ("beijing/23", "beijing_23_apprenticeship.json", "shunyi_auto",
     ("persons", "tang_lei", "training_end_date"), "beijing_23_apprenticeship", "学徒培训结束之日"),
    ("beijing/24", "beijing_24_skills_training.json", "pinggu_training_school",
     ("persons", "qian_jun", "training_end_date"), "beijing_24_skills_training", "培训结束之日"),
    ("beijing/25", "beijing_25_skill_upgrade.json", "lin_na",
     ("persons", "lin_na", "skill_certificate_date"), "beijing_25_certificate", "取得证书之日"),
]
IDS = [case[0] for case in EVENTS]


def with_event(example: str, where: tuple, day: str) -> dict:
    situation = load_example(example)
    group, key, fact = where
    situation[group][key][fact] = day
    return situation


def graduated_by(situation: dict, day: str) -> dict:
    """The persons' highest education obtained by `day` at the latest (a 2022 graduate whose event is
    moved before the graduation would not be a 高校毕业生 on it: facts.person.education_held_at)."""
    for person in situation["persons"].values():
        if person.get("graduation_date", "") > day:
            person["graduation_date"] = day
    return situation


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
def test_the_event_counts_from_its_own_day_not_the_month_end(measure, example, beneficiary, where, happened, label):
    """The event dated 2022-09-14: assessed on 2022-09-13 (same month) it has not happened yet ✗;
    on 2022-09-14 ✓ and the measure is eligible."""
    event = "2022-09-14"
    before = result(with_event(example, where, event), day_before(event), measure, beneficiary)
    assert node(before["conditions"], happened)["result"] is False
    assert before["status"] == "ineligible"
    on_day = result(with_event(example, where, event), event, measure, beneficiary)
    assert node(on_day["conditions"], happened)["result"] is True
    assert on_day["status"] == "eligible"
    assert on_day["moment"] == label


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
def test_the_window_applies_to_the_event(measure, example, beneficiary, where, happened, label):
    """印发 2022-06-16: an event on 2022-06-15 is not this document's case (the window condition ✗),
    one on 2022-06-16 is (✓), both assessed on 2022-09-30."""
    window = f"{result(with_event(example, where, '2022-06-16'), '2022-09-30', measure, beneficiary)['conditions'][0]['variable']}"
    assert window.endswith("__in_force")
    eve = result(with_event(example, where, "2022-06-15"), "2022-09-30", measure, beneficiary)
    assert node(eve["conditions"], window)["result"] is False
    assert eve["status"] == "ineligible"
    day = result(graduated_by(with_event(example, where, "2022-06-16"), "2022-06-16"), "2022-09-30", measure,
                 beneficiary)
    assert node(day["conditions"], window)["result"] is True
    assert day["status"] == "eligible"


# -- beijing/5/job_expansion 政策执行期限至2022年底: the hire, not the assessment ---------------------------
def hire(day: str) -> dict:
    return with_event("beijing_5_job_expansion.json", ("persons", "li_ming", "contract_start_date"), day)


@pytest.mark.parametrize("on", ["2023-01-15", "2026-11-23"])
def test_5_job_expansion_a_2022_hire_assessed_later_keeps_its_1500(on):
    """Hired on 2022-12-31 (至2022年底 includes it): assessed in January 2023 — or years later — the
    enterprise is still eligible, 给予每人1500元 for one person: one installment of 1500 due on the hire."""
    found = result(hire("2022-12-31"), on, "beijing/5/job_expansion", "chaoyang_tech")
    assert found["status"] == "eligible"
    assert node(found["conditions"], "beijing_5_job_expansion__in_force")["result"] is True
    assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2022-12-31", 1500)]
    assert found["amount_to_date"] == 1500


def test_5_job_expansion_a_2023_hire_is_outside_the_period():
    """Hired on 2023-01-01, the day after 2022年底 (a 2023 graduate, so 毕业年度 holds): not eligible."""
    situation = hire("2023-01-01")
    situation["persons"]["li_ming"]["graduation_date"] = "2023-01-01"
    found = result(situation, "2023-01-15", "beijing/5/job_expansion", "chaoyang_tech")
    assert node(found["conditions"], "beijing_5_job_expansion__in_force")["result"] is False
    assert node(found["conditions"], "beijing_5_hired_in_graduation_year")["result"] is True
    assert found["status"] == "ineligible"
    assert found["installments"] == []


def test_5_job_expansion_hire_date_missing_is_asked_for():
    """Without the hire date the window cannot be decided: undetermined, and the date is asked."""
    situation = hire("2022-08-01")
    del situation["persons"]["li_ming"]["contract_start_date"]
    found = result(situation, "2023-01-15", "beijing/5/job_expansion", "chaoyang_tech")
    assert found["status"] == "undetermined"
    assert "contract_start_date" in {m["variable"] for m in found["missing"]}


# -- beijing/5/social_insurance: the whole 3 years stay listed after any later assessment ------------------
def test_5_social_insurance_hire_of_2022_keeps_its_36_months_in_2025():
    """Hired 2022-07-01: 最长不超过3年 = 36 months, month k ending on add_months(2022-07-01, k) − 1 day,
    the 36th on 2025-06-30. Assessed on 2025-08-15 the employer is still eligible and all 36 stay listed."""
    found = result(hire("2022-07-01"), "2025-08-15", "beijing/5/social_insurance", "chaoyang_tech")
    assert found["status"] == "eligible"
    dues = [i["due"] for i in found["installments"]]
    assert len(dues) == 36
    assert dues[0] == "2022-07-31" and dues[11] == "2023-06-30" and dues[-1] == "2025-06-30"


# -- beijing/8/job_search: the moment is the application ---------------------------------------------------
def test_8_job_search_judged_on_the_application_day():
    """No event named: the window applies to the application (assessment) day. A 2022-01-10 graduate
    applying on 2022-06-15 is before the document; on 2022-06-16 eligible, 每人1000元 due that day."""
    situation = load_example("beijing_8_job_search.json")
    situation["persons"]["chen_jing"]["graduation_date"] = "2022-01-10"
    eve = result(situation, "2022-06-15", "beijing/8/job_search", "chen_jing")
    assert eve["status"] == "ineligible"
    day = result(situation, "2022-06-16", "beijing/8/job_search", "chen_jing")
    assert day["status"] == "eligible"
    assert day["moment"] == "申请之日"
    assert [(i["due"], i["amount"]) for i in day["installments"]] == [("2022-06-16", 1000)]


# -- beijing/19/guarantee_fee: 免收 applies to loans granted from the document's date --------------------
@pytest.mark.parametrize("loan, waived", [("2022-06-15", None), ("2022-06-16", 2400)])
def test_19_guarantee_fee_for_loans_from_the_document_date(loan, waived):
    """免收创业担保贷款担保费: the whole fee (2400 given) for a loan granted on or after 2022-06-16."""
    situation = with_event("beijing_19_guaranteed_loan.json", ("organisations", "ma_li_shop",
                                                              "beijing_guaranteed_loan_date"), loan)
    found = result(situation, "2022-09-30", "beijing/19/guarantee_fee", "ma_li_shop")
    assert found["status"] == ("eligible" if waived else "ineligible")
    assert [(i["due"], i["amount"]) for i in found["installments"]] == ([(loan, waived)] if waived else [])


# -- beijing/10 招用本市农村劳动力: the hukou on the day of the hire (issue 9 item 2) -----------------------
def rural_hire(**facts) -> dict:
    """zhang_tie, a rural worker with a Miyun hukou, hired on 2022-07-05; `facts` change his."""
    situation = load_example("beijing_10_rural_labour.json")
    situation["persons"]["zhang_tie"].update(facts)
    return situation


@pytest.mark.parametrize("today, moved_in, previous, holds", [
    ("miyun", "2022-07-06", "other", False),     # moved into Beijing the day after the hire
    ("other", "2022-07-06", "miyun", True),      # a Beijing hukou on the hire day, moved away since
    ("miyun", "2022-07-05", "other", True),      # moved in on the hire day itself: already there
    ("other", "2022-07-05", "miyun", False),     # moved away on the hire day: elsewhere that day
    ("miyun", "2022-07-06", "chaoyang", True),   # moved between Beijing districts: 本市 throughout
])
def test_10_hukou_is_judged_on_the_hire(today, moved_in, previous, holds):
    found = result(rural_hire(hukou_district=today, hukou_moved_in_date=moved_in, previous_hukou_district=previous),
                   "2022-09-30", "beijing/10", "miyun_property")
    assert node(found["conditions"], "beijing_10_city_rural_labour")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")
    assert found["moment"] == "签订劳动合同之日（招用之日）"


def test_10_hukou_moved_after_the_hire_without_the_previous_district_is_asked():
    """Moved into Miyun after the hire, the district moved from not given: undetermined, and that
    district is the one fact asked."""
    found = result(rural_hire(hukou_moved_in_date="2022-08-01"), "2022-09-30", "beijing/10", "miyun_property")
    assert node(found["conditions"], "beijing_10_city_rural_labour")["result"] is None
    assert found["status"] == "undetermined"
    assert [m["variable"] for m in found["missing"]] == ["previous_hukou_district"]


@pytest.mark.parametrize("today, status", [("miyun", "eligible"), ("other", "ineligible")])
def test_10_hukou_never_moved_is_todays(today, status):
    """No moved-in date: the hukou has been where it is throughout; the previous district is not asked."""
    found = result(rural_hire(hukou_district=today), "2022-09-30", "beijing/10", "miyun_property")
    assert found["status"] == status
    assert "previous_hukou_district" not in {m["variable"] for m in found["missing"]}


@pytest.mark.parametrize("at_hire, today, status", [
    (True, False, "eligible"),       # a 农村劳动力 when hired, not one any more today: still counts
    (False, True, "ineligible"),     # a 农村劳动力 today, not when hired: does not
    (True, True, "eligible"),
])
def test_10_rural_labour_is_judged_on_the_hire(at_hire, today, status):
    """“鼓励用人单位招用本市农村劳动力”: the person hired is a 农村劳动力 on the day of the hire (2022-07-05),
    not on the assessment day; today's rural_labour is not read."""
    found = result(rural_hire(rural_labour_at_hire=at_hire, rural_labour=today), "2022-09-30", "beijing/10",
                   "miyun_property")
    assert node(found["conditions"], "beijing_10_city_rural_labour")["result"] is (status == "eligible")
    assert found["status"] == status


def test_10_rural_labour_at_hire_missing_is_asked_and_decides_alone():
    """Not given: undetermined and asked (today's rural_labour does not stand in for it). Known false: the
    hukou at the hire can no longer change the result, so a hukou moved after the hire asks nothing."""
    situation = rural_hire()
    del situation["persons"]["zhang_tie"]["rural_labour_at_hire"]
    found = result(situation, "2022-09-30", "beijing/10", "miyun_property")
    assert found["status"] == "undetermined"
    assert [m["variable"] for m in found["missing"]] == ["rural_labour_at_hire"]
    no = result(rural_hire(rural_labour_at_hire=False, hukou_moved_in_date="2022-08-01"), "2022-09-30", "beijing/10",
                "miyun_property")
    assert no["status"] == "ineligible"
    assert not no.get("missing")


# -- statuses at the moment (issue 9 item 2): 农村转移就业劳动力 at the training, 本市登记失业人员 when becoming
# flexibly employed, 本市领取失业保险金人员 on the certificate day ------------------------------------------
def skills_trainee(**facts) -> dict:
    """（24） qian_jun, trainee of a free skills training that ended 2022-08-26; `facts` change hers."""
    situation = load_example("beijing_24_skills_training.json")
    situation["persons"]["qian_jun"].update(facts)
    return situation


@pytest.mark.parametrize("at_training, today, status", [
    (True, False, "eligible"),       # a 农村劳动力 when trained, not one any more: still counts
    (False, True, "ineligible"),     # a 农村劳动力 only after the training: does not
])
def test_24_rural_transfer_labour_is_judged_at_the_training(at_training, today, status):
    """“面向失业人员、农村转移就业劳动力…开展免费就业技能培训”: the trainee's 农村劳动力 status during the training
    (ended 2022-08-26), assessed on that very day and half a year later; today's rural_labour is not read."""
    situation = skills_trainee(beijing_24_registered_unemployed_at_training=False, education_level="high_school",
                               rural_labour_at_training=at_training, rural_labour=today)
    for on in ("2022-08-26", "2023-03-01"):
        found = result(situation, on, "beijing/24", "pinggu_training_school")
        assert node(found["conditions"], "beijing_24_rural_transfer")["result"] is at_training
        assert found["status"] == status


def test_24_rural_labour_at_the_training_asked_only_where_it_decides():
    """Registered unemployed at the training: eligible, the 农村劳动力 status not asked; in no other listed
    group: it is the one fact asked."""
    plain = result(skills_trainee(), "2022-09-30", "beijing/24", "pinggu_training_school")
    assert plain["status"] == "eligible" and "rural_labour_at_training" not in {m["variable"] for m in plain["missing"]}
    other = result(skills_trainee(beijing_24_registered_unemployed_at_training=False, education_level="high_school"),
                   "2022-09-30", "beijing/24", "pinggu_training_school")
    assert other["status"] == "undetermined"
    assert [m["variable"] for m in other["missing"]] == ["rural_labour_at_training"]


def flexible_worker(**facts) -> dict:
    """（12） zheng_hua, insured in Beijing as a flexible worker from 2022-07-01; `facts` change hers."""
    situation = load_example("beijing_12_hard_to_employ.json")
    situation["persons"]["zheng_hua"].update(facts)
    return situation


@pytest.mark.parametrize("then, today, status", [
    (True, {"registered_unemployed": False}, "eligible"),                            # deregistered since
    (True, {"unemployment_registration_district": "heping"}, "eligible"),           # registered in Tianjin now
    (False, {"registered_unemployed": True, "unemployment_registration_district": "fangshan",
             "unemployment_registration_date": "2022-09-01"}, "ineligible"),         # in Beijing only since
])
def test_12_flexible_city_registration_is_judged_when_becoming_flexibly_employed(then, today, status):
    """“实现灵活就业的本市登记失业人员”: registered unemployed in Beijing when the flexible insured employment began
    (2022-07-01), assessed on that day and later; today's registration and its district are not read."""
    situation = flexible_worker(beijing_12_registered_in_beijing_at_flexible_start=then, **today)
    for on in ("2022-07-01", "2022-09-30"):
        found = result(situation, on, "beijing/12/flexible", "zheng_hua")
        assert node(found["conditions"], "beijing_12_city_registered_unemployed")["result"] is then
        assert found["status"] == status


def test_12_flexible_city_registration_not_given_is_asked_alone():
    situation = flexible_worker(unemployment_registration_district="fangshan")
    del situation["persons"]["zheng_hua"]["beijing_12_registered_in_beijing_at_flexible_start"]
    found = result(situation, "2022-09-30", "beijing/12/flexible", "zheng_hua")
    assert found["status"] == "undetermined"
    assert [m["variable"] for m in found["missing"]] == ["beijing_12_registered_in_beijing_at_flexible_start"]


def ui_recipient(**facts) -> dict:
    """（25） lin_na, certificate 2022-08-18, listed at no enterprise: only 本市领取失业保险金人员 can qualify her."""
    situation = load_example("beijing_25_skill_upgrade.json")
    situation["organisations"]["xicheng_hotel"]["org_type"] = "public_institution"
    situation["persons"]["lin_na"].update({"beijing_25_enterprise_employee_at_certificate": False, **facts})
    return situation


@pytest.mark.parametrize("then, today, status", [
    (True, {"receives_unemployment_insurance": False, "unemployment_registration_district": "nankai"}, "eligible"),
    (False, {"receives_unemployment_insurance": True, "unemployment_registration_district": "haidian"}, "ineligible"),
])
def test_25_city_benefit_is_judged_on_the_certificate_day(then, today, status):
    """“本市领取失业保险金人员，取得…证书的”: receiving Beijing 失业保险金 on 2022-08-18, the registration moved to
    Tianjin since → eligible (on the day and later); receiving it in Beijing only since → not."""
    situation = ui_recipient(beijing_25_city_ui_recipient_at_certificate=then, **today)
    for on in ("2022-08-18", "2023-03-01"):
        found = result(situation, on, "beijing/25", "lin_na")
        assert node(found["conditions"], "beijing_25_city_ui_recipient")["result"] is then
        assert found["status"] == status


# -- （25） “在本市缴纳失业保险1年以上的企业职工…取得…证书的”: 企业职工 on the certificate day (2022-08-18) ------
@pytest.mark.parametrize("start, holds", [("2022-08-17", True), ("2022-08-18", True), ("2022-08-19", None)])
def test_25_enterprise_employee_is_the_employee_on_the_certificate_day(start, holds):
    """An employee of the listed enterprise (xicheng_hotel) whose contract started before or on the certificate
    day is 企业职工 without being asked; one hired the day after is not thereby: whether an enterprise
    employee then is the one fact asked (not a 失业保险金 recipient then)."""
    situation = load_example("beijing_25_skill_upgrade.json")
    situation["persons"]["lin_na"].update({"contract_start_date": start,
                                          "beijing_25_city_ui_recipient_at_certificate": False})
    found = result(situation, "2023-03-01", "beijing/25", "lin_na")
    assert node(found["conditions"], "beijing_25_employee")["result"] is holds
    assert found["status"] == {True: "eligible", None: "undetermined"}[holds]
    assert {m["variable"] for m in found.get("missing") or []} == (
        set() if holds else {"beijing_25_enterprise_employee_at_certificate"})


@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_25_enterprise_employee_then_answers_for_a_later_job(then, status):
    """At a public institution since 2022-09-01 (after the certificate): an enterprise employee on the certificate
    day counts, not one then does not — today's employer type does not decide; on the day and later."""
    situation = ui_recipient(contract_start_date="2022-09-01", beijing_25_city_ui_recipient_at_certificate=False,
                             beijing_25_enterprise_employee_at_certificate=then)
    for on in ("2022-09-01", "2023-03-01"):
        found = result(situation, on, "beijing/25", "lin_na")
        assert node(found["conditions"], "beijing_25_employee")["result"] is then
        assert found["status"] == status
