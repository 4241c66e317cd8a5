"""heping （十一） 支持劳动者灵活就业: 三项社保补贴 (pension, medical, unemployment) for the self-employed and flexibly
employed, a share of the minimum contribution (the Tianjin floor times the three rates): 毕业2年内的本市
高校毕业生 2/3 for at most 2 years; 就业困难人员 at most 3 years, 3/4 for 特殊就业困难人员 and 1/2 for other
women aged 40+ / men aged 50+; a renewed period after the subsidy expired.
"""

import numpy as np

from jiuye.model import base
from jiuye.model.base import Installments, installments, named
from jiuye.model.dates import DAY, add_months, add_years, age_in_years, as_days
from jiuye.model.facts.person import Sex, education_rule
from jiuye.model.partial import asarray, lift_elementwise
from jiuye.model.schedules import parameter_history, parameter_on
from jiuye.model.declared import declare

from ..common import HIGHER_EDUCATION, at, heping_parameters, monthly, subsidy_last_day

declare(globals())

_higher_education_at_start = education_rule("heping/十一/graduate", HIGHER_EDUCATION)


RATES = ("flexible_pension", "medical_employer", "medical_person", "unemployment_employer", "unemployment_person")


# =================================================================================================
# （十一） 支持劳动者灵活就业
# =================================================================================================


def _started_within_years(person, period, parameters):
    years = parameters(at(person, period)).heping.c11.graduate_window_years
    graduated = person("graduation_date", period)
    start = person("heping_flexible_start_date", period)
    return (graduated <= start) & (start <= add_years(graduated, int(years)))


def _previous_expired(person, period, parameters):
    return person("heping_11_previous_subsidy_end_date", period) < base.assessment_day(person, period)


def minimum_contribution(person, dates) -> np.ndarray:
    """三项社保 minimum contribution per month on each date: the Tianjin contribution floor times the sum of
    the pension (flexible-employment rate), medical and unemployment rates (both shares) in force.
    Each value read on a date is unknown where the date is (parameter_on is strict), so the whole
    product is computed strictly at once: the same values and reasons as six lookups and six
    operations on partially known values, in one (tests/test_schedule_paths.py)."""
    floor = parameter_history(person, "reference.contribution_floor.tianjin")
    rates = [parameter_history(person, f"reference.social_insurance_rates.{name}") for name in RATES]
    return lift_elementwise(lambda on: parameter_on(floor, on) * sum(parameter_on(r, on) for r in rates))(dates)


def _graduate_end(person, period, parameters):
    p = parameters(at(person, period)).heping.c11
    start = person("heping_flexible_start_date", period)
    last = add_months(start, int(round(12 * p.graduate_years))) - DAY
    return np.minimum(last, as_days(person("heping_flexible_end_date", period)))


def _hard_to_employ_end(start_of):
    def formula(person, period, parameters):
        p = parameters(at(person, period)).heping.c11
        last = subsidy_last_day(person, period, start_of(person, period), p.hard_to_employ_years,
                                p.retirement_extension_years)
        return np.minimum(last, as_days(person("heping_flexible_end_date", period)))
    return formula


def _flexible_start(person, period):
    return person("heping_flexible_start_date", period)


def _renewal_start(person, period):
    return as_days(person("heping_11_previous_subsidy_end_date", period)) + DAY


def _renewal_start_day(person, period, parameters):
    return _renewal_start(person, period)


_hard_to_employ_end_day = _hard_to_employ_end(_flexible_start)

_renewal_end_day = _hard_to_employ_end(_renewal_start)


def _flexible_months(person, period, start, end_variable, count, share) -> Installments:
    """Monthly installments from `start` completing on or before the subsidy's last day: `share` (vector,
    NaN = set elsewhere) × the minimum contribution on the due date."""
    share = asarray(share, dtype=float)
    return monthly(start, person(end_variable, period), count,
                   lambda due: np.round(share * minimum_contribution(person, due), 2))


@installments("heping/十一/graduate")
def graduate_flexible_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c11
    months = int(round(12 * p.graduate_years))
    return _flexible_months(person, period, _flexible_start(person, period), "heping_11_graduate_end", months,
                            np.full(person.count, float(p.graduate_share)))


def _older(person, period, on, ages):
    age = age_in_years(person("birth_date", period), on)
    sex = person("sex", period)
    return ((sex == Sex.female) & (age >= ages.female)) | ((sex == Sex.male) & (age >= ages.male))


@installments("heping/十一/hard_to_employ")
def hard_to_employ_flexible_subsidy(person, period, parameters):
    """3/4 for 特殊就业困难人员; else 1/2 for women aged 40+ / men aged 50+ when the flexible employment
    starts; else the standard is set elsewhere (NaN)."""
    p = heping_parameters(person, period).c11
    start = _flexible_start(person, period)
    special = person("heping_fj2_special_hard_to_employ", period)
    older = _older(person, period, start, p.older_age)
    share = np.where(special, p.special_share, np.where(older, p.older_share, np.nan))
    count = 12 * int(max(p.hard_to_employ_years, p.retirement_extension_years))
    return _flexible_months(person, period, start, "heping_11_hard_to_employ_end", count, share)


@installments("heping/十一/renewal")
def renewed_flexible_subsidy(person, period, parameters):
    p = heping_parameters(person, period).c11
    count = 12 * int(max(p.hard_to_employ_years, p.retirement_extension_years))
    return _flexible_months(person, period, _renewal_start(person, period), "heping_11_renewal_end", count,
                            np.full(person.count, float(p.special_share)))


named(globals())
