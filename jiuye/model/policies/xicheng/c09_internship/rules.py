"""Clause 9 (鼓励青年积极参与就业见习): the 见习生活补贴, 2000 a month for at most one year, for district
graduates and 青年失业人员 interning at a recognised 见习单位; statuses judged on the internship start.
"""

from jiuye.model.base import installments, named
from jiuye.model.dates import add_years
from jiuye.model.facts.person import EducationLevel, education_on_moment, education_rule
from jiuye.model.facts.places import City
from jiuye.model.schedules import monthly
from jiuye.model.declared import declare

from ..common import HIGHER_EDUCATION, hukou_in_xicheng_at

declare(globals())


_hukou_at_internship_start = hukou_in_xicheng_at("xicheng/9")


def _within_graduation_window(person, period, parameters):
    years = parameters(period).xicheng.c09.graduation_window_years
    graduated = person("graduation_date", period)
    start = person("internship_start_date", period)
    return (graduated <= start) & (start <= add_years(graduated, int(years)))


# 北京生源高校毕业生、中专毕业生及技工院校毕业生: the education held on the internship start
_secondary_vocational_at_internship_start = education_rule("xicheng/9", [EducationLevel.secondary_vocational.index])
_technical_school_at_internship_start = education_rule("xicheng/9", [EducationLevel.technical_school.index])


def _beijing_sourced_higher_graduate(person, period, parameters):
    return (education_on_moment(person, period, "xicheng/9", HIGHER_EDUCATION)
        & (person("student_origin_city", period) == City.beijing))


def _youth_no_unemployment_insurance(person, period, parameters):
    return (~(person("xicheng_unemployed_youth", period)
        & person("receives_unemployment_insurance", period)))


@installments("xicheng/9")
def internship_allowance(person, period, parameters):
    p = parameters.xicheng.c09
    return monthly(person("internship_start_date", period), person("internship_end_date", period),
                   int(round(12 * p.max_years)), p.monthly_amount)


named(globals())
