"""Every executable measure over a whole population at once: the status of each case (eligible,
undetermined, ineligible) with the facts still missing, and the amounts — the same answers
`jiuye.explain` gives case by case, from the same three-valued evaluator (`jiuye.assess.Evaluation`),
run once over the whole population.

A fact a row does not give (an absent column, a blank cell) is unknown for that row, never false;
what the given facts decide is decided. The reasons (missing facts) are kept per fact (`facts`
mode): a column (fact, whose) per fact an undetermined case still needs — its own (''), its
organisation's ('org') or its organisation's members' ('members').

How the work is kept proportional to the cases that matter:

* `__eligible` is the catalogue's condition tree (with the validity of the qualifying event and,
  for a per-employee measure, the member's role). For persons it is evaluated condition after
  condition on the rows not yet known to fail (each condition's formula runs on a row view of those
  rows; a condition asked for more than 1/8 of the rows is computed for every row once and shared
  between measures), then put in the evaluation's cache, where the generated formulas read it.
* Installments run on the rows that are not ineligible only (the generated formulas do this
  themselves: `JiuyeSystem.installments_of_eligible`).

The installment functions get the parameters of the evaluation's own tax-benefit system, so a
reform's parameters reach them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
from openfisca_core import periods

from ..assess.evaluation import Evaluation
from ..assess.population import Population
from ..catalogue import Measure, node_kind
from ..model.base import amount_due_by
from ..model.dates import NEVER
from ..model.partial import is_partial, spread
from ..model.partial import kleene
from ..model.system import _evaluate_node, read_condition

INELIGIBLE, UNDETERMINED, ELIGIBLE = 0, 1, 2
STATUS_KEYS = {INELIGIBLE: "ineligible", UNDETERMINED: "undetermined", ELIGIBLE: "eligible"}
ORG, MEMBERS = "org", "members"
IN_FORCE_LATER = 2                   # evaluation order only: see _cheapest
FULL_SHARE = 8                       # kept for the tests: see jiuye.assess.views.FULL_SHARE


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


# -- the evaluator -------------------------------------------------------------------------------------
class Evaluator:
    """A population and the vectorised answers for it (one `Evaluation` per assessment day)."""

    def __init__(self, population: Population, system=None, *, base_system=None) -> None:
        from ..model.system import get_system
        from .memory import reuse_freed_memory
        reuse_freed_memory()
        self.population = population
        self.system = system or get_system()                      # may be a Reform
        self.base = base_system or getattr(self.system, "baseline", None) or self.system
        self._evaluations: dict = {}
        self._facts: dict = {}              # fact values shared by the evaluations of several days
        self._costs: dict = {}              # condition -> number of variables it reads (evaluation order)

    def evaluation(self, on: dt.date) -> Evaluation:
        ev = self._evaluations.get(on)
        if ev is None:
            from ..assess import evaluation as module
            module.FULL_SHARE = FULL_SHARE
            ev = Evaluation(self.population, on, self.system, reasons="facts", shared=self._facts)
            ev.org_row_views = True             # organisation measures on the organisations still possible
            self._evaluations = {on: ev}        # one day at a time: a year of costing keeps one
        return ev

    def population_of(self, entity_key: str, on: dt.date | None = None):
        ev = self.evaluation(on or next(iter(self._evaluations), None) or dt.date.today())
        return ev.view(entity_key)

    # -- units ----------------------------------------------------------------------------------
    def units(self, ev: Evaluation, measure: Measure) -> np.ndarray:
        """Rows assessed for the measure (as jiuye.explain's `units`): explicit organisations; for a
        per-employee measure of an organisation, members in the role; every person otherwise."""
        key = (measure.entity, measure.beneficiary, measure.role)
        cache = ev.__dict__.setdefault("_jiuye_units", {})        # the same few kinds of unit for every measure
        if key in cache:
            return cache[key]
        n_explicit = ev.layout.n_orgs
        if measure.entity == "organisation":
            units = np.arange(n_explicit)
        elif measure.beneficiary == "organisation":
            mask = ev.org_of_person < n_explicit
            if measure.role:
                mask &= ev.role_mask(measure.role)
            units = np.flatnonzero(mask)
        else:
            units = np.arange(ev.n_persons)
        cache[key] = units
        return units

    # -- eligibility, short-circuited -----------------------------------------------------------------
    def eligible(self, ev: Evaluation, measure: Measure, period):
        """`<variable>__eligible` for every row of the measure's entity, evaluated condition after
        condition on the rows not yet known to fail (persons and organisations alike: each
        condition's formula runs on a view of those rows; an organisation's aggregation over its
        members reads the members of those organisations only), then put in the evaluation's
        cache. The conditions of the top-level all-of are taken cheapest first (those computed
        already, then by the number of variables they read): a three-valued conjunction does not
        depend on the order. Inside a condition node, an any-of (all-of) evaluates each further
        child only on the rows the children before it leave undecided (`_node`)."""
        key = (measure.entity, f"{measure.variable}__eligible", str(period))
        if key in ev.memo:
            return ev.memo[key]
        if measure.valid_from and str(period.stop) < measure.valid_from:
            return ev.value(f"{measure.variable}__eligible", period)
        tree = list(measure.conditions)
        window = f"{measure.variable}__in_force"
        if window in self.system.variables:
            tree = [window] + tree
        entity = measure.entity
        n = ev.count(entity)
        rows = None                                  # every row
        if entity == "person" and measure.role and measure.beneficiary == "organisation":
            rows = self._role_rows(ev, measure.role)
        value = True
        pending = list(tree)
        while pending:
            if rows is not None and not len(rows):
                break
            node = pending.pop(self._cheapest(ev, entity, pending, period))
            if rows is None and isinstance(node, str):        # the rows a first condition leaves, once
                rows, value = self._first_rows(ev, entity, node, period)
                continue
            view = self._view(ev, entity, rows) if rows is not None and len(rows) < n else ev.view(entity)
            part = _node(view, node, period)
            value = part if value is True else (value & part)
            possible = value.hi if is_partial(value) else np.asarray(value, bool)
            keep = np.flatnonzero(possible)              # (one pass: most conditions leave fewer rows)
            if len(keep) < len(possible):
                rows = keep if rows is None else rows[keep]
                value = value[keep]
            elif rows is None:
                rows = np.arange(n)
        if rows is None:
            rows = np.arange(n)
        if value is True:
            value = np.ones(len(rows), bool)
        result = spread(n, rows, value, False)
        ev.memo[key] = result
        ev.__dict__.setdefault("_jiuye_sparse", {})[key] = (rows, value)     # the rows possible and their value
        return result

    def _role_rows(self, ev, role):
        """The persons in a role (shared by the per-employee measures)."""
        cache = ev.__dict__.setdefault("_jiuye_role_rows", {})
        if role not in cache:
            cache[role] = rows = np.flatnonzero(ev.role_mask(role))
            self._share_view(ev, "person", rows)
        return cache[role]

    def _share_view(self, ev, entity, rows):
        """Rows shared by several measures (the persons in a role, the rows a first condition
        leaves): one view of them, so that what its formulas compute is computed once."""
        ev.__dict__.setdefault("_jiuye_views", {})[id(rows)] = (rows, ev.view(entity, rows))

    def _view(self, ev, entity, rows):
        shared = ev.__dict__.get("_jiuye_views", {}).get(id(rows))
        if shared is not None and shared[0] is rows and shared[1].entity_key == entity:
            return shared[1]
        return ev.view(entity, rows)

    def _first_rows(self, ev, entity, name, period):
        """A condition on every row: the rows it leaves possible and its value there (shared by
        the measures that start with it)."""
        cache = ev.__dict__.setdefault("_jiuye_first_rows", {})
        key = (entity, name, str(period))
        if key not in cache:
            value = _evaluate_node(ev.view(entity), name, period)
            possible = value.hi if is_partial(value) else np.asarray(value, bool)
            rows = np.flatnonzero(possible)
            cache[key] = (rows, value[rows])
            if len(rows) < len(possible):
                self._share_view(ev, entity, rows)
        return cache[key]

    def _cheapest(self, ev, entity, nodes, period) -> int:
        """Index of the node to evaluate next: one already computed for every row, else the one
        reading the fewest variables (the first on a tie)."""
        costs = []
        first = ev.__dict__.get("_jiuye_first_rows", {})
        text = str(period)
        for i, node in enumerate(nodes):
            if isinstance(node, str):
                if (entity, node, text) in first:
                    return i
                variable = self.system.variables.get(node)
                if variable is not None and variable.entity.key == entity:
                    key = (entity, node, "eternity" if variable.definition_period == "eternity" else text)
                    if key in ev.memo:
                        return i
            cost = self._node_cost(node)
            if isinstance(node, str) and node.endswith("__in_force"):
                cost += IN_FORCE_LATER       # a validity window seldom excludes many: after as cheap ones
            costs.append(cost)
        return costs.index(min(costs))

    def _node_cost(self, node) -> int:
        if not isinstance(node, str):       # a catalogue node: by identity (kept alive here), then content
            known = self._costs.get(id(node))
            if known is not None and known[0] is node:
                return known[1]
        key = node if isinstance(node, str) else repr(node)
        cost = self._costs.get(key)
        if cost is None:
            from ..assess.dependencies import dependencies, facts_read
            from ..catalogue import condition_names
            deps = dependencies(self.base)
            names = [node] if isinstance(node, str) else condition_names([node])
            cost = self._costs[key] = sum(1 + len(facts_read(deps, self.system, name)) for name in names)
        if not isinstance(node, str):
            self._costs[id(node)] = (node, cost)
        return cost

    # -- one month's amounts -------------------------------------------------------------------------
    def amounts(self, measures: list[Measure], period, progress=None) -> dict[str, "Monthly"]:
        """Eligibility and the amount due in the month (the generated `<variable>`), assessed on the
        month's last day, on the rows known to be eligible."""
        if not isinstance(period, periods.Period):
            period = periods.period(period)
        ev = self.evaluation(dt.date.fromisoformat(str(period.stop)))
        out = {}
        with np.errstate(all="ignore"):
            for measure in measures:
                eligible = self.eligible(ev, measure, period)
                if progress:
                    progress()
                known_true = eligible.lo & eligible.known if is_partial(eligible) else np.asarray(eligible, bool)
                rows = np.flatnonzero(known_true)
                values = np.zeros(0)
                if rows.size:
                    due = ev.value(measure.variable, period)
                    values = _known_or_nan(due, rows)
                out[measure.id] = Monthly(known_true, rows, values)
        return out

    # -- matching: one month, every case --------------------------------------------------------------
    def match(self, measures: list[Measure], on: dt.date, progress=None) -> dict[str, MatchRows]:
        """Every case eligible or undetermined, per measure. `progress()` is called 2 × len(measures)
        times (eligibility, then each measure's cases)."""
        period = periods.period(on.strftime("%Y-%m"))
        ev = self.evaluation(on)
        day = np.datetime64(on, "D")
        first, last = np.datetime64(str(period.start), "D"), np.datetime64(str(period.stop), "D")
        index_of = {m.id: i for i, m in enumerate(measures)}
        results = {}
        with np.errstate(all="ignore"):
            eligible_of = {}
            for measure in measures:
                eligible_of[measure.id] = self.eligible(ev, measure, period)
                if progress:
                    progress()
            for measure in measures:
                results[measure.id] = self._match_one(ev, measure, measures, index_of, eligible_of[measure.id],
                                                      period, day, first, last)
                if progress:
                    progress()
        return results

    def _match_one(self, ev, measure, measures, index_of, eligible, period, day, first, last) -> MatchRows:
        units = self.units(ev, measure)
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
            return self._match_rows(ev, measure, measures, index_of, units, pick, status, undetermined, reasons,
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
        return self._match_rows(ev, measure, measures, index_of, units, pick, status, undetermined,
                                value[pick] if is_partial(value) else None, period, day)

    def _match_rows(self, ev, measure, measures, index_of, units, pick, status, undetermined, reasons,
                    period, day) -> MatchRows:
        """A measure's cases from the positions `pick` (among `units`) not known to be ineligible,
        their status and the eligibility's value there when not every one is decided (`reasons`)."""
        counts = {"ineligible": len(units) - len(pick), "undetermined": undetermined,
                  "eligible": len(pick) - undetermined}
        keep = units[pick]
        facts, missing = self._reason_columns(ev, measure, reasons, len(keep))
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
            inst = self.system.installments_for(sub if sub is not None else view, measure, period)
            if sub is None:
                inst = inst.rows(keep)
            schedule_facts, schedule_missing = self._schedule_columns(ev, measure, inst, n)
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
                row_known = ~(_open(sched.due) | _open(sched.amount) | _open(sched.ceiling))
                kept_value = at(f"{measure.variable}__kept") if measure.stacking \
                    else np.ones(len(rows), bool)
                kept_known = ~_open(kept_value)
                k = _lo(kept_value).astype(bool)
                due, amount, ceil = _lo(sched.due), _lo(sched.amount), _lo(sched.ceiling)
                valid = (due < NEVER) & ((amount > 0) | np.isnan(amount))
                upto = valid & (due <= day)
                nan_upto = (upto & np.isnan(amount)).any(axis=1)
                td = np.where(upto, np.nan_to_num(amount), 0.0).sum(axis=1)
                partial_td = _known_or_nan(amount_due_by(sched.due, sched.amount, day), np.arange(len(rows)))
                td = np.where(row_known, td, partial_td)
                td = np.where(k, np.round(td, 2), 0.0)
                td = np.where(k & nan_upto, np.nan, td)
                td = np.where(kept_known, td, np.nan)
                mon = _known_or_nan(at(measure.variable), slice(None))
                any_nan = (valid & np.isnan(amount)).any(axis=1)
                tot = _known_or_nan(at(f"{measure.variable}__total"), slice(None))
                tot = np.where(row_known & kept_known, np.where(k, np.where(any_nan, np.nan, tot), 0.0), np.nan)
                to_date[e], month[e], total[e] = td, mon, tot
                kept[e] = k | ~kept_known
                referenced[e] = any_nan & row_known
                ceiling[e] = (valid & ceil).any(axis=1) & row_known
                if measure.stacking and not (k | ~kept_known).all():
                    group = [m for m in measures if m.stacking and m.stacking["group"] == measure.stacking["group"]
                             and m.id != measure.id]
                    if group:
                        totals = np.stack([_lo(at(f"{m.variable}__total")) for m in group], axis=1)
                        best = np.array([index_of[m.id] for m in group], np.int16)[np.argmax(totals, axis=1)]
                        winner[e] = np.where(k | ~kept_known, -1, best)
        org = self._org_global(ev, measure, keep)
        return MatchRows(measure.id, self._unit_global(measure, keep), org, status, month, to_date, total, kept,
                         winner, referenced, ceiling, missing, schedule_missing, facts, schedule_facts, counts)

    def _reason_columns(self, ev, measure, value, n):
        if value is None:
            return [], np.zeros((n, 0), bool)
        columns = {}
        for (entity, fact), mask in ev.reason_columns(value).items():
            key = (fact, _tag(measure.entity, entity))
            columns[key] = columns[key] | mask if key in columns else mask
        facts = sorted(columns)
        missing = np.stack([columns[k] for k in facts], axis=1) if facts else np.zeros((n, 0), bool)
        return facts, missing

    def _schedule_columns(self, ev, measure, inst, n):
        columns = {}
        for part in (inst.due, inst.amount, inst.ceiling):
            if is_partial(part):
                for (entity, fact), mask in ev.reason_columns(part).items():
                    key = (fact, _tag(measure.entity, entity))
                    columns[key] = columns[key] | mask if key in columns else mask
        facts = sorted(columns)
        missing = np.stack([columns[k] for k in facts], axis=1) if facts else np.zeros((n, 0), bool)
        return facts, missing

    # -- costing: a year, month by month ----------------------------------------------------------------
    def cost(self, measures: list[Measure], year: int, progress=None) -> dict[str, CostRows]:
        """Cents due per unit in each month of the year (cases known to be eligible). `progress()` is
        called once a month."""
        ev0 = self.evaluation(dt.date(year, 1, 31))
        units = {m.id: self.units(ev0, m) for m in measures}
        size = {m.id: ev0.count(m.entity) for m in measures}
        cents = {m.id: np.zeros(size[m.id], np.int64) for m in measures}
        ever = {m.id: np.zeros(size[m.id], bool) for m in measures}
        referenced = {m.id: np.zeros(size[m.id], bool) for m in measures}
        month_cents = {m.id: np.zeros(12, np.int64) for m in measures}
        unit_masks = {}
        for m in measures:
            unit_masks[m.id] = np.zeros(size[m.id], bool)
            unit_masks[m.id][units[m.id]] = True
        for month in range(1, 13):
            period = periods.period(f"{year}-{month:02d}")
            monthly = self.amounts(measures, period)
            ev = self.evaluation(dt.date.fromisoformat(str(period.stop)))
            for measure in measures:
                month_rows = monthly[measure.id]
                unit_mask = unit_masks[measure.id]
                inside = unit_mask[month_rows.rows]
                rows = month_rows.rows[inside]
                c = to_cents(month_rows.values[inside])
                cents[measure.id][rows] += c
                month_cents[measure.id][month - 1] += int(c.sum())
                ever[measure.id][rows] = True
                if rows.size:          # amounts set elsewhere (NaN): eligible, not costed
                    inst = self.system.installments_of_eligible(ev.view(measure.entity), measure, period)
                    amount = _lo(inst.amount)[rows] if not hasattr(inst, "inner") else None
                    if amount is None:
                        inner = inst.inner
                        if inner is not None:
                            position = np.searchsorted(inst.index, rows)
                            ok = position < len(inst.index)
                            sel = np.zeros(len(rows), bool)
                            sel[ok] = inst.index[position[ok]] == rows[ok]
                            a = _lo(inner.amount)[position[sel]]
                            d = _lo(inner.due)[position[sel]]
                            nan_rows = rows[sel][((d < NEVER) & np.isnan(a)).any(axis=1)]
                            referenced[measure.id][nan_rows] = True
                    else:
                        d = _lo(inst.due)[rows]
                        nan_rows = rows[((d < NEVER) & np.isnan(amount)).any(axis=1)]
                        referenced[measure.id][nan_rows] = True
            if progress:
                progress()
        out = {}
        for measure in measures:
            paid = np.flatnonzero(cents[measure.id] > 0)
            ev_units = ever[measure.id] & unit_masks[measure.id]
            out[measure.id] = CostRows(
                measure.id, self._unit_global(measure, paid), self._org_global(ev0, measure, paid),
                cents[measure.id][paid], self._unit_global(measure, np.flatnonzero(ev_units)),
                int(np.count_nonzero(referenced[measure.id] & ev_units)), month_cents[measure.id])
        return out

    # -- global indices -----------------------------------------------------------------------------------
    def _unit_global(self, measure: Measure, rows: np.ndarray) -> np.ndarray:
        if measure.entity == "person":
            return self.population.global_person_index()[rows]
        return self.population.global_org_index()[rows]

    def _org_global(self, ev, measure: Measure, rows: np.ndarray) -> np.ndarray:
        if measure.entity == "organisation":
            return self.population.global_org_index()[rows]
        if measure.beneficiary != "organisation":
            return np.full(len(rows), -1, np.int64)
        local = ev.org_of_person[rows]
        return self.population.global_org_index()[local]


def _node(view, node, period):
    """A condition node on a view (`jiuye.model.system._evaluate_node`'s value), short-circuited:
    an any-of evaluates each further child only on the rows the children before it leave not
    known to be true (an all-of: not known to be false), in the order given. Equal to the
    evaluation of every child on every row, reasons included: a row decided by an earlier child
    is decided whatever the others are (Kleene), and an open row reads every child there."""
    if isinstance(node, str):
        return read_condition(view, node, period)
    kind = node_kind(node)
    if kind == "not":
        return ~_node(view, node["not"], period)
    children = node[kind]
    conjunction = kind == "all_of"
    n = view.count
    value = None
    for child in children:
        if value is None:
            value = _node(view, child, period)
            if not is_partial(value) and np.asarray(value).dtype != np.bool_:
                value = kleene([value], n, conjunction)
            continue
        lo, hi = (value.lo, value.hi) if is_partial(value) else (np.asarray(value, bool),) * 2
        undecided = hi if conjunction else ~lo          # rows not known false (true)
        rows = np.flatnonzero(undecided)
        if not len(rows):
            break
        if len(rows) == n:
            part = _node(view, child, period)
        else:
            sub = view.restrict(rows)
            part = spread(n, rows, _node(sub, child, period), conjunction)
        value = kleene([value, part], n, conjunction)
    if value is None:
        return np.ones(n, bool) if conjunction else np.zeros(n, bool)
    return value


def _lo(value):
    return value.lo if is_partial(value) else np.asarray(value)


def _open(value) -> np.ndarray:
    if is_partial(value):
        return value.open_rows()
    return np.zeros(np.shape(value)[0], bool)


def _known_or_nan(value, rows) -> np.ndarray:
    """Values at rows as floats, NaN where not known."""
    if is_partial(value):
        lo = value.lo[rows].astype(float)
        return np.where(value.known[rows], lo, np.nan)
    return np.asarray(value, float)[rows]


def _tag(unit_entity: str, fact_entity: str) -> str:
    """Whose fact: the case's own (''), its organisation's ('org') or its organisation's members'."""
    if unit_entity == fact_entity:
        return ""
    return ORG if unit_entity == "person" else MEMBERS
