"""Clause 15 (鼓励创业带动就业): a one-off reward to a 初创主体 per Beijing-hukou hire in stable employment
for 6 months or more in its registration year: 800 from 10 persons, 1000 from 50, at most 100000.
"""

from jiuye.model.base import Installments, condition, installments, named
from jiuye.model.dates import DAY, add_months
from jiuye.model.entities import Organisation
from jiuye.model.schedules import scale_calc
from jiuye.model.declared import declare

from ..common import in_district

declare(globals())


xicheng_15_registered_in_district = condition(
    Organisation, "注册地在本区", "xicheng/15", in_district("registration_district"))

xicheng_15_operating_in_district = condition(
    Organisation, "经营地在本区", "xicheng/15", in_district("premises_district"))


def _at_least_ten(org, period, parameters):
    scale = parameters(period).xicheng.c15.per_person
    lowest = min(t for t, amount in zip(scale.thresholds, scale.amounts) if amount > 0)
    return org("xicheng_15_stable_hires", period) >= lowest


@installments("xicheng/15")
def startup_hiring_reward(org, period, parameters):
    """Persons × the tier's amount (800 from 10, 1000 from 50), due on 30 June of the year after
    registration: by then every hire of the registration year can have completed 6 months. The
    100000 cap is the catalogue's (`cap:` of xicheng/15)."""
    p = parameters.xicheng.c15
    persons = org("xicheng_15_stable_hires", period)
    amount = persons * scale_calc(p.per_person, persons)
    next_year = (org("registration_date", period).astype("datetime64[Y]") + 1).astype("datetime64[D]")
    due = add_months(next_year, p.stable_months) - DAY
    return Installments.stack([(due, amount)])


named(globals())
