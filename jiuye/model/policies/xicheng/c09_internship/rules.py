"""Clause 9 (鼓励青年积极参与就业见习): the 见习生活补贴, 2000 a month for at most one year, for district
graduates and 青年失业人员 interning at a recognised 见习单位; statuses judged on the internship start.
"""

import numpy as np

from jiuye.model.base import condition, fact, installments, named
from jiuye.model.dates import add_years
from jiuye.model.entities import Organisation, Person
from jiuye.model.facts.person import EducationLevel
from jiuye.model.facts.places import City
from jiuye.model.schedules import monthly

from ..common import HIGHER_EDUCATION


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
