"""heping （十七） 加大创业担保贷款支持力度: founders' loans up to 300000 (重点创业人群 500000), at most 3 years, with
full interest subsidy (set by the city); small firms' loans up to 3000000, at most 2 years, with 50% of
the 贷款基础利率. Loan ceilings are listed on the loan's start date.
"""

from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model.base import MONTH, NOT_GIVEN, condition, fact, installments, named
from jiuye.model.dates import as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.places import District

from ..common import ENTERPRISES, capped, loan_years, one_off


NOT_GIVEN_DAY = np.datetime64(NOT_GIVEN, "D")

# =================================================================================================
# （十七） 创业担保贷款
# =================================================================================================
# --- facts: the founder's loan ----------------------------------------------------------------------
heping_17_loan_start_date = fact(
    Person, date, "创业担保贷款发放日期（贷款合同起始日）", default=NOT_GIVEN, reference="heping/十七")
heping_17_loan_amount = fact(Person, float, "创业担保贷款金额（元）", reference="heping/十七", unit="currency-CNY",
                             optional=True, doc="未提供时按最高额列示并标明“最高”。")
heping_17_loan_term_months = fact(Person, int, "创业担保贷款期限（月）", reference="heping/十七", unit="month")
heping_17_previous_loans = fact(
    Person, int, "此前已获得创业担保贷款的次数（不含本次）", reference="heping/十七")
heping_17_marked_job_creation = fact(Person, bool, "带动就业效果明显的创业者", reference="heping/十七")

# --- facts: the small firm's loan ----------------------------------------------------------------------
heping_17_firm_loan_start_date = fact(
    Organisation, date, "小微企业创业担保贷款发放日期（贷款合同起始日）", default=NOT_GIVEN, reference="heping/十七")
heping_17_firm_loan_amount = fact(
    Organisation, float, "小微企业创业担保贷款金额（元）", reference="heping/十七", unit="currency-CNY", optional=True,
    doc="未提供时按最高额列示（贴息按最高额计算）并标明“最高”。")
heping_17_firm_loan_term_months = fact(
    Organisation, int, "小微企业创业担保贷款期限（月）", reference="heping/十七", unit="month")
heping_17_firm_loan_base_rate = fact(
    Organisation, float, "贷款基础利率（年利率，如0.0385）", reference="heping/十七", optional=True,
    doc="贷款适用的基础利率（贷款发放时的贷款市场报价利率），本文件未规定；未提供时贴息显示为待定，不按0计。")
heping_17_firm_previous_loans = fact(
    Organisation, int, "小微企业此前已获得创业担保贷款的次数（不含本次）", reference="heping/十七")
heping_17_firm_marked_job_creation = fact(
    Organisation, bool, "带动就业效果明显的小微企业", reference="heping/十七")
heping_17_meets_loan_conditions = fact(
    Person, bool, "符合创业担保贷款申请条件的人员", reference="heping/十七",
    doc="小微企业招用的、符合本市创业担保贷款申请条件的职工。")


def _on_loan_date(org, period):
    return as_days(org("heping_17_firm_loan_start_date", period))


class heping_17_new_hires_meeting_loan_conditions(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "当年新招用符合创业担保贷款申请条件的人数"
    reference = "heping/十七"
    documentation = "劳动合同起始日在贷款发放当年、不晚于发放之日，且符合创业担保贷款申请条件的职工人数；也可直接填写。"

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
    documentation = "贷款发放之日劳动合同在履行期内的职工人数；也可直接填写。"

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
                                                                                ENTERPRISES),
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


named(globals())
