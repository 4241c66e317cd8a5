"""Clause 14 (降低创业创新成本): the 房租补贴 of a business founded by a Xicheng-hukou worker, registered in
Xicheng and operating one year or more: at most 40000 (premises in Xicheng) or 20000 (门头沟区) a year, three years.
"""

import numpy as np

from jiuye.model.base import Installments, assessment_day, condition, installments, named
from jiuye.model.dates import DAY, add_years
from jiuye.model.entities import Organisation
from jiuye.model.facts.places import District
from jiuye.model.declared import declare

from ..common import in_district

declare(globals())


def _founder_hukou(org, period, parameters):
    xicheng = org.members("hukou_district", period) == District.xicheng
    return org.any(xicheng, role=Organisation.FOUNDER)


xicheng_14_registered_in_district = condition(
    Organisation, "在本区注册", "xicheng/14", in_district("registration_district"))


def _operating_one_year(org, period, parameters):
    years = parameters(period).xicheng.c14.min_operating_years
    completed = add_years(org("registration_date", period), years) - DAY
    return completed <= assessment_day(org, period)


xicheng_14_premises_in_district = condition(
    Organisation, "经营场所在本区", "xicheng/14", in_district("premises_district"))

xicheng_14_premises_in_mentougou = condition(
    Organisation, "经营场所在门头沟区", "xicheng/14", in_district("premises_district", District.mentougou))


@installments("xicheng/14")
def rent_subsidy(org, period, parameters):
    """One installment per completed operating year k = 1..3 (due on its last day): the year's rent up
    to the cap of the premises' district; the cap itself (ceiling) when the rent is not given."""
    p = parameters.xicheng.c14
    premises = org("premises_district", period)
    cap = np.where(premises == District.xicheng, p.cap_xicheng,
                   np.where(premises == District.mentougou, p.cap_mentougou, 0.0))
    rent = org("annual_rent", period)
    unknown = np.isnan(rent)
    amount = np.where(unknown, cap, np.minimum(np.where(unknown, 0.0, rent), cap))
    start = org("registration_date", period)
    slots = []
    for k in range(1, int(p.max_years) + 1):
        slots.append((add_years(start, k) - DAY, amount, unknown))
    return Installments.stack(slots)


named(globals())
