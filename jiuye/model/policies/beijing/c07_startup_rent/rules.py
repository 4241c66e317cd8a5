"""beijing/7 支持高校毕业生创新创业：

* 场地租金补贴 the districts may give graduates renting start-up premises for the first time (NaN).
"""

from jiuye.model.base import assessment_day, named
from jiuye.model.entities import Person
from jiuye.model.declared import declare
from jiuye.model.facts.person import education_rule

from ..common import HIGHER_EDUCATION, in_beijing, referenced_one_off

declare(globals())

_higher_education_at_lease = education_rule("beijing/7", HIGHER_EDUCATION)


def _premises_in_beijing(org, period, parameters):
    return in_beijing(org("premises_district", period))


def _first_lease(org, period, parameters):
    started = org("beijing_startup_lease_start_date", period) <= assessment_day(org, period)
    return org("beijing_first_startup_lease", period) & started


beijing_7_installment_count, beijing_7_last_due, beijing_7_amount_referenced = referenced_one_off(
    "beijing/7", "beijing_7", Person, "场地租金补贴", "beijing_startup_lease_start_date", of_organisation=True)


named(globals())
