"""Clause 25 (鼓励经营性人力资源服务机构参与公共就业服务): 1000 per Xicheng-hukou registered unemployed person
an agency places into stable employment of 6 months or more (职业介绍补贴).
"""

from jiuye.model.base import Installments, assessment_day, installments, named
from jiuye.model.declared import declare

from ..common import completed_on

declare(globals())


def _placed_registered_unemployed(org, period, parameters):
    return org("xicheng_25_placements", period) >= 1


def _six_months(org, period, parameters):
    months = parameters(period).xicheng.c25.min_months
    completed = completed_on(org("xicheng_25_employment_start_date", period), months)
    return completed <= assessment_day(org, period)


@installments("xicheng/25")
def placement_subsidy(org, period, parameters):
    p = parameters.xicheng.c25
    count = org("xicheng_25_placements", period)
    due = completed_on(org("xicheng_25_employment_start_date", period), p.min_months)
    return Installments.stack([(due, count * p.amount_per_person)])


named(globals())
