"""heping （十） 鼓励企业吸纳就业: 一次性吸纳就业补贴 1000 (2000 for 困难村劳动力); 五项社保补贴 (at most 3 years, to
retirement when less than 5 years from it) and 1 year of 岗位补贴 for the listed employer/person pairs;
1 year of 五项社保补贴 for other 就业困难人员 (amounts set by the city).
"""

import numpy as np

from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import DAY, add_months, add_years, age_in_years, as_days
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.person import ContractType, Sex

from ..common import (ENTERPRISES, at, contract_subsidy_end, contract_subsidy_months, date_variable,
                      heping_parameters, referenced_months)


# =================================================================================================
# （十） 鼓励企业吸纳就业
# =================================================================================================
heping_sme = fact(Organisation, bool, "中小微企业（按国家企业划型标准）", reference="heping/十")
heping_small_micro = fact(Organisation, bool, "小微企业（按国家企业划型标准）", reference="heping/十")
heping_tech_startup_sme = fact(Organisation, bool, "初创期科技型中小企业", reference="heping/十")
heping_graduate_startup = fact(Organisation, bool, "大学生创业企业", reference="heping/十")
heping_elderly_care = fact(Organisation, bool, "养老服务机构（从事养老服务）", reference="heping/十")
heping_housekeeping = fact(Organisation, bool, "员工制家政服务企业", reference="heping/十")


def _registered_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c10.registered_unemployed_months
    registered = person("unemployment_registration_date", period)
    return add_months(registered, int(months)) <= person("contract_start_date", period)


heping_10_registered_half_year = condition(
    Person, "登记失业半年以上（至被招用时）", "heping/十", _registered_half_year,
    doc="失业登记之日起满6个月（含）后被招用：招用日期不早于登记日期6个月后的对应日（如2023-01-10登记，2023-07-10起招用的符合，2023-07-09招用的不符合）。")


def _hired_in_graduation_year(person, period, parameters):
    graduated = person("graduation_date", period).astype("datetime64[Y]")
    hired = person("contract_start_date", period).astype("datetime64[Y]")
    return graduated == hired


heping_10_hired_in_graduation_year = condition(
    Person, "应届（在毕业年度内被招用）", "heping/十", _hired_in_graduation_year,
    doc="毕业年度为毕业当年1月1日至12月31日。")


def _hired_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.c10.graduate_window_years
    graduated = person("graduation_date", period)
    hired = person("contract_start_date", period)
    year_start = graduated.astype("datetime64[Y]").astype("datetime64[D]")
    return (year_start <= hired) & (hired <= add_years(graduated, int(years)))


heping_10_hired_within_2_years = condition(
    Person, "毕业2年内（被招用时）", "heping/十", _hired_within_years,
    doc="招用日期不早于毕业年度的1月1日，且不晚于毕业满2年的对应日（含，“以内”包括本数）。")


def _contract_one_year(person, period, parameters):
    years = parameters(at(person, period)).heping.c10.min_contract_years
    kind = person("contract_type", period)
    months = person("contract_term_months", period)
    return (kind == ContractType.open_ended) | ((kind == ContractType.fixed_term) & (months >= 12 * years))


heping_10_contract_one_year = condition(
    Person, "签订1年以上劳动合同", "heping/十", _contract_one_year,
    doc="固定期限劳动合同期限12个月及以上，或无固定期限劳动合同；以完成一定工作任务为期限的劳动合同期限不确定，不计入。")


def _si_months(name):
    def formula(person, period, parameters):
        minimum = getattr(parameters(at(person, period)).heping.c10, name)
        return person("heping_si_months_since_hire", period) >= minimum
    return formula


heping_10_si_3_months = condition(
    Person, "按规定缴纳社会保险费满3个月", "heping/十", _si_months("si_months"))

heping_10_si_1_month = condition(
    Person, "参保缴费满1个月", "heping/十", _si_months("poor_village_si_months"))


def _elderly_care(org, period, parameters):
    kind = org("org_type", period)
    legal_form = np.isin(kind, ENTERPRISES + [OrgType.private_non_enterprise.index])
    return org("heping_elderly_care", period) & legal_form


heping_10_elderly_care = condition(
    Organisation, "养老服务企业（含民办非企业单位）", "heping/十", _elderly_care,
    doc="从事养老服务的企业或民办非企业单位。")


def _housekeeping(org, period, parameters):
    return org("heping_housekeeping", period) & np.isin(org("org_type", period), ENTERPRISES)


heping_10_housekeeping = condition(
    Organisation, "员工制家政服务企业", "heping/十", _housekeeping)


def _age_35_45(person, period, parameters):
    ages = parameters(at(person, period)).heping.c10.hard_to_employ_age
    age = age_in_years(person("birth_date", period), person("contract_start_date", period))
    sex = person("sex", period)
    return ((sex == Sex.female) & (age >= ages.female)) | ((sex == Sex.male) & (age >= ages.male))


heping_10_female_35_male_45 = condition(
    Person, "女年满35周岁、男年满45周岁（被招用时）", "heping/十", _age_35_45,
    doc="年龄按劳动合同起始日计算，生日当天即为年满。")


def _priority_hire(person, period):
    """The employer/person pairs of （十）'s second paragraph that give 3 years of 五项社保补贴."""
    def own(name):
        return person(name, period)

    def org(name):
        return person.organisation(name, period)

    tianjin_graduate = own("heping_10_higher_education") & own("heping_10_tianjin_university") \
        & own("heping_10_hired_within_2_years")
    small = org("heping_small_micro") | org("heping_tech_startup_sme") | org("heping_graduate_startup")
    care = org("heping_10_elderly_care") | org("heping_10_housekeeping")
    older = own("hard_to_employ") & own("heping_10_female_35_male_45")
    group1 = small & tianjin_graduate
    group2 = care & (tianjin_graduate | own("hard_to_employ") | own("heping_poor_village_labour"))
    group3 = org("heping_10_enterprise") & (own("heping_fj2_special_hard_to_employ") | older
                                            | own("heping_registered_poor_labour"))
    return group1 | group2 | group3


heping_10_other_hard_to_employ = condition(
    Person, "其他就业困难人员（不属于可享受最长3年五项社保补贴的吸纳情形）", "heping/十",
    lambda person, period, parameters: ~_priority_hire(person, period),
    doc="同一单位吸纳同一人员，已属于第二款前段（最长3年五项社保补贴和1年岗位补贴）情形的，不再按“其他就业困难人员”计。")


def _not_care(org, period, parameters):
    return ~(org("heping_elderly_care", period) | org("heping_housekeeping", period))


heping_10_not_care_enterprise = condition(
    Organisation, "养老服务企业、员工制家政服务企业除外", "heping/十", _not_care)


@installments("heping/十/hiring")
def hiring_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c10
    start = person("contract_start_date", period)
    due = add_months(start, int(p.si_months)) - DAY
    return Installments.stack([(due, np.full(person.count, float(p.hiring_subsidy)))])


@installments("heping/十/hiring_poor_village")
def hiring_subsidy_poor_village(person, period, parameters):
    p = heping_parameters(person, period).c10
    start = person("contract_start_date", period)
    due = add_months(start, int(p.poor_village_si_months)) - DAY
    return Installments.stack([(due, np.full(person.count, float(p.poor_village_hiring_subsidy)))])


heping_10_si_subsidy_end = date_variable(
    "heping_10_si_subsidy_end", Person, "五项社保补贴（最长3年）期限的最后一日", "heping/十",
    contract_subsidy_end("c10", "si_subsidy_years"),
    doc="劳动合同起始日起3年的最后一日；起始日距法定退休日期不足5年的，为法定退休日期前一日；不晚于劳动合同终止之日。")

heping_10_si_subsidy_other_end = date_variable(
    "heping_10_si_subsidy_other_end", Person, "五项社保补贴（其他就业困难人员，最长1年）期限的最后一日", "heping/十",
    contract_subsidy_end("c10", "other_si_subsidy_years"),
    doc="劳动合同起始日起1年的最后一日；起始日距法定退休日期不足5年的，为法定退休日期前一日；不晚于劳动合同终止之日。")


installments("heping/十/si_subsidy")(contract_subsidy_months("c10", "si_subsidy_years", "heping_10_si_subsidy_end"))
installments("heping/十/si_subsidy_other")(
    contract_subsidy_months("c10", "other_si_subsidy_years", "heping_10_si_subsidy_other_end"))


@installments("heping/十/post_subsidy")
def post_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c10
    start = person("contract_start_date", period)
    months = int(round(12 * p.post_subsidy_years))
    last = np.minimum(add_months(start, months) - DAY, as_days(person("contract_end_date", period)))
    return referenced_months(start, last, months)

heping_10_social_insurance_paid = condition(
    Person, "按规定缴纳社会保险", "heping/十",
    lambda person, period, parameters: person("social_insurance_paid", period))

heping_10_registered_unemployed_at_hire = condition(
    Person, "登记失业人员（被招用时）", "heping/十",
    lambda person, period, parameters: person("registered_unemployed_at_hire", period))

named(globals())
