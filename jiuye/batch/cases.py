"""One month's cases of each measure (what `Evaluator.match` returns): every case eligible or
undetermined, its status, the amounts due (in the month, up to the assessment day, in all), whether
stacking keeps the measure, and the facts its conditions and its payment schedule still need.

Installments run on the rows that are not ineligible only. The functions take the `Evaluator`
(`jiuye.batch.evaluate`) whose population, system and eligibility they read.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core import periods

from ..catalogue import Measure
from ..model.base import amount_due_by
from ..model.dates import NEVER
from ..model.partial import is_partial
from .results import ELIGIBLE, UNDETERMINED, MatchRows, known_or_nan, low, open_rows, whose


def match(evaluator, measures: list[Measure], on: dt.date, progress=None) -> dict[str, MatchRows]:
    """Every case eligible or undetermined, per measure. `progress()` is called 2 × len(measures)
    times (eligibility, then each measure's cases)."""
    period = periods.period(on.strftime("%Y-%m"))
    ev = evaluator.evaluation(on)
    day = np.datetime64(on, "D")
    first, last = np.datetime64(str(period.start), "D"), np.datetime64(str(period.stop), "D")
    index_of = {m.id: i for i, m in enumerate(measures)}
    results = {}
    with np.errstate(all="ignore"):
        eligible_of = {}
        for measure in measures:
            eligible_of[measure.id] = evaluator.eligible(ev, measure, period)
            if progress:
                progress()
        for measure in measures:
            results[measure.id] = _match_one(evaluator, ev, measure, measures, index_of, eligible_of[measure.id],
                                             period, day, first, last)
            if progress:
                progress()
    return results


def _match_one(evaluator, ev, measure, measures, index_of, eligible, period, day, first, last) -> MatchRows:
    units = evaluator.units(ev, measure)
    key = (measure.entity, f"{measure.variable}__eligible", str(period))
    sparse = ev.__dict__.get("_jiuye_sparse", {}).get(key)
    if sparse is not None and len(units):
        # the rows eligibility left possible (every other row is known ineligible) and their value
        rows, value = sparse
        if len(units) != len(eligible):
            position = np.minimum(np.searchsorted(units, rows), len(units) - 1)
            inside = units[position] == rows
            rows, value = position[inside], value[inside]
        if is_partial(value):
            possible = value.hi
            pick = rows[possible] if not possible.all() else rows
            value = value[possible] if not possible.all() else value
        else:
            value = np.asarray(value, bool)
            pick = rows[value]
        if is_partial(value):
            known = value.known
            undetermined = len(pick) - int(np.count_nonzero(known))
            status = np.where(known, ELIGIBLE, UNDETERMINED).astype(np.int8)
            reasons = value
        else:
            undetermined = 0
            status = np.full(len(pick), ELIGIBLE, np.int8)
            reasons = None
        return _match_rows(evaluator, ev, measure, measures, index_of, units, pick, status, undetermined, reasons,
                           period, day)
    if not len(units):
        value = np.zeros(0, bool)
    else:           # units are sorted distinct rows: as many as the rows means every row
        value = eligible if len(units) == len(eligible) else eligible[units]
    if is_partial(value):
        possible = value.lo | ~value.known
        pick = np.flatnonzero(possible)
        undetermined = len(units) - int(np.count_nonzero(value.known))
        status = np.where(value.known[pick], ELIGIBLE, UNDETERMINED).astype(np.int8)
    else:
        pick = np.flatnonzero(value)
        undetermined = 0
        status = np.full(len(pick), ELIGIBLE, np.int8)
    return _match_rows(evaluator, ev, measure, measures, index_of, units, pick, status, undetermined,
                       value[pick] if is_partial(value) else None, period, day)


def _match_rows(evaluator, ev, measure, measures, index_of, units, pick, status, undetermined, reasons,
                period, day) -> MatchRows:
    """A measure's cases from the positions `pick` (among `units`) not known to be ineligible,
    their status and the eligibility's value there when not every one is decided (`reasons`)."""
    counts = {"ineligible": len(units) - len(pick), "undetermined": undetermined,
              "eligible": len(pick) - undetermined}
    keep = units[pick]
    facts, missing = _reason_columns(ev, measure, reasons, len(keep))
    n = len(keep)
    month = np.full(n, np.nan)
    to_date = np.full(n, np.nan)
    total = np.full(n, np.nan)
    kept = np.ones(n, bool)
    winner = np.full(n, -1, np.int16)
    referenced = np.zeros(n, bool)
    ceiling = np.zeros(n, bool)
    schedule_facts, schedule_missing = [], np.zeros((n, 0), bool)
    if n:
        view = ev.view(measure.entity)
        sub = view.restrict(keep)
        inst = evaluator.system.installments_for(sub if sub is not None else view, measure, period)
        if sub is None:
            inst = inst.rows(keep)
        schedule_facts, schedule_missing = _schedule_columns(ev, measure, inst, n)
        e = status == ELIGIBLE
        if e.any():
            rows = keep[e]
            e_rows = np.flatnonzero(e)
            # the measure's variables on the eligible rows only (on the row view the
            # installments were computed on)
            if sub is not None:
                at = lambda name: sub(name, period)[e_rows]          # noqa: E731
            else:
                at = lambda name: ev.value(name, period)[rows]       # noqa: E731
            sched = inst.rows(np.flatnonzero(e))
            row_known = ~(open_rows(sched.due) | open_rows(sched.amount) | open_rows(sched.ceiling))
            kept_value = at(f"{measure.variable}__kept") if measure.stacking \
                else np.ones(len(rows), bool)
            kept_known = ~open_rows(kept_value)
            k = low(kept_value).astype(bool)
            due, amount, ceil = low(sched.due), low(sched.amount), low(sched.ceiling)
            valid = (due < NEVER) & ((amount > 0) | np.isnan(amount))
            upto = valid & (due <= day)
            nan_upto = (upto & np.isnan(amount)).any(axis=1)
            td = np.where(upto, np.nan_to_num(amount), 0.0).sum(axis=1)
            partial_td = known_or_nan(amount_due_by(sched.due, sched.amount, day), np.arange(len(rows)))
            td = np.where(row_known, td, partial_td)
            td = np.where(k, np.round(td, 2), 0.0)
            td = np.where(k & nan_upto, np.nan, td)
            td = np.where(kept_known, td, np.nan)
            mon = known_or_nan(at(measure.variable), slice(None))
            any_nan = (valid & np.isnan(amount)).any(axis=1)
            tot = known_or_nan(at(f"{measure.variable}__total"), slice(None))
            tot = np.where(row_known & kept_known, np.where(k, np.where(any_nan, np.nan, tot), 0.0), np.nan)
            to_date[e], month[e], total[e] = td, mon, tot
            kept[e] = k | ~kept_known
            referenced[e] = any_nan & row_known
            ceiling[e] = (valid & ceil).any(axis=1) & row_known
            if measure.stacking and not (k | ~kept_known).all():
                group = [m for m in measures if m.stacking and m.stacking["group"] == measure.stacking["group"]
                         and m.id != measure.id]
                if group:
                    totals = np.stack([low(at(f"{m.variable}__total")) for m in group], axis=1)
                    best = np.array([index_of[m.id] for m in group], np.int16)[np.argmax(totals, axis=1)]
                    winner[e] = np.where(k | ~kept_known, -1, best)
    org = evaluator.org_global(ev, measure, keep)
    return MatchRows(measure.id, evaluator.unit_global(measure, keep), org, status, month, to_date, total, kept,
                     winner, referenced, ceiling, missing, schedule_missing, facts, schedule_facts, counts)


def _reason_columns(ev, measure, value, n):
    return _missing_columns(ev, measure, [] if value is None else [value], n)


def _schedule_columns(ev, measure, inst, n):
    return _missing_columns(ev, measure, [p for p in (inst.due, inst.amount, inst.ceiling) if is_partial(p)], n)


def _missing_columns(ev, measure, values, n):
    """The facts missing where each of `values` is open, (fact, whose) in name order, and a column
    per fact of the rows where it is missing (in any of them)."""
    columns = {}
    for value in values:
        for (entity, fact), mask in ev.reason_columns(value).items():
            key = (fact, whose(measure.entity, entity))
            columns[key] = columns[key] | mask if key in columns else mask
    facts = sorted(columns)
    missing = np.stack([columns[k] for k in facts], axis=1) if facts else np.zeros((n, 0), bool)
    return facts, missing
