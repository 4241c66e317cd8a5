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


def _fen(values) -> np.ndarray:
    """Yuan amounts in float64, rounded to the fen (OpenFisca stores floats as float32)."""
    return np.round(asarray(values, dtype=np.float64), 2)


def _grew(person, period, parameters, year: int) -> np.ndarray:
    """Monetary wage income of contract year `year + 1` at least 5% above that of year `year`
    (5%以上 includes 5%). Incomes and the threshold are compared at the fen in float64, so exactly
    5% is never lost to float32 storage or to 1.05 not being exact in binary."""
    rate = float(parameters.xicheng.c22.wage_growth_rate)
    before = _fen(person(f"xicheng_22_wage_income_year_{year}", period))
    after = _fen(person(f"xicheng_22_wage_income_year_{year + 1}", period))
    return after >= np.round(before * (1 + rate), 2)   # NaN (not given) compares False


def _wage_growth_5_percent(person, period, parameters):
    return _grew(person, period, parameters(period), 1)


def _contract_year_end(person, period, k: int) -> np.ndarray:
    return add_years(person("contract_start_date", period), k) - DAY


@installments("xicheng/22/hire")
def high_skilled_hire_subsidy(person, period, parameters):
    p = parameters.xicheng.c22
    completed = _contract_year_end(person, period, p.stable_years)
    return Installments.stack([(only_if(completed <= person("contract_end_date", period), completed),
                                p.hire_subsidy)])


@installments("xicheng/22/wage")
def high_skilled_wage_subsidy(person, period, parameters):
    p = parameters.xicheng.c22
    end = person("contract_end_date", period)
    years = min(int(p.max_years), WAGE_YEARS - 1)
    kept_up = np.ones(person.count, dtype=bool)
    slots = []
    for k in range(1, years + 1):
        kept_up = kept_up & _grew(person, period, parameters, k)
        due = _contract_year_end(person, period, k + 1)
        slots.append((only_if(kept_up & (due <= end), due), p.wage_subsidy))
    return Installments.stack(slots)


named(globals())
