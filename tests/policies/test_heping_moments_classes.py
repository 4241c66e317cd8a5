"""heping: the unit's class read at the legal moment the text judges it (issue 9 item 2), beside
test_heping_moments_statuses.py (the persons' statuses): （十） “中小微企业吸纳…” and “小微企业、初创期科技型中小企业、
大学生创业企业吸纳…” at the hire, （十七） “在我区创业的各小微企业…可申请” when the loan is made (read for the
application). Each both ways — held at the moment and lost since (the firm grew, its 初创期 ended: the result
the text gives), gained only afterwards — on the boundary day (the moment on the assessment day: today's class
is the class then; the day after: the class then is asked), and which fact is asked when."""

import pytest

from ..conftest import load_example
from .helpers import node
from .test_heping_moments import missing, result

CLASSES = ("small_micro", "tech_startup_sme", "graduate_startup")


def graduate_hire(start: str = "2024-03-01", today: dict | None = None, **facts) -> dict:
    """chen_xi, a 2023-07-01 bachelor of a Tianjin university not employed since leaving it (离校未就业), hired by
    heping_tech_co on `start` for 24 months, 3 months of contributions: within 2 years of graduation, so （十）'s
    graduate alternatives qualify her if the firm's class at the hire does (1000 when the 3rd month completes;
    3 years of 五项社保补贴 and 1 year of 岗位补贴 from a small firm); in no other group of the clause. `today`:
    the firm's classes today (none of them by default)."""
    situation = load_example("heping_十_hiring.json")
    situation["persons"]["chen_xi"] = {
        "birth_date": "2001-05-01", "sex": "female", "retirement_category": "female_55", "hukou_district": "nankai",
        "education_level": "bachelor", "heping_school_city": "tianjin", "graduation_date": "2023-07-01",
        "heping_unemployed_since_graduation": True, "registered_unemployed_at_hire": False,
        "rural_labour_at_hire": False, "heping_poor_village_labour_at_hire": False,
        "heping_hard_to_employ_at_work_start": False, "heping_registered_poor_labour_at_hire": False,
        "contract_start_date": start, "contract_type": "fixed_term", "contract_term_months": 24,
        "social_insurance_paid": True, "heping_si_months_since_hire": 3, **facts}
    situation["organisations"]["heping_tech_co"] = {
        "employees": ["chen_xi"], "org_type": "limited_company", "registration_district": "heping",
        "social_insurance_district": "heping", "heping_elderly_care": False, "heping_housekeeping": False,
        "heping_sme": False, **{f"heping_{name}": False for name in CLASSES}, **(today or {})}
    return situation


# -- （十） “中小微企业吸纳…毕业2年内离校未就业高校毕业生”: the 中小微企业 class on the hire day --------------------------
@pytest.mark.parametrize("then, today, status", [
    (True, False, "eligible"),       # an SME when it hired her, grown beyond one since
    (False, True, "ineligible"),     # a large firm then, an SME only since
])
def test_10_sme_is_judged_at_the_hire(then, today, status):
    """Hired 2024-03-01, assessed in the window and after it: the class on the hire day decides; 1000 due when the
    3rd month of contributions completes (2024-05-31)."""
    situation = graduate_hire(heping_employer_sme_at_hire=then, today={"heping_sme": today})
    for on in ("2024-06-30", "2026-01-15"):
        found = result(situation, on, "heping/十/hiring", "chen_xi")
        assert node(found["conditions"], "heping_10_sme")["result"] is then
        assert found["status"] == status
        assert [(i["due"], i["amount"]) for i in found["installments"]] == ([("2024-05-31", 1000)] if then else [])


# -- （十） “小微企业、初创期科技型中小企业、大学生创业企业吸纳毕业2年内的本市高校毕业生”: each class on the hire day ---------
@pytest.mark.parametrize("name", CLASSES)
@pytest.mark.parametrize("then, today, status", [(True, False, "eligible"), (False, True, "ineligible")])
def test_10_small_firm_classes_are_judged_at_the_hire(name, then, today, status):
    """A 小微企业 grown since, a 初创期科技型中小企业 whose 初创期 has ended, a 大学生创业企业 no longer recognised:
    the 3 years of 五项社保补贴 and the year of 岗位补贴 are the firm's all the same; a firm of the class only
    since the hire gets neither. The other classes were not held then."""
    at_hire = {f"heping_employer_{other}_at_hire": other == name and then for other in CLASSES}
    situation = graduate_hire(today={f"heping_{name}": today}, **at_hire)
    for measure in ("heping/十/si_subsidy", "heping/十/post_subsidy"):
        found = result(situation, "2024-06-30", measure, "chen_xi")
        assert node(found["conditions"], f"heping_10_{name}")["result"] is then
        assert found["status"] == status, measure
    si = result(situation, "2026-01-15", "heping/十/si_subsidy", "chen_xi")
    assert si["status"] == status
    # 24-month contract: the months 2024-03-31 … 2026-02-28, those to 2026-01-15 due (the city's amount: 待定)
    assert len(si["installments"]) == (24 if then else 0)


def test_10_small_firm_class_at_hire_asked_only_where_it_decides():
    """Not given: the three classes at the hire are what is missing for the 3-year subsidy; a firm small at the
    hire settles it without the other two (“之一”), and the 1-year subsidy of 其他就业困难人员 does not ask them of
    one who is no 就业困难人员."""
    situation = graduate_hire()
    found = result(situation, "2024-06-30", "heping/十/si_subsidy", "chen_xi")
    assert found["status"] == "undetermined"
    assert missing(found) == {f"heping_employer_{name}_at_hire" for name in CLASSES}
    situation["persons"]["chen_xi"]["heping_employer_small_micro_at_hire"] = True
    found = result(situation, "2024-06-30", "heping/十/si_subsidy", "chen_xi")
    assert found["status"] == "eligible" and not missing(found)
    other = result(graduate_hire(), "2024-06-30", "heping/十/si_subsidy_other", "chen_xi")
    assert other["status"] == "ineligible" and not missing(other)


@pytest.mark.parametrize("on, decides", [
    ("2024-02-29", "today"),         # the hire still to come: the firm's class today
    ("2024-03-01", "today"),         # hired on the assessment day: today's class is the class at the hire
    ("2024-03-02", "asked"),         # the day after: the class at the hire is asked
])
def test_10_class_on_the_hire_day_is_todays_until_the_hire_has_passed(on, decides):
    """Hired 2024-03-01 by a firm that is an SME and a 小微企业 today, the classes at the hire not given: until and on
    the hire day today's class holds and nothing is asked; from the day after, the class at the hire is the fact
    missing (and today's class no longer counts)."""
    today = {"heping_sme": True, "heping_small_micro": True}
    for measure, condition, fact in (("heping/十/hiring", "heping_10_sme", "heping_employer_sme_at_hire"),
                                     ("heping/十/si_subsidy", "heping_10_small_micro",
                                      "heping_employer_small_micro_at_hire")):
        found = result(graduate_hire(today=today), on, measure, "chen_xi")
        assert node(found["conditions"], condition)["result"] is (True if decides == "today" else None), (measure, on)
        assert (fact in missing(found)) is (decides == "asked"), (measure, on)
    # a large firm today: until the hire has passed it is not an SME then (nothing asked); afterwards it may have been
    large = result(graduate_hire(), on, "heping/十/hiring", "chen_xi")
    assert node(large["conditions"], "heping_10_sme")["result"] is (False if decides == "today" else None)


# -- （十七） “在我区创业的各小微企业…可申请最高300万元贷款”: 小微企业 when the loan is made (2024-05-06) ------------------
def firm_loan(**facts) -> dict:
    """heping_design_studio's 1000000 loan of 2024-05-06 (24 months, 1 of its 2 staff a new hire meeting the loan
    conditions: 50% ≥ 20%)."""
    situation = load_example("heping_十七_loan.json")
    situation["organisations"]["heping_design_studio"].update(facts)
    return situation


@pytest.mark.parametrize("then, today, status", [(True, False, "eligible"), (False, True, "ineligible")])
def test_17_small_micro_is_judged_when_the_loan_is_made(then, today, status):
    """A 小微企业 when it borrowed and grown since keeps the loan and its 贴息 (assessed in the loan's second
    year too); one that became a 小微企业 only after the loan does not qualify by it."""
    situation = firm_loan(heping_17_small_micro_at_loan=then, heping_small_micro=today)
    for on in ("2024-06-30", "2025-08-01"):
        for measure in ("heping/十七/firm", "heping/十七/firm_interest"):
            found = result(situation, on, measure, "heping_design_studio")
            assert node(found["conditions"], "heping_17_small_micro")["result"] is then
            assert found["status"] == status, (measure, on)
    loan = result(situation, "2024-06-30", "heping/十七/firm", "heping_design_studio")
    assert [(i["due"], i["amount"]) for i in loan["installments"]] == ([("2024-05-06", 1000000)] if then else [])


@pytest.mark.parametrize("on, asked", [("2024-05-05", False), ("2024-05-06", False), ("2024-05-07", True)])
def test_17_class_at_the_loan_asked_only_once_the_loan_day_has_passed(on, asked):
    """The class at the loan not given: before and on the loan day the firm's class today is the class of the
    application (a 小微企业: eligible, nothing asked); from the day after, the class then is the one fact missing."""
    situation = firm_loan()
    del situation["organisations"]["heping_design_studio"]["heping_17_small_micro_at_loan"]
    found = result(situation, on, "heping/十七/firm", "heping_design_studio")
    if asked:
        assert found["status"] == "undetermined" and missing(found) == {"heping_17_small_micro_at_loan"}
    else:
        assert node(found["conditions"], "heping_17_small_micro")["result"] is True
        assert "heping_17_small_micro_at_loan" not in missing(found)
