"""Clause 22 (营造聚才稳才良好氛围): hiring a 高技能人才 from outside the district — a subsidy after the
stable years, and a yearly subsidy while the wage grows 5% or more.
"""

import numpy as np

from jiuye.model.base import Installments, installments, named, only_if
from jiuye.model.dates import DAY, add_years
from jiuye.model.partial import asarray
from jiuye.model.declared import declare

from ..common import HIGH_SKILL_LEVELS

declare(globals())


WAGE_YEARS = 4   # the hiring year and the three years whose growth is tested


def _high_skilled_at_hire(person, period, parameters):
    level = person("skill_certificate_level", period)
    return np.isin(level, HIGH_SKILL_LEVELS) & (
        person("skill_certificate_date", period) <= person("contract_start_date", period))


def _wages(person, period, years: int) -> list:
    """Monetary wage incomes of contract years 1 to `years`, each read once, in float64 rounded to
    the fen (OpenFisca stores floats as float32)."""
    return [np.round(asarray(person(f"xicheng_22_wage_income_year_{year}", period), dtype=np.float64), 2)
            for year in range(1, years + 1)]


def _grew(before, after, rate: float) -> np.ndarray:
    """A contract year's wage income `after` at least 5% above the previous year's `before` (5%以上
    includes 5%). Incomes and the threshold are compared at the fen in float64, so exactly 5% is
    never lost to float32 storage or to 1.05 not being exact in binary."""
    return after >= np.round(before * (1 + rate), 2)   # NaN (not given) compares False


def _wage_growth_5_percent(person, period, parameters):
    return _grew(*_wages(person, period, 2), float(parameters(period).xicheng.c22.wage_growth_rate))


def _contract_year_end(start, k: int) -> np.ndarray:
    return add_years(start, k) - DAY


@installments("xicheng/22/hire")
def high_skilled_hire_subsidy(person, period, parameters):
    p = parameters.xicheng.c22
    completed = _contract_year_end(person("contract_start_date", period), p.stable_years)
    return Installments.stack([(only_if(completed <= person("contract_end_date", period), completed),
                                p.hire_subsidy)])


@installments("xicheng/22/wage")
def high_skilled_wage_subsidy(person, period, parameters):
    p = parameters.xicheng.c22
    start, end = person("contract_start_date", period), person("contract_end_date", period)
    years = min(int(p.max_years), WAGE_YEARS - 1)
    wages, rate = _wages(person, period, years + 1), float(p.wage_growth_rate)
    kept_up = None               # every comparison year so far grew by 5% or more
    slots = []
    for k in range(1, years + 1):
        grew = _grew(wages[k - 1], wages[k], rate)
        kept_up = grew if kept_up is None else kept_up & grew
        due = _contract_year_end(start, k + 1)
        slots.append((only_if(kept_up & (due <= end), due), p.wage_subsidy))
    return Installments.stack(slots)


named(globals())
