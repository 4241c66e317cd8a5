"""Clause 19 (提升劳动者职业素养): 200 per employee trained on a traceable online platform for 40课时
(1800 minutes) or more, to an enterprise registered, insured and taxed in Xicheng.
"""

from jiuye.model.base import Installments, assessment_day, installments, named
from jiuye.model.declared import declare

declare(globals())


def _online_minutes(person, period, parameters):
    minimum = parameters(period).xicheng.c19.min_minutes
    minutes = person("xicheng_19_online_training_minutes", period)
    ended = person("training_end_date", period) <= assessment_day(person, period)
    return (minutes >= minimum) & ended


@installments("xicheng/19")
def online_training_subsidy(person, period, parameters):
    p = parameters.xicheng.c19
    return Installments.stack([(person("training_end_date", period), p.subsidy_per_person)])


named(globals())
