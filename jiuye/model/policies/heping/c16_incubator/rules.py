"""heping （十六） 支持创业孵化载体建设: 建设费补贴 up to 500000 (+50% when half the incubated firms are students'),
10000 per new incubated firm operating a year with 2 jobs or more, 3000 per new job. An incubated firm
is represented by its founder, a `members` person of the incubator.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named
from jiuye.model.dates import DAY, add_months
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

from ..common import at, by_assessment_day, document_window, heping_parameters

declare(globals())


# =================================================================================================
# （十六） 支持创业孵化载体建设
# =================================================================================================


def _operated_one_year(person, period, parameters):
    years = parameters(at(person, period)).heping.c16.operating_years
    entered = person("heping_16_incubatee_entry_date", period)
    return by_assessment_day(person, add_months(entered, int(round(12 * years))) - DAY, period)


def _jobs_two(person, period, parameters):
    return person("heping_16_incubatee_jobs", period) >= parameters(at(person, period)).heping.c16.min_jobs


def _jobs_year_day(person, period, parameters):
    """The first day of the counted year on which this document is in force, or the year's first day
    (last day) when the document starts after (ends before) the year: in the window exactly when the
    year overlaps it."""
    year = asarray(person("heping_16_jobs_year", period), dtype=np.int64)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    last = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - DAY
    opens, _ = document_window(person)
    return np.minimum(np.maximum(first, opens), last)


def _new_jobs(person, period, parameters):
    return person("heping_16_new_jobs_in_year", period) > 0


@installments("heping/十六/construction")
def construction_subsidy(org, period, parameters):
    p = heping_parameters(org, period).c16
    assessed = org("heping_16_assessed_construction_subsidy", period)
    unknown = np.isnan(assessed)
    uplift = np.where(org("heping_16_student_incubatee_share", period) >= p.graduate_share, 1 + p.uplift, 1.0)
    base = np.where(unknown, p.construction_max, np.minimum(np.where(unknown, 0.0, assessed), p.construction_max))
    return Installments.stack([(org("heping_16_recognition_date", period), np.round(base * uplift, 2), unknown)])


@installments("heping/十六/incubation")
def incubation_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c16
    due = add_months(person("heping_16_incubatee_entry_date", period), int(round(12 * p.operating_years))) - DAY
    amount = p.incubation_subsidy / p.firms_per_subsidy
    return Installments.stack([(due, np.full(person.count, float(amount)))])


@installments("heping/十六/jobs")
def job_creation_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c16
    year = asarray(person("heping_16_jobs_year", period), dtype=np.int64)
    due = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]") - DAY      # 31 December of the year
    jobs = np.floor(np.nan_to_num(person("heping_16_new_jobs_in_year", period)))
    return Installments.stack([(due, p.jobs_subsidy * jobs)])


named(globals())
