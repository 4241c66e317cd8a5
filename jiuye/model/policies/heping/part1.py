"""Heping （一） 援企稳岗, （九） 见习, （十） 鼓励企业吸纳就业.

* （一） 稳岗返还: 50% of last year's unemployment-insurance contributions of an enterprise insured for
  12 months or more that laid nobody off or kept its layoff rate below the city's surveyed-unemployment
  target (20% for firms of 30 insured employees or fewer); 提升补贴 1000 / 1500 / 2000 for an employee
  obtaining a 学历 / 职称 / 技能证书.
* （九） 我区管辖的大学生就业见习基地: 见习生活费补贴 80% of the Tianjin minimum wage per intern and month,
  带教费 and 意外伤害险补贴 (amounts set by the city), 留用奖励 3000 per retained intern.
* （十） 一次性吸纳就业补贴 1000 (2000 for 困难村劳动力), and for the listed employer/person pairs 五项社保补贴
  (at most 3 years, to retirement when less than 5 years from it) and 1 year of 岗位补贴, or 1 year of
  五项社保补贴 for other 就业困难人员 (amounts set by the city).
"""

from datetime import date

import numpy as np

from jiuye.model import base
from jiuye.model.base import Installments, condition, fact, installments, named
from jiuye.model.dates import DAY, add_months, add_years, age_in_years, as_days, period_last_day
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.person import ContractType, Sex, SkillLevel

from .p1_common import (ENTERPRISES, HIGHER_EDUCATION, NOT_GIVEN, at, date_variable, heping_parameters,
                        in_document_window, monthly, parameter_history, parameter_on, referenced_months,
                        subsidy_last_day)


# =================================================================================================
# （一） 落实援企稳岗政策
# =================================================================================================
heping_ui_contribution_months = fact(
    Organisation, int, "依法缴纳失业保险费的月数（至申请稳岗返还时）", reference="heping/一", unit="month")
heping_layoff_rate = fact(
    Organisation, float, "上年度裁员率（裁员人数占上年初参保职工人数的比例，不裁员为0）", reference="heping/一", unit="/1")
heping_city_unemployment_target = fact(
    Organisation, float, "我市调查失业率控制目标（申请年度，比例，如5.5%记0.055）", reference="heping/一", unit="/1",
    doc="申请年度我市调查失业率控制目标；本文件只提及该目标、未写明数值，由个案填写。")
heping_insured_employee_count = fact(
    Organisation, int, "参保职工人数", reference="heping/一", unit="person")
heping_prior_year_ui_contributions = fact(
    Organisation, float, "上年度企业与职工实际缴纳的失业保险费（元）", reference="heping/一", unit="currency-CNY")
heping_refund_application_date = fact(
    Organisation, date, "申请稳岗返还的日期", default=NOT_GIVEN, reference="heping/一")

heping_1_enterprise = condition(
    Organisation, "企业", "heping/一",
    lambda org, period, parameters: np.isin(org("org_type", period), ENTERPRISES),
    doc="有限责任公司、股份有限公司、其他企业；个体工商户、民办非企业单位不是企业。")


def _insured_12_months(org, period, parameters):
    minimum = parameters(at(org, period)).heping.c01.min_insured_months
    return org("heping_ui_contribution_months", period) >= minimum


heping_1_insured_12_months = condition(
    Organisation, "依法缴纳失业保险费满12个月", "heping/一", _insured_12_months)

heping_1_no_layoffs = condition(
    Organisation, "不裁员", "heping/一",
    lambda org, period, parameters: org("heping_layoff_rate", period) == 0)

heping_1_below_city_target = condition(
    Organisation, "裁员率低于我市调查失业率控制目标", "heping/一",
    lambda org, period, parameters: org("heping_layoff_rate", period) < org("heping_city_unemployment_target", period))


def _small_firm(org, period, parameters):
    maximum = parameters(at(org, period)).heping.c01.small_firm_max_insured
    return org("heping_insured_employee_count", period) <= maximum


heping_1_small_firm = condition(
    Organisation, "参保职工30人及以下的小微企业", "heping/一", _small_firm,
    doc="参保职工人数不超过30人（含30人）。")


def _within_relaxed_rate(org, period, parameters):
    limit = parameters(at(org, period)).heping.c01.small_firm_layoff_rate
    return org("heping_layoff_rate", period) <= limit


heping_1_layoff_rate_within_20 = condition(
    Organisation, "裁员率放宽至20%（不超过20%）", "heping/一", _within_relaxed_rate)


@installments("heping/一/refund")
def job_retention_refund(org, period, parameters):
    p = heping_parameters(org, period).c01
    amount = np.round(p.refund_share * org("heping_prior_year_ui_contributions", period), 2)
    return Installments.stack([(org("heping_refund_application_date", period), amount)])


# --- 提升补贴 ------------------------------------------------------------------------------------------
heping_1_in_service = condition(
    Person, "在职职工", "heping/一",
    lambda person, period, parameters: person("employed", period),
    doc="与单位建立劳动关系的在职职工（单位须在本区参保，见另一条件）。")


heping_1_skill_certificate = condition(
    Person, "取得技能证书（职业资格证书或职业技能等级证书）", "heping/一",
    lambda person, period, parameters: person("skill_certificate_level", period) != SkillLevel.none)

def _upgrade(kind: str, date_name: str):
    def function(person, period, parameters):
        amount = getattr(heping_parameters(person, period).c01.upgrade_subsidy, kind)
        return Installments.stack([(person(date_name, period), np.full(person.count, float(amount)))])
    return function


installments("heping/一/education")(_upgrade("education", "heping_education_upgrade_date"))
installments("heping/一/title")(_upgrade("title", "heping_professional_title_date"))
installments("heping/一/skill")(_upgrade("skill", "skill_certificate_date"))


# =================================================================================================
# （九） 鼓励青年群体基层就业: 大学生就业见习基地
# =================================================================================================
heping_9_internship_base = fact(
    Organisation, bool, "我区管辖的大学生就业见习基地", reference="heping/九")
heping_9_meets_city_conditions = fact(
    Person, bool, "符合本市就业见习条件的高校毕业生（如离校未就业高校毕业生）", reference="heping/九")
heping_9_final_year_vocational_student = fact(
    Person, bool, "参加见习时为中等职业学校、技工院校毕业学年学生", reference="heping/九")
heping_9_retained = fact(
    Person, bool, "被见习基地留用（与见习基地签订劳动合同）", reference="heping/九")

heping_9_base = condition(
    Organisation, "我区管辖的大学生就业见习基地", "heping/九",
    lambda org, period, parameters: org("heping_9_internship_base", period))

heping_9_university_graduate = condition(
    Person, "高校毕业生（大专及以上学历）", "heping/九",
    lambda person, period, parameters: np.isin(person("education_level", period), HIGHER_EDUCATION))

heping_9_city_conditions = condition(
    Person, "符合本市就业见习人员条件", "heping/九",
    lambda person, period, parameters: person("heping_9_meets_city_conditions", period))

heping_9_vocational_final_year = condition(
    Person, "中等职业学校、技工院校毕业学年学生", "heping/九",
    lambda person, period, parameters: person("heping_9_final_year_vocational_student", period))


heping_9_retained_condition = condition(
    Person, "留用（见习基地留用见习人员）", "heping/九",
    lambda person, period, parameters: person("heping_9_retained", period))


def _retention_contract(person, period, parameters):
    signed = person("contract_start_date", period)
    return (signed >= person("internship_start_date", period)) & (signed <= base.assessment_day(person, period))


heping_9_retention_contract = condition(
    Person, "见习开始后与见习基地签订劳动合同（留用之日）", "heping/九", _retention_contract,
    doc="劳动合同起始日期不早于见习开始日期，且不晚于评估之日。")


@installments("heping/九/living_allowance")
def internship_living_allowance(person, period, parameters):
    """One installment per completed internship month (k = 1 … 12, the k-th month completing the day
    before the k-th monthly anniversary of the start), on or before the internship's end: 80% of the
    Tianjin minimum wage in force on that day."""
    share = parameter_history(person, "heping.c09.living_allowance_share")
    wage = parameter_history(person, "reference.minimum_wage.tianjin")
    months = int(heping_parameters(person, period).c09.max_months)
    return monthly(person("internship_start_date", period), person("internship_end_date", period), months,
                   lambda due: np.round(parameter_on(share, due) * parameter_on(wage, due), 2))


def _set_elsewhere_at_start(person, period, parameters):
    start = person("internship_start_date", period)
    return Installments.stack([(start, np.full(person.count, np.nan))])


installments("heping/九/tutoring_fee")(_set_elsewhere_at_start)
installments("heping/九/accident_insurance")(_set_elsewhere_at_start)


@installments("heping/九/retention")
def retention_reward(person, period, parameters):
    amount = float(heping_parameters(person, period).c09.retention_reward)
    return Installments.stack([(person("contract_start_date", period), np.full(person.count, amount))])


# =================================================================================================
# （十） 鼓励企业吸纳就业
# =================================================================================================
heping_sme = fact(Organisation, bool, "中小微企业（按国家企业划型标准）", reference="heping/十")
heping_small_micro = fact(Organisation, bool, "小微企业（按国家企业划型标准）", reference="heping/十")
heping_tech_startup_sme = fact(Organisation, bool, "初创期科技型中小企业", reference="heping/十")
heping_graduate_startup = fact(Organisation, bool, "大学生创业企业", reference="heping/十")
heping_elderly_care = fact(Organisation, bool, "养老服务机构（从事养老服务）", reference="heping/十")
heping_housekeeping = fact(Organisation, bool, "员工制家政服务企业", reference="heping/十")

heping_10_registered_unemployed_at_hire = condition(
    Person, "登记失业人员（被招用时）", "heping/十",
    lambda person, period, parameters: person("registered_unemployed_at_hire", period))


def _registered_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c10.registered_unemployed_months
    registered = person("unemployment_registration_date", period)
    return add_months(registered, int(months)) <= person("contract_start_date", period)


heping_10_registered_half_year = condition(
    Person, "登记失业半年以上（至被招用时）", "heping/十", _registered_half_year,
    doc="失业登记之日起满6个月（含）后被招用：招用日期不早于登记日期6个月后的对应日（如2023-01-10登记，2023-07-10起招用的符合，2023-07-09招用的不符合）。")

heping_10_sme = condition(
    Organisation, "中小微企业", "heping/十",
    lambda org, period, parameters: org("heping_sme", period))


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

heping_10_unemployed_since_graduation = condition(
    Person, "离校未就业", "heping/十",
    lambda person, period, parameters: person("heping_unemployed_since_graduation", period))


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


heping_10_social_insurance_paid = condition(
    Person, "按规定缴纳社会保险", "heping/十",
    lambda person, period, parameters: person("social_insurance_paid", period))

heping_10_small_micro = condition(
    Organisation, "小微企业", "heping/十",
    lambda org, period, parameters: org("heping_small_micro", period))

heping_10_tech_startup_sme = condition(
    Organisation, "初创期科技型中小企业", "heping/十",
    lambda org, period, parameters: org("heping_tech_startup_sme", period))

heping_10_graduate_startup = condition(
    Organisation, "大学生创业企业", "heping/十",
    lambda org, period, parameters: org("heping_graduate_startup", period))


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

heping_10_registered_poor_labour = condition(
    Person, "建档立卡贫困劳动力", "heping/十",
    lambda person, period, parameters: person("heping_registered_poor_labour", period))


def _priority_hire(person, period):
    """The employer/person pairs of （十）'s second paragraph that give 3 years of 五项社保补贴."""
    def own(name):
        return person(name, period)

    def org(name):
        return person.organisation(name, period)

    tianjin_graduate = own("heping_10_higher_education") & own("heping_10_tianjin_university") \
        & own("heping_10_hired_within_2_years")
    small = org("heping_10_small_micro") | org("heping_10_tech_startup_sme") | org("heping_10_graduate_startup")
    care = org("heping_10_elderly_care") | org("heping_10_housekeeping")
    older = own("heping_fj2_hard_to_employ") & own("heping_10_female_35_male_45")
    group1 = small & tianjin_graduate
    group2 = care & (tianjin_graduate | own("heping_fj2_hard_to_employ") | own("heping_10_poor_village_labour"))
    group3 = org("heping_10_enterprise") & (own("heping_fj2_special_hard_to_employ") | older
                                            | own("heping_10_registered_poor_labour"))
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


def _si_subsidy_end(years_name):
    def formula(person, period, parameters):
        p = parameters(at(person, period)).heping.c10
        start = person("contract_start_date", period)
        last = subsidy_last_day(person, period, start, getattr(p, years_name), p.retirement_extension_years)
        return np.minimum(last, as_days(person("contract_end_date", period)))
    return formula


heping_10_si_subsidy_end = date_variable(
    "heping_10_si_subsidy_end", Person, "五项社保补贴（最长3年）期限的最后一日", "heping/十",
    _si_subsidy_end("si_subsidy_years"),
    doc="劳动合同起始日起3年的最后一日；起始日距法定退休日期不足5年的，为法定退休日期前一日；不晚于劳动合同终止之日。")

heping_10_si_subsidy_other_end = date_variable(
    "heping_10_si_subsidy_other_end", Person, "五项社保补贴（其他就业困难人员，最长1年）期限的最后一日", "heping/十",
    _si_subsidy_end("other_si_subsidy_years"),
    doc="劳动合同起始日起1年的最后一日；起始日距法定退休日期不足5年的，为法定退休日期前一日；不晚于劳动合同终止之日。")


def _si_subsidy(years_name, end_variable):
    def function(person, period, parameters):
        p = heping_parameters(person, period).c10
        count = 12 * int(max(getattr(p, years_name), p.retirement_extension_years))
        return referenced_months(person("contract_start_date", period), person(end_variable, period), count)
    return function


installments("heping/十/si_subsidy")(_si_subsidy("si_subsidy_years", "heping_10_si_subsidy_end"))
installments("heping/十/si_subsidy_other")(_si_subsidy("other_si_subsidy_years", "heping_10_si_subsidy_other_end"))


@installments("heping/十/post_subsidy")
def post_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c10
    start = person("contract_start_date", period)
    months = int(round(12 * p.post_subsidy_years))
    last = np.minimum(add_months(start, months) - DAY, as_days(person("contract_end_date", period)))
    return referenced_months(start, last, months)


named(globals())
