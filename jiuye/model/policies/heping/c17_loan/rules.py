"""heping （十七） 加大创业担保贷款支持力度: founders' loans up to 300000 (重点创业人群 500000), at most 3 years, with
full interest subsidy (set by the city); small firms' loans up to 3000000, at most 2 years, with 50% of
the 贷款基础利率. Loan ceilings are listed on the loan's start date.
"""

import numpy as np

from jiuye.model.base import NOT_GIVEN, installments, named
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import unit_class_at
from jiuye.model.declared import declare

from ..common import ENTERPRISES, capped, loan_years, one_off

declare(globals())


NOT_GIVEN_DAY = np.datetime64(NOT_GIVEN, "D")

# =================================================================================================
# （十七） 创业担保贷款
# =================================================================================================


def _on_loan_date(org, period):
    return as_days(org("heping_17_firm_loan_start_date", period))


def _new_hires_meeting_loan_conditions(organisation, period, parameters):
    loan_day = organisation.project(_on_loan_date(organisation, period))
    start = as_days(organisation.members("contract_start_date", period))
    this_year = (start.astype("datetime64[Y]") == loan_day.astype("datetime64[Y]")) & (start <= loan_day)
    ok = organisation.members("heping_17_meets_loan_conditions", period) & this_year
    return organisation.sum(ok, role=Organisation.EMPLOYEE)


def _current_employees(organisation, period, parameters):
    loan_day = organisation.project(_on_loan_date(organisation, period))
    start = as_days(organisation.members("contract_start_date", period))
    end = as_days(organisation.members("contract_end_date", period))
    return organisation.sum((start <= loan_day) & (end >= loan_day), role=Organisation.EMPLOYEE)


# --- conditions: founders and small firms (the same tests on each one's own facts) ---------------------
def _loan_applied(start_fact):
    """申请创业担保贷款: a loan start date is given."""
    return lambda population, period, parameters: as_days(population(start_fact, period)) < NOT_GIVEN_DAY


def _term_within(term_fact, max_years):
    """贷款期限最长N年: a term of at least a month and at most the parameter `max_years` of heping.c17."""
    def formula(population, period, parameters):
        term = population(term_fact, period)
        return (term > 0) & (term <= 12 * getattr(parameters(period).heping.c17, max_years))
    return formula


def _repeat_loan_allowed(marked_fact, previous_fact):
    """带动就业效果明显的…可最多申请3次贷款: marked job creation and fewer previous loans than the maximum."""
    return lambda population, period, parameters: population(marked_fact, period) & (
        population(previous_fact, period) < parameters(period).heping.c17.max_loans)


_founder_loan_applied = _loan_applied("heping_17_loan_start_date")
_term_within_3_years = _term_within("heping_17_loan_term_months", "person_max_term_years")
_founder_repeat_loan_allowed = _repeat_loan_allowed("heping_17_marked_job_creation", "heping_17_previous_loans")
_firm_loan_applied = _loan_applied("heping_17_firm_loan_start_date")
_firm_term_within_2_years = _term_within("heping_17_firm_loan_term_months", "firm_max_term_years")
_firm_repeat_loan_allowed = _repeat_loan_allowed("heping_17_firm_marked_job_creation", "heping_17_firm_previous_loans")


def _small_micro(org, period, parameters):
    """小微企业 on the loan day (the record's moment, read for the application as the hiring share is): the
    class asked at the loan once it was made, today's class for a loan made today or still to come."""
    small = unit_class_at(org, period, _on_loan_date(org, period), "heping_small_micro", "heping_17_small_micro_at_loan")
    return small & np.isin(org("org_type", period), ENTERPRISES)


def _hiring_share(org, period, parameters):
    p = parameters(period).heping.c17
    staff = org("heping_17_current_employees", period)
    hires = org("heping_17_new_hires_meeting_loan_conditions", period)
    share = np.where(staff >= p.large_firm_employees, p.large_firm_hiring_share, p.firm_hiring_share)
    # compare in whole hundredths to avoid binary rounding (20% of 15 staff = 3 hires exactly)
    return (staff > 0) & (hires * 100 >= np.round(share * 100) * staff)


# --- installments ---------------------------------------------------------------------------------------
def _person_loan(person, period, ceiling):
    amount, unknown = capped(person("heping_17_loan_amount", period), ceiling)
    return one_off(person("heping_17_loan_start_date", period), amount, unknown)


@installments("heping/十七/priority_founder")
def priority_founder_loan(person, period, parameters):
    return _person_loan(person, period, parameters.heping.c17.priority_founder_loan_ceiling)


@installments("heping/十七/person")
def founder_loan(person, period, parameters):
    return _person_loan(person, period, parameters.heping.c17.person_loan_ceiling)


@installments("heping/十七/person_interest")
def founder_interest_subsidy(person, period, parameters):
    years = parameters.heping.c17.person_max_term_years
    return loan_years(person("heping_17_loan_start_date", period), person("heping_17_loan_term_months", period),
                      12 * years, lambda months: np.full(np.shape(months), np.nan))


@installments("heping/十七/firm")
def firm_loan(organisation, period, parameters):
    amount, unknown = capped(organisation("heping_17_firm_loan_amount", period),
                             parameters.heping.c17.firm_loan_ceiling)
    return one_off(organisation("heping_17_firm_loan_start_date", period), amount, unknown)


@installments("heping/十七/firm_interest")
def firm_interest_subsidy(organisation, period, parameters):
    p = parameters.heping.c17
    principal, _ = capped(organisation("heping_17_firm_loan_amount", period), p.firm_loan_ceiling)
    rate = organisation("heping_17_firm_loan_base_rate", period)       # NaN when not given
    return loan_years(
        organisation("heping_17_firm_loan_start_date", period), organisation("heping_17_firm_loan_term_months", period),
        12 * p.firm_max_term_years,
        lambda months: np.round(principal * rate * p.firm_interest_share_of_base_rate * months / 12, 2),
        ceiling=True)


named(globals())
