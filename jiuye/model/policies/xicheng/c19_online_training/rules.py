"""Clause 19 (提升劳动者职业素养): 200 per employee trained on a traceable online platform for 40课时
(1800 minutes) or more, to an enterprise registered, insured and taxed in Xicheng.
"""

from jiuye.model.base import Installments, assessment_day, condition, fact, installments, named
from jiuye.model.entities import Organisation, Person


xicheng_19_traceable_online_platform = fact(
    Organisation, bool, "使用可追溯培训记录的线上平台组织职工培训", reference="xicheng/19")
xicheng_19_online_training_minutes = fact(
    Person, int, "在单位可追溯培训记录的线上平台累计参加职业素质、岗位技能提升等培训的时长（分钟）",
    reference="xicheng/19", unit="minute")


def _online_minutes(person, period, parameters):
    minimum = parameters(period).xicheng.c19.min_minutes
    minutes = person("xicheng_19_online_training_minutes", period)
    ended = person("training_end_date", period) <= assessment_day(person, period)
    return (minutes >= minimum) & ended


xicheng_19_at_least_1800_minutes = condition(
    Person, "累计不低于40课时（1800分钟）", "xicheng/19", _online_minutes,
    doc="按分钟计：1800分钟（含）以上符合；培训结束日期（累计时长达到的日期）在评估之日或之前。")


@installments("xicheng/19")
def online_training_subsidy(person, period, parameters):
    p = parameters.xicheng.c19
    return Installments.stack([(person("training_end_date", period), p.subsidy_per_person)])


named(globals())
