"""Definitions shared by several Xicheng clauses: 附则 terms and 实现稳定就业 (clause 6)."""

import numpy as np

from jiuye.model.base import condition, moment_day, named
from jiuye.model.dates import age_in_years
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import ENTERPRISE_TYPES, OrgType
from jiuye.model.facts.person import ContractType
from jiuye.model.facts.places import City, District


def _employer_unit(org, period, parameters):
    kind = org("org_type", period)
    enterprise_or_pne = np.isin(kind, [t.index for t in ENTERPRISE_TYPES] + [OrgType.private_non_enterprise.index])
    return enterprise_or_pne & (org("registration_city", period) == City.beijing)


xicheng_employer_is_employer_unit = condition(
    Organisation, "用人单位（北京市行政区域内的企业、民办非企业单位，不含社会公益性就业组织）", "xicheng/附则/一",
    _employer_unit,
    doc="个体工商户、律师事务所、会计师事务所不是“企业、民办非企业单位”，不计入。")

xicheng_hukou = condition(
    Person, "本区户籍", "xicheng/6",
    lambda person, period, parameters: person("hukou_district", period) == District.xicheng)


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
    Organisation, "在本区注册", "xicheng/17",
    lambda org, period, parameters: org("registration_district", period) == District.xicheng)

xicheng_insured_in_district = condition(
    Organisation, "在本区参保", "xicheng/17",
    lambda org, period, parameters: org("social_insurance_district", period) == District.xicheng,
    doc="单位在西城区办理社会保险登记并缴费。")

xicheng_taxed_in_district = condition(
    Organisation, "在本区纳税", "xicheng/17",
    lambda org, period, parameters: org("tax_district", period) == District.xicheng)

named(globals())
