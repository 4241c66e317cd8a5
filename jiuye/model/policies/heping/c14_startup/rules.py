"""heping （十四） 给予首次创业补贴: 五项社保补贴 (3 years) and 岗位补贴 (1 year), set by the city, for 重点创业人群 and
就业困难人员 founding their first enterprise; 3000 一次性创业补贴 after a year of operation (three months
for 本市困难村劳动力).
"""

import numpy as np

from jiuye.model.base import Installments, condition, installments, named
from jiuye.model.dates import DAY, add_months
from jiuye.model.entities import Organisation
from jiuye.model.facts.person import hukou_on_moment
from jiuye.model.facts.places import City, city_of
from jiuye.model.declared import declare

from ..common import at, by_assessment_day, heping_parameters, referenced_months

declare(globals())


# =================================================================================================
# （十四） 给予首次创业补贴
# =================================================================================================


def _tianjin_hukou_at_founding(person, period, parameters):
    """本市户籍 on the day the enterprise is registered (both 一次性创业补贴 measures judge it then)."""
    return hukou_on_moment(person, period, "heping/十四/one_off", lambda district: city_of(district) == City.tianjin)


def _unemployed_half_year(person, period, parameters):
    months = parameters(at(person, period)).heping.c14.registered_unemployed_months
    registered = person("unemployment_registration_date", period)
    return add_months(registered, int(months)) <= person.organisation("registration_date", period)


def _operated(months_of):
    """Operating for the months `months_of(parameters of （十四）)` since registration, completed by the
    assessment day (the n-th month completes the day before the n-th monthly anniversary)."""
    def formula(org, period, parameters):
        months = months_of(parameters(at(org, period)).heping.c14)
        return by_assessment_day(org, add_months(org("registration_date", period), months) - DAY, period)
    return formula


heping_14_operating_one_year = condition(
    Organisation, "经营满1年（自登记注册之日起）", "heping/十四",
    _operated(lambda p: int(round(12 * p.operating_years))),
    doc="第一年在登记日一年后对应日的前一日届满，届满之日不晚于评估之日。")

heping_14_operating_3_months = condition(
    Organisation, "在本区注册经营3个月以上", "heping/十四",
    _operated(lambda p: int(p.poor_village_months)),
    doc="自登记注册之日起第3个月届满（登记日3个月后对应日的前一日），届满之日不晚于评估之日。")


def _jobs_at_least(org, period, parameters):
    return org("heping_jobs_created", period) >= parameters(at(org, period)).heping.c14.min_jobs


def _si_12_months(org, period, parameters):
    return org("heping_consecutive_si_months", period) >= parameters(at(org, period)).heping.c14.si_months


def _founder_months(years_name):
    def function(person, period, parameters):
        p = heping_parameters(person, period).c14
        months = int(round(12 * getattr(p, years_name)))
        start = person.organisation("registration_date", period)
        return referenced_months(start, add_months(start, months) - DAY, months)
    return function


installments("heping/十四/si_subsidy")(_founder_months("si_subsidy_years"))
installments("heping/十四/post_subsidy")(_founder_months("post_subsidy_years"))


@installments("heping/十四/one_off")
def startup_one_off(person, period, parameters):
    p = heping_parameters(person, period).c14
    due = add_months(person.organisation("registration_date", period), int(round(12 * p.operating_years))) - DAY
    return Installments.stack([(due, np.full(person.count, float(p.one_off)))])


@installments("heping/十四/one_off_poor_village")
def startup_one_off_poor_village(person, period, parameters):
    p = heping_parameters(person, period).c14
    due = add_months(person.organisation("registration_date", period), int(p.poor_village_months)) - DAY
    return Installments.stack([(due, np.full(person.count, float(p.one_off)))])


named(globals())
