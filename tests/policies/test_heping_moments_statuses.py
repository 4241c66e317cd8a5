"""heping: statuses read at the legal moment the text judges them (issue 9 item 2), beside
test_heping_moments.py (the window, elapsed time, the hukou): 农村劳动力 at the hire (十), at the
founding (十四) and at the training (二十); 企业职工 at the training (二十); 在本区领取失业保险金 at its expiry
(二十七). Each both ways — held at the moment and lost since (the result the text gives), gained only
afterwards — and which fact is asked when."""

import pytest

from ..conftest import load_example
from .helpers import node
from .test_heping_moments import missing, result, trainee


# -- （十） “企业招用农村劳动力就业的”: the 农村劳动力 status at the hire ------------------------------------------
def rural_hire(**facts) -> dict:
    """zhao_lei, hired 2024-01-15 by heping_property_co, 5 months of contributions, not registered
    unemployed when hired: only the 农村劳动力 alternative can qualify him (1000, due 2024-04-14)."""
    situation = load_example("heping_十_hiring.json")
    situation["persons"]["zhao_lei"].update({"registered_unemployed_at_hire": False, **facts})
    return situation


@pytest.mark.parametrize("at_hire, today, status", [
    (True, False, "eligible"),       # a 农村劳动力 when hired, not one any more
    (False, True, "ineligible"),     # a 农村劳动力 only after the hire
])
def test_10_rural_labour_is_judged_at_the_hire(at_hire, today, status):
    """Assessed in the window and after it (2026-01-15): the status on the hire day decides; 1000 due when the
    3rd month of contributions completes (2024-04-14)."""
    for on in ("2024-06-30", "2026-01-15"):
        found = result(rural_hire(rural_labour_at_hire=at_hire, rural_labour=today), on, "heping/十/hiring", "zhao_lei")
        assert node(found["conditions"], "heping_10_rural_labour")["result"] is at_hire
        assert found["status"] == status
        assert [(i["due"], i["amount"]) for i in found["installments"]] == ([("2024-04-14", 1000)] if at_hire else [])


def test_10_rural_labour_at_hire_asked_only_where_it_decides():
    """Registered unemployed half a year when hired (the example): eligible, the 农村劳动力 status not asked;
    not registered: it is the one fact asked."""
    situation = load_example("heping_十_hiring.json")
    del situation["persons"]["zhao_lei"]["rural_labour_at_hire"]
    found = result(situation, "2024-06-30", "heping/十/hiring", "zhao_lei")
    assert found["status"] == "eligible" and "rural_labour_at_hire" not in missing(found)
    situation["persons"]["zhao_lei"]["registered_unemployed_at_hire"] = False
    found = result(situation, "2024-06-30", "heping/十/hiring", "zhao_lei")
    assert found["status"] == "undetermined" and missing(found) == {"rural_labour_at_hire"}


# -- （十四） “农村劳动力首次创办企业”: the 农村劳动力 status when the enterprise is registered ----------------------
def rural_founder(**facts) -> dict:
    """wu_hao founds heping_design_studio, registered 2023-05-10; not registered unemployed then and with a
    hukou outside Tianjin: only the 农村劳动力 alternative can qualify him (3000, due 2024-05-09)."""
    situation = load_example("heping_十四_startup.json")
    situation["persons"]["wu_hao"].update({"heping_registered_unemployed_at_founding": False, "hukou_district": "other",
                                           **facts})
    return situation


@pytest.mark.parametrize("at_founding, today, status", [(True, False, "eligible"), (False, True, "ineligible")])
def test_14_rural_labour_is_judged_at_the_founding(at_founding, today, status):
    found = result(rural_founder(heping_14_rural_labour_at_founding=at_founding, rural_labour=today), "2024-06-30",
                   "heping/十四/one_off", "wu_hao")
    assert node(found["conditions"], "heping_14_rural_labour")["result"] is at_founding
    assert found["status"] == status
    assert [(i["due"], i["amount"]) for i in found["installments"]] == ([("2024-05-09", 3000)] if at_founding else [])


def test_14_rural_labour_at_founding_asked_only_where_it_decides():
    plain = load_example("heping_十四_startup.json")       # 登记失业半年以上的本市户籍人员: qualifies without it
    del plain["persons"]["wu_hao"]["heping_14_rural_labour_at_founding"]
    found = result(plain, "2024-06-30", "heping/十四/one_off", "wu_hao")
    assert found["status"] == "eligible" and "heping_14_rural_labour_at_founding" not in missing(found)
    situation = rural_founder()
    del situation["persons"]["wu_hao"]["heping_14_rural_labour_at_founding"]
    found = result(situation, "2024-06-30", "heping/十四/one_off", "wu_hao")
    assert found["status"] == "undetermined" and missing(found) == {"heping_14_rural_labour_at_founding"}


# -- （二十） 农村劳动力、企业职工 “参加职业技能培训”: at the training (ended 2024-05-20) ---------------------------
NO_GROUP = {"heping_20_hard_to_employ_at_training": False, "heping_20_flexibly_employed_at_training": False,
            "heping_20_other_key_group_at_training": False, "veteran": False, "rural_labour_at_training": False,
            "heping_20_enterprise_employee_at_training": False}


def plain_trainee(**facts) -> dict:
    """zhou_mei (Heping hukou) trained at a 南开区 school, in no listed group unless `facts` say so."""
    return trainee(**{**NO_GROUP, **facts})


@pytest.mark.parametrize("at_training, today, status", [(True, False, "eligible"), (False, True, "ineligible")])
def test_20_rural_labour_is_judged_at_the_training(at_training, today, status):
    found = result(plain_trainee(rural_labour_at_training=at_training, rural_labour=today), "2024-06-30",
                   "heping/二十/key_groups", "zhou_mei")
    assert node(found["conditions"], "heping_20_rural_labour")["result"] is at_training
    assert found["status"] == status


def enterprise_trainee(start: str, org_type: str = "limited_company", **facts) -> dict:
    """plain_trainee(), also listed as an employee of a 南开区 unit of `org_type` since `start`."""
    situation = plain_trainee(contract_start_date=start)
    situation["persons"]["zhou_mei"].pop("heping_20_enterprise_employee_at_training")
    situation["persons"]["zhou_mei"].update(facts)
    situation["organisations"].pop("nankai_school")
    situation["organisations"]["firm"] = {"employees": ["zhou_mei"], "org_type": org_type,
                                          "registration_district": "nankai"}
    return situation


@pytest.mark.parametrize("start, holds", [("2024-05-19", True), ("2024-05-20", True), ("2024-05-21", None)])
def test_20_enterprise_employee_is_the_employee_at_the_training(start, holds):
    """“企业职工…参加职业技能培训”: an employee of the listed enterprise since before the training ended, or from
    that day, is 企业职工 without being asked; one hired the day after is not thereby (the listed firm is not the
    unit of the training): whether an enterprise employee then is the one fact asked."""
    found = result(enterprise_trainee(start), "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert node(found["conditions"], "heping_20_enterprise_employee")["result"] is holds
    assert found["status"] == {True: "eligible", None: "undetermined"}[holds]
    assert missing(found) == (set() if holds else {"heping_20_enterprise_employee_at_training"})


@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_20_enterprise_employee_at_the_training_answers_for_a_later_job(then, status):
    """Now at a public institution since 2024-06-01 (after the training): an enterprise employee when trained
    counts, not one then does not — today's employer type does not decide."""
    found = result(enterprise_trainee("2024-06-01", "public_institution", heping_20_enterprise_employee_at_training=then),
                   "2024-06-30", "heping/二十/key_groups", "zhou_mei")
    assert node(found["conditions"], "heping_20_enterprise_employee")["result"] is then
    assert found["status"] == status


# -- （二十七） “领取失业保险金期满仍未就业”: 在本区领取 on the expiry day (2024-03-31) -----------------------------
def expired(**facts) -> dict:
    situation = load_example("heping_二十七_unemployment_insurance.json")
    situation["persons"]["wang_jianguo"].update(facts)
    return situation


@pytest.mark.parametrize("then, today, status", [("heping", "hexi", "eligible"), ("hexi", "heping", "ineligible")])
def test_27_benefit_in_heping_is_judged_on_the_expiry_day(then, today, status):
    """Registered (and paid) in Heping when the benefit expired, in 河西区 since: the benefit is continued;
    registered in 河西区 then, in Heping only since: not — on the expiry day itself and later."""
    situation = expired(heping_27_ui_in_heping_at_expiry=then == "heping", unemployment_registration_district=today)
    for on in ("2024-03-31", "2024-06-30"):
        found = result(situation, on, "heping/二十七/until_retirement", "wang_jianguo")
        assert node(found["conditions"], "heping_27_ui_in_heping")["result"] is (then == "heping")
        assert found["status"] == status


def test_27_benefit_in_heping_at_expiry_not_given_is_asked_alone():
    situation = expired()
    del situation["persons"]["wang_jianguo"]["heping_27_ui_in_heping_at_expiry"]
    found = result(situation, "2024-06-30", "heping/二十七/until_retirement", "wang_jianguo")
    assert found["status"] == "undetermined"
    assert missing(found) == {"heping_27_ui_in_heping_at_expiry"}


# -- 困难村劳动力、建档立卡贫困劳动力 (十, 十四, 二十): at the hire, the founding, the training ---------------------
@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_10_poor_village_labour_is_asked_at_the_hire(then, status):
    """“对新招用困难村劳动力就业的”: zhao_lei hired 2024-01-15 — the status on the hire day decides, on the
    hire day itself and long after (no today's 困难村劳动力 is read)."""
    for on in ("2024-01-15", "2026-01-15"):
        found = result(rural_hire(heping_poor_village_labour_at_hire=then), on, "heping/十/hiring_poor_village",
                       "zhao_lei")
        assert node(found["conditions"], "heping_poor_village_labour_at_hire")["result"] is then
        assert found["status"] == status


@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_10_registered_poor_labour_is_asked_at_the_hire(then, status):
    """“各类企业吸纳…建档立卡贫困劳动力的”: zhao_lei (no other group of the clause) — 建档立卡 on the hire day."""
    situation = rural_hire(heping_registered_poor_labour_at_hire=then)
    for on in ("2024-06-30", "2026-01-15"):
        assert result(situation, on, "heping/十/si_subsidy", "zhao_lei")["status"] == status


def test_10_registered_poor_labour_at_hire_asked_only_where_it_decides():
    situation = rural_hire()
    del situation["persons"]["zhao_lei"]["heping_registered_poor_labour_at_hire"]
    found = result(situation, "2024-06-30", "heping/十/si_subsidy", "zhao_lei")
    assert found["status"] == "undetermined" and missing(found) == {"heping_registered_poor_labour_at_hire"}
    situation["persons"]["zhao_lei"]["heping_hard_to_employ_at_work_start"] = True
    situation["persons"]["zhao_lei"]["heping_zero_employment_family_at_work_start"] = True
    found = result(situation, "2024-06-30", "heping/十/si_subsidy", "zhao_lei")   # 特殊就业困难人员: qualifies anyway
    assert found["status"] == "eligible" and "heping_registered_poor_labour_at_hire" not in missing(found)


@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_14_poor_village_labour_is_asked_at_the_founding(then, status):
    """“对本市困难村劳动力新创办企业…”: wu_hao (Tianjin hukou) — the status when heping_design_studio was
    registered (2023-05-10) decides."""
    situation = load_example("heping_十四_startup.json")
    situation["persons"]["wu_hao"]["heping_14_poor_village_labour_at_founding"] = then
    found = result(situation, "2024-06-30", "heping/十四/one_off_poor_village", "wu_hao")
    assert node(found["conditions"], "heping_14_poor_village_labour_at_founding")["result"] is then
    assert found["status"] == status


@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_20_poor_village_labour_is_asked_at_the_training(then, status):
    """“培训对象为困难村劳动力的…每人500元…生活费补贴”: zhou_mei trained at a school — the status when trained."""
    situation = plain_trainee(heping_20_poor_village_labour_at_training=then)
    situation["organisations"]["nankai_school"].update({"heping_20_training_provider": True,
                                                        "registration_district": "heping"})
    for on in ("2024-05-20", "2025-06-01"):
        found = result(situation, on, "heping/二十/poor_village_living", "zhou_mei")
        assert node(found["conditions"], "heping_20_poor_village_labour_at_training")["result"] is then
        assert found["status"] == status


@pytest.mark.parametrize("then, status", [(True, "eligible"), (False, "ineligible")])
def test_20_rural_school_leaver_is_asked_at_the_training(then, status):
    """“…农村未继续升学初高中毕业生和低保家庭学员，还可…申请一次性1000元生活费补贴”: zhou_mei, in no other group of the
    sentence when trained — a school leaver not continuing her studies when trained qualifies (enrolled since or
    not), one who had gone on to study then does not; on the training's end day and later."""
    situation = plain_trainee(heping_20_rural_school_leaver_at_training=then, heping_20_living_allowance_received=False,
                              heping_20_zero_employment_family_at_training=False,
                              heping_20_dibao_family_at_training=False)
    for on in ("2024-05-20", "2025-03-01"):
        found = result(situation, on, "heping/二十/living_allowance", "zhou_mei")
        assert found["status"] == status
