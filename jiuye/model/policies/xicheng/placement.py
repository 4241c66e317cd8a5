"""Clauses 4, 7 and 9: monthly subsidies for placements.

* 4 — 托底安置: a Xicheng 社会公益性就业组织 placing an eligible 就业困难人员 gets a 岗位补贴 of 75% of the
  Beijing 全口径城镇单位就业人员平均工资 per placed person per month.
* 7 — a 农村地区劳动力输出单位 placing 本市农村劳动力 in recognised 城市公共服务类岗位 with 实现稳定就业
  gets a 食宿补贴 of 1000 per person per month within the contract, at most three years, from 2021.
* 9 — 见习生活补贴 of 2000 per person per month, at most one year, for district graduates and 青年失业人员
  interning at a recognised 见习单位 (paid through the unit to the intern).
"""

import numpy as np

from jiuye.model.base import condition, fact, installments, named
from jiuye.model.dates import DAY, add_years, period_last_day
from jiuye.model.schedules import (first_instant, first_month_completing_on_or_after, month_index, monthly,
                                   parameter_history, parameter_on)
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.organisation import OrgType
from jiuye.model.facts.person import EducationLevel
from jiuye.model.facts.places import City, District

from .employment import HIGHER_EDUCATION

# The text of clause 4 sets no maximum duration: installments are listed up to the last day of the
# 12th calendar month after the assessment month (a listing horizon, not a legal limit).
LISTING_HORIZON_MONTHS = 12


# --- generic helpers -----------------------------------------------------------------------------
def measure_valid_from(population, measure_id: str) -> np.datetime64:
    """The first day of a catalogue record's validity window (its `valid_from`)."""
    measure = population.simulation.tax_benefit_system.catalogue.measure(measure_id)
    return np.datetime64(measure.valid_from, "D")


# --- clause 4: 社会公益性就业组织托底安置 ----------------------------------------------------------------
xicheng_4_public_welfare_org = condition(
    Organisation, "社会公益性就业组织", "xicheng/4",
    lambda org, period, parameters: org("org_type", period) == OrgType.public_welfare_employment_org)

xicheng_4_org_in_xicheng = condition(
    Organisation, "西城区（组织注册地在本区）", "xicheng/4",
    lambda org, period, parameters: org("registration_district", period) == District.xicheng)

xicheng_4_hard_to_employ = condition(
    Person, "安置符合条件的就业困难人员", "xicheng/4",
    lambda person, period, parameters: person("hard_to_employ", period),
    doc="经认定的就业困难人员，由该组织安置（劳动合同为其职工）。")


@installments("xicheng/4")
def public_welfare_post_subsidy(person, period, parameters):
    share = parameter_history(person, "xicheng.c04.average_wage_share")
    wage = parameter_history(person, "reference.average_wage.beijing_monthly")
    start = person("contract_start_date", period)
    end = person("contract_end_date", period)
    month = period_last_day(period).astype("datetime64[M]")
    horizon = (month + np.timedelta64(LISTING_HORIZON_MONTHS + 1, "M")).astype("datetime64[D]") - DAY
    from_day = first_instant(share)                       # no 75% standard before the document's date
    first = first_month_completing_on_or_after(start, from_day)
    count = max(int(month_index(horizon) - month_index(from_day)) + 2, 1)
    return monthly(start, end, count,
                   lambda due: np.round(parameter_on(share, due) * parameter_on(wage, due), 2),
                   first=first, last_due=horizon)


# --- clause 7: 农村地区劳动力输出单位 食宿补贴 ---------------------------------------------------------
xicheng_rural_labour_export_unit = fact(
    Organisation, bool, "由北京市人力资源和社会保障局确定的农村地区劳动力输出单位", reference="xicheng/7")
xicheng_city_public_service_post = fact(
    Person, bool, "在本区认定的城市公共服务类岗位工作（环境卫生、园林绿化、市政市容、公共物业、保安辅警、邮政等）",
    reference="xicheng/7", doc="城市公共服务类岗位每年认定一次：岗位在评估当年经本区认定。")


xicheng_7_city_rural_labour = condition(
    Person, "本市农村劳动力（符合京人社就发〔2018〕106号的人员）", "xicheng/附则/二",
    lambda person, period, parameters: person("rural_labour", period) & (person("hukou_city", period) == City.beijing),
    doc="农村劳动力（按京人社就发〔2018〕106号认定），且户籍在本市。")


@installments("xicheng/7")
def board_and_lodging_subsidy(person, period, parameters):
    p = parameters.xicheng.c07
    start = person("contract_start_date", period)
    end = person("contract_end_date", period)
    from_day = measure_valid_from(person, "xicheng/7")      # 2021年起: the record's valid_from
    first = first_month_completing_on_or_after(start, from_day)
    return monthly(start, end, int(round(12 * p.max_years)), p.monthly_amount, first=first)


# --- clause 9: 就业见习 见习生活补贴 ----------------------------------------------------------------
xicheng_recognised_internship_unit = fact(Organisation, bool, "经本区认定的就业见习单位", reference="xicheng/9")
xicheng_meets_city_internship_subsidy_conditions = fact(
    Person, bool, "符合市级就业见习补贴领取条件", reference="xicheng/9")
xicheng_internship_si_via_district_centre = fact(
    Person, bool, "就业见习期间在本区人力资源公共服务中心代缴社会保险", reference="xicheng/9")
xicheng_internship_allowance_received_before = fact(
    Person, bool, "此前已享受过见习生活补贴", reference="xicheng/9",
    doc="此前的见习已享受过见习生活补贴（每名见习人员只能享受一次）。")

xicheng_9_intern = condition(
    Person, "在见习单位参加就业见习", "xicheng/9",
    lambda person, period, parameters: person.has_role(Organisation.INTERN),
    doc="在情形中列为该见习单位的见习人员（interns）。")


def _within_graduation_window(person, period, parameters):
    years = parameters(period).xicheng.c09.graduation_window_years
    graduated = person("graduation_date", period)
    start = person("internship_start_date", period)
    return (graduated <= start) & (start <= add_years(graduated, int(years)))


xicheng_9_within_two_years_of_graduation = condition(
    Person, "毕业2年内", "xicheng/9", _within_graduation_window,
    doc="按参加就业见习之日计算：毕业之日起2年内，至毕业满2年的对应日（含）为止。")

xicheng_9_not_employed = condition(
    Person, "未就业", "xicheng/9", lambda person, period, parameters: ~person("employed", period))

xicheng_9_beijing_sourced_higher_graduate = condition(
    Person, "北京生源高校毕业生", "xicheng/9",
    lambda person, period, parameters: (np.isin(person("education_level", period), HIGHER_EDUCATION)
                                        & (person("student_origin_city", period) == City.beijing)),
    doc="大专及以上学历，入学前户籍在北京市。")

xicheng_9_secondary_vocational_graduate = condition(
    Person, "中专毕业生", "xicheng/9",
    lambda person, period, parameters: person("education_level", period) == EducationLevel.secondary_vocational)

xicheng_9_technical_school_graduate = condition(
    Person, "技工院校毕业生", "xicheng/9",
    lambda person, period, parameters: person("education_level", period) == EducationLevel.technical_school)


xicheng_9_no_flexible_si_subsidy = condition(
    Person, "见习期间不得同时享受灵活就业社会保险补贴", "xicheng/9",
    lambda person, period, parameters: ~person("receives_flexible_employment_si_subsidy", period))

xicheng_9_youth_no_unemployment_insurance = condition(
    Person, "青年失业人员在享受见习生活补贴期间，不得同时享受失业保险金、一次性临时生活补贴等失业保险待遇", "xicheng/9",
    lambda person, period, parameters: ~(person("xicheng_unemployed_youth", period)
                                         & person("receives_unemployment_insurance", period)))


@installments("xicheng/9")
def internship_allowance(person, period, parameters):
    p = parameters.xicheng.c09
    return monthly(person("internship_start_date", period), person("internship_end_date", period),
                   int(round(12 * p.max_years)), p.monthly_amount)


named(globals())
