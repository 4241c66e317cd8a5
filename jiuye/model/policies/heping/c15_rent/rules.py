"""heping （十五） 给予创业房租补贴: a house 1000 + 500 per job created, at most 2500 a month; a workstation 300 + 300
per job, at most 600; at most 2 years.
"""

import numpy as np

from jiuye.model.base import installments, named
from jiuye.model.dates import DAY, NEVER, add_months, add_years, as_days
from jiuye.model.entities import Organisation
from jiuye.model.facts.organisation import OrgType
from jiuye.model.declared import declare

from ..common import ENTERPRISES, at, heping_parameters, monthly

declare(globals())


# =================================================================================================
# （十五） 给予创业房租补贴
# =================================================================================================


def _priority_founder(org, period, parameters):
    return org.any(org.members("heping_fj2_priority_founder", period), role=Organisation.FOUNDER)


def _business_form(org, period, parameters):
    return (np.isin(org("org_type", period),
        ENTERPRISES + [OrgType.individual_business.index]))


def _applied_within_year(org, period, parameters):
    years = parameters(at(org, period)).heping.c15.application_years
    registered = org("registration_date", period)
    applied = org("heping_15_application_date", period)
    return (registered <= applied) & (applied <= add_years(registered, int(years)))


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
