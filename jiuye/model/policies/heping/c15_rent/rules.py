"""heping （十五） 给予创业房租补贴: a house 1000 + 500 per job created, at most 2500 a month; a workstation 300 + 300
per job, at most 600; at most 2 years.
"""

from datetime import date

import numpy as np
from openfisca_core.indexed_enums import Enum

from jiuye.model.base import NOT_GIVEN, condition, fact, installments, named
from jiuye.model.dates import DAY, NEVER, add_months, add_years, as_days
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import OrgType

from ..common import ENTERPRISES, at, heping_parameters, monthly


# =================================================================================================
# （十五） 给予创业房租补贴
# =================================================================================================
class Premises(Enum):
    unknown = "未知"
    none = "未租赁经营场所"
    house = "租赁房屋"
    workstation = "租赁工位"


heping_15_premises = fact(Organisation, Enum, "创业经营场所的租赁方式", possible_values=Premises, reference="heping/十五")
heping_15_application_date = fact(
    Organisation, date, "申请创业房租补贴的日期", default=NOT_GIVEN, reference="heping/十五")
heping_15_lease_start_date = fact(
    Organisation, date, "租赁起始日期", default=NOT_GIVEN, reference="heping/十五", optional=True,
    doc="未提供即自登记注册之日起租赁。")
heping_15_lease_end_date = fact(
    Organisation, date, "租赁终止日期", default=NOT_GIVEN, reference="heping/十五", optional=True,
    doc="未提供即仍在租赁。")


def _priority_founder(org, period, parameters):
    return org.any(org.members("heping_fj2_priority_founder", period), role=Organisation.FOUNDER)


heping_15_priority_founder = condition(
    Organisation, "重点创业人群创办", "heping/十五", _priority_founder,
    doc="单位的创业者（角色founder）中至少一人属于附件2的重点创业人群。")

heping_15_business_form = condition(
    Organisation, "企业或个体工商户", "heping/十五",
    lambda org, period, parameters: np.isin(org("org_type", period),
                                            ENTERPRISES + [OrgType.individual_business.index]))


def _applied_within_year(org, period, parameters):
    years = parameters(at(org, period)).heping.c15.application_years
    registered = org("registration_date", period)
    applied = org("heping_15_application_date", period)
    return (registered <= applied) & (applied <= add_years(registered, int(years)))


heping_15_applied_within_one_year = condition(
    Organisation, "注册1年内申请", "heping/十五", _applied_within_year,
    doc="申请日期不早于登记注册日期，且不晚于注册满1年的对应日（含）。")


heping_15_rents_house = condition(
    Organisation, "租赁房屋", "heping/十五",
    lambda org, period, parameters: org("heping_15_premises", period) == Premises.house)

heping_15_rents_workstation = condition(
    Organisation, "租赁工位", "heping/十五",
    lambda org, period, parameters: org("heping_15_premises", period) == Premises.workstation)


def _rent(kind):
    def function(org, period, parameters):
        p = heping_parameters(org, period).c15
        scale = getattr(p, kind)
        jobs = org("heping_jobs_created", period)
        unknown = np.isnan(jobs)
        steps = np.floor(np.where(unknown, 0.0, np.maximum(jobs, 0.0)) / p.jobs_per_step)
        amount = np.where(unknown, scale.max, np.minimum(scale.base + scale.increment * steps, scale.max))
        registered = as_days(org("registration_date", period))
        lease = as_days(org("heping_15_lease_start_date", period))
        start = np.where(lease >= NEVER, registered, np.maximum(lease, registered))
        months = int(round(12 * p.max_years))
        last = np.minimum(add_months(start, months) - DAY, as_days(org("heping_15_lease_end_date", period)))
        inst = monthly(start, last, months, amount)
        inst.ceiling[:] = unknown[:, None]
        return inst
    return function


installments("heping/十五/house")(_rent("house"))
installments("heping/十五/workstation")(_rent("workstation"))


named(globals())
