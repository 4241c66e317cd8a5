"""heping 附件2 名词解释: the conditions of 特殊就业困难人员 and 重点创业人群 (the named groups are in definitions.yaml).
"""

import numpy as np

from jiuye.model.base import condition, named
from jiuye.model.dates import add_years
from jiuye.model.entities import Person
from jiuye.model.facts.places import City

from ..common import HIGHER_EDUCATION, at


# =================================================================================================
# 附件2 1. 特殊就业困难人员
# =================================================================================================


# =================================================================================================
# 附件2 2. 重点创业人群 (judged on the registration date of the business the person founded)
# =================================================================================================
def _founding_date(person, period):
    return person.organisation("registration_date", period)


def _tianjin_full_time_student(person, period, parameters):
    return person("heping_full_time_student", period) & (person("heping_school_city", period) == City.tianjin)


heping_fj2_tianjin_full_time_student = condition(
    Person, "本市全日制高校在校生", "heping/附件2/2", _tianjin_full_time_student,
    doc="创办企业时为天津市高校的全日制在校生。")

heping_fj2_higher_education = condition(
    Person, "高校毕业生（大专及以上学历）", "heping/附件2/2",
    lambda person, period, parameters: np.isin(person("education_level", period), HIGHER_EDUCATION))


def _graduated_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.fj2.graduate_window_years
    graduated = person("graduation_date", period)
    founded = _founding_date(person, period)
    return (graduated <= founded) & (founded <= add_years(graduated, int(years)))


heping_fj2_graduated_within_5_years = condition(
    Person, "毕业5年内", "heping/附件2/2", _graduated_within_years,
    doc="以所创办企业（个体工商户）的登记注册日期计：不早于毕业日期，且不晚于毕业满5年的对应日（含）。")


def _settled_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.fj2.haihe_window_years
    settled = person("heping_haihe_settlement_date", period)
    founded = _founding_date(person, period)
    return (settled <= founded) & (founded <= add_years(settled, int(years)))


heping_fj2_settled_within_5_years = condition(
    Person, "落户5年内", "heping/附件2/2", _settled_within_years,
    doc="以所创办企业（个体工商户）的登记注册日期计：不早于落户日期，且不晚于落户满5年的对应日（含）。")

heping_fj2_hard_to_employ = condition(
    Person, "就业困难人员", "heping/附件2/1",
    lambda person, period, parameters: person("hard_to_employ", period),
    doc="经认定的就业困难人员（天津市认定）。")

named(globals())
