"""The schedule helpers' fast paths give exactly what the general paths give: values, bounds,
known elements and reasons (answers must not change a byte).

* `fill_columns` (Installments.stack, schedules.monthly's callable amounts) against np.stack of
  the columns through the partial layer;
* parameter tables kept per content against reading the value list anew, a reform's updated
  clone included;
* heping 十一's minimum contribution computed strictly at once against six strict lookups and
  six operations on partially known values;
* add_months / add_years of one date (Python integers) against the vectorised path.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import pytest

from jiuye.model.base import Installments, _rows_of
from jiuye.model.dates import NEVER, _add_months, add_months, add_years, as_days
from jiuye.model.partial import Partial, asarray, is_partial
from jiuye.model.schedules import monthly, parameter_history, parameter_on
from jiuye.model.system import get_system

DAYS = np.dtype("datetime64[D]")


def same(a, b) -> bool:
    if is_partial(a) != is_partial(b):
        return False
    if not is_partial(a):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    arrays = all(x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
                 for x, y in ((a.lo, b.lo), (a.hi, b.hi), (a.known, b.known)))
    if (a.why is None) != (b.why is None):
        return False
    return arrays and (a.why is None or (a.why.dtype == b.why.dtype and np.array_equal(a.why, b.why)))


def random_dates(rng: random.Random, n: int, partial: bool):
    days = np.array([rng.randrange(-25000, 60000) for _ in range(n)], np.int64)
    if rng.random() < 0.2:
        days[rng.randrange(n)] = NEVER.astype(np.int64)
    lo = days.astype(DAYS)
    if not partial:
        return lo
    known = np.array([rng.random() < 0.4 for _ in range(n)])
    hi = np.where(known, lo, (days + np.array([rng.randrange(1, 3000) for _ in range(n)])).astype(DAYS))
    hi = np.minimum(hi, NEVER)
    known = known | (lo == hi)
    width = rng.choice((1, 2))           # reasons one or two words wide
    why = np.array([[rng.randrange(1, 2 ** 20) for _ in range(width)] for _ in range(n)], np.uint64) \
        if rng.random() < 0.9 else None
    return Partial(lo, hi, known, why) if not known.all() else lo


def random_column(rng: random.Random, n: int, dtype):
    kind = rng.random()
    if dtype == DAYS:
        return random_dates(rng, n, kind < 0.6)
    if dtype == np.dtype(float):
        values = np.array([rng.choice((0.0, 500.0, np.nan, rng.uniform(0, 1e5))) for _ in range(n)])
        if kind < 0.5:
            known = np.array([rng.random() < 0.5 for _ in range(n)])
            if known.all():
                return values
            hi = np.where(known, values, np.nan_to_num(values) + 100.0)
            why = np.array([[rng.randrange(1, 2 ** 20)] for _ in range(n)], np.uint64)
            return Partial(np.where(known, values, np.nan_to_num(values)), hi, known, why)
        return values if kind < 0.8 else rng.choice((1000, 2.5, np.nan))
    if kind < 0.4:
        known = np.array([rng.random() < 0.5 for _ in range(n)])
        if known.all():
            return np.zeros(n, bool)
        return Partial(np.zeros(n, bool), ~known, known, np.array([[rng.randrange(1, 64)] for _ in range(n)], np.uint64))
    return np.array([rng.random() < 0.5 for _ in range(n)]) if kind < 0.8 else False


def stacked_through_partial_layer(slots):
    """Installments.stack's general path: each field's rows stacked by np.stack."""
    fields = [[], [], []]
    for slot in slots:
        due, amount = as_days(slot[0]), asarray(slot[1], dtype=float)
        ceiling = asarray(slot[2], dtype=bool) if len(slot) > 2 else np.zeros(np.shape(due.lo if is_partial(due) else due), bool)
        n = max(np.size(v.lo if is_partial(v) else v) for v in (due, amount, ceiling))
        for k, part in enumerate((due, amount, ceiling)):
            fields[k].append(_rows_of(part, n))
    return [np.stack(f, axis=1) for f in fields]


@pytest.mark.parametrize("seed", range(300))
def test_stack_fills_the_columns_as_np_stack_does(seed):
    rng = random.Random(seed)
    n = rng.choice((1, 1, 3))
    slots = []
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        slot = [random_column(rng, n, DAYS), random_column(rng, n, np.dtype(float))]
        if rng.random() < 0.5:
            slot.append(random_column(rng, n, np.dtype(bool)))
        slots.append(tuple(slot))
    with np.errstate(all="ignore"):
        inst = Installments.stack(slots)
        reference = stacked_through_partial_layer(slots)
    for got, want in zip((inst.due, inst.amount, inst.ceiling), reference):
        assert same(got, want)


@pytest.mark.parametrize("seed", range(100))
def test_monthly_amounts_fill_as_np_stack_does(seed, monkeypatch):
    import jiuye.model.schedules as schedules
    rng = random.Random(seed)
    n = rng.choice((1, 3))
    start, end = random_dates(rng, n, True), random_dates(rng, n, rng.random() < 0.5)
    share = random_column(rng, n, np.dtype(float))
    count, referenced = rng.choice((1, 3, 12)), rng.random() < 0.5

    def amount(due):
        return np.round(share * np.where(as_days(due) < np.datetime64("2023-01-01"), 100.0, 130.5), 2)

    with np.errstate(all="ignore"):
        fast = monthly(start, end, count, amount, referenced=referenced)
        monkeypatch.setattr(schedules, "_column_fits", lambda *args: False)     # np.stack of the columns
        general = monthly(start, end, count, amount, referenced=referenced)
    for got, want in zip((fast.due, fast.amount, fast.ceiling), (general.due, general.amount, general.ceiling)):
        assert same(got, want)


def _population(system=None):
    return SimpleNamespace(simulation=SimpleNamespace(tax_benefit_system=system or get_system()))


def _parameter_on_anew(parameter, dates):
    """parameter_on as it read the value list on every call."""
    entries = sorted(parameter.values_list, key=lambda at: at.instant_str)
    starts = np.array([at.instant_str for at in entries], dtype="datetime64[D]")
    values = np.array([np.nan if at.value is None else float(at.value) for at in entries], dtype=float)
    index = np.searchsorted(starts, as_days(dates), side="right") - 1
    return np.where(index >= 0, values[np.clip(index, 0, None)], np.nan)


@pytest.mark.parametrize("path", ["reference.contribution_floor.tianjin", "reference.average_wage.beijing_monthly",
                                  "reference.social_insurance_rates.flexible_pension"])
def test_parameter_tables_give_the_values_in_force(path):
    parameter = parameter_history(_population(), path)
    rng = random.Random(path)
    for n in (1, 4, 50):
        dates = random_dates(rng, n, False)
        assert same(parameter_on(parameter, dates), _parameter_on_anew(parameter, dates))
    one = np.datetime64("2022-07-01", "D")
    assert same(parameter_on(parameter, one), _parameter_on_anew(parameter, one))


def test_a_reformed_clone_reads_its_own_values():
    parameter = parameter_history(_population(), "reference.contribution_floor.tianjin")
    day = np.array(["2030-01-01"], DAYS)
    before = parameter_on(parameter, day)
    clone = parameter.clone()
    clone.update(period="year:2029:5", value=12345.0)
    assert parameter_on(clone, day)[0] == 12345.0
    assert same(parameter_on(parameter, day), before)


@pytest.mark.parametrize("seed", range(60))
def test_minimum_contribution_at_once_is_the_chain_of_lookups(seed):
    from jiuye.model.policies.heping.c11_flexible.rules import RATES, minimum_contribution
    population = _population()
    rng = random.Random(seed)
    dates = random_dates(rng, rng.choice((1, 3)), True)
    with np.errstate(all="ignore"):
        floor = parameter_on(parameter_history(population, "reference.contribution_floor.tianjin"), dates)
        rate = sum(parameter_on(parameter_history(population, f"reference.social_insurance_rates.{name}"), dates)
                   for name in RATES)
        assert same(minimum_contribution(population, dates), floor * rate)


@pytest.mark.parametrize("seed", range(40))
def test_add_months_of_one_date_is_the_vectorised_result(seed):
    rng = random.Random(seed)
    for _ in range(50):
        day = np.array([rng.randrange(-25000, 60000)], np.int64).astype(DAYS)
        if rng.random() < 0.1:
            day = np.array([NEVER])
        months = rng.randrange(-400, 400)
        for dates, count in ((day, months), (day, np.array([months])), (day.reshape(1, 1), months),
                             (day[0], np.array([[months]])), (day, np.asarray(months))):
            pair = _add_months(np.repeat(np.asarray(dates).reshape(-1), 2), np.repeat(np.asarray(count).reshape(-1), 2))
            got = add_months(dates, count)
            assert got.dtype == DAYS and got.shape == np.broadcast_shapes(np.shape(dates), np.shape(count))
            assert got.reshape(-1)[0] == pair[0]
            assert add_years(dates, 2).reshape(-1)[0] == _add_months(np.repeat(np.asarray(dates).reshape(-1), 2), 24)[0]
