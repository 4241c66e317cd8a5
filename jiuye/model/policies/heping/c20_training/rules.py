"""heping （二十） 开展重点群体就业技能培训: the city's 职业培训补贴; for 困难村劳动力 120% of it to the provider and
500 生活费补贴; a one-off 1000 生活费补贴 for 就业困难人员, 零就业家庭成员, 农村未继续升学初高中毕业生, 低保家庭学员,
once within a year.
"""

from datetime import date

import numpy as np

from jiuye.model.base import NOT_GIVEN, condition, fact, installments, named
from jiuye.model.dates import add_years
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import TrainingType
from jiuye.model.facts.places import District

from ..common import ENTERPRISES, HIGHER_EDUCATION, one_off


# =================================================================================================
# （二十） 重点群体就业技能培训
# =================================================================================================
heping_20_other_key_group = fact(
    Person, bool, "其他按规定可享受职业培训补贴的重点群体", reference="heping/二十",
    doc="本条列举以“等重点群体”结尾：本市规定的其他重点群体。")
heping_20_training_provider = fact(
    Organisation, bool, "承担补贴培训的职业培训机构", reference="heping/二十")
heping_20_training_subsidy_standard = fact(
    Person, float, "该培训项目按规定的职业培训补贴标准（元/人）", reference="heping/二十", unit="currency-CNY",
    optional=True, doc="本市规定的该培训项目补贴标准，本文件未规定；未提供时培训机构的金额（标准的120%）显示为待定，不按0计。")
heping_20_rural_school_leaver = fact(
    Person, bool, "农村未继续升学的初高中毕业生", reference="heping/二十")
heping_20_living_allowance_received = fact(
    Person, bool, "此前已享受过本条一次性1000元生活费补贴", reference="heping/二十")
heping_20_living_allowance_last_date = fact(
    Person, date, "上次享受本条一次性生活费补贴的日期", default=NOT_GIVEN, reference="heping/二十")

# --- 本区: the tie of a trainee to Heping ---------------------------------------------------------------
heping_20_hukou = condition(
    Person, "本区户籍", "heping/二十",
    lambda person, period, parameters: person("hukou_district", period) == District.heping)

heping_20_registered_in_heping = condition(
    Person, "在本区办理失业登记", "heping/二十",
    lambda person, period, parameters: person("unemployment_registration_district", period) == District.heping)

heping_20_unit_in_heping = condition(
    Organisation, "所在单位（用人单位或培训机构）在本区", "heping/二十",
    lambda org, period, parameters: org("registration_district", period) == District.heping)

# --- 重点群体 -----------------------------------------------------------------------------------------
heping_20_graduate = condition(
    Person, "高校毕业生（大专及以上学历）", "heping/二十",
    lambda person, period, parameters: np.isin(person("education_level", period), HIGHER_EDUCATION))

heping_20_veteran = condition(
    Person, "退役军人", "heping/二十", lambda person, period, parameters: person("veteran", period))

heping_20_rural_labour = condition(
    Person, "农村劳动力", "heping/二十", lambda person, period, parameters: person("rural_labour", period))

heping_20_employee = condition(
    Person, "职工（与所在单位签订劳动合同）", "heping/二十",
    lambda person, period, parameters: person.has_role(Organisation.EMPLOYEE))

heping_20_employer_enterprise = condition(
    Organisation, "所在单位为企业", "heping/二十",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES))


# --- training --------------------------------------------------------------------------------------------
heping_20_skills_training = condition(
    Person, "参加职业技能培训", "heping/二十",
    lambda person, period, parameters: person("training_type", period) == TrainingType.skills)


heping_20_provider_in_heping = condition(
    Organisation, "培训机构在本区（注册地在和平区）", "heping/二十",
    lambda org, period, parameters: org("registration_district", period) == District.heping)

# --- 一次性1000元生活费补贴 -------------------------------------------------------------------------


def _over_a_year_since_last(person, period, parameters):
    years = parameters(period).heping.c20.living_allowance_interval_years
    last = person("heping_20_living_allowance_last_date", period)
    return person("heping_20_living_allowance_received", period) & (
        person("training_end_date", period) > add_years(last, int(years)))


heping_20_over_a_year_since_last = condition(
    Person, "上次享受一次性生活费补贴已满一年", "heping/二十", _over_a_year_since_last,
    doc="一年内只能申请一次：本次培训结束日期在上次享受之日满1年的对应日之后（对应日当天仍在一年内）。")


# --- installments --------------------------------------------------------------------------------------
@installments("heping/二十/key_groups")
def key_group_training_subsidy(person, period, parameters):
    return one_off(person("training_end_date", period), np.nan)


@installments("heping/二十/poor_village_fee")
def poor_village_fee_subsidy(person, period, parameters):
    rate = parameters.heping.c20.poor_village_fee_rate
    standard = person("heping_20_training_subsidy_standard", period)
    return one_off(person("training_end_date", period), np.round(rate * standard, 2))


@installments("heping/二十/poor_village_living")
def poor_village_living_allowance(person, period, parameters):
    return one_off(person("training_end_date", period), parameters.heping.c20.poor_village_living_allowance)


@installments("heping/二十/living_allowance")
def living_allowance(person, period, parameters):
    return one_off(person("training_end_date", period), parameters.heping.c20.living_allowance)

heping_20_flexibly_employed = condition(
    Person, "灵活就业人员", "heping/二十",
    lambda person, period, parameters: person("flexibly_employed", period))

heping_20_hard_to_employ = condition(
    Person, "就业困难人员", "heping/二十",
    lambda person, period, parameters: person("hard_to_employ", period))

named(globals())
