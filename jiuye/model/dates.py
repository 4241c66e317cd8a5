"""Vectorised calendar arithmetic for the rules (numpy datetime64[D]).

Periods follow the 民法典 (arts. 201-203): a period of N months or years that starts on a day ends
on the day before the corresponding day N months later; where that month has no corresponding day
(31 January + 1 month), the month's last day stands in for it.
"""

from __future__ import annotations

import bisect
import functools

import numpy as np

from .partial import is_partial, monotone

DAY = np.timedelta64(1, "D")
NEVER = np.datetime64("9999-12-31")   # "no such date": an open-ended contract, no termination


def as_days(values) -> np.ndarray:
    if is_partial(values):
        return values if values.dtype == np.dtype("datetime64[D]") else values.astype("datetime64[D]")
    return np.asarray(values, dtype="datetime64[D]")


_M0 = np.datetime64("1700-01", "M")
_FIRST_DAY = np.arange(_M0, np.datetime64("9999-12", "M") + np.timedelta64(2, "M")) \
    .astype("datetime64[D]").astype(np.int64)     # first day of each month, as day numbers
_NEVER_DAY = NEVER.astype(np.int64)
_DAY0 = int(_FIRST_DAY[0])
_LAST_OFFSET = np.diff(_FIRST_DAY) - 1      # days from a month's first day to its last
_MONTH_OF_DAY: np.ndarray | None = None     # months since 1700-01 of each day up to 10000-01 (12 MB)


_TABLE_DAYS = int(_FIRST_DAY[-1] - _DAY0)   # day numbers the month table covers (from _DAY0)
_SMALL = 4096   # below this many dates a binary search beats building the 12 MB table (one-row cases)


def _month_of(index: np.ndarray) -> np.ndarray:
    """Months since 1700-01 of days given as `day number - _DAY0`, each within [0, _TABLE_DAYS): a
    lookup in a table of every day for large arrays (built on first use), a binary search over the
    months' first days for small ones (a single case does not pay for the table)."""
    global _MONTH_OF_DAY
    if index.size < _SMALL and _MONTH_OF_DAY is None:
        return np.searchsorted(_FIRST_DAY, index + _DAY0, side="right") - 1
    if _MONTH_OF_DAY is None:
        _MONTH_OF_DAY = np.repeat(np.arange(len(_FIRST_DAY) - 1, dtype=np.int32), np.diff(_FIRST_DAY))
    return _MONTH_OF_DAY[index]


def _months_since_m0(days: np.ndarray) -> np.ndarray:
    """Months since 1700-01 of day numbers, by table lookup (`astype("datetime64[M]")` costs about
    40 ms per million dates, the lookup a tenth of that); the conversion outside the table's range."""
    index = days - _DAY0
    if index.size and (index.min() < 0 or index.max() >= _TABLE_DAYS):
        return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - _M0.astype(np.int64)
    return _month_of(index).astype(np.int64)


def _years_since_1970(days) -> np.ndarray:
    """Calendar year − 1970 of datetime64[D] values (as `astype("datetime64[Y]")`, by the table)."""
    day_numbers = np.asarray(days).astype(np.int64)
    if day_numbers.size == 1 and 0 <= day_numbers.item() - _DAY0 < _NEVER_DAY - _DAY0:
        # one date inside the tables (a single case): the month table's arithmetic in Python integers
        return _filled(day_numbers.shape, _month_one(day_numbers.item()) // 12 + (1700 - 1970))
    index = day_numbers - _DAY0
    if index.size and (index.min() < 0 or index.max() >= _NEVER_DAY - _DAY0):
        return np.asarray(days).astype("datetime64[Y]").astype(np.int64)
    return _months_since_m0(day_numbers) // 12 + (1700 - 1970)


def _filled(shape: tuple, value: int) -> np.ndarray:
    """An int64 array of `shape` holding `value` (np.full, without its Python-level overhead)."""
    out = np.empty(shape, np.int64)
    out.fill(value)
    return out


def _add_months(dates, months) -> np.ndarray:
    """The corresponding day `months` later, clamped to the month's last day (Jan 31 + 1 = Feb 28/29).
    NEVER stays NEVER. Integer arithmetic on tables of months (the datetime64 unit conversions cost
    ten times more on a million dates). `add_months` is this lifted to partially known values; the
    helpers below, which the lifting gives plain bounds, call this directly."""
    days = np.asarray(as_days(dates)).view(np.int64)
    months = np.asarray(months, dtype=np.int64)
    if days.size == 1 and months.size == 1:
        one = _add_months_one(days.item(), months.item())
        if one is not None:      # (the broadcast shape of two one-element arrays: the one of more axes)
            return _filled(days.shape if days.ndim >= months.ndim else months.shape, one).view("datetime64[D]")
    index = days - _DAY0
    if index.size and (index.min() < 0 or index.max() >= _TABLE_DAYS):
        return _add_months_general(dates, months)
    never = days >= _NEVER_DAY
    month = _month_of(index)
    target = month + months
    bad = (target < 0) | (target >= len(_FIRST_DAY) - 1)
    if bad.any():
        if (bad & ~never).any():
            return _add_months_slow(dates, months)
        target = np.clip(target, 0, len(_FIRST_DAY) - 2)
    result = _FIRST_DAY[target] + np.minimum(days - _FIRST_DAY[month], _LAST_OFFSET[target])
    if never.any():
        result = np.where(never, _NEVER_DAY, result)
    return np.asarray(result).view("datetime64[D]")


add_months = monotone(1, 1)(_add_months)
add_months.__name__ = "add_months"


_FIRST_DAYS: list | None = None     # _FIRST_DAY and _LAST_OFFSET as Python lists (one-date calls)
_LAST_OFFSETS: list | None = None


def _month_one(day: int) -> int:
    """Months since 1700-01 of one day number inside the tables (`_month_of` of one date)."""
    global _FIRST_DAYS, _LAST_OFFSETS
    if _FIRST_DAYS is None:
        _FIRST_DAYS, _LAST_OFFSETS = _FIRST_DAY.tolist(), _LAST_OFFSET.tolist()
    return bisect.bisect_right(_FIRST_DAYS, day) - 1


def _add_months_one(day: int, months: int) -> int | None:
    """add_months of one date (a day number) in Python integers: the table arithmetic of the
    vectorised path (the same result), without a dozen numpy calls on one-element arrays. None
    where the vectorised path would leave the tables (it then decides)."""
    if not 0 <= day - _DAY0 < _TABLE_DAYS:
        return None
    if day >= _NEVER_DAY:                      # never stays never, however many months on
        return int(_NEVER_DAY)
    month = _month_one(day)
    target = month + months
    if target < 0 or target >= len(_FIRST_DAYS) - 1:
        return None
    return _FIRST_DAYS[target] + min(day - _FIRST_DAYS[month], _LAST_OFFSETS[target])


def _add_months_general(dates, months) -> np.ndarray:
    """add_months for dates outside the tables (before 1700, after NEVER, NaT)."""
    days = as_days(dates).astype(np.int64)
    never = days >= _NEVER_DAY
    month = as_days(dates).astype("datetime64[M]").astype(np.int64) - _M0.astype(np.int64)
    target = month + months
    if (month < 0).any() or ((target < 0) | (target >= len(_FIRST_DAY) - 1))[~np.broadcast_to(never, target.shape)].any():
        return _add_months_slow(dates, months)
    target = np.clip(target, 0, len(_FIRST_DAY) - 2)
    offset = days - _FIRST_DAY[np.clip(month, 0, None)]
    length = _FIRST_DAY[target + 1] - _FIRST_DAY[target]
    result = _FIRST_DAY[target] + np.minimum(offset, length - 1)
    return np.where(never, _NEVER_DAY, result).astype("datetime64[D]")


def _add_months_slow(dates, months) -> np.ndarray:
    dates = as_days(dates)
    months = np.asarray(months, dtype=np.int64)
    never = dates >= NEVER
    safe = np.where(never, np.datetime64("2000-01-01"), dates)
    month_start = safe.astype("datetime64[M]")
    day_offset = (safe - month_start.astype("datetime64[D]")).astype(np.int64)
    target_month = month_start + months.astype("timedelta64[M]")
    month_length = ((target_month + np.timedelta64(1, "M")).astype("datetime64[D]")
                    - target_month.astype("datetime64[D]")).astype(np.int64)
    result = target_month.astype("datetime64[D]") + np.minimum(day_offset, month_length - 1).astype("timedelta64[D]")
    return np.where(never, NEVER, result)


def _add_years(dates, years) -> np.ndarray:
    return _add_months(dates, np.asarray(years, dtype=np.int64) * 12)


add_years = monotone(1, 1)(_add_years)
add_years.__name__ = "add_years"


@monotone(1, 1)
def period_end_of(start, months) -> np.ndarray:
    """Last day of a period of `months` months starting on `start` (a 1-year contract from
    2024-03-15 ends on 2025-03-14)."""
    return _add_months(start, months) - DAY


@monotone(-1, 1)
def completed_years(start, on) -> np.ndarray:
    """Whole years completed between `start` and `on` (届满: the year counts on its last day)."""
    start, on = as_days(start), as_days(on)
    years = _years_since_1970(on) - _years_since_1970(start)
    # the year `years` ends the day before its corresponding day
    not_yet = _add_years(start, years) - DAY > on
    return years - not_yet.astype(np.int64)


@monotone(-1, 1)
def age_in_years(birth, on) -> np.ndarray:
    """Age (周岁) on `on`: a birthday counts from the birthday itself."""
    birth, on = as_days(birth), as_days(on)
    years = _years_since_1970(on) - _years_since_1970(birth)
    return years - (_add_years(birth, years) > on).astype(np.int64)


@functools.lru_cache(maxsize=4096)
def month_first_day(period) -> np.datetime64:
    """The period's first day (kept per period: a datetime64 scalar is immutable)."""
    return np.datetime64(str(period.start), "D")


@functools.lru_cache(maxsize=4096)
def period_last_day(period) -> np.datetime64:
    """The period's last day (kept per period: OpenFisca computes `stop` anew, through pendulum,
    each time it is asked)."""
    return np.datetime64(str(period.stop), "D")
