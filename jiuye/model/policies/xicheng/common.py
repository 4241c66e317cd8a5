"""Definitions shared by several Xicheng clauses: the 附则 terms (用人单位, 初创主体, 本区经营性人力资源
服务机构, 青年失业人员), 实现稳定就业 (clause 6), 在本区注册、参保、纳税 and 企业 (clauses 17, 19–23), and
helpers for the dates the clauses test."""

import numpy as np

from jiuye.model.base import condition, moment_day, named
from jiuye.model.dates import DAY, add_months, age_in_years
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import HIGHER_EDUCATION, ContractType, SkillLevel, hukou_at, hukou_on_moment
from jiuye.model.facts.places import City, District
from jiuye.model.declared import declare

declare(globals(), "common.facts.yaml")


HIGH_SKILL_LEVELS = [SkillLevel[n].index for n in ("senior", "technician", "senior_technician")]


def completed_on(start, months):
    """The day a period of `months` months from `start` is completed (届满): the day before the
    corresponding day (start 2026-03-15, 6 months: 2026-09-14)."""
    return add_months(start, months) - DAY


def in_district(fact_name, district=District.xicheng):
    """A condition formula: the place fact `fact_name` (户籍、注册地、经营场所、参保地、纳税地 …) is `district`."""
    return lambda population, period, parameters: population(fact_name, period) == district


def _employer_unit(org, period, parameters):
    kind = org("org_type", period)
    enterprise_or_pne = np.isin(kind, [t.index for t in ENTERPRISE_TYPES] + [OrgType.private_non_enterprise.index])
    return enterprise_or_pne & (org("registration_city", period) == City.beijing)


def _in_xicheng(districts):
    return districts == District.xicheng


def hukou_in_xicheng_at(measure_id):
    """A condition formula: 本区户籍 on the legal moment of `measure_id` (its catalogue record's
    `moment`): a hukou moved in after that day does not count, one moved away after it still does
    (facts.person.hukou_at)."""
    return lambda person, period, parameters: hukou_on_moment(person, period, measure_id, _in_xicheng)


# 本区户籍 judged on application (the assessment day): xicheng/18's free training.
xicheng_hukou = condition(
    Person, "本区户籍", "xicheng/18", in_district("hukou_district"),
    doc="按申请之日（评估之日）的户籍认定。")

# 本区户籍 judged when the labour contract is signed: xicheng/6 (both measures) and xicheng/10, whose
# records share the moment contract_start_date (tests/policies/test_xicheng_moments.py checks it).
xicheng_hukou_at_hire = condition(
    Person, "本区户籍（签订劳动合同之日）", "xicheng/6", hukou_in_xicheng_at("xicheng/6/employer"),
    doc="按签订劳动合同之日（劳动合同起始日）的户籍认定：之后迁入本区的不符合，之后迁出的仍符合。")


def _youth(person, period, parameters):
    ages = parameters(period).xicheng.common.unemployed_youth_age
    day = moment_day(person, period, "xicheng/9")
    age = age_in_years(person("birth_date", period), day)
    return (hukou_at(person, period, day, _in_xicheng)
            & person("xicheng_registered_unemployed_at_internship_start", period)
            & (age >= ages.minimum) & (age <= ages.maximum))


# --- 实现稳定就业 (clause 6): the four conditions of the definition ------------------------------
def _contract_one_year(person, period, parameters):
    kind = person("contract_type", period)
    months = person("contract_term_months", period)
    minimum = parameters(period).xicheng.common.min_contract_months
    return (kind == ContractType.open_ended) | ((kind == ContractType.fixed_term) & (months >= minimum))


def _wage_threshold(person, period, parameters):
    p = parameters(period)
    threshold = p.xicheng.common.stable_employment_wage_multiple * p.reference.minimum_wage.beijing
    return person("monthly_wage", period) >= np.round(threshold, 2)


# --- 在本区注册、参保、纳税 (clauses 17, 19–23): one condition each ---------------------------------
xicheng_registered_in_district = condition(
    Organisation, "在本区注册", "xicheng/17", in_district("registration_district"))

xicheng_insured_in_district = condition(
    Organisation, "在本区参保", "xicheng/17", in_district("social_insurance_district"),
    doc="单位在西城区办理社会保险登记并缴费。")

xicheng_taxed_in_district = condition(
    Organisation, "在本区纳税", "xicheng/17", in_district("tax_district"))


# --- 附则（一） 初创主体 ----------------------------------------------------------------------
NEW_STARTUP_TYPES = (OrgType.limited_company, OrgType.joint_stock_company, OrgType.private_non_enterprise,
                     OrgType.individual_business, OrgType.law_firm, OrgType.accounting_firm)

def _startup_legal_form(org, period, parameters):
    return np.isin(org("org_type", period), [t.index for t in NEW_STARTUP_TYPES])


# --- 企业 (clauses 19–23) ------------------------------------------------------------------------
def _enterprise(org, period, parameters):
    return np.isin(org("org_type", period), [t.index for t in ENTERPRISE_TYPES])


# --- 附则（一）: 本区经营性人力资源服务机构 -----------------------------------------------------------

xicheng_hr_agency_licensed_in_xicheng = condition(
    Organisation, "在西城区取得许可或备案资质", "xicheng/附则/一", in_district("xicheng_hr_licence_district"))


named(globals())
