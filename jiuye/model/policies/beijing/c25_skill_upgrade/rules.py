"""beijing/25 激励劳动者积极提升自身技能：

* 技能提升补贴 to a person insured in Beijing for a year or more (or receiving Beijing 失业保险金) who
  obtains a 初级工/中级工/高级工 certificate.
"""

import numpy as np

from jiuye.model.base import assessment_day, condition, fact, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import SkillLevel

from ..common import city_parameters, in_beijing, referenced_one_off

beijing_ui_contribution_months = fact(
    Person, int, "在本市累计缴纳失业保险的月数（截至取得证书之日）", reference="beijing/25", unit="month")

CERTIFICATE_LEVELS = [SkillLevel[n].index for n in ("junior", "intermediate", "senior")]

beijing_25_employee = condition(
    Person, "企业职工（与所在单位签订劳动合同）", "beijing/25",
    lambda person, period, parameters: person.has_role(Organisation.EMPLOYEE))


def _insured_one_year(person, period, parameters):
    years = city_parameters(person, period).c25.min_unemployment_insurance_years
    return person("beijing_ui_contribution_months", period) >= 12 * years


beijing_25_ui_one_year = condition(
    Person, "在本市缴纳失业保险1年以上（累计12个月及以上）", "beijing/25", _insured_one_year)

beijing_25_city_ui_recipient = condition(
    Person, "本市领取失业保险金人员（在本市办理失业登记并领取失业保险金）", "beijing/25",
    lambda person, period, parameters: (person("receives_unemployment_insurance", period)
                                        & in_beijing(person("unemployment_registration_district", period))))


def _certificate(person, period, parameters):
    level = np.isin(person("skill_certificate_level", period), CERTIFICATE_LEVELS)
    return level & (person("skill_certificate_date", period) <= assessment_day(person, period))


beijing_25_certificate = condition(
    Person, "取得初级工、中级工、高级工国家职业资格证书或职业技能等级证书", "beijing/25", _certificate,
    doc="技师、高级技师证书不在本条所列等级之内。")


beijing_25_installment_count, beijing_25_last_due, beijing_25_amount_referenced = referenced_one_off(
    "beijing/25", "beijing_25", Person, "个人技能提升补贴", "skill_certificate_date")


named(globals())
