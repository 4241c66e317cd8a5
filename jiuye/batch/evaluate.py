"""Every executable measure over a whole population at once: the status of each case (eligible,
undetermined, ineligible) with the facts still missing, and the amounts — the same answers
`jiuye.explain` gives case by case, from one vectorised OpenFisca simulation.

Three-valued logic, vectorised (as in jiuye.explain): a condition that reads a fact the population
does not give — a column that is absent, or a blank cell — is *unknown* for that row, never false.
Which facts a condition reads comes from `jiuye.engine.dependencies(system)`, the map of what every
formula reads; following it through the organisation (a person's condition reading an
organisation's variable) and through the members (an organisation's variable aggregating its
members) gives, per condition, a list of (fact, path) pairs. A fact's "missing" mask is computed
once per column (None when the column is complete, so a complete population costs nothing).

How the work is kept proportional to the cases that matter (results identical to the generated
formulas on every row; tests/batch/test_match.py compares them measure by measure):

* `__eligible` is the catalogue's condition tree (and the member's role, and the validity window).
  It is evaluated condition after condition on the rows still undecided (all_of drops the rows a
  condition fails, any_of stops at the first that holds; the conditions of least uncomputed work
  first), then put in the simulation's cache, where the generated formulas read it. A condition
  asked for more than 1/8 of the rows is computed for every row once and shared between measures.
* Installments: the generated `<variable>` / `<variable>__total` formulas ask
  `system.installments_for(population, measure, period)`, which computes them for every row and
  caches them on the simulation. Here the installment function runs on the eligible rows only (a
  row view of the population, in which derived facts such as the contract's end date are computed
  for those rows too) and its result goes into that cache first, so the generated formulas —
  stacking, the amount due in the month — run unchanged and cheaply. A check that the cache is the
  one `installments_for` reads guards this (else amounts are computed the ordinary way: slower, the
  same). A formula that cannot run on a subset falls back to every row.
* Outside a stacking group a measure is always kept, so its month's amount is the installments due
  in the month on the eligible rows; a stacking group's members ask the generated `<variable>`.

The installment functions get the parameters of the simulation's own tax-benefit system, so a
reform's parameters reach them (JiuyeSystem.installments_for would read the baseline's).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import numpy as np
from openfisca_core import periods

from ..catalogue import Measure, node_kind
from ..engine import dependencies
from ..model.base import OPTIONAL_FACTS
from ..model.dates import NEVER
from .population import Population, build_simulation

INELIGIBLE, UNDETERMINED, ELIGIBLE = 0, 1, 2
STATUS_KEYS = {INELIGIBLE: "ineligible", UNDETERMINED: "undetermined", ELIGIBLE: "eligible"}

ORG, MEMBERS = "org", "members"      # steps of a path from a variable's entity to a fact's entity


# -- what each variable reads, as (fact, path) pairs -------------------------------------------------
class FactPaths:
    """Symbolic: for a variable, the input facts it reads and how they are reached."""

    def __init__(self, system, deps=None) -> None:
        self.system = system
        self.deps = deps or dependencies(system)
        self._memo: dict[str, frozenset] = {}

    def entity(self, name: str) -> str:
        return self.system.variables[name].entity.key

    def of(self, name: str, skip: frozenset = frozenset()) -> frozenset:
        """{(fact, path)}: path is a tuple of steps from `name`'s entity ('org': a person's
        organisation, 'members': an organisation's members)."""
        if not skip and name in self._memo:
            return self._memo[name]
        variable = self.system.variables[name]
        if not variable.formulas:
            result = frozenset() if name in OPTIONAL_FACTS else frozenset({(name, ())})
        else:
            self._memo[name] = frozenset()      # formulas form no cycle; guard anyway
            found = set()
            mine = variable.entity.key
            for dep in self.deps.variables.get(name, ()):
                if dep in skip:
                    continue
                theirs = self.entity(dep)
                step = () if theirs == mine else ((ORG,) if mine == "person" else (MEMBERS,))
                found.update((fact, step + path) for fact, path in self.of(dep))
            result = frozenset(found)
        if not skip:
            self._memo[name] = result
        return result


@functools.lru_cache(maxsize=8)
def fact_paths(system) -> FactPaths:
    return FactPaths(system)


# -- rows of a population, and installments of some of them ------------------------------------------
class RowView:
    """A population restricted to some rows: `view(name, period)`, projections through the
    organisation and aggregations return the rows' values only. `members(...)` (a group's members'
    values, person-sized) is passed through whole.

    A variable of the population's own entity that has a formula and is not computed yet is
    computed for the view's rows only (its formula run on the view, the result kept in the view):
    a derived fact such as the contract's end date costs the eligible rows, not the population."""

    _PASS = {"members", "entity", "simulation", "ids", "members_entity_id", "members_role",
             "members_position", "ordered_members_map"}

    def __init__(self, population, index: np.ndarray) -> None:
        self._population = population
        self._full = population.count
        self.index = index
        self.count = len(index)
        self._memo: dict = {}

    def _cut(self, value):
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == self._full:
            return value[self.index]
        return value

    def __call__(self, name, period=None, *args, **kwargs):
        if args or kwargs or not isinstance(name, str):
            return self._cut(self._population(name, period, *args, **kwargs))
        return self._rows(name, period)

    def _rows(self, name: str, period):
        population = self._population
        simulation = population.simulation
        system = simulation.tax_benefit_system
        variable = system.get_variable(name, check_existence=True)
        if not isinstance(period, periods.Period):
            period = periods.period(period)
        key = (name, period)
        if key in self._memo:
            return self._memo[key]
        formula = variable.get_formula(period) if variable.formulas else None
        same_unit = variable.definition_period == "eternity" or variable.definition_period == period.unit
        if formula is None or not same_unit or variable.entity.key != population.entity.key or \
                not population.entity.is_person or self.count * FULL_SHARE > self._full or \
                population.get_holder(name).get_array(period) is not None:
            return self._cut(population(name, period))       # computed once for every row, cached, shared
        parameters = system.get_parameters_at_instant
        value = formula(self, period) if formula.__code__.co_argcount == 2 else formula(self, period, parameters)
        if variable.value_type.__name__ == "Enum" and not hasattr(value, "possible_values"):
            value = variable.possible_values.encode(value)
        if not isinstance(value, np.ndarray):
            value = np.full(self.count, value, dtype=variable.dtype)
        elif value.dtype != variable.dtype and variable.value_type.__name__ != "Enum":
            value = value.astype(variable.dtype)
        if value.shape[:1] != (self.count,):
            raise ValueError(f"{name}: a formula computed on {self.count} rows returned {value.shape}")
        self._memo[key] = value
        return value

    def __getattr__(self, name):
        attribute = getattr(self._population, name)
        if name in self._PASS or not callable(attribute) or isinstance(attribute, type):
            return attribute
        view = self

        class _Cut:
            def __call__(self, *args, **kwargs):
                return view._cut(attribute(*args, **kwargs))

            def __getattr__(self, inner):
                return getattr(attribute, inner)
        return _Cut()


class RowInstallments:
    """Installments computed for some rows of an n-row population: sums come back as n-vectors
    (zero elsewhere); the (n, K) arrays are materialised only when asked for."""

    def __init__(self, n: int, index: np.ndarray, inner) -> None:
        self.n, self.index, self.inner = n, index, inner

    def _spread(self, values) -> np.ndarray:
        out = np.zeros(self.n, dtype=float)
        if self.inner is not None:
            out[self.index] = values
        return out

    def total(self) -> np.ndarray:
        return self._spread(self.inner.total() if self.inner is not None else None)

    def due_between(self, first, last) -> np.ndarray:
        return self._spread(self.inner.due_between(first, last) if self.inner is not None else None)

    def valid(self) -> np.ndarray:
        return self._full("valid", False, bool, call=True)

    def _full(self, name, fill, dtype, call=False):
        k = self.inner.due.shape[1] if self.inner is not None else 1
        out = np.full((self.n, k), fill, dtype=dtype)
        if self.inner is not None:
            out[self.index] = getattr(self.inner, name)() if call else getattr(self.inner, name)
        return out

    @property
    def due(self):
        return self._full("due", NEVER, "datetime64[D]")

    @property
    def amount(self):
        return self._full("amount", 0.0, float)

    @property
    def ceiling(self):
        return self._full("ceiling", False, bool)


CACHE = "_jiuye_installments"       # JiuyeSystem.installments_for's cache on the simulation
FULL_SHARE = 8                       # a view of more than 1/8 of the rows computes for every row instead


# -- results -------------------------------------------------------------------------------------------
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
    """A population's simulation and the vectorised answers for it."""

    def __init__(self, population: Population, system=None, *, base_system=None) -> None:
        from ..model.system import get_system
        self.population = population
        self.system = system or get_system()                      # may be a Reform
        self.base = base_system or getattr(self.system, "baseline", None) or self.system
        self.simulation = build_simulation(population, self.system, fast_roles=True)
        self.layout = self.simulation._jiuye_layout
        self.persons = self.simulation.persons
        self.orgs = self.simulation.populations["organisation"]
        self._prefill_ok: bool | None = None
        self._missing: dict = {}

    # -- populations and units ------------------------------------------------------------------
    def population_of(self, entity_key: str):
        return self.persons if entity_key == "person" else self.orgs

    def _every_row(self, entity_key: str) -> np.ndarray:
        rows = self.__dict__.setdefault("_rows_cache", {})
        if entity_key not in rows:
            rows[entity_key] = np.arange(self.population_of(entity_key).count)
            rows[entity_key].setflags(write=False)
        return rows[entity_key]

    def units(self, measure: Measure) -> np.ndarray:
        """Simulation rows assessed for the measure (as jiuye.explain's `units`): explicit
        organisations; for a per-employee measure of an organisation, members in the role."""
        lay = self.layout
        if measure.entity == "organisation":
            return self._every_row("organisation")[:lay.n_orgs]
        if measure.beneficiary == "organisation":
            key = ("units", measure.role)
            cache = self.__dict__.setdefault("_rows_cache", {})
            if key not in cache:
                mask = lay.org_of_person < lay.n_orgs
                if measure.role:
                    roles = [r.key for r in self.orgs.entity.flattened_roles]
                    mask &= lay.role_of_person == roles.index(measure.role)
                cache[key] = np.flatnonzero(mask)
            return cache[key]
        return self._every_row("person")

    # -- facts given -------------------------------------------------------------------------------
    def _base_missing(self, fact: str):
        """None: given for every row; else a bool mask of rows where it is missing (simulation
        rows of its entity, implicit organisations included)."""
        variable = self.system.variables[fact]
        entity = variable.entity.key
        given = self.population.given(entity, fact)
        facts = self.population.person_facts if entity == "person" else self.population.org_facts
        if given is not False and variable.value_type is float:       # NaN: a blank cell, not given
            nan = np.isnan(np.asarray(facts[fact], float))
            if nan.any():
                given = ~nan if given is None else (np.asarray(given, bool) & ~nan)
        n_implicit = self.layout.n_implicit if entity != "person" else 0
        if given is None and not n_implicit:
            return None
        n = self.layout.n_persons if entity == "person" else self.layout.n_orgs
        if given is None:
            missing = np.zeros(n, bool)
        elif given is False:
            missing = np.ones(n, bool)
        else:
            missing = ~np.asarray(given, bool)
        if n_implicit:
            missing = np.concatenate([missing, np.ones(n_implicit, bool)])
        return missing

    def missing_mask(self, fact: str, path: tuple):
        """Rows (of the entity the path starts from) for which the fact, reached along the path,
        is missing; None when none is."""
        key = (fact, path)
        if key in self._missing:
            return self._missing[key]
        if not path:
            mask = self._base_missing(fact)
        else:
            inner = self.missing_mask(fact, path[1:])
            if inner is None:
                mask = None
            elif path[0] == ORG:                       # a person reads their organisation's value
                mask = inner[self.layout.org_of_person]
            else:                                      # an organisation reads every member's value
                counts = np.bincount(self.layout.org_of_person, weights=inner, minlength=self.layout.n_sim_orgs)
                mask = counts > 0
            if mask is not None and not mask.any():
                mask = None
        self._missing[key] = mask
        return mask

    def missing_of(self, name: str, paths=None):
        """Rows of `name`'s entity for which `name` reads a missing fact (None: none)."""
        result = None
        for fact, path in (paths if paths is not None else fact_paths(self.base).of(name)):
            mask = self.missing_mask(fact, path)
            if mask is not None:
                result = mask.copy() if result is None else (result | mask)
        return result

    # -- conditions, three-valued ------------------------------------------------------------------
    def _leaf(self, name: str, measure: Measure, rows: np.ndarray, period):
        """(true, false, missing) masks over `rows` (rows of the measure's entity)."""
        variable = self.system.variables[name]
        population = self.population_of(variable.entity.key)
        value = np.asarray(population(name, period), bool)
        missing = self.missing_of(name)
        if variable.entity.key != measure.entity:       # an organisation's condition of a person
            index = self.layout.org_of_person[rows]
        elif len(rows) == population.count:              # every row, in order: no copy
            index = slice(None)
        else:
            index = rows
        value = value[index]
        if missing is None:
            return value, ~value, None
        missing = missing[index]
        known = ~missing
        return known & value, known & ~value, missing

    def tree(self, measure: Measure, rows: np.ndarray, period):
        """Evaluate the condition tree: (true, false) masks, and the open leaves with their masks
        ([(condition, open mask)]: unknown all the way down from the root, as explain collects)."""
        leaves: list = []

        def node(item):
            if isinstance(item, str):
                t, f, missing = self._leaf(item, measure, rows, period)
                return t, f, [(item, missing)] if missing is not None else []
            kind = node_kind(item)
            parts = [node(child) for child in item[kind]]
            if kind == "all_of":
                t = np.logical_and.reduce([p[0] for p in parts]) if parts else np.ones(len(rows), bool)
                f = np.logical_or.reduce([p[1] for p in parts]) if parts else np.zeros(len(rows), bool)
            else:
                t = np.logical_or.reduce([p[0] for p in parts]) if parts else np.zeros(len(rows), bool)
                f = np.logical_and.reduce([p[1] for p in parts]) if parts else np.ones(len(rows), bool)
            unknown = ~t & ~f
            opened = []
            for pt, pf, pleaves in parts:
                for leaf, mask in pleaves:
                    opened.append((leaf, mask & unknown))
            return t, f, opened

        t, f, opened = node({"all_of": list(measure.conditions)})
        return t, f, opened

    def _complete(self, measure: Measure) -> bool:
        """True when no condition of the measure reads a fact missing for any row."""
        from ..catalogue import condition_names
        key = ("complete", measure.id)
        if key not in self._missing:
            self._missing[key] = all(self.missing_of(name) is None for name in condition_names(measure.conditions))
        return self._missing[key]

    # -- eligibility, short-circuited -----------------------------------------------------------------
    def eligible(self, measure: Measure, period) -> np.ndarray:
        """`<variable>__eligible` for every row of the measure's entity — the condition tree (all_of,
        any_of), the member's role for a per-employee measure of an organisation, the validity window —
        evaluated condition after condition on the rows still undecided only, then put in the
        simulation's cache so that the generated formulas read it. Equal to the generated formula
        (tests/batch/test_match.py compares them on every measure)."""
        population = self.population_of(measure.entity)
        name = f"{measure.variable}__eligible"
        holder = population.get_holder(name)
        cached = holder.get_array(period)
        if cached is not None:
            return cached
        n = population.count
        result = np.zeros(n, bool)
        first, last = measure.valid_from, measure.valid_to
        start, stop = str(period.start), str(period.stop)
        if (not first or stop >= first) and (not last or start <= last):
            rows = self._every_row(measure.entity)
            if measure.role and measure.entity == "person" and measure.beneficiary == "organisation":
                roles = [r.key for r in self.orgs.entity.flattened_roles]
                rows = np.flatnonzero(self.layout.role_of_person == roles.index(measure.role))
            true_rows = self._all_of(measure, list(measure.conditions), rows, period)
            result[true_rows] = True
        holder.put_in_cache(result, period)
        return result

    def _cost(self, node) -> int:
        """A rough price of evaluating a node: the formulas in its dependency closure not computed
        yet. all_of evaluates the cheap parts first (conjunction does not depend on the order)."""
        if not isinstance(node, str):
            return sum(self._cost(child) for child in node[node_kind(node)])
        seen, stack, price = set(), [node], 0
        deps = fact_paths(self.base).deps.variables
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            variable = self.system.variables[name]
            if variable.formulas:
                population = self.population_of(variable.entity.key)
                if not population.get_holder(name).get_known_periods():
                    price += 1
                stack.extend(deps.get(name, ()))
        return price

    def _all_of(self, measure, children, rows, period) -> np.ndarray:
        children = sorted(children, key=self._cost)          # stable: the catalogue's order among equals
        for child in children:
            if not len(rows):
                break
            rows = rows[self._node(measure, child, rows, period)]
        return rows

    def _node(self, measure, node, rows, period) -> np.ndarray:
        """The node's value (bool) on `rows`."""
        if isinstance(node, str):
            return self._condition(measure, node, rows, period)
        kind = node_kind(node)
        if kind == "all_of":
            kept = self._all_of(measure, list(node[kind]), rows, period)
            if len(kept) == len(rows):
                return np.ones(len(rows), bool)
            value = np.zeros(len(rows), bool)                     # rows and kept are sorted
            value[np.searchsorted(rows, kept)] = True
            return value
        value = np.zeros(len(rows), bool)
        open_ = np.arange(len(rows))
        for child in node[kind]:
            if not len(open_):
                break
            hit = self._node(measure, child, rows[open_], period)
            value[open_[hit]] = True
            open_ = open_[~hit]
        return value

    def _condition(self, measure, name, rows, period) -> np.ndarray:
        variable = self.system.variables[name]
        if variable.entity.key != measure.entity:         # an organisation's condition of a person
            values = np.asarray(self.orgs(name, period), bool)
            return values[self.layout.org_of_person[rows]]
        population = self.population_of(measure.entity)
        if len(rows) == population.count or not population.entity.is_person:
            return np.asarray(population(name, period), bool)[rows]
        try:
            return np.asarray(RowView(population, rows)(name, period), bool)
        except Exception:               # a formula that cannot run on some rows: on every row
            return np.asarray(population(name, period), bool)[rows]

    # -- installments on some rows ------------------------------------------------------------------
    def prefill(self, measure: Measure, period, rows: np.ndarray) -> RowInstallments:
        """Compute the measure's installments on `rows` and put them where the generated formulas
        look for them."""
        population = self.population_of(measure.entity)
        rows = np.asarray(rows, np.int64)
        parameters = self.system.get_parameters_at_instant(period.start)
        function = self.base.installment_functions[measure.id]
        inner = None
        if rows.size:
            try:
                inner = function(RowView(population, rows), period, parameters)
                if inner.due.shape[0] != rows.size:
                    raise ValueError(f"{measure.id}: {inner.due.shape[0]} rows for {rows.size}")
            except Exception:           # not computable on some rows: on every row, then the rows taken
                whole = function(population, period, parameters)
                inner = type(whole)(whole.due[rows], whole.amount[rows], whole.ceiling[rows])
        installments = RowInstallments(population.count, rows, inner)
        cache = self.simulation.__dict__.setdefault(CACHE, {})
        for key in _cache_keys(measure, period):
            cache[key] = installments
        if self._prefill_ok is None:
            self._prefill_ok = self.system.installments_for(population, measure, period) is installments
            if not self._prefill_ok:
                import warnings
                warnings.warn("JiuyeSystem.installments_for no longer reads its cache as expected: amounts "
                              "are computed for every row (slower); results are unchanged", RuntimeWarning)
        return installments

    def forget(self, period) -> None:
        """Drop the month's cached results (conditions, measure variables, installments)."""
        cache = self.simulation.__dict__.get(CACHE, {})
        for key in [k for k in cache if str(k[1]) == str(period)]:
            del cache[key]
        for population in (self.persons, self.orgs):
            for name, holder in population._holders.items():
                if holder.variable.definition_period != "eternity" and holder.variable.formulas:
                    holder.delete_arrays(period)

    def amounts(self, measures: list[Measure], period, progress=None) -> dict[str, "Monthly"]:
        """`__eligible` of every measure, then installments on its eligible rows (prefilled), then
        the amount due in the month on those rows. A member of a stacking group asks the generated
        `<variable>` (eligible × kept × due); for the others `kept` is always true and the amount is
        the installments due in the month — computed on the eligible rows only, not as full arrays."""
        eligible = {}
        for measure in measures:
            eligible[measure.id] = self.eligible(measure, period)
            if progress:
                progress()
        for measure in measures:
            self.prefill(measure, period, np.flatnonzero(eligible[measure.id]))
        first, last = np.datetime64(str(period.start), "D"), np.datetime64(str(period.stop), "D")
        cache = self.simulation.__dict__[CACHE]
        out = {}
        for measure in measures:
            installments = cache[_cache_keys(measure, period)[0]]
            rows = installments.index
            if not rows.size:
                values = np.zeros(0)
            elif measure.stacking or not self._prefill_ok:
                values = np.asarray(self.population_of(measure.entity)(measure.variable, period), float)[rows]
            else:
                values = installments.inner.due_between(first, last)
            out[measure.id] = Monthly(eligible[measure.id], rows, values)
        return out

    # -- matching: one month, every case --------------------------------------------------------------
    def match(self, measures: list[Measure], on: dt.date, progress=None) -> dict[str, MatchRows]:
        """Every case eligible or undetermined, per measure. `progress()` is called 2 × len(measures)
        times (eligibility, then each measure's cases)."""
        period = periods.period(on.strftime("%Y-%m"))
        day = np.datetime64(on, "D")
        first, last = np.datetime64(str(period.start), "D"), np.datetime64(str(period.stop), "D")
        index_of = {m.id: i for i, m in enumerate(measures)}
        results = {}
        monthly = self.amounts(measures, period, progress)
        paths = fact_paths(self.base)
        for measure in measures:
            population = self.population_of(measure.entity)
            rows = self.units(measure)
            in_window = (not measure.valid_from or on.isoformat() >= measure.valid_from) and \
                        (not measure.valid_to or on.isoformat() <= measure.valid_to)
            facts, schedule_facts = [], []
            if not in_window or not rows.size:
                keep = np.zeros(0, np.int64)
                status = np.zeros(0, np.int8)
                missing = np.zeros((0, 0), bool)
                counts = {"eligible": 0, "undetermined": 0, "ineligible": int(rows.size)}
                t_rows = keep
            elif self._complete(measure):
                # no condition reads a missing fact: three-valued = two-valued, within the units and the
                # window (`__eligible` is the condition tree, and the role for a per-employee measure)
                eligible = monthly[measure.id].eligible[rows]
                status_all = np.where(eligible, ELIGIBLE, INELIGIBLE).astype(np.int8)
                opened = []
            else:
                t, f, opened = self.tree(measure, rows, period)
                status_all = np.where(t, ELIGIBLE, np.where(f, INELIGIBLE, UNDETERMINED)).astype(np.int8)
            if in_window and rows.size:
                counts = {STATUS_KEYS[k]: int(np.count_nonzero(status_all == k)) for k in STATUS_KEYS}
                pick = status_all != INELIGIBLE
                keep = rows[pick]
                status = status_all[pick]
                # facts the open conditions still need, per row
                columns: dict = {}
                for leaf, open_mask in opened:
                    open_rows = open_mask[pick]
                    if not open_rows.any():
                        continue
                    variable_entity = self.system.variables[leaf].entity.key
                    index = keep if variable_entity == measure.entity else self.layout.org_of_person[keep]
                    for fact, path in paths.of(leaf):
                        full = (ORG,) + path if variable_entity != measure.entity else path
                        mask = self.missing_mask(fact, path)
                        if mask is None:
                            continue
                        hit = open_rows & mask[index]
                        if hit.any():
                            key = (fact, _tag(full))
                            columns[key] = columns[key] | hit if key in columns else hit
                facts = sorted(columns)
                missing = np.stack([columns[k] for k in facts], axis=1) if facts else np.zeros((len(keep), 0), bool)
                t_rows = keep
            # the payment schedule's own facts (beyond the conditions)
            skip = frozenset({f"{measure.variable}__eligible", f"{measure.variable}__kept"})
            sched_columns: dict = {}
            if len(t_rows):
                for fact, path in paths.of(f"{measure.variable}__total", skip):
                    mask = self.missing_mask(fact, path)
                    if mask is not None and mask[t_rows].any():
                        key = (fact, _tag(path))
                        sched_columns[key] = sched_columns.get(key, False) | mask[t_rows]
            schedule_facts = sorted(sched_columns)
            schedule_missing = np.stack([sched_columns[k] for k in schedule_facts], axis=1) \
                if schedule_facts else np.zeros((len(t_rows), 0), bool)
            # amounts of the eligible cases
            n = len(keep)
            month = np.full(n, np.nan)
            to_date = np.full(n, np.nan)
            total = np.full(n, np.nan)
            kept = np.ones(n, bool)
            winner = np.full(n, -1, np.int16)
            referenced = np.zeros(n, bool)
            ceiling = np.zeros(n, bool)
            eligible_rows = status == ELIGIBLE
            if n and eligible_rows.any():
                cache = self.simulation.__dict__[CACHE][_cache_keys(measure, period)[0]]
                e_index = keep[eligible_rows]
                pos = np.searchsorted(cache.index, e_index)
                if cache.inner is None or np.any(pos >= len(cache.index)) or \
                        np.any(cache.index[np.minimum(pos, len(cache.index) - 1)] != e_index):
                    raise AssertionError(f"{measure.id}: an eligible case is not eligible in the simulation")
                inner = cache.inner
                valid = inner.valid()[pos]
                due, amount, ceil = inner.due[pos], inner.amount[pos], inner.ceiling[pos]
                upto = valid & (due <= day)
                in_month = valid & (due >= first) & (due <= last)
                nan_upto = (upto & np.isnan(amount)).any(axis=1)
                nan_month = (in_month & np.isnan(amount)).any(axis=1)
                if measure.stacking:
                    k = np.asarray(population(f"{measure.variable}__kept", period), bool)[e_index]
                    tot = np.asarray(population(f"{measure.variable}__total", period), float)[e_index]
                else:                          # no stacking group: always kept; the total of the installments
                    k = np.ones(len(e_index), bool)
                    tot = inner.total()[pos]
                mon = monthly[measure.id].at(e_index)
                td = np.where(upto, np.nan_to_num(amount), 0.0).sum(axis=1)
                td = np.where(k, np.round(td, 2), 0.0)
                td = np.where(k & nan_upto, np.nan, td)
                mon = np.where(k & nan_month, np.nan, mon)
                blocked = schedule_missing[eligible_rows].any(axis=1) if schedule_facts else np.zeros(len(e_index), bool)
                td = np.where(blocked, np.nan, td)
                mon = np.where(blocked, np.nan, mon)
                any_nan = (valid & np.isnan(amount)).any(axis=1)
                tot = np.where(blocked | (k & any_nan), np.nan, np.where(k, tot, 0.0))
                to_date[eligible_rows], month[eligible_rows], total[eligible_rows] = td, mon, tot
                kept[eligible_rows] = k
                referenced[eligible_rows] = any_nan & ~blocked
                ceiling[eligible_rows] = (valid & ceil).any(axis=1) & ~blocked
                if measure.stacking and not k.all():
                    group = [m for m in measures if m.stacking and m.stacking["group"] == measure.stacking["group"]
                             and m.id != measure.id]
                    if group:
                        totals = np.stack([np.asarray(population(f"{m.variable}__total", period), float)[e_index]
                                           for m in group], axis=1)
                        best = np.array([index_of[m.id] for m in group], np.int16)[np.argmax(totals, axis=1)]
                        winner[eligible_rows] = np.where(k, -1, best)
            org = self._org_global(measure, keep)
            results[measure.id] = MatchRows(
                measure.id, self._unit_global(measure, keep), org, status, month, to_date, total, kept, winner,
                referenced, ceiling, missing, schedule_missing, facts, schedule_facts, counts)
            if progress:
                progress()
        self.forget(period)
        return results

    # -- costing: a year, month by month ----------------------------------------------------------------
    def cost(self, measures: list[Measure], year: int, progress=None) -> dict[str, CostRows]:
        """Cents due per unit in each month of the year. `progress()` is called once a month."""
        units = {m.id: self.units(m) for m in measures}
        size = {m.id: self.population_of(m.entity).count for m in measures}
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
            cache = self.simulation.__dict__[CACHE]
            for measure in measures:
                month_rows = monthly[measure.id]
                unit_mask = unit_masks[measure.id]
                inside = unit_mask[month_rows.rows]
                rows = month_rows.rows[inside]
                c = to_cents(month_rows.values[inside])
                cents[measure.id][rows] += c
                month_cents[measure.id][month - 1] += int(c.sum())
                ever[measure.id][rows] = True
                inst = cache[_cache_keys(measure, period)[0]]
                if inst.inner is not None:          # amounts set elsewhere (NaN): eligible, not costed
                    nan_rows = inst.index[(inst.inner.valid() & np.isnan(inst.inner.amount)).any(axis=1)]
                    referenced[measure.id][nan_rows] |= unit_mask[nan_rows]
            self.forget(period)
            if progress:
                progress()
        out = {}
        for measure in measures:
            paid = np.flatnonzero(cents[measure.id] > 0)
            out[measure.id] = CostRows(
                measure.id, self._unit_global(measure, paid), self._org_global(measure, paid),
                cents[measure.id][paid], self._unit_global(measure, np.flatnonzero(ever[measure.id])),
                int(np.count_nonzero(referenced[measure.id] & ever[measure.id])), month_cents[measure.id])
        return out

    # -- global indices -----------------------------------------------------------------------------------
    def _unit_global(self, measure: Measure, rows: np.ndarray) -> np.ndarray:
        if measure.entity == "person":
            return self.population.global_person_index()[rows]
        return self.population.global_org_index()[rows]

    def _org_global(self, measure: Measure, rows: np.ndarray) -> np.ndarray:
        if measure.entity == "organisation":
            return self.population.global_org_index()[rows]
        if measure.beneficiary != "organisation":
            return np.full(len(rows), -1, np.int64)
        local = self.layout.org_of_person[rows]
        return self.population.global_org_index()[local]


def _cache_keys(measure: Measure, period) -> tuple:
    """Keys `JiuyeSystem.installments_for` has used for its cache (the period, or its text)."""
    return ((measure.id, period), (measure.id, str(period)))


def _tag(path: tuple) -> str:
    """Whose fact: the case's own (''), its organisation's ('org') or its organisation's members'."""
    if not path:
        return ""
    return "members" if path[-1] == MEMBERS else "org"
