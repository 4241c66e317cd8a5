"""Generic facts: a value for every input fact nobody wrote a generator for, by the kind its name
and type suggest (flagged as placeholders in the costing report)."""

from __future__ import annotations


import numpy as np

from .base import (NEVER, _Ctx, _as_date, _bern, _districts, _weighted_enum)
from .persons import (city_weights, g_birth_date, g_monthly_wage)

# -- generic facts (new facts nobody wrote a generator for) -------------------------------------------
_COUNT_WORDS = ("count", "number", "headcount", "employees", "persons", "hires", "staff", "members", "_n_")
_MONEY_WORDS = ("fee", "cost", "rent", "amount", "investment", "revenue", "expense", "price", "loan", "fund",
                "income", "turnover", "capital", "tax")


# the placeholder distributions (docs/synthetic-population.md; jiuye.batch.assumptions gives each a range)
GENERIC = {"bool": 0.10, "city": (0.6, 0.05, 0.03, 0.3, 0.0), "date_given": 0.5, "end_date_given": 0.10,
           "amount": (20_000, 1.0), "amount_given": 0.6, "months": (0, 3, 6, 12, 24, 36), "years": 10,
           "count": 8, "int": 3}


def generic_kind(name: str, variable) -> str | None:
    """Which placeholder a fact without a generator gets, from its type and name: bool, district,
    city, enum, birth, date, end_date, wage, rate, cost (amount, sometimes blank), amount, months,
    years, count, int; None: the default is kept."""
    from datetime import date as date_type
    from openfisca_core.indexed_enums import Enum
    vt, lname = variable.value_type, name.lower()
    if vt is bool:
        return "bool"
    if vt is Enum:
        members = set(variable.possible_values.__members__)
        if {"xicheng", "chaoyang"} <= members:
            return "district"
        return "city" if {"beijing", "tianjin"} <= members else "enum"
    if vt is date_type:
        if "birth" in lname:
            return "birth"
        return "end_date" if np.datetime64(variable.default_value, "D") >= NEVER else "date"
    if vt is float:
        if any(w in lname for w in ("wage", "salary", "pay")):
            return "wage"
        if any(w in lname for w in ("rate", "ratio", "share", "percent", "proportion")):
            return "rate"
        return "cost" if any(w in lname for w in _MONEY_WORDS) or np.isnan(variable.default_value) else "amount"
    if vt is int:
        if "month" in lname:
            return "months"
        if "year" in lname:
            return "years"
        return "count" if any(w in lname for w in _COUNT_WORDS) else "int"
    return None


def generic_enum_weights(variable) -> dict[str, float]:
    """Placeholder weights of an enum: uniform, the default member (none/unknown) weighted n/2."""
    members = set(variable.possible_values.__members__)
    default = variable.default_value.name if variable.default_value is not None else None
    weights = {m: 1.0 for m in members}
    if default in weights:           # the default (unknown/none) stays the most frequent value
        weights[default] = max(1.0, len(members) / 2)
    return weights


def generic_fact(c: _Ctx, name: str, variable) -> np.ndarray | None:
    """A plausible value from the fact's type and name, within the fact's declared minimum and maximum
    (a roster refuses values outside them). None: leave the default."""
    value = _generic_fact(c, name, variable)
    if value is not None and variable.value_type in (int, float):
        from jiuye.model.base import fact_bounds
        low, high = fact_bounds(variable)
        if low is not None or high is not None:
            clipped = np.clip(value, low, high)
            value = np.where(np.isnan(value), value, clipped).astype(value.dtype) if value.dtype.kind == "f" \
                else clipped.astype(value.dtype)
    return value


def _generic_fact(c: _Ctx, name: str, variable) -> np.ndarray | None:
    rng, n = c.rng, c.n
    kind = generic_kind(name, variable)
    if kind == "bool":
        return _bern(rng, GENERIC["bool"], n)
    if kind == "district":
        return _districts(rng, variable.possible_values, n,
                          c.shares("person" if variable.entity.is_person else "organisation"))
    if kind == "city":
        return _weighted_enum(rng, variable.possible_values, city_weights(c.city, GENERIC["city"]), n)
    if kind == "enum":
        return _weighted_enum(rng, variable.possible_values, generic_enum_weights(variable), n)
    if kind == "birth":
        return g_birth_date(c) if "birth_date" not in c.facts else c.facts["birth_date"]
    if kind in ("date", "end_date"):
        default = np.datetime64(variable.default_value, "D")
        days = _as_date(c.today - rng.integers(-180, 5 * 365, n))
        p_given = GENERIC["end_date_given"] if kind == "end_date" else GENERIC["date_given"]  # end-like dates are rare
        return np.where(_bern(rng, p_given, n), days, default)
    if kind == "wage":
        return g_monthly_wage(c)
    if kind == "rate":
        return rng.uniform(0, 1, n).astype(np.float32)
    if kind in ("cost", "amount"):
        median, sigma = GENERIC["amount"]
        amount = np.round(rng.lognormal(np.log(median), sigma, n), 0)
        if kind == "cost":
            return np.where(_bern(rng, GENERIC["amount_given"], n), amount, np.nan).astype(np.float32)
        return amount.astype(np.float32)
    if kind == "months":
        return rng.choice(np.array(GENERIC["months"]), size=n).astype(np.int32)
    if kind == "years":
        return rng.integers(0, GENERIC["years"], n).astype(np.int32)
    if kind == "count":
        return rng.poisson(GENERIC["count"], n).astype(np.int32)
    if kind == "int":
        return rng.poisson(GENERIC["int"], n).astype(np.int32)
    return None                      # str and anything else: keep the default
