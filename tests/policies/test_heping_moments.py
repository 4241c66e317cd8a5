"""heping: the legal moment of each measure, the 5-year validity applied to it, and time on the day (issue 9).

天津市和平区进一步做好稳就业工作实施办法 was issued on 2020-06-30 and is in force for 5 years (to
2025-06-29). The window applies to each measure's qualifying event (the hire, the internship start, the
application …, its catalogue `moment`), so an entitlement that arose inside the window keeps its whole
schedule after the window ends. Elapsed-time conditions (满1年, 3个月以上, 期满 …) are tested on the
assessment day itself. Every boundary is tested on both sides; amounts are worked out from the clause text.
"""

import datetime as dt
from pathlib import Path

import pytest

from ..conftest import load_example, run
from .helpers import node

TEXT = (Path(__file__).resolve().parents[2].parent / "shared" / "policies" / "003_a935ac49c1ac5558.txt")


def result(situation: dict, on: str, measure: str, person: str | None = None) -> dict:
    report = run(situation, on, [measure])
    found = [r for r in report["results"] if r["measure"] == measure
             and (person is None or person in (r.get("person"), r["beneficiary"]))]
    assert len(found) == 1, f"{measure}/{person}: {len(found)} results"
    return found[0]


def dues(found: dict) -> list[str]:
    return [i["due"] for i in found["installments"]]


def month_ends(first: str, count: int, day: int) -> list[str]:
    """The days the months of a subsidy starting on a `day + 1`th complete: the day before each monthly
    anniversary (for a start on the 1st, the last day of each month)."""
    out, year, month = [], int(first[:4]), int(first[5:7])
    for _ in range(count):
        if day == 0:
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            out.append((nxt - dt.timedelta(days=1)).isoformat())
        else:
            out.append(dt.date(year + (month == 12), month % 12 + 1, day).isoformat())
        year, month = year + (month == 12), month % 12 + 1
    return out


# -- the validity window applies to the qualifying event; the schedule continues ---------------------
def hire(start: str, term_months: int = 36) -> dict:
    situation = load_example("heping_十_hiring.json")
    situation["persons"]["sun_li"].update({"contract_start_date": start, "contract_term_months": term_months})
    return situation


def test_a_2023_hire_keeps_36_months_of_social_insurance_subsidy_after_the_window_ends():
    """（十） “各类企业吸纳特殊就业困难人员…给予企业最长3年五项社保补贴和1年岗位补贴”: sun_li (就业困难人员,
    单亲家庭 — 特殊就业困难人员 by 附件2) hired on 2023-03-01. Assessed on 2025-08-15, after the document's
    5 years (2020-06-30 to 2025-06-29) ended: still eligible, and the 36 months stay listed, the first
    completing 2023-03-31, the last 2026-02-28."""
    found = result(hire("2023-03-01"), "2025-08-15", "heping/十/si_subsidy", "sun_li")
    assert found["status"] == "eligible"
    assert node(found["conditions"], "heping_10_si_subsidy__in_force")["result"] is True
    assert dues(found) == month_ends("2023-03", 36, 0)
    assert dues(found)[0] == "2023-03-31" and dues(found)[-1] == "2026-02-28"
    post = result(hire("2023-03-01"), "2025-08-15", "heping/十/post_subsidy", "sun_li")
    assert post["status"] == "eligible" and dues(post) == month_ends("2023-03", 12, 0)     # 1年岗位补贴


@pytest.mark.parametrize("start, in_force", [("2025-06-29", True), ("2025-06-30", False),
                                             ("2020-06-30", True), ("2020-06-29", False)])
def test_the_hire_date_decides_the_window_whatever_the_assessment_day(start, in_force):
    """有效期5年: a hire on the window's last day (2025-06-29) qualifies, assessed weeks later, with its 36
    months (2025-07-28 … 2028-06-28); a hire one day after does not; likewise 2020-06-30 / 2020-06-29."""
    found = result(hire(start), "2025-08-15", "heping/十/si_subsidy", "sun_li")
    assert node(found["conditions"], "heping_10_si_subsidy__in_force")["result"] is in_force
    assert found["status"] == ("eligible" if in_force else "ineligible")
    if start == "2025-06-29":
        assert dues(found)[0] == "2025-07-28" and dues(found)[-1] == "2028-06-28" and len(dues(found)) == 36


@pytest.mark.parametrize("applied, eligible", [("2025-06-29", True), ("2025-06-30", False)])
def test_job_retention_refund_applied_in_the_window_is_paid_after_it(applied, eligible):
    """（一） 稳岗返还 is judged on the application: applied on 2025-06-29, assessed on 2025-08-01, the
    refund is 50% × 48000 = 24000 (“返还其上年度企业与职工实际缴纳失业保险费的50%”)."""
    situation = load_example("heping_一_job_retention.json")
    situation["organisations"]["heping_trading_co"]["heping_refund_application_date"] = applied
    found = result(situation, "2025-08-01", "heping/一/refund")
    assert found["status"] == ("eligible" if eligible else "ineligible")
    if eligible:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [(applied, 24000)]


def test_an_internship_started_on_the_last_day_keeps_its_monthly_allowance():
    """（九） 见习 judged on its start: started 2025-06-29, ending 2025-12-28, assessed 2025-10-01: the
    six completed months (2025-07-28 … 2025-12-28) are listed."""
    situation = load_example("heping_九_internship.json")
    situation["persons"]["li_ming"].update({"internship_start_date": "2025-06-29",
                                            "internship_end_date": "2025-12-28", "heping_9_retained": False})
    found = result(situation, "2025-10-01", "heping/九/living_allowance", "li_ming")
    assert found["status"] == "eligible"
    assert dues(found) == month_ends("2025-06", 6, 28)


@pytest.mark.parametrize("registered, eligible", [("2020-12-31", True), ("2021-01-01", False)])
def test_temporary_allowance_2020_registration_stays_paid_in_2021(registered, eligible):
    """（二十八） 一次性2000元临时生活补助, “政策执行至2020年12月31日”: registered on 2020-12-31, the
    2000元 due that day stays listed when assessed in March 2021; registered on 2021-01-01, nothing."""
    situation = load_example("heping_二十八_living_support.json")
    situation["persons"]["li_hua"]["unemployment_registration_date"] = registered
    found = result(situation, "2021-03-15", "heping/二十八/temporary_allowance", "li_hua")
    assert found["status"] == ("eligible" if eligible else "ineligible")
    if eligible:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2020-12-31", 2000)]


# -- heping/十二: the host of a service post gets the post's 社保补贴 and 岗位补贴 plus 1000元 ------------
def test_service_post_host_gets_social_insurance_and_post_subsidy_plus_1000():
    """（十二） “在给予企业社保补贴和岗位补贴的基础上，每个岗位每月再给予企业最高1000元补助，最长3年”: the
    host of qian_jun (就业困难人员, placed 2023-01-01 on a selected service post, 36-month contract) gets
    the 社保补贴 and the 岗位补贴 of the post (amounts set by the city: 待定) and, on top, 1000元 a month;
    36 months each, completing 2023-01-31 … 2025-12-31."""
    words = "在给予企业社保补贴和岗位补贴的基础上"
    assert words in TEXT.read_text(encoding="utf-8")
    situation = load_example("heping_十二_placement.json")
    months = month_ends("2023-01", 36, 0)
    for measure in ("heping/十二/service_post_si", "heping/十二/service_post_post"):
        found = result(situation, "2024-06-30", measure, "qian_jun")
        assert found["status"] == "eligible", measure
        assert dues(found) == months
        assert all(i["amount"] is None for i in found["installments"])      # the city's standard
    extra = result(situation, "2024-06-30", "heping/十二/service_post", "qian_jun")
    assert extra["status"] == "eligible"
    assert dues(extra) == months and {i["amount"] for i in extra["installments"]} == {1000}
    assert extra["amount_to_date"] == 18 * 1000                             # 2023-01 … 2024-06


def test_service_post_subsidies_do_not_depend_on_clause_ten():
    """The 社保补贴 and 岗位补贴 of the service post are the post's (“在…基础上”), not those of （十）: a
    property-management host (物业, not a 养老/家政 enterprise of （十）) hiring a 就业困难人员 who is not a
    特殊就业困难人员 nor aged 45 (born 1985) gets them under （十二） while （十）'s 3-year 五项社保补贴 does not apply."""
    situation = load_example("heping_十二_placement.json")
    situation["organisations"]["heping_housekeeping_co"].update({
        "heping_housekeeping": False, "heping_elderly_care": False, "heping_small_micro": False,
        "heping_tech_startup_sme": False, "heping_graduate_startup": False})
    situation["persons"]["qian_jun"].update({
        "heping_zero_employment_family_at_work_start": False, "heping_single_parent_family_at_work_start": False,
        "heping_dibao_family_at_work_start": False, "heping_supports_ill_relative_at_work_start": False,
        "heping_registered_poor_labour_at_hire": False,
        "social_insurance_paid": True, "birth_date": "1985-03-01", "education_level": "high_school"})
    assert result(situation, "2024-06-30", "heping/十二/service_post_si", "qian_jun")["status"] == "eligible"
    assert result(situation, "2024-06-30", "heping/十二/service_post_post", "qian_jun")["status"] == "eligible"
    assert result(situation, "2024-06-30", "heping/十/si_subsidy", "qian_jun")["status"] == "ineligible"


def test_service_post_subsidies_run_to_retirement_when_less_than_5_years_from_it():
    """“距法定退休年龄不足5年的，补贴期限可延长至退休” (read for the service post as for the 公益性岗位 of
    the same clause): a man born 1964-09-10 reaches the statutory retirement age (60, born before 1965)
    on 2024-09-10, less than 5 years after the placement on 2023-01-01: the subsidies run to 2024-09-09,
    so 20 months (2023-01-31 … 2024-08-31) complete; the 1000元 stays at most 3 years within the contract."""
    situation = load_example("heping_十二_placement.json")
    situation["persons"]["qian_jun"]["birth_date"] = "1964-09-10"
    found = result(situation, "2024-06-30", "heping/十二/service_post_si", "qian_jun")
    assert dues(found) == month_ends("2023-01", 20, 0)


# -- elapsed time on the assessment day --------------------------------------------------------------
def startup(registered: str) -> dict:
    situation = load_example("heping_十四_startup.json")
    situation["organisations"]["heping_design_studio"]["registration_date"] = registered
    return situation


@pytest.mark.parametrize("on, holds", [("2025-05-02", False), ("2025-05-18", False), ("2025-05-19", True)])
def test_14_one_year_of_operation_on_the_assessment_day(on, holds):
    """（十四） “正常经营1年以上”: registered 2024-05-20, the first year completes on 2025-05-19."""
    found = result(startup("2024-05-20"), on, "heping/十四/one_off", "wu_hao")
    assert node(found["conditions"], "heping_14_operating_one_year")["result"] is holds


@pytest.mark.parametrize("on, holds", [("2024-08-18", False), ("2024-08-19", True)])
def test_14_three_months_of_operation_on_the_assessment_day(on, holds):
    """（十四） 困难村劳动力 “在本区注册经营3个月以上”: registered 2024-05-20, the 3rd month completes on
    2024-08-19."""
    found = result(startup("2024-05-20"), on, "heping/十四/one_off_poor_village", "wu_hao")
    assert node(found["conditions"], "heping_14_operating_3_months")["result"] is holds


def test_14_a_firm_founded_in_the_window_gets_its_3000_after_it():
    """Registered 2025-03-10 (inside the window), a year of operation completes on 2025-03-09 the next
    year, after the window: the 一次性创业补贴 3000元 of a 长期登记失业 本市户籍 founder is still due then."""
    situation = startup("2025-03-10")
    situation["persons"]["wu_hao"]["hukou_district"] = "heping"
    found = result(situation, "2026-03-09", "heping/十四/one_off", "wu_hao")
    assert node(found["conditions"], "heping_14_one_off__in_force")["result"] is True
    assert node(found["conditions"], "heping_14_operating_one_year")["result"] is True
    assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2026-03-09", 3000)]


@pytest.mark.parametrize("on, holds", [("2024-04-29", False), ("2024-04-30", True)])
def test_16_incubated_firm_one_year_on_the_assessment_day(on, holds):
    """（十六） 孵化企业 “生产经营满1年”: entered 2023-05-01, the year completes on 2024-04-30."""
    found = result(load_example("heping_十六_incubator.json"), on, "heping/十六/incubation", "incubatee_founder")
    assert node(found["conditions"], "heping_16_operating_one_year")["result"] is holds


@pytest.mark.parametrize("year, in_force", [(2019, False), (2020, True), (2025, True), (2026, False)])
def test_16_job_creation_years_overlapping_the_window(year, in_force):
    """（十六） 新增带动就业 counted by year: the years 2020 … 2025 overlap the window; 3000元 per new job."""
    situation = load_example("heping_十六_incubator.json")
    situation["persons"]["incubatee_founder"]["heping_16_jobs_year"] = year
    found = result(situation, "2027-01-15", "heping/十六/jobs", "incubatee_founder")
    assert node(found["conditions"], "heping_16_jobs__in_force")["result"] is in_force
    if in_force:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [(f"{year}-12-31", 3 * 3000)]


@pytest.mark.parametrize("on, holds", [("2024-06-02", False), ("2024-06-03", True)])
def test_13_business_started_by_the_assessment_day(on, holds):
    """（十三） “参加培训后半年内成功创业的，再给予1000元”: the business registered on 2024-06-03."""
    found = result(load_example("heping_十三_training.json"), on, "heping/十三/startup_success", "chen_jing")
    assert node(found["conditions"], "heping_13_started_within_half_year")["result"] is holds


@pytest.mark.parametrize("started, holds", [("2024-09-29", True), ("2024-09-30", False)])
def test_13_half_a_year_includes_the_corresponding_day(started, holds):
    """半年内: training ended 2024-03-29; a start on 2024-09-29 (the corresponding day) is within it."""
    situation = load_example("heping_十三_training.json")
    situation["persons"]["chen_jing"]["heping_startup_date"] = started
    found = result(situation, "2024-12-31", "heping/十三/startup_success", "chen_jing")
    assert node(found["conditions"], "heping_13_started_within_half_year")["result"] is holds


@pytest.mark.parametrize("on, holds", [("2024-03-30", False), ("2024-03-31", True)])
def test_27_unemployment_benefit_expired_on_the_assessment_day(on, holds):
    """（二十七） “领取失业保险金期满”: the benefit period ends on 2024-03-31."""
    found = result(load_example("heping_二十七_unemployment_insurance.json"), on,
                   "heping/二十七/until_retirement", "wang_jianguo")
    assert node(found["conditions"], "heping_27_ui_expired")["result"] is holds


@pytest.mark.parametrize("on, holds", [("2024-05-15", False), ("2024-05-16", True)])
def test_18_prize_won_by_the_assessment_day(on, holds):
    """（十八） 获奖选手: the prize was awarded on 2024-05-16."""
    found = result(load_example("heping_十八_competition.json"), on, "heping/十八/contestant", "lin_zhe")
    assert node(found["conditions"], "heping_18_contestant_won")["result"] is holds


@pytest.mark.parametrize("on, holds", [("2024-06-30", False), ("2024-07-01", True)])
def test_11_previous_subsidy_expired_before_the_assessment_day(on, holds):
    """（十一） “灵活就业保险补贴享受期满”: the previous period's last day is 2024-06-30; the renewed
    subsidy continues from 2024-07-01."""
    situation = load_example("heping_十一_flexible.json")
    situation["persons"]["zhou_min"]["heping_11_previous_subsidy_end_date"] = "2024-06-30"
    found = result(situation, on, "heping/十一/renewal", "zhou_min")
    assert node(found["conditions"], "heping_11_previous_expired")["result"] is holds


def school_batch(start: str, size: int = 30) -> dict:
    members = {f"s{i}": {"heping_24_delivered": True, "contract_type": "fixed_term", "contract_term_months": 12,
                         "contract_start_date": start, "internship_start_date": "9999-12-31",
                         "internship_end_date": "9999-12-31"} for i in range(size)}     # 9999-12-31: none
    return {"persons": members, "organisations": {"school": {
        "members": list(members), "org_type": "private_non_enterprise", "registration_district": "heping",
        "heping_24_hr_agency": False, "heping_24_vocational_school": True, "heping_24_recipients_in_heping": True,
        "heping_24_to_key_shortage_enterprises": True,
        "heping_24_delivery_date": start}}}


@pytest.mark.parametrize("on, eligible", [("2024-08-18", False), ("2024-08-19", True)])
def test_24_three_months_of_work_on_the_assessment_day(on, eligible):
    """（二十四） 职业院校 “一次性输送毕业生或实习学生30人以上，就业或实习3个月以上的，给予每人最高1000元”:
    30 graduates starting work on 2024-05-20 complete 3 months on 2024-08-19; then 30 × 1000 = 30000
    (a ceiling)."""
    found = result(school_batch("2024-05-20"), on, "heping/二十四/vocational_school", "school")
    assert found["status"] == ("eligible" if eligible else "ineligible")
    if eligible:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2024-05-20", 30000)]


def test_every_executable_measure_declares_its_moment(catalogue):
    """Issue 9 §2: each executable heping measure names the date its text judges it on."""
    missing = [m.id for m in catalogue.of_document("heping") if m.executable and not (m.moment or {}).get("label")]
    assert missing == []
    dated = {m.id: m.moment["fact"] for m in catalogue.of_document("heping") if m.executable}
    assert dated["heping/十/si_subsidy"] == "contract_start_date"
    assert dated["heping/九/living_allowance"] == "internship_start_date"


# -- 本市户籍 / 本区户籍 on the measure's moment (issue 9 item 2: hukou_at) ----------------------------------
def founder(**facts) -> dict:
    """（十四） wu_hao (hukou 河东区, registered unemployed since 2022-10-08) founds heping_design_studio,
    registered 2023-05-10: a 3000 一次性创业补贴 once the first year completes (2024-05-09)."""
    situation = load_example("heping_十四_startup.json")
    situation["persons"]["wu_hao"].update(facts)
    return situation


def trainee(**facts) -> dict:
    """（二十） zhou_mei, a 就业困难人员 when trained, skills training ended 2024-05-20; her only tie to Heping
    is her hukou (not registered unemployed in Heping when trained, trained at a 南开区 school, no unit in
    Heping then)."""
    situation = load_example("heping_二十_training.json")
    situation["persons"]["zhou_mei"].update({"heping_20_registered_in_heping_at_training": False,
                                             "heping_20_unit_in_heping_at_training": False, **facts})
    situation["organisations"]["nankai_school"] = {"members": ["zhou_mei"], "org_type": "private_non_enterprise",
                                                   "registration_district": "nankai"}
    return situation


def missing(found: dict) -> set:
    return {m["variable"] for m in found.get("missing") or []}


@pytest.mark.parametrize("moved_in, previous, status", [
    ("2023-05-11", "other", "ineligible"),      # moved into Tianjin the day after the registration
    ("2023-05-10", "other", "eligible"),        # moved in on the registration day: already there
    ("2023-05-11", "hexi", "eligible"),         # moved between Tianjin districts: 本市 throughout
])
def test_14_tianjin_hukou_on_the_registration_day(moved_in, previous, status):
    """（十四） “登记失业半年以上的本市户籍人员…首次创办企业”: 本市户籍 on the day the enterprise is registered."""
    found = result(founder(hukou_moved_in_date=moved_in, previous_hukou_district=previous), "2024-06-30",
                   "heping/十四/one_off", "wu_hao")
    assert node(found["conditions"], "heping_14_tianjin_hukou")["result"] is (status == "eligible")
    assert found["status"] == status


def test_14_moved_away_after_the_registration_still_qualifies():
    """Hukou now outside Tianjin, moved there on 2023-09-01, in 河东区 when the firm was registered: 3000."""
    found = result(founder(hukou_district="other", hukou_moved_in_date="2023-09-01", previous_hukou_district="hedong"),
                   "2024-06-30", "heping/十四/one_off", "wu_hao")
    assert found["status"] == "eligible"
    assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2024-05-09", 3000)]


def test_14_hukou_before_the_registration_unknown_is_asked_for():
    """Moved in after the registration, the district moved from not given: undetermined, and that is asked;
    the moved-in date not given: the hukou never moved (today's 河东区), eligible, nothing asked about it."""
    situation = founder(hukou_moved_in_date="2023-06-01")
    situation["persons"]["wu_hao"].pop("previous_hukou_district", None)
    found = result(situation, "2024-06-30", "heping/十四/one_off", "wu_hao")
    assert found["status"] == "undetermined"
    assert "previous_hukou_district" in missing(found)
    plain = result(founder(), "2024-06-30", "heping/十四/one_off", "wu_hao")
    assert plain["status"] == "eligible" and not missing(plain) & {"hukou_moved_in_date", "previous_hukou_district"}


@pytest.mark.parametrize("facts, status", [
    ({"hukou_moved_in_date": "2024-05-21", "previous_hukou_district": "nankai"}, "ineligible"),   # after the end
    ({"hukou_moved_in_date": "2024-05-20", "previous_hukou_district": "nankai"}, "eligible"),     # on the day
    ({"hukou_district": "nankai", "hukou_moved_in_date": "2024-06-01", "previous_hukou_district": "heping"},
     "eligible"),                                                                                   # moved away after
    ({"hukou_moved_in_date": "2024-06-01"}, "undetermined"),                                        # from where?
    ({}, "eligible"),                                                                               # never moved
])
def test_20_heping_hukou_on_the_day_the_training_ends(facts, status):
    """（二十） read for the district as 本区户籍、在本区办理失业登记或所在单位在本区: 本区户籍 on the day the
    training ends (2024-05-20), for the 职业培训补贴 and the 一次性1000元生活费补贴 alike."""
    for measure in ("heping/二十/key_groups", "heping/二十/living_allowance"):
        found = result(trainee(**facts), "2024-06-30", measure, "zhou_mei")
        assert found["status"] == status, measure
        assert ("previous_hukou_district" in missing(found)) is (status == "undetermined")


def elsewhere_trainee(**facts) -> dict:
    """zhou_mei as in trainee(), but with a 南开区 hukou (never moved): whatever ties her to Heping is then
    the unemployment registration or the unit of the training."""
    return trainee(hukou_district="nankai", **facts)


@pytest.mark.parametrize("at_training, today, status", [
    (True, False, "eligible"),      # registered in Heping when trained, deregistered since (found a job)
    (False, True, "ineligible"),    # registered in Heping only now
])
def test_20_unemployment_registration_in_heping_at_the_training(at_training, today, status):
    """（二十） “在本区办理失业登记” (the district's reading of the clause's scope) is judged at the training,
    like “就业困难人员等重点群体参加职业技能培训”; today's registration and its district are not read."""
    facts = {"heping_20_registered_in_heping_at_training": at_training, "registered_unemployed": today,
             "unemployment_registration_district": "heping" if today else "nankai"}
    for measure in ("heping/二十/key_groups", "heping/二十/living_allowance"):
        found = result(elsewhere_trainee(**facts), "2024-06-30", measure, "zhou_mei")
        assert node(found["conditions"], "heping_20_registered_in_heping")["result"] is at_training, measure
        assert found["status"] == status, measure


def test_20_registration_at_the_training_asked_only_without_another_tie():
    """Not given: with a Heping hukou at the end of the training it cannot change the result (eligible,
    not asked); with a 南开区 hukou it is asked."""
    situation = trainee()
    del situation["persons"]["zhou_mei"]["heping_20_registered_in_heping_at_training"]
    plain = result(situation, "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert plain["status"] == "eligible" and "heping_20_registered_in_heping_at_training" not in missing(plain)
    situation["persons"]["zhou_mei"]["hukou_district"] = "nankai"
    found = result(situation, "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert found["status"] == "undetermined"
    assert "heping_20_registered_in_heping_at_training" in missing(found)


def employed_trainee(contract_start: str, district: str = "heping", **facts) -> dict:
    """elsewhere_trainee(), listed as an employee of a firm registered in `district` since `contract_start`."""
    situation = elsewhere_trainee(contract_start_date=contract_start, **facts)
    del situation["organisations"]["nankai_school"]
    situation["organisations"]["firm"] = {"employees": ["zhou_mei"], "org_type": "limited_company",
                                          "registration_district": district}
    return situation


@pytest.mark.parametrize("start, status", [
    ("2024-05-19", "eligible"),     # employed by the Heping firm before the training ended
    ("2024-05-20", "eligible"),     # from the day it ended
    ("2024-05-21", "ineligible"),   # only after: not the unit of the training
])
def test_20_unit_in_heping_is_the_unit_of_the_training(start, status):
    """（二十） “所在单位在本区”: the unit the person was in when trained (the training ended 2024-05-20), not
    today's — a Heping firm joined after the training is not it (her unit then was elsewhere: the fact false)."""
    found = result(employed_trainee(start), "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert node(found["conditions"], "heping_20_unit_in_heping")["result"] is (status == "eligible")
    assert found["status"] == status


def test_20_unit_of_the_training_in_heping_left_since_still_counts():
    """Trained while at a Heping unit, now at a 南开区 firm joined after the training: eligible."""
    found = result(employed_trainee("2024-06-01", "nankai", heping_20_unit_in_heping_at_training=True),
                   "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert found["status"] == "eligible"


def test_20_unit_at_the_training_asked_only_where_the_listed_unit_does_not_answer():
    """Employed by the Heping firm since before the training: eligible, the unit at the training not asked.
    Joined after it: that fact is what is missing."""
    before = employed_trainee("2024-01-02")
    before["persons"]["zhou_mei"].pop("heping_20_unit_in_heping_at_training")
    found = result(before, "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert found["status"] == "eligible" and "heping_20_unit_in_heping_at_training" not in missing(found)
    after = employed_trainee("2024-06-01")
    after["persons"]["zhou_mei"].pop("heping_20_unit_in_heping_at_training")
    found = result(after, "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert found["status"] == "undetermined"
    assert missing(found) == {"heping_20_unit_in_heping_at_training"}


@pytest.mark.parametrize("then, today, status", [
    (True, {"registered_unemployed": False, "employed": True}, "eligible"),    # deregistered since (a job)
    (True, {"unemployment_registration_district": "hexi"}, "eligible"),       # registered in 河西区 now
    (False, {"registered_unemployed": True, "unemployment_registration_district": "heping"}, "ineligible"),
])
def test_28_temporary_allowance_registration_in_heping_on_the_allowance_day(then, today, status):
    """（二十八） “对我区登记失业的本市低收入救助家庭人员，给予一次性2000元临时生活补助”: 我区登记失业 — the
    registration and its district — on the allowance day (li_hua registered 2020-08-03), like the 低收入救助家庭
    status; today's registration and district are not read."""
    situation = load_example("heping_二十八_living_support.json")
    situation["persons"]["li_hua"].update({"heping_28_registered_in_heping_on_allowance_day": then, **today})
    found = result(situation, "2021-03-15", "heping/二十八/temporary_allowance", "li_hua")
    assert node(found["conditions"], "heping_28_registered_unemployed_in_heping")["result"] is then
    assert found["status"] == status
    if then:
        assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2020-08-03", 2000)]


def test_28_temporary_allowance_registration_not_given_is_asked_alone():
    """Not given: undetermined, and the one fact asked is the registration in Heping on the allowance day
    (not today's registration district)."""
    situation = load_example("heping_二十八_living_support.json")
    del situation["persons"]["li_hua"]["heping_28_registered_in_heping_on_allowance_day"]
    del situation["persons"]["li_hua"]["unemployment_registration_district"]
    found = result(situation, "2020-10-15", "heping/二十八/temporary_allowance", "li_hua")
    assert found["status"] == "undetermined"
    assert missing(found) == {"heping_28_registered_in_heping_on_allowance_day"}


def test_28_income_disregard_reads_todays_hukou():
    """（二十八） “核定家庭收入时每月扣减600元”: the family income is assessed by the district of the hukou at
    the time, so the hukou is today's (HUKOU_TODAY): moved into Heping after the signing (2020-09-15) from
    南开区 — Heping assesses the income now: eligible, and the district moved from is not asked."""
    situation = load_example("heping_二十八_living_support.json")
    situation["persons"]["zhao_min"].update({"hukou_moved_in_date": "2020-10-01"})
    found = result(situation, "2020-10-15", "heping/二十八/income_disregard", "zhao_min")
    assert found["status"] == "eligible"
    assert "previous_hukou_district" not in missing(found)
