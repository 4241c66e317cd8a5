"""Every executable measure over a whole population at once: the status of each case (eligible,
undetermined, ineligible) with the facts still missing, and the amounts — the same answers
`jiuye.explain` gives case by case, from the same three-valued evaluator (`jiuye.assess.Evaluation`),
run once over the whole population.

A fact a row does not give (an absent column, a blank cell) is unknown for that row, never false;
what the given facts decide is decided. The reasons (missing facts) are kept per fact (`facts`
mode): a column (fact, whose) per fact an undetermined case still needs — its own (''), its
organisation's ('org') or its organisation's members' ('members').

`Evaluator` holds the population and one `Evaluation` per assessment day, and answers three
questions: a month's cases (`match`, in `cases`), a month's amounts (`amounts`) and a year's cost
month by month (`cost`). How the work is kept proportional to the cases that matter:

* `__eligible` is the catalogue's condition tree (with the validity of the qualifying event and,
  for a per-employee measure, the member's role), evaluated short-circuited (`eligibility`), then
  put in the evaluation's cache, where the generated formulas read it.
* Installments run on the rows that are not ineligible only (the generated formulas do this
  themselves: `JiuyeSystem.installments_of_eligible`).

The installment functions get the parameters of the evaluation's own tax-benefit system, so a
reform's parameters reach them. The answers' arrays: `results`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core import periods

from ..assess.evaluation import Evaluation
from ..assess.population import Population
from ..catalogue import Measure
from ..model.dates import NEVER
from ..model.partial import is_partial
from . import cases
from .eligibility import ShortCircuit
from .results import CostRows, MatchRows, Monthly, known_or_nan, low, to_cents


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
        self._eligibility = ShortCircuit(self.system, self.base)

    def evaluation(self, on: dt.date) -> Evaluation:
        ev = self._evaluations.get(on)
        if ev is None:
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

    def eligible(self, ev: Evaluation, measure: Measure, period):
        """`<variable>__eligible` for every row of the measure's entity, short-circuited, put in the
        evaluation's cache (`eligibility.ShortCircuit.eligible`)."""
        return self._eligibility.eligible(ev, measure, period)

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
                    values = known_or_nan(due, rows)
                out[measure.id] = Monthly(known_true, rows, values)
        return out

    # -- matching: one month, every case --------------------------------------------------------------
    def match(self, measures: list[Measure], on: dt.date, progress=None) -> dict[str, MatchRows]:
        """Every case eligible or undetermined, per measure (`cases.match`). `progress()` is called
        2 × len(measures) times (eligibility, then each measure's cases)."""
        return cases.match(self, measures, on, progress)

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
                    amount = low(inst.amount)[rows] if not hasattr(inst, "inner") else None
                    if amount is None:
                        inner = inst.inner
                        if inner is not None:
                            position = np.searchsorted(inst.index, rows)
                            ok = position < len(inst.index)
                            sel = np.zeros(len(rows), bool)
                            sel[ok] = inst.index[position[ok]] == rows[ok]
                            a = low(inner.amount)[position[sel]]
                            d = low(inner.due)[position[sel]]
                            nan_rows = rows[sel][((d < NEVER) & np.isnan(a)).any(axis=1)]
                            referenced[measure.id][nan_rows] = True
                    else:
                        d = low(inst.due)[rows]
                        nan_rows = rows[((d < NEVER) & np.isnan(amount)).any(axis=1)]
                        referenced[measure.id][nan_rows] = True
            if progress:
                progress()
        out = {}
        for measure in measures:
            paid = np.flatnonzero(cents[measure.id] > 0)
            ev_units = ever[measure.id] & unit_masks[measure.id]
            out[measure.id] = CostRows(
                measure.id, self.unit_global(measure, paid), self.org_global(ev0, measure, paid),
                cents[measure.id][paid], self.unit_global(measure, np.flatnonzero(ev_units)),
                int(np.count_nonzero(referenced[measure.id] & ev_units)), month_cents[measure.id])
        return out

    # -- global indices -----------------------------------------------------------------------------------
    def unit_global(self, measure: Measure, rows: np.ndarray) -> np.ndarray:
        if measure.entity == "person":
            return self.population.global_person_index()[rows]
        return self.population.global_org_index()[rows]

    def org_global(self, ev, measure: Measure, rows: np.ndarray) -> np.ndarray:
        if measure.entity == "organisation":
            return self.population.global_org_index()[rows]
        if measure.beneficiary != "organisation":
            return np.full(len(rows), -1, np.int64)
        local = ev.org_of_person[rows]
        return self.population.global_org_index()[local]
