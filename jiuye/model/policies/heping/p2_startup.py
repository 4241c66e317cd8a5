"""Heping （十七）–（十八）: 创业担保贷款 and 创业大赛.

* （十七） Founders starting up in Heping may borrow up to 300,000 yuan (重点创业人群 500,000), at most 3 years,
  with full interest subsidy within the prescribed amount, rate and period (the rate and the subsidy
  period are the city's: amount set elsewhere). Small and micro firms of Heping whose new hires of the
  year who meet the loan conditions reach 20% of their staff (10% for firms of 100 or more) may borrow
  up to 3,000,000 yuan, at most 2 years, with an interest subsidy of 50% of the 贷款基础利率. Those with a
  marked job-creation effect may borrow up to 3 times.
* （十八） Heping founders and enterprises winning the city's 海河英才创新创业大赛: a reward of up to 300,000;
  Heping 行业系统 holding a startup competition: a subsidy of up to 500,000.

Loan ceilings are listed as an installment on the loan's start date (the loan amount when given,
capped at the ceiling; else the ceiling itself, flagged as such).
"""

from datetime import date

import numpy as np

from jiuye.model.base import MONTH, condition, fact, installments, named
from jiuye.model import base
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import District
from openfisca_core.variables import Variable

from .part2 import ENTERPRISE_INDICES, capped, loan_years, one_off

from jiuye.model.base import NOT_GIVEN  # noqa: E402  (default of event dates: "not given")
NOT_GIVEN_DAY = np.datetime64(NOT_GIVEN, "D")

# =================================================================================================
# （十七） 创业担保贷款
# =================================================================================================
# --- facts: the founder's loan ----------------------------------------------------------------------
heping_17_loan_start_date = fact(
    Person, date, "创业担保贷款发放日期（贷款合同起始日）", default=NOT_GIVEN, reference="heping/十七")
heping_17_loan_amount = fact(Person, float, "创业担保贷款金额（元）", reference="heping/十七", unit="currency-CNY",
                             optional=True, doc="Not given: the ceiling is listed, marked as a ceiling.")
heping_17_loan_term_months = fact(Person, int, "创业担保贷款期限（月）", reference="heping/十七", unit="month")
heping_17_previous_loans = fact(
    Person, int, "此前已获得创业担保贷款的次数（不含本次）", reference="heping/十七")
heping_17_marked_job_creation = fact(Person, bool, "带动就业效果明显的创业者", reference="heping/十七")

# --- facts: the small firm's loan ----------------------------------------------------------------------
heping_17_firm_loan_start_date = fact(
    Organisation, date, "小微企业创业担保贷款发放日期（贷款合同起始日）", default=NOT_GIVEN, reference="heping/十七")
heping_17_firm_loan_amount = fact(
    Organisation, float, "小微企业创业担保贷款金额（元）", reference="heping/十七", unit="currency-CNY", optional=True,
    doc="Not given: the ceiling is listed (and the interest computed on it), marked as a ceiling.")
heping_17_firm_loan_term_months = fact(
    Organisation, int, "小微企业创业担保贷款期限（月）", reference="heping/十七", unit="month")
heping_17_firm_loan_base_rate = fact(
    Organisation, float, "贷款基础利率（年利率，如0.0385）", reference="heping/十七", optional=True,
    doc="The base lending rate applying to the loan (贷款市场报价利率 at the loan's start); not set by this "
        "document. Not given: the interest subsidy is shown as unknown (待定), never as zero.")
heping_17_firm_previous_loans = fact(
    Organisation, int, "小微企业此前已获得创业担保贷款的次数（不含本次）", reference="heping/十七")
heping_17_firm_marked_job_creation = fact(
    Organisation, bool, "带动就业效果明显的小微企业", reference="heping/十七")
heping_17_meets_loan_conditions = fact(
    Person, bool, "符合创业担保贷款申请条件的人员", reference="heping/十七",
    doc="An employee hired by the small firm who meets the city's conditions to apply for a 创业担保贷款.")


def _on_loan_date(org, period):
    return as_days(org("heping_17_firm_loan_start_date", period))


class heping_17_new_hires_meeting_loan_conditions(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "当年新招用符合创业担保贷款申请条件的人数"
    reference = "heping/十七"
    documentation = ("Employees whose contract started in the calendar year of the loan, on or before its start "
                     "date, and who meet the loan conditions; may be given directly.")

    def formula(organisation, period, parameters):
        loan_day = organisation.project(_on_loan_date(organisation, period))
        start = as_days(organisation.members("contract_start_date", period))
        this_year = (start.astype("datetime64[Y]") == loan_day.astype("datetime64[Y]")) & (start <= loan_day)
        ok = organisation.members("heping_17_meets_loan_conditions", period) & this_year
        return organisation.sum(ok, role=Organisation.EMPLOYEE)


class heping_17_current_employees(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "企业现有在职职工人数"
    reference = "heping/十七"
    documentation = "Employees whose contract is in force on the loan's start date; may be given directly."

    def formula(organisation, period, parameters):
        loan_day = organisation.project(_on_loan_date(organisation, period))
        start = as_days(organisation.members("contract_start_date", period))
        end = as_days(organisation.members("contract_end_date", period))
        return organisation.sum((start <= loan_day) & (end >= loan_day), role=Organisation.EMPLOYEE)


# --- conditions: founders ------------------------------------------------------------------------------
heping_17_founder = condition(
    Person, "创业人员（所创办企业或个体工商户的创业者）", "heping/十七",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

heping_17_business_in_heping = condition(
    Organisation, "在我区创业（创办的企业或个体工商户注册地在和平区）", "heping/十七",
    lambda org, period, parameters: org("registration_district", period) == District.heping)

heping_17_loan_applied = condition(
    Person, "申请创业担保贷款（给出贷款发放日期）", "heping/十七",
    lambda person, period, parameters: as_days(person("heping_17_loan_start_date", period)) < NOT_GIVEN_DAY)


def _term_within(term, years):
    return (term > 0) & (term <= 12 * years)


heping_17_term_within_3_years = condition(
    Person, "贷款期限最长3年", "heping/十七",
    lambda person, period, parameters: _term_within(
        person("heping_17_loan_term_months", period), parameters(period).heping.c17.person_max_term_years),
    doc="贷款期限不超过36个月（含36个月）。")

heping_17_first_loan = condition(
    Person, "首次申请创业担保贷款", "heping/十七",
    lambda person, period, parameters: person("heping_17_previous_loans", period) == 0)

heping_17_repeat_loan_allowed = condition(
    Person, "带动就业效果明显的创业者，可最多申请3次贷款（本次不超过第3次）", "heping/十七",
    lambda person, period, parameters: person("heping_17_marked_job_creation", period) & (
        person("heping_17_previous_loans", period) < parameters(period).heping.c17.max_loans))

# --- conditions: small firms ------------------------------------------------------------------------------
heping_17_small_micro = condition(
    Organisation, "小微企业", "heping/十七",
    lambda org, period, parameters: org("heping_small_micro", period) & np.isin(org("org_type", period),
                                                                                ENTERPRISE_INDICES),
    doc="按国家企业划型标准认定的小型、微型企业（有限责任公司、股份有限公司、其他企业）。")


def _hiring_share(org, period, parameters):
    p = parameters(period).heping.c17
    staff = org("heping_17_current_employees", period)
    hires = org("heping_17_new_hires_meeting_loan_conditions", period)
    share = np.where(staff >= p.large_firm_employees, p.large_firm_hiring_share, p.firm_hiring_share)
    # compare in whole hundredths to avoid binary rounding (20% of 15 staff = 3 hires exactly)
    return (staff > 0) & (hires * 100 >= np.round(share * 100) * staff)


heping_17_hiring_share_met = condition(
    Organisation, "当年新招用符合创业担保贷款申请条件的人数达到企业现有在职职工人数20%（100人以上企业达到10%）",
    "heping/十七", _hiring_share,
    doc="“达到”含本数；现有在职职工100人以上（含100人）的企业适用10%。")

heping_17_firm_loan_applied = condition(
    Organisation, "申请创业担保贷款（给出贷款发放日期）", "heping/十七",
    lambda org, period, parameters: as_days(org("heping_17_firm_loan_start_date", period)) < NOT_GIVEN_DAY)

heping_17_firm_term_within_2_years = condition(
    Organisation, "贷款期限最长2年", "heping/十七",
    lambda org, period, parameters: _term_within(
        org("heping_17_firm_loan_term_months", period), parameters(period).heping.c17.firm_max_term_years),
    doc="贷款期限不超过24个月（含24个月）。")

heping_17_firm_first_loan = condition(
    Organisation, "首次申请创业担保贷款", "heping/十七",
    lambda org, period, parameters: org("heping_17_firm_previous_loans", period) == 0)

heping_17_firm_repeat_loan_allowed = condition(
    Organisation, "带动就业效果明显的小微企业，可最多申请3次贷款（本次不超过第3次）", "heping/十七",
    lambda org, period, parameters: org("heping_17_firm_marked_job_creation", period) & (
        org("heping_17_firm_previous_loans", period) < parameters(period).heping.c17.max_loans))


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


# =================================================================================================
# （十八） 创业大赛
# =================================================================================================
heping_18_won_as_contestant = fact(
    Person, bool, "以选手身份在我市举办的海河英才创新创业大赛中获奖", reference="heping/十八")
heping_18_award_date = fact(Person, date, "获奖日期", default=NOT_GIVEN, reference="heping/十八")
heping_18_prize_reward = fact(
    Person, float, "按获奖等次确定的奖励金额（元）", reference="heping/十八", unit="currency-CNY", optional=True,
    doc="The reward set for the prize won (rules of the competition); not set by this document. "
        "Not given: the 最高30万元 cap is listed, marked as a ceiling.")
heping_18_project_won = fact(
    Organisation, bool, "企业的项目在我市举办的海河英才创新创业大赛中获奖", reference="heping/十八")
heping_18_project_award_date = fact(Organisation, date, "项目获奖日期", default=NOT_GIVEN, reference="heping/十八")
heping_18_project_prize_reward = fact(
    Organisation, float, "项目按获奖等次确定的奖励金额（元）", reference="heping/十八", unit="currency-CNY",
    optional=True, doc="Not given: the 最高30万元 cap is listed, marked as a ceiling.")
heping_18_industry_system = fact(
    Organisation, bool, "本区行业系统（行业主管部门、行业组织等）", reference="heping/十八")
heping_18_competition_date = fact(
    Organisation, date, "举办创业大赛的日期（决赛或结束日期）", default=NOT_GIVEN, reference="heping/十八")
heping_18_competition_cost = fact(
    Organisation, float, "举办创业大赛的费用（元）", reference="heping/十八", unit="currency-CNY", optional=True,
    doc="Not given: the 最高50万元 cap is listed, marked as a ceiling.")

heping_18_founder = condition(
    Person, "我区创业人员（所创办企业或个体工商户的创业者）", "heping/十八",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

heping_18_org_in_heping = condition(
    Organisation, "我区（注册地在和平区）", "heping/十八",
    lambda org, period, parameters: org("registration_district", period) == District.heping)

heping_18_contestant_won = condition(
    Person, "获奖选手（在我市举办的海河英才创新创业大赛中获奖）", "heping/十八",
    lambda person, period, parameters: person("heping_18_won_as_contestant", period)
    & (as_days(person("heping_18_award_date", period)) <= base.assessment_day(person, period)),
    doc="获奖日期不晚于评估之日。")

heping_18_enterprise = condition(
    Organisation, "企业", "heping/十八",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISE_INDICES))

heping_18_project_winner = condition(
    Organisation, "获奖项目（企业的项目在我市举办的海河英才创新创业大赛中获奖）", "heping/十八",
    lambda org, period, parameters: org("heping_18_project_won", period)
    & (as_days(org("heping_18_project_award_date", period)) <= base.assessment_day(org, period)),
    doc="获奖日期不晚于评估之日。")

heping_18_is_industry_system = condition(
    Organisation, "我区各行业系统", "heping/十八",
    lambda org, period, parameters: org("heping_18_industry_system", period))

heping_18_held_competition = condition(
    Organisation, "举办创业大赛", "heping/十八",
    lambda org, period, parameters: as_days(org("heping_18_competition_date", period)) <= base.assessment_day(org, period),
    doc="大赛已于评估之日或之前举办。")


@installments("heping/十八/contestant")
def contestant_award(person, period, parameters):
    amount, unknown = capped(person("heping_18_prize_reward", period), parameters.heping.c18.contest_award_max)
    return one_off(person("heping_18_award_date", period), amount, unknown)


@installments("heping/十八/project")
def project_award(organisation, period, parameters):
    amount, unknown = capped(organisation("heping_18_project_prize_reward", period),
                             parameters.heping.c18.contest_award_max)
    return one_off(organisation("heping_18_project_award_date", period), amount, unknown)


@installments("heping/十八/organiser")
def competition_subsidy(organisation, period, parameters):
    amount, unknown = capped(organisation("heping_18_competition_cost", period),
                             parameters.heping.c18.competition_subsidy_max)
    return one_off(organisation("heping_18_competition_date", period), amount, unknown)


named(globals())
