"""heping （二十四） 落实重点企业用工输送奖励政策: up to 600 per person delivered by a 人力资源服务机构 (30 or more in one
batch, contracts of one year or more), up to 1000 by a 职业院校 (30 or more, three months of work or
internship). The delivered persons are `members` of the delivering organisation.
"""

from datetime import date

import numpy as np
from openfisca_core.variables import Variable

from jiuye.model import base
from jiuye.model.base import MONTH, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import ContractType
from jiuye.model.facts.places import District

from ..common import contract_of_at_least, months_completed, one_off


# --- facts ---------------------------------------------------------------------------------------
heping_24_hr_agency = fact(Organisation, bool, "人力资源服务机构", reference="heping/二十四")
heping_24_vocational_school = fact(Organisation, bool, "职业院校", reference="heping/二十四",
                                   doc="中等职业学校、技工院校、高等职业院校。")
heping_24_to_key_shortage_enterprises = fact(
    Organisation, bool, "输送至经认定的重点缺工企业", reference="heping/二十四")
heping_24_recipients_in_heping = fact(
    Organisation, bool, "接收输送人员的重点缺工企业在本区", reference="heping/二十四")
heping_24_delivery_date = fact(Organisation, date, "一次性输送日期", default=date(9999, 12, 31),
                              reference="heping/二十四", doc="未提供即9999-12-31，不列发放。")
heping_24_delivered = fact(
    Person, bool, "由本单位一次性输送至重点缺工企业的人员", reference="heping/二十四",
    doc="本人以成员（member）身份属于输送单位。")


# --- persons of the batch ----------------------------------------------------------------------------
def _contract_one_year(person, period, parameters):
    years = parameters(period).heping.c24.agency_min_contract_years
    return contract_of_at_least(person, period, 12 * years)


heping_24_contract_one_year = condition(
    Person, "签订1年以上劳动合同", "heping/二十四", _contract_one_year,
    doc="与接收企业签订期限1年（12个月）及以上的固定期限劳动合同，或无固定期限劳动合同。")


def _three_months(person, period, parameters):
    months = parameters(period).heping.c24.school_min_months
    today = base.assessment_day(person, period)
    employed = (person("contract_type", period) != ContractType.unknown) & months_completed(
        person("contract_start_date", period),
        np.minimum(person("contract_end_date", period), today), months)
    interned = months_completed(
        person("internship_start_date", period),
        np.minimum(person("internship_end_date", period), today), months)
    return employed | interned


heping_24_employed_or_interned_3_months = condition(
    Person, "就业或实习3个月以上", "heping/二十四", _three_months,
    doc="自劳动合同起始日（就业）或实习开始日起满3个月（第3个月在起始日后3个月对应日的前一日届满），"
        "届满之日不晚于合同或实习的终止日，也不晚于评估之日。")


class heping_24_agency_qualifying_count(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "一次性输送至重点缺工企业且签订1年以上劳动合同的人数"
    reference = "heping/二十四"
    documentation = "本批次输送且签订1年以上劳动合同的成员人数；也可直接填写。"

    def formula(organisation, period, parameters):
        ok = organisation.members("heping_24_delivered", period) \
            & organisation.members("heping_24_contract_one_year", period)
        return organisation.sum(ok, role=Organisation.MEMBER)


class heping_24_school_qualifying_count(Variable):
    value_type = int
    entity = Organisation
    definition_period = MONTH
    label = "一次性输送且就业或实习3个月以上的毕业生或实习学生人数"
    reference = "heping/二十四"
    documentation = "本批次输送且就业或实习满3个月的成员人数；也可直接填写。"

    def formula(organisation, period, parameters):
        ok = organisation.members("heping_24_delivered", period) \
            & organisation.members("heping_24_employed_or_interned_3_months", period)
        return organisation.sum(ok, role=Organisation.MEMBER)


# --- conditions of the organisation -----------------------------------------------------------------

heping_24_org_in_heping = condition(
    Organisation, "我区（机构注册地在和平区）", "heping/二十四",
    lambda org, period, parameters: org("registration_district", period) == District.heping)


heping_24_agency_batch = condition(
    Organisation, "一次性输送30人以上且签订1年以上劳动合同", "heping/二十四",
    lambda org, period, parameters: (org("heping_24_agency_qualifying_count", period)
                                     >= parameters(period).heping.c24.agency_min_batch),
    doc="同一批次输送、且签订1年以上劳动合同的人数达到30人（含30人）。")


heping_24_school_batch = condition(
    Organisation, "一次性输送毕业生或实习学生30人以上且就业或实习3个月以上", "heping/二十四",
    lambda org, period, parameters: (org("heping_24_school_qualifying_count", period)
                                     >= parameters(period).heping.c24.school_min_batch),
    doc="同一批次输送、且就业或实习满3个月的毕业生或实习学生达到30人（含30人）。")


# --- installments -------------------------------------------------------------------------------------
@installments("heping/二十四/hr_agency")
def agency_delivery_subsidy(organisation, period, parameters):
    p = parameters.heping.c24
    count = organisation("heping_24_agency_qualifying_count", period)
    return one_off(organisation("heping_24_delivery_date", period), count * p.agency_max_per_person, True)


@installments("heping/二十四/vocational_school")
def school_delivery_subsidy(organisation, period, parameters):
    p = parameters.heping.c24
    count = organisation("heping_24_school_qualifying_count", period)
    return one_off(organisation("heping_24_delivery_date", period), count * p.school_max_per_person, True)


named(globals())
