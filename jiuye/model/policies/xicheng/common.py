"""Definitions shared by several Xicheng clauses: the 附则 terms (用人单位, 初创主体, 本区经营性人力资源
服务机构, 青年失业人员), 实现稳定就业 (clause 6), 在本区注册、参保、纳税 and 企业 (clauses 17, 19–23), and
helpers for the dates the clauses test."""

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import assessment_day, condition, fact, moment_day, named
from jiuye.model.dates import DAY, add_months, age_in_years
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import ContractType, EducationLevel, SkillLevel
from jiuye.model.facts.places import City, District

HIGHER_EDUCATION = [EducationLevel[n].index for n in ("college", "bachelor", "master", "doctor")]
HIGH_SKILL_LEVELS = [SkillLevel[n].index for n in ("senior", "technician", "senior_technician")]


def completed_on(start, months):
    """The day a period of `months` months from `start` is completed (届满): the day before the
    corresponding day (start 2026-03-15, 6 months: 2026-09-14)."""
    return add_months(start, months) - DAY


def in_district(fact_name, district=District.xicheng):
    """A condition formula: the place fact `fact_name` (户籍、注册地、经营场所、参保地、纳税地 …) is `district`."""
    return lambda population, period, parameters: population(fact_name, period) == district


def by_assessment_day(date_name):
    """A condition formula: the event of `date_name` took place on or before the assessment day."""
    return lambda population, period, parameters: population(date_name, period) <= assessment_day(population, period)


def _employer_unit(org, period, parameters):
    kind = org("org_type", period)
    enterprise_or_pne = np.isin(kind, [t.index for t in ENTERPRISE_TYPES] + [OrgType.private_non_enterprise.index])
    return enterprise_or_pne & (org("registration_city", period) == City.beijing)


xicheng_employer_is_employer_unit = condition(
    Organisation, "用人单位（北京市行政区域内的企业、民办非企业单位，不含社会公益性就业组织）", "xicheng/附则/一",
    _employer_unit,
    doc="个体工商户、律师事务所、会计师事务所不是“企业、民办非企业单位”，不计入。")

xicheng_hukou = condition(
    Person, "本区户籍", "xicheng/6", in_district("hukou_district"))


def _youth(person, period, parameters):
    ages = parameters(period).xicheng.common.unemployed_youth_age
    age = age_in_years(person("birth_date", period), moment_day(person, period, "xicheng/9"))
    return ((person("hukou_district", period) == District.xicheng)
            & person("registered_unemployed", period)
            & (age >= ages.minimum) & (age <= ages.maximum))


xicheng_unemployed_youth = condition(
    Person, "青年失业人员（本区户籍的16周岁至24周岁登记失业人员）", "xicheng/附则/二", _youth,
    doc="年龄按参加就业见习之日（第9条的认定时点）计算，16周岁生日当日起至25周岁生日前一日止；"
        "见习开始后满25周岁的，已开始的见习仍按开始之日认定。")


# --- 实现稳定就业 (clause 6): the four conditions of the definition ------------------------------
def _contract_one_year(person, period, parameters):
    kind = person("contract_type", period)
    months = person("contract_term_months", period)
    minimum = parameters(period).xicheng.common.min_contract_months
    return (kind == ContractType.open_ended) | ((kind == ContractType.fixed_term) & (months >= minimum))


xicheng_contract_one_year_or_more = condition(
    Person, "依法签订一年及以上期限劳动合同", "xicheng/6", _contract_one_year,
    doc="无固定期限劳动合同计入；以完成一定工作任务为期限的合同期限不确定，不计入。")

xicheng_social_insurance_paid = condition(
    Person, "按规定缴纳职工社会保险", "xicheng/6",
    lambda person, period, parameters: person("social_insurance_paid", period))

xicheng_wage_paid_monthly_in_full = condition(
    Person, "按月足额发放工资", "xicheng/6",
    lambda person, period, parameters: person("wage_paid_monthly_in_full", period))


def _wage_threshold(person, period, parameters):
    p = parameters(period)
    threshold = p.xicheng.common.stable_employment_wage_multiple * p.reference.minimum_wage.beijing
    return person("monthly_wage", period) >= np.round(threshold, 2)


xicheng_wage_at_least_1_2_minimum = condition(
    Person, "工资不低于当年本市职工最低工资标准1.2倍", "xicheng/6", _wage_threshold)

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

xicheng_startup_legal_form = condition(
    Organisation, "创业主体，包括有限责任公司、股份有限公司、民办非企业单位、城镇个体工商户、律师事务所、会计师事务所",
    "xicheng/附则/一",
    lambda org, period, parameters: np.isin(org("org_type", period), [t.index for t in NEW_STARTUP_TYPES]),
    doc="合伙企业、个人独资企业等其他企业不在列举之内，不是初创主体。个体工商户不区分城镇与农村。")

xicheng_startup_registered = condition(
    Organisation, "工商登记（登记年度为“当年”）", "xicheng/附则/一",
    by_assessment_day("registration_date"),
    doc="已办理工商登记，登记日期不晚于评估之日；“当年”指工商登记日期所在的公历年度。")


# --- 企业 (clauses 19–23) ------------------------------------------------------------------------
xicheng_enterprise = condition(
    Organisation, "企业", "xicheng/19",
    lambda org, period, parameters: np.isin(org("org_type", period), [t.index for t in ENTERPRISE_TYPES]),
    doc="有限责任公司、股份有限公司及其他企业（合伙企业、个人独资企业等）；个体工商户、民办非企业单位、"
        "律师事务所、会计师事务所、行业协会、商会不是企业。")


# --- 附则（一）: 本区经营性人力资源服务机构 -----------------------------------------------------------
xicheng_hr_licence_district = fact(
    Organisation, Enum, "取得人力资源服务许可或备案的所在区", possible_values=District,
    reference="xicheng/附则/一",
    doc="人力资源服务许可证或备案凭证的颁发（备案）地所在区；未取得许可或备案的填 unknown。"
        "经营性人力资源服务机构依法须取得许可或备案，公共人力资源服务机构不需要。")
xicheng_pays_tax_lawfully = fact(
    Organisation, bool, "依法纳税", reference="xicheng/附则/一",
    doc="依法办理税务登记并按期申报缴纳税款，无欠税。")

xicheng_hr_agency_licensed_in_xicheng = condition(
    Organisation, "在西城区取得许可或备案资质", "xicheng/附则/一", in_district("xicheng_hr_licence_district"))
xicheng_hr_agency_operating = condition(
    Organisation, "正常开展经营活动", "xicheng/附则/一",
    lambda org, period, parameters: org("operating_normally", period))


named(globals())
