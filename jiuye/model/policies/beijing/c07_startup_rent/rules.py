"""beijing/7 支持高校毕业生创新创业：

* 场地租金补贴 the districts may give graduates renting start-up premises for the first time (NaN).
"""

from datetime import date

from jiuye.model.base import assessment_day, condition, fact, named
from jiuye.model.entities import Organisation, Person

from ..common import in_beijing, referenced_one_off

beijing_first_startup_lease = fact(Organisation, bool, "初次租用创业场地", reference="beijing/7")

beijing_startup_lease_start_date = fact(Organisation, date, "创业场地起租日期", reference="beijing/7")

beijing_7_founder = condition(
    Person, "高校毕业生创业（所创办单位的创业者）", "beijing/7",
    lambda person, period, parameters: person.has_role(Organisation.FOUNDER))

beijing_7_premises_in_beijing = condition(
    Organisation, "创业场地位于本市（各区）", "beijing/7",
    lambda org, period, parameters: in_beijing(org("premises_district", period)))


def _first_lease(org, period, parameters):
    started = org("beijing_startup_lease_start_date", period) <= assessment_day(org, period)
    return org("beijing_first_startup_lease", period) & started


beijing_7_first_lease = condition(
    Organisation, "初次租用创业场地（起租日不晚于评估之日）", "beijing/7", _first_lease)


beijing_7_installment_count, beijing_7_last_due, beijing_7_amount_referenced = referenced_one_off(
    "beijing/7", "beijing_7", Person, "场地租金补贴", "beijing_startup_lease_start_date", of_organisation=True)


named(globals())
