"""One vectorised, three-valued evaluator of the model's formulas over a population.

`Evaluation(population, on)` runs the OpenFisca variables' own formulas — facts, conditions, the
generated measure variables, installment functions — on the population's fact arrays, without an
OpenFisca Simulation. A fact a row does not give is a `Partial` (jiuye.model.partial): bounded, not
defaulted; formulas propagate what is known, so every value is exact where the given facts decide
it and unknown (with the missing facts it depends on) only where some completion could change it.
The explanations, the questionnaire, the ledger, `match` and `simulate` all read it.

Formulas see populations as in OpenFisca (`person("x", period)`, `person.organisation("x",
period)`, `org.members("x", period)`, `org.sum(…, role=…)`, `has_role`, `project` …). A person
population can be a *view* of some rows only: its formulas then run for those rows (batch matching
evaluates each condition on the rows still undecided); organisations are always evaluated whole.

Reasons (which missing facts a value depends on) are bits in a registry kept here: per fact
instance (`reasons="instances"`: (entity, row, fact), for explanations and the questionnaire) or
per fact (`reasons="facts"`: (entity, fact), for rosters of millions of rows), or not kept
(`reasons=None`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray

from ..model.base import OPTIONAL_FACTS, REQUIRED_WITH, fact_bounds
from ..model.partial import Partial, is_partial
from .population import Population, layout
from .views import View, _defaults



class Evaluation:
    """The population's values, computed on demand and kept."""

    def __init__(self, population: Population, on: dt.date, system=None, *, reasons: str | None = "instances",
                 budget=None, shared: dict | None = None) -> None:
        from ..model.system import get_system
        self.system = system or get_system()
        self.population = population
        self.on = on
        self.day = np.datetime64(on, "D")
        self.period = periods.period(on.strftime("%Y-%m"))
        self.reasons = reasons
        self.budget = budget
        group = self.system.entities_by_singular()["organisation"]
        self.person_entity = self.system.entities_by_singular()["person"]
        self.org_entity = group
        self.roles = list(group.flattened_roles)
        self.layout = layout(population, [r.key for r in self.roles])
        lay = self.layout
        self.n_persons = lay.n_persons
        self.n_orgs = lay.n_sim_orgs
        self.org_of_person = lay.org_of_person
        self.role_of_person = np.asarray(lay.role_of_person, np.int8)
        self._role_masks: dict = {}
        # views of some organisations (their formulas run on those rows, aggregations over their
        # members only): the batch evaluator's, which evaluates an organisation measure's conditions
        # on the organisations still possible; elsewhere organisations are evaluated whole
        self.org_row_views = False
        if shared is not None:          # several assessment days of one population: facts computed once
            registry = shared.setdefault("__registry__", ({}, []))
            self.bits, self.keys = registry
            self.memo = _SharedMemo(shared)
        else:
            self.memo = {}
            self.bits = {}
            self.keys = []
        self._orders: dict = {}
        self._words: dict = {}                      # id(reasons array) -> (it, its rows' non-zero words)
        self._given: dict = {}                      # (entity, fact) -> the rows that give it
        self.strict_formulas: set = set()           # formulas evaluated strictly (see Unsupported)
        self.strict_reasons: dict = {}              # formula -> where and why (for developers)
        self.parameters_at = self.system.get_parameters_at_instant
        self.persons = View(self, "person", None)
        self.orgs = View(self, "organisation", None)

    def release(self) -> None:
        """Drop what the evaluation computed, once its results are read out: its views (and their
        contexts) reference it back, so the values they keep would wait for Python's cyclic
        collector; without them reference counting frees everything at once. The evaluation is
        not used afterwards (a view or value asked of it then fails)."""
        self.persons = self.orgs = None
        self.memo = None

    # -- structure ---------------------------------------------------------------------------
    def role_mask(self, role) -> np.ndarray:
        key = getattr(role, "key", role)
        mask = self._role_masks.get(key)
        if mask is None:
            index = [r.key for r in self.roles].index(key)
            mask = self._role_masks[key] = self.role_of_person == index
        return mask

    def count(self, entity_key: str) -> int:
        return self.n_persons if entity_key == "person" else self.n_orgs

    def view(self, entity_key: str, rows: np.ndarray | None = None) -> "View":
        if rows is None:
            return self.persons if entity_key == "person" else self.orgs
        if entity_key != "person" and not self.org_row_views:
            raise ValueError("organisations are evaluated whole")
        return View(self, entity_key, np.asarray(rows, np.int64))

    # -- reasons -------------------------------------------------------------------------------
    def bit(self, key) -> int:
        bit = self.bits.get(key)
        if bit is None:
            bit = self.bits[key] = len(self.keys)
            self.keys.append(key)
        return bit

    def _why_for_fact(self, entity_key: str, name: str, missing: np.ndarray):
        if self.reasons is None:
            return None
        if self.reasons == "facts":
            bit = self.bit((entity_key, name))
            why = np.zeros((1, bit // 64 + 1), np.uint64)
            why[0, bit // 64] = np.uint64(1) << np.uint64(bit % 64)
            return why
        if len(missing) == 1:          # one row (a single case): its bit, without the scans
            if not missing[0]:
                return np.zeros((1, 1), np.uint64)
            bit = self.bit((entity_key, 0, name))
            why = np.zeros((1, bit // 64 + 1), np.uint64)
            why[0, bit // 64] = np.uint64(1 << (bit % 64))
            return why
        rows = np.flatnonzero(missing)
        bits, keys = self.bits, self.keys
        numbers = []
        for r in rows.tolist():                  # self.bit of each missing row's key, inlined
            key = (entity_key, r, name)
            bit = bits.get(key)
            if bit is None:
                bit = bits[key] = len(keys)
                keys.append(key)
            numbers.append(bit)
        numbers = np.array(numbers, np.int64)
        why = np.zeros((len(missing), (int(numbers.max()) // 64 + 1) if len(numbers) else 1), np.uint64)
        # one bit per missing row (its own key): set, not OR-ed, in one assignment
        why[rows, numbers // 64] = np.left_shift(np.uint64(1), (numbers % 64).astype(np.uint64))
        return why

    def reasons_of(self, value, row: int) -> list:
        """The keys of the missing facts `value` depends on at `row` (empty where it is known), in a
        stable order (entity, row, fact name): the same whatever else the evaluation computed."""
        if not is_partial(value) or value.why is None:
            return []
        known = value.known
        if known[row] if known.ndim == 1 else known[row].all():
            return []
        why = value.why
        # (word index, word) as Python ints: a batch's reasons are wide and mostly zero in a row, so
        # an array of several rows is read once for all of them (its non-zero words, row by row)
        words = enumerate(why[0].tolist()) if why.shape[0] == 1 else self._row_words(why).get(row, ())
        out = []
        keys = self.keys
        for w, word in words:
            while word:
                low = word & -word
                out.append(keys[w * 64 + low.bit_length() - 1])
                word ^= low
        if len(out) > 1:
            out.sort(key=self._order)
        return out

    def _row_words(self, why: np.ndarray) -> dict:
        """{row: [(word index, word), …] of its non-zero words} of a reasons array of several rows,
        computed once per array (kept with the array: an id is not reused while it lives)."""
        kept = self._words.get(id(why))
        if kept is None or kept[0] is not why:
            rows, columns = np.nonzero(why)
            table: dict = {}
            for r, w, word in zip(rows.tolist(), columns.tolist(), why[rows, columns].tolist()):
                table.setdefault(r, []).append((w, word))
            kept = self._words[id(why)] = (why, table)
        return kept[1]

    def _order(self, key) -> tuple:
        """The sort key of a reason's key (entity, row, fact name), computed once per key."""
        order = self._orders.get(key)
        if order is None:
            order = self._orders[key] = tuple(str(x) if not isinstance(x, int) else f"{x:09d}" for x in key)
        return order

    def reason_columns(self, value) -> dict:
        """{key: bool mask over rows} of the reasons of an array (facts mode, for rosters)."""
        if not is_partial(value) or value.why is None:
            return {}
        open_rows = value.open_rows()
        why = value.why
        if why.shape[0] == 1:
            why = np.broadcast_to(why, (len(open_rows), why.shape[1]))
        out = {}
        for w in range(why.shape[1]):
            column = why[:, w]
            present = np.bitwise_or.reduce(column[open_rows]) if open_rows.any() else np.uint64(0)
            word = int(present)
            while word:
                low = word & -word
                bit = w * 64 + low.bit_length() - 1
                out[self.keys[bit]] = open_rows & ((column & np.uint64(low)) != 0)
                word ^= low
        return out

    # -- facts ---------------------------------------------------------------------------------
    def fact(self, entity_key: str, name: str):
        """A fact's values for every row of its entity: a plain array where every row gives it
        (or its default has a meaning), else a Partial bounded by the fact's declared range."""
        key = (entity_key, name, "eternity")
        if key in self.memo:
            return self.memo[key]
        variable = self.system.variables[name]
        pop = self.population
        n = self.count(entity_key)
        table = pop.person_facts if entity_key == "person" else pop.org_facts
        if name not in table and name not in OPTIONAL_FACTS:
            value = self._fact_not_given(entity_key, name, variable, n)
            self.memo[key] = value
            return value
        pad = 0 if entity_key == "person" else self.layout.n_implicit
        dtype = variable.dtype
        if name in table:
            values = np.asarray(table[name])
            if variable.value_type.__name__ == "Enum":
                values = values.astype(np.int16, copy=False)
            elif values.dtype != dtype:
                values = values.astype(dtype)
            if pad:
                values = np.concatenate([values, _defaults(variable, pad, values.dtype)])
        else:
            values = _defaults(variable, n, dtype)
        given = pop.given(entity_key, name)
        if given is not None and given is not False:        # rows not given hold the default
            mask = np.asarray(given, bool)
            if pad:
                mask = np.concatenate([mask, np.zeros(pad, bool)])
            values = np.where(mask, values, _defaults(variable, n, values.dtype))
        optional = name in OPTIONAL_FACTS
        if optional:
            missing = self._required_with(entity_key, name, given, n - pad, pad)
        elif given is False:
            missing = np.ones(n, bool)
        else:
            missing = None if given is None else ~np.asarray(given, bool)
            if pad:
                base = np.zeros(n - pad, bool) if missing is None else missing
                missing = np.concatenate([base, np.ones(pad, bool)])
            if variable.value_type is float:
                nan = np.isnan(values)
                if nan.any():
                    missing = nan if missing is None else (missing | nan)
        enum = variable.possible_values if variable.value_type.__name__ == "Enum" else None
        if missing is None or not missing.any():
            value = EnumArray(values, enum) if enum is not None else values
        else:
            lo, hi = fact_bounds(variable)
            why = self._why_for_fact(entity_key, name, missing)
            value = Partial.of_fact(values, missing, lo, hi, why, enum)
        self.memo[key] = value
        return value

    def _required_with(self, entity_key: str, name: str, given, n: int, pad: int):
        """An optional fact is never missing, except on the rows where the fact it is required with
        (`base.REQUIRED_WITH`) is given and it is not; None when there are none."""
        other = REQUIRED_WITH.get(name)
        theirs = False if other is None or given is None else self.population.given(entity_key, other)
        if theirs is False:          # not required with another fact, given in every row, or that one in none
            return None
        missing = np.ones(n, bool) if theirs is None else np.asarray(theirs, bool).copy()
        if given is not False:
            missing &= ~np.asarray(given, bool)
        if not missing.any():
            return None
        return np.concatenate([missing, np.zeros(pad, bool)]) if pad else missing

    def _fact_not_given(self, entity_key: str, name: str, variable, n: int):
        """A (required) fact no row gives: unknown everywhere, within the fact's declared range —
        what `fact` builds (defaults, every row missing, Partial.of_fact), its bounds kept per system
        and number of rows (read-only arrays: a Partial is never modified); only the reasons are
        this evaluation's."""
        templates = self.system.__dict__.setdefault("_jiuye_unknown_facts", {})
        template = templates.get((name, n))
        if template is None or template[0] is not variable:
            values = _defaults(variable, n, variable.dtype)
            missing = np.ones(n, bool)
            enum = variable.possible_values if variable.value_type.__name__ == "Enum" else None
            if n == 0:
                template = (variable, EnumArray(values, enum) if enum is not None else values)
            else:
                lo, hi = fact_bounds(variable)
                shape = Partial.of_fact(values, missing, lo, hi, None, enum)
                for array in (shape.lo, shape.hi, shape.known, missing):
                    array.flags.writeable = False
                template = (variable, shape, missing)
            templates[(name, n)] = template
        if n == 0:
            return template[1]
        shape, missing = template[1], template[2]
        why = self._why_for_fact(entity_key, name, missing)
        return Partial(shape.lo, shape.hi, shape.known, why, shape.enum)

    def given_rows(self, entity_key: str, name: str) -> np.ndarray:
        """Rows for which the population itself gives the fact (computed once; not to be written)."""
        key = (entity_key, name)
        rows = self._given.get(key)
        if rows is None:
            rows = self._given[key] = self._given_rows(entity_key, name)
        return rows

    def _given_rows(self, entity_key: str, name: str) -> np.ndarray:
        n = self.count(entity_key)
        given = self.population.given(entity_key, name)
        if given is False:
            return np.zeros(n, bool)
        pad = 0 if entity_key == "person" else self.layout.n_implicit
        mask = np.ones(n - pad, bool) if given is None else np.asarray(given, bool)
        table = self.population.person_facts if entity_key == "person" else self.population.org_facts
        if self.system.variables[name].value_type is float and name in table:
            mask = mask & ~np.isnan(np.asarray(table[name], float))
        return np.concatenate([mask, np.zeros(pad, bool)]) if pad else mask

    # -- values --------------------------------------------------------------------------------
    def value(self, name: str, period=None, rows: np.ndarray | None = None):
        """A variable's values for every row of its entity (or some person rows)."""
        variable = self.system.variables[name]
        view = self.view(variable.entity.key, rows if variable.entity.key == "person" else None)
        return view(name, period if period is not None else self.period)


class _SharedMemo(dict):
    """A memo whose time-independent (eternity) values live in a dictionary shared between the
    evaluations of several days."""

    def __init__(self, shared: dict) -> None:
        super().__init__()
        self._shared = shared

    def __contains__(self, key):
        return dict.__contains__(self, key) or (key[2] == "eternity" and key in self._shared)

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self._shared[key]

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __setitem__(self, key, value):
        if key[2] == "eternity":
            self._shared[key] = value
        dict.__setitem__(self, key, value)
