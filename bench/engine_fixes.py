"""Proposed engine fixes, applied by monkeypatching for measurement only.

Nothing here edits jiuye: each fix is a reversible patch (`apply()` / `revert()`) so the
benchmarks can time the engine with and without it in the same run (`--fixes`), and check that
the results are identical. They are *suggestions* for jiuye/model/system.py and
jiuye/model/dates.py, written the way the change could be made there.

* `params`   — `JiuyeSystem.installments_for` calls `self.parameters(period.start)`, which rebuilds
               the whole ParameterNodeAtInstant tree on every call (~0.2 ms with today's tree, more
               as documents are added), once per measure per simulation. OpenFisca already keeps an
               lru_cache'd tree: `self.get_parameters_at_instant(period.start)`.
* `subset`   — the generated `<variable>` and `<variable>__total` formulas run the installment
               function on every row and multiply by eligibility afterwards; the installments of
               every measure, (n, K) arrays of dates, amounts and flags, also stay cached on the
               simulation. Run the installment function on the eligible rows only (a population
               view restricted to them) and keep (eligible, K) arrays. `explain` is unchanged: it
               still calls `installments_for` on the whole (small) population, undetermined rows
               included.
* `roles`    — `population.has_role(role)` (called by every `__eligible` formula with a role) compares
               an object array of Role instances, ~30 ms per 1M persons each time: cache the mask of
               each role per simulation (or keep the role as an int code beside `members_role`).
* `months`   — `dates.add_months` converts datetime64[D] <-> [M] five times per call (~150 ms per
               1M dates); `monthly()`-style loops call it once per slot. An integer version with a
               table of month first days is ~10x faster and gives identical dates.
"""

from __future__ import annotations

import sys

import numpy as np

# -- params ---------------------------------------------------------------------------------------


class _Patch:
    name = ""

    def __init__(self) -> None:
        self._saved: list[tuple[object, str, object]] = []
        self.active = False

    def _set(self, owner, attribute: str, value) -> None:
        self._saved.append((owner, attribute, owner.__dict__[attribute] if isinstance(owner, type)
                            else getattr(owner, attribute)))
        setattr(owner, attribute, value)

    def apply(self, system) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        for owner, attribute, value in reversed(self._saved):
            setattr(owner, attribute, value)
        self._saved.clear()
        self.active = False


class CachedParameters(_Patch):
    name = "params"

    def apply(self, system) -> None:
        import inspect

        from jiuye.model.system import JiuyeSystem
        if "get_parameters_at_instant" in inspect.getsource(JiuyeSystem):
            self.upstream = True          # already in the engine (commit 9cd4277): nothing to patch
            self.active = True
            return

        def installments_for(self, population, measure, period):
            simulation = population.simulation
            cache = simulation.__dict__.setdefault("_jiuye_installments", {})
            key = (measure.id, str(period))
            if key not in cache:
                function = self.installment_functions[measure.id]
                cache[key] = function(population, period, self.get_parameters_at_instant(period.start))
            return cache[key]

        self._set(JiuyeSystem, "installments_for", installments_for)
        self.active = True


# -- subset ---------------------------------------------------------------------------------------
class _SimulationShim:
    """The real simulation for everything but its `__dict__`, so that `installments_for` keeps the
    installments of a RowView apart from those of the whole population."""

    def __init__(self, simulation) -> None:
        self._simulation = simulation

    def __getattr__(self, name):
        return getattr(self._simulation, name)


class RowView:
    """A population restricted to some rows: `view(name, period)` and projections
    (`view.organisation(name, period)`, `view.has_role(...)`) return the rows' values only."""

    def __init__(self, population, index: np.ndarray) -> None:
        self._population = population
        self._full = population.count
        self.index = index
        self.count = len(index)
        self.simulation = _SimulationShim(population.simulation)

    def _cut(self, value):
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == self._full:
            return value[self.index]
        return value

    def __call__(self, *args, **kwargs):
        return self._cut(self._population(*args, **kwargs))

    def __getattr__(self, name):
        attribute = getattr(self._population, name)
        if callable(attribute) and not isinstance(attribute, type):
            view = self

            class _Cut:
                def __call__(self, *args, **kwargs):
                    return view._cut(attribute(*args, **kwargs))

                def __getattr__(self, inner):
                    return getattr(attribute, inner)
            return _Cut()
        return attribute


class RowInstallments:
    """Installments of some rows of an n-row population: sums come back as n-vectors; the
    (n, K) arrays are materialised only when asked for."""

    def __init__(self, n: int, index: np.ndarray, inner) -> None:
        self.n, self.index, self.inner = n, index, inner

    def _spread(self, values, fill=0.0):
        out = np.full(self.n, fill, dtype=float)
        out[self.index] = values
        return out

    def total(self):
        return self._spread(self.inner.total())

    def due_between(self, first, last):
        return self._spread(self.inner.due_between(first, last))

    def _full(self, name, fill, dtype):
        inner = getattr(self.inner, name)
        out = np.full((self.n, inner.shape[1] if inner.ndim > 1 else 1), fill, dtype=dtype)
        out[self.index] = inner
        return out

    @property
    def due(self):
        from jiuye.model.dates import NEVER
        return self._full("due", NEVER, "datetime64[D]")

    @property
    def amount(self):
        return self._full("amount", 0.0, float)

    @property
    def ceiling(self):
        return self._full("ceiling", False, bool)


class EligibleRowsOnly(_Patch):
    name = "subset"

    def apply(self, system) -> None:
        from jiuye.catalogue import load_catalogue
        from jiuye.model.dates import month_first_day, period_last_day

        def eligible_installments(population, measure, period):
            simulation = population.simulation
            cache = simulation.__dict__.setdefault("_jiuye_installments_eligible", {})
            key = (measure.id, str(period))
            if key not in cache:
                eligible = population(f"{measure.variable}__eligible", period)
                index = np.flatnonzero(eligible)
                # the engine's own installments_for (instant, parameters …) on the eligible rows
                inner = system.installments_for(RowView(population, index), measure, period) if index.size else None
                cache[key] = (index, inner)
            return cache[key]

        def make(measure):
            def total(population, period, parameters):
                index, inner = eligible_installments(population, measure, period)
                out = np.zeros(population.count)
                if inner is not None:
                    out[index] = inner.total()
                return out

            def due(population, period, parameters):
                index, inner = eligible_installments(population, measure, period)
                out = np.zeros(population.count)
                if inner is not None:
                    out[index] = inner.due_between(month_first_day(period), period_last_day(period))
                return out * population(f"{measure.variable}__kept", period)
            return total, due

        for measure in load_catalogue().executable():
            total, due = make(measure)
            for name, formula in ((f"{measure.variable}__total", total), (measure.variable, due)):
                formulas = system.variables[name].formulas
                for start in list(formulas.keys()):
                    self._saved.append((_Item(formulas, start), "value", formulas[start]))
                    formulas[start] = formula
        self.active = True


class _Item:
    """setattr(_Item(mapping, key), "value", v) sets mapping[key] (for `_Patch.revert`)."""

    def __init__(self, mapping, key) -> None:
        self.mapping, self.key = mapping, key

    def __setattr__(self, name, value):
        if name == "value":
            self.mapping[self.key] = value
        else:
            object.__setattr__(self, name, value)


# -- months ---------------------------------------------------------------------------------------
_M0 = np.datetime64("1800-01", "M")
_FIRST_DAY = np.arange(_M0, np.datetime64("2300-01", "M")).astype("datetime64[D]").astype(np.int64)
_NEVER_DAYS = np.datetime64("9999-12-31", "D").astype(np.int64)


def add_months_fast(dates, months):
    """Same contract as jiuye.model.dates.add_months (clamped to the month's last day, NEVER stays
    NEVER) with integer arithmetic on a month table instead of datetime64 unit conversions."""
    days = np.asarray(dates, dtype="datetime64[D]").astype(np.int64)
    months = np.asarray(months, dtype=np.int64)
    never = days >= _NEVER_DAYS
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - _M0.astype(np.int64)
    month = np.where(never, 2400, month)                 # 2000-01, any valid month for NEVER rows
    offset = days - _FIRST_DAY[month]
    target = month + months
    target = np.clip(target, 0, len(_FIRST_DAY) - 2)
    length = _FIRST_DAY[target + 1] - _FIRST_DAY[target]
    result = _FIRST_DAY[target] + np.minimum(offset, length - 1)
    return np.where(never, _NEVER_DAYS, result).astype("datetime64[D]")


class FastAddMonths(_Patch):
    name = "months"

    def apply(self, system) -> None:
        from jiuye.model import dates
        original = dates.add_months
        self._set(dates, "add_months", add_months_fast)
        # modules that imported the function by name
        for name, module in list(sys.modules.items()):
            if name.startswith("jiuye") and module is not dates and getattr(module, "add_months", None) is original:
                self._set(module, "add_months", add_months_fast)
        self.active = True


# -- roles ----------------------------------------------------------------------------------------
class CachedRoleMasks(_Patch):
    """`population.has_role(role)` compares an object array of Role instances element by element
    (~30 ms per 1M persons) and the generated `__eligible` formula calls it for every measure with
    a role. Compute each role's mask once per simulation."""
    name = "roles"

    def apply(self, system) -> None:
        from openfisca_core.populations import Population
        original = Population.has_role

        def has_role(population, role):
            if population.simulation is None or role.subroles:
                return original(population, role)
            group = population.simulation.get_population(role.entity.plural)
            members_role = group.members_role
            cache = group.__dict__.setdefault("_bench_role_masks", {})
            key = (id(members_role), role.key)
            if key not in cache:
                cache[key] = original(population, role)
            return cache[key]

        self._set(Population, "has_role", has_role)
        self.active = True


FIXES = {p.name: p for p in (CachedParameters, EligibleRowsOnly, FastAddMonths, CachedRoleMasks)}


def parse(spec: str | None) -> list[_Patch]:
    if not spec:
        return []
    names = list(FIXES) if spec == "all" else [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in FIXES]
    if unknown:
        raise SystemExit(f"unknown fix {unknown}; known: {', '.join(FIXES)} or all")
    return [FIXES[n]() for n in names]
