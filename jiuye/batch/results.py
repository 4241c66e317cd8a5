"""The evaluator's answers as arrays: one measure's cases in a month (`MatchRows`), its cost over a
year (`CostRows`), its amounts in a month (`Monthly`); and how a three-valued value (`jiuye.model.partial`)
is read into them (its lower bound, its open rows, its known values).

A case's status is `ELIGIBLE`, `UNDETERMINED` or `INELIGIBLE`; a fact an undetermined case still needs
is a column (fact, whose): its own (''), its organisation's (`ORG`) or its organisation's members'
(`MEMBERS`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..model.partial import is_partial

INELIGIBLE, UNDETERMINED, ELIGIBLE = 0, 1, 2
STATUS_KEYS = {INELIGIBLE: "ineligible", UNDETERMINED: "undetermined", ELIGIBLE: "eligible"}
ORG, MEMBERS = "org", "members"


@dataclasses.dataclass
class MatchRows:
    """One measure's eligible and undetermined cases of a population (arrays over those rows)."""

    measure: str
    unit: np.ndarray              # global index of the unit row (person or organisation)
    org: np.ndarray               # global index of the beneficiary organisation (-1: none)
    status: np.ndarray            # int8: ELIGIBLE or UNDETERMINED
    month: np.ndarray             # amount due in the month (NaN: not known / set elsewhere)
    to_date: np.ndarray           # amount due up to the assessment date (NaN: not known)
    total: np.ndarray             # all installments while eligible (NaN: not known)
    kept: np.ndarray              # bool: stacking keeps this measure
    winner: np.ndarray            # int16: index into `measures` of the stacking winner (-1: none)
    referenced: np.ndarray        # bool: an amount due is set elsewhere (NaN installment)
    ceiling: np.ndarray           # bool: an amount due is a 最高不超过 ceiling
    missing: np.ndarray           # bool (rows, len(facts)): facts the conditions still need
    schedule_missing: np.ndarray  # bool (rows, len(schedule_facts)): facts the payment schedule needs
    facts: list                   # [(fact, path)] columns of `missing`
    schedule_facts: list
    counts: dict                  # {status key: number of units}

    @classmethod
    def concat(cls, parts: list["MatchRows"]) -> "MatchRows":
        first = parts[0]
        facts = sorted({f for p in parts for f in p.facts})
        schedule = sorted({f for p in parts for f in p.schedule_facts})

        def widen(p, name, columns):
            out = np.zeros((len(p.unit), len(columns)), bool)
            for j, f in enumerate(getattr(p, "facts" if name == "missing" else "schedule_facts")):
                out[:, columns.index(f)] = getattr(p, name)[:, j]
            return out
        arrays = {}
        for field in ("unit", "org", "status", "month", "to_date", "total", "kept", "winner", "referenced", "ceiling"):
            arrays[field] = np.concatenate([getattr(p, field) for p in parts])
        arrays["missing"] = np.concatenate([widen(p, "missing", facts) for p in parts]) if parts else None
        arrays["schedule_missing"] = np.concatenate([widen(p, "schedule_missing", schedule) for p in parts])
        order = np.argsort(arrays["unit"], kind="stable")
        arrays = {k: v[order] for k, v in arrays.items()}
        counts = {k: sum(p.counts.get(k, 0) for p in parts) for k in STATUS_KEYS.values()}
        return cls(first.measure, facts=facts, schedule_facts=schedule, counts=counts, **arrays)


@dataclasses.dataclass
class CostRows:
    """One measure over a year: cents per beneficiary unit paid, month by month totals."""

    measure: str
    unit: np.ndarray              # global index of the units paid in the year (sorted)
    org: np.ndarray               # global index of their beneficiary organisation (-1: none)
    cents: np.ndarray             # int64: cents due in the year, per unit
    eligible_units: np.ndarray    # global index of the units eligible in at least one month
    referenced_units: int         # eligible units whose amount is set elsewhere (not costed)
    month_cents: np.ndarray       # int64 (12,): cents due in each month

    @classmethod
    def concat(cls, parts: list["CostRows"]) -> "CostRows":
        unit = np.concatenate([p.unit for p in parts])
        order = np.argsort(unit, kind="stable")
        return cls(parts[0].measure, unit[order], np.concatenate([p.org for p in parts])[order],
                   np.concatenate([p.cents for p in parts])[order],
                   np.sort(np.concatenate([p.eligible_units for p in parts])),
                   sum(p.referenced_units for p in parts), sum(p.month_cents for p in parts))


@dataclasses.dataclass
class Monthly:
    """A measure in a month: eligibility of every row, the amount due on the eligible rows."""

    eligible: np.ndarray          # bool, every row
    rows: np.ndarray              # the eligible rows (sorted)
    values: np.ndarray            # amount due in the month on those rows

    def full(self) -> np.ndarray:
        out = np.zeros(len(self.eligible))
        out[self.rows] = self.values
        return out

    def at(self, rows: np.ndarray) -> np.ndarray:
        """Amounts of some eligible rows."""
        return self.values[np.searchsorted(self.rows, rows)]


def to_cents(amount: np.ndarray) -> np.ndarray:
    """Yuan (float) to integer cents, exactly: amounts carry cents, so rounding is exact and sums of
    cents do not depend on the order of addition (a partitioned run equals a single one)."""
    return np.rint(np.nan_to_num(np.asarray(amount, float)) * 100).astype(np.int64)


def low(value):
    """A value's lower bound (the value itself when it is not three-valued)."""
    return value.lo if is_partial(value) else np.asarray(value)


def open_rows(value) -> np.ndarray:
    """The rows where a value is not known (none when it is not three-valued)."""
    if is_partial(value):
        return value.open_rows()
    return np.zeros(np.shape(value)[0], bool)


def known_or_nan(value, rows) -> np.ndarray:
    """Values at rows as floats, NaN where not known."""
    if is_partial(value):
        lo = value.lo[rows].astype(float)
        return np.where(value.known[rows], lo, np.nan)
    return np.asarray(value, float)[rows]


def whose(unit_entity: str, fact_entity: str) -> str:
    """Whose fact: the case's own (''), its organisation's ('org') or its organisation's members'."""
    if unit_entity == fact_entity:
        return ""
    return ORG if unit_entity == "person" else MEMBERS
