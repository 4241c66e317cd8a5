"""heping 附件2 名词解释: the conditions of 特殊就业困难人员 and 重点创业人群 (the named groups are in definitions.yaml).
"""

from jiuye.model.base import named
from jiuye.model.dates import add_years
from jiuye.model.facts.person import education_held_at
from jiuye.model.facts.places import City
from jiuye.model.declared import declare

from ..common import HIGHER_EDUCATION, at

declare(globals())


# =================================================================================================
# 附件2 1. 特殊就业困难人员
# =================================================================================================


# =================================================================================================
# 附件2 2. 重点创业人群 (judged on the registration date of the business the person founded)
# =================================================================================================
def _founding_date(person, period):
    return person.organisation("registration_date", period)


def _higher_education_at_founding(person, period, parameters):
    return education_held_at(person, period, _founding_date(person, period), HIGHER_EDUCATION)


def _tianjin_full_time_student(person, period, parameters):
    return person("heping_full_time_student", period) & (person("heping_school_city", period) == City.tianjin)


def _graduated_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.fj2.graduate_window_years
    graduated = person("graduation_date", period)
    founded = _founding_date(person, period)
    return (graduated <= founded) & (founded <= add_years(graduated, int(years)))


def _settled_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.fj2.haihe_window_years
    settled = person("heping_haihe_settlement_date", period)
    founded = _founding_date(person, period)
    return (settled <= founded) & (founded <= add_years(settled, int(years)))


named(globals())
