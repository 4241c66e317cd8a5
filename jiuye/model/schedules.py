"""Shared, vectorised building blocks of installment functions and date-dependent parameters.

District modules import these instead of writing their own: completed contract years (每满一年),
completed months, and parameters read on each due date (a wage standard that changes mid-schedule).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools

import numpy as np

from .base import Installments, _column_fits, fill_columns, only_if
from .dates import DAY, NEVER, add_months, add_years, as_days
from .partial import asarray, lift_elementwise, monotone

FLOAT = np.dtype(float)


# When only the installments due within one period are wanted (the amount due in a month, over a
# whole population), the system sets this window and the helpers below compute only the slots that
# can fall in it, instead of every slot of every case.
DUE_WINDOW: contextvars.ContextVar = contextvars.ContextVar("jiuye_due_window", default=None)


@contextlib.contextmanager
def due_window(first, last):
    token = DUE_WINDOW.set((np.datetime64(first, "D"), np.datetime64(last, "D")))
    try:
        yield
    finally:
        DUE_WINDOW.reset(token)


def contract_years(person, period, amount_of_year, max_years: int, start_variable="contract_start_date",
                   end_variable="contract_end_date") -> Installments:
    """每满一年: one installment on the last day of each completed contract year (k = 1..max),
    paid only when that day is on or before the contract's end."""
    start = person(start_variable, period)
    end = person(end_variable, period)
    window = DUE_WINDOW.get()
    years = range(1, int(max_years) + 1)
    if window is not None and int(max_years) > 2:
        # the year completing in the window: per case k or k + 1 with k = whole years to its start
        base = (window[0].astype("datetime64[Y]").astype(np.int64)
                - as_days(start).astype("datetime64[Y]").astype(np.int64))
        slots = []
        for offset in (0, 1):
            k = base + offset
            completed = add_years(start, k) - DAY
            amount = np.zeros(k.shape)
            for year in years:
                amount = np.where(k == year, amount_of_year(year), amount)
            ok = (k >= 1) & (k <= int(max_years)) & (completed <= end)
            slots.append((only_if(ok, completed), amount))
        return Installments.stack(slots)
    slots = []
    for k in years:
        completed = add_years(start, k) - DAY
        slots.append((only_if(completed <= end, completed), amount_of_year(k)))
    return Installments.stack(slots)


def monthly(start, end, count: int, amount, first=1, last_due=NEVER, referenced: bool = False) -> Installments:
    """Monthly installments: the k-th month from `start` (k = first, …, first + count - 1) completes on
    add_months(start, k) - 1 day and is paid on that day when it is on or before `end` and `last_due`.
    `amount` is a scalar or vector, or a function of a vector of due dates (called once per slot,
    so it sees vectors like the population's). A NaN amount
    means nothing is due that month, or, with `referenced=True`, an amount this document does not
    set (shown as 待定, never as an invented figure)."""
    start = as_days(start).reshape(-1, 1)
    first = asarray(first, dtype=np.int64).reshape(-1, 1)
    window = DUE_WINDOW.get()
    if window is not None and int(count) > 3:
        # only the months that can complete within the window: k0 - 1 … k0 + 1 around the window's month
        k0 = (month_index(window[0]) - month_index(start))
        k = k0 + np.arange(-1, 2, dtype=np.int64)
        in_range = (k >= first) & (k < first + int(count))
        k = np.where(in_range, k, first)
    else:
        k = first + np.arange(int(count), dtype=np.int64)
        in_range = np.ones(k.shape, dtype=bool)
    due = np.where(in_range, add_months(start, k) - DAY, NEVER)
    if callable(amount):
        columns = [asarray(amount(due[:, j]), dtype=float) for j in range(due.shape[1])]
        n = due.shape[0]
        if columns and all(_column_fits(column, FLOAT, n) for column in columns):
            value = fill_columns(columns, FLOAT, n)     # np.stack of the columns, without the partial layer's
        else:
            value = np.stack([np.broadcast_to(column, (n,)) for column in columns], axis=1) if columns \
                else np.zeros(due.shape)
    else:
        value = asarray(amount, dtype=float)
        value = np.broadcast_to(value.reshape(-1, 1) if value.ndim == 1 else value, due.shape)
    paid = (due <= as_days(end).reshape(-1, 1)) & (due <= as_days(last_due).reshape(-1, 1))
    if not referenced:
        paid &= ~np.isnan(value)
        value = np.where(np.isnan(value), 0.0, value)
    return Installments(np.where(paid, due, NEVER), asarray(value, dtype=float), np.zeros(due.shape, dtype=bool))


def parameter_history(population, path: str):
    """The dated parameter `path` (every value, not one instant) of the population's system."""
    node = population.simulation.tax_benefit_system.parameters
    for part in path.split("."):
        node = node.children[part]
    return node


def parameter_on(parameter, dates) -> np.ndarray:
    if not isinstance(dates, np.ndarray) and hasattr(dates, "lo"):
        return lift_elementwise(lambda d: _parameter_on(parameter, d))(dates)
    return _parameter_on(parameter, dates)


def _parameter_on(parameter, dates) -> np.ndarray:
    """Vectorised value of a dated parameter in force on each date; NaN before its first value."""
    starts, values = _table(parameter)
    value = values[starts.searchsorted(as_days(dates), side="right")]
    return value if type(value) is np.ndarray else np.asarray(value)     # one date: a 0-d array


def _table(parameter) -> tuple[np.ndarray, np.ndarray]:
    """The parameter's start dates in date order and, for each count of starts on or before a date,
    the value in force (NaN before the first), read-only. Kept per content — its (instant, value)
    pairs — not per object: a reform's parameters are clones, updated in place."""
    key = tuple((at.instant_str, at.value) for at in parameter.values_list)
    try:
        return _sorted_table(key)
    except TypeError:            # a value that cannot be a key (a list): read each time
        return _sorted_table.__wrapped__(key)


@functools.lru_cache(maxsize=1024)
def _sorted_table(entries: tuple) -> tuple[np.ndarray, np.ndarray]:
    entries = sorted(entries, key=lambda at: at[0])
    starts = np.array([start for start, _ in entries], dtype="datetime64[D]")
    values = np.array([np.nan] + [np.nan if value is None else float(value) for _, value in entries], dtype=float)
    starts.flags.writeable = values.flags.writeable = False
    return starts, values


def first_instant(parameter) -> np.datetime64:
    return np.datetime64(min(at.instant_str for at in parameter.values_list), "D")


@monotone(1)
def month_index(dates) -> np.ndarray:
    return as_days(dates).astype("datetime64[M]").astype(np.int64)


@monotone(-1, 1)
def first_month_completing_on_or_after(start, day) -> np.ndarray:
    """Smallest k >= 1 such that the k-th month from `start` completes (add_months(start, k) - 1 day)
    on or after `day`."""
    start, day = as_days(start), as_days(day)
    k = month_index(day) - month_index(start)
    k = k + (add_months(start, k) - DAY < day).astype(np.int64)
    return np.maximum(k, 1)


def scale_calc(scale, values):
    """`scale.calc(values)` (a parameter scale at an instant) on values that may be partially known:
    a scale whose amounts (single_amount) or rates (marginal) never decrease is non-decreasing in
    its input, so it is computed on the bounds; any other scale is computed strictly."""
    calc = scale.calc
    amounts = getattr(scale, "amounts", None)
    rates = getattr(scale, "rates", None)
    steps = amounts if amounts is not None else rates
    increasing = steps is not None and all(b >= a for a, b in zip(steps, steps[1:])) and \
        (amounts is not None or all(r >= 0 for r in rates))
    lifted = monotone(1)(calc) if increasing else lift_elementwise(calc)
    return lifted(values)
