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

from ..model.base import OPTIONAL_FACTS, fact_bounds
from ..model.partial import Partial, Unsupported, is_partial, lo_of
from .population import Population, layout

ETERNITY = periods.period("eternity")
FULL_SHARE = 8           # a view of more than 1/8 of the rows computes for every row instead


class Context:
    """What formulas see as `population.simulation`: the system, the assessment day, and a
    dictionary for caches (the installments of the view's rows)."""

    def __init__(self, evaluation: "Evaluation") -> None:
        self.tax_benefit_system = evaluation.system
        self.jiuye_assessment_day = evaluation.day
        self.evaluation = evaluation


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
        if shared is not None:          # several assessment days of one population: facts computed once
            registry = shared.setdefault("__registry__", ({}, []))
            self.bits, self.keys = registry
            self.memo = _SharedMemo(shared)
        else:
            self.memo = {}
            self.bits = {}
            self.keys = []
        self.strict_formulas: set = set()           # formulas evaluated strictly (see Unsupported)
        self.strict_reasons: dict = {}              # formula -> where and why (for developers)
        self.parameters_at = self.system.get_parameters_at_instant
        self.persons = View(self, "person", None)
        self.orgs = View(self, "organisation", None)

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
        if entity_key != "person":
            raise ValueError("organisations are evaluated whole")
        return View(self, "person", np.asarray(rows, np.int64))

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
        rows = np.flatnonzero(missing)
        bits = [self.bit((entity_key, int(r), name)) for r in rows]
        width = (max(bits) // 64 + 1) if bits else 1
        why = np.zeros((len(missing), width), np.uint64)
        for r, b in zip(rows, bits):
            why[r, b // 64] |= np.uint64(1) << np.uint64(b % 64)
        return why

    def reasons_of(self, value, row: int) -> list:
        """The keys of the missing facts `value` depends on at `row` (empty where it is known), in a
        stable order (entity, row, fact name): the same whatever else the evaluation computed."""
        if not is_partial(value) or value.why is None:
            return []
        if not value.open_rows()[row]:
            return []
        words = value.why[row if value.why.shape[0] > 1 else 0]
        out = []
        for w, word in enumerate(words):
            word = int(word)
            while word:
                low = word & -word
                out.append(self.keys[w * 64 + low.bit_length() - 1])
                word ^= low
        out.sort(key=lambda k: tuple(str(x) if not isinstance(x, int) else f"{x:09d}" for x in k))
        return out

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
            missing = None
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

    def given_rows(self, entity_key: str, name: str) -> np.ndarray:
        """Rows for which the population itself gives the fact."""
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


_PERIOD_TEXT: dict = {}


def _period_key(variable, period):
    if variable.definition_period == "eternity":
        return ETERNITY, "eternity"
    if not isinstance(period, periods.Period):
        period = periods.period(period)
    text = _PERIOD_TEXT.get(period)
    if text is None:
        if len(_PERIOD_TEXT) > 100_000:
            _PERIOD_TEXT.clear()
        text = _PERIOD_TEXT[period] = str(period)
    return period, text


def _where_unsupported(error) -> str:
    import traceback
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "jiuye/model/partial.py" not in f.filename]
    last = frames[-1] if frames else None
    return f"{error} at {last.filename.split('jiuye/')[-1]}:{last.lineno} {last.line}" if last else str(error)


def _formula(variable, period):
    """The variable's formula for the period (its only one, for nearly every variable)."""
    formulas = variable.formulas
    if len(formulas) == 1:
        return formulas.peekitem(0)[1]
    if variable.definition_period == "eternity":
        return variable.get_formula()
    return variable.get_formula(period)


def _defaults(variable, n: int, dtype) -> np.ndarray:
    default = variable.default_value
    if hasattr(default, "index"):
        return np.full(n, default.index, dtype=np.int16)
    if isinstance(default, dt.date):
        return np.full(n, np.datetime64(default, "D"))
    return np.full(n, default, dtype=dtype)


class View:
    """A population as formulas see it (persons: possibly some rows only)."""

    def __init__(self, evaluation: Evaluation, entity_key: str, rows: np.ndarray | None) -> None:
        self.evaluation = evaluation
        self.entity_key = entity_key
        self.entity = evaluation.person_entity if entity_key == "person" else evaluation.org_entity
        self.rows = rows
        self.count = evaluation.count(entity_key) if rows is None else len(rows)
        self.memo: dict = {} if rows is not None else evaluation.memo
        self.simulation = Context(evaluation)
        self._strict: list | None = None          # while a formula is evaluated strictly: values read

    # -- reading variables ------------------------------------------------------------------------
    def __call__(self, name, period=None, options=None):
        ev = self.evaluation
        variable = ev.system.variables.get(name)
        if variable is None:
            ev.system.get_variable(name, check_existence=True)
        if variable.entity.key != self.entity_key:
            raise ValueError(f"{name} is a variable of {variable.entity.key}, not {self.entity_key}")
        strict, self._strict = self._strict, None     # what this value needs is computed exactly
        try:
            value = self._get(variable, name, period if period is not None else ev.period)
        finally:
            self._strict = strict
        if strict is not None and is_partial(value):
            strict.append((True, value))
            return _placeholder(value)
        return value

    def _get(self, variable, name, period):
        ev = self.evaluation
        period, pkey = _period_key(variable, period)
        key = (self.entity_key, name, pkey)
        memo = self.memo
        if key in memo:
            return memo[key]
        if self.rows is not None:
            whole = ev.memo.get(key)
            if whole is not None or not variable.formulas or self.count * FULL_SHARE > ev.n_persons:
                value = _take(ev.persons._get(variable, name, period), self.rows)
                memo[key] = value
                return value
        if not variable.formulas:
            value = ev.fact(self.entity_key, name)
            if self.rows is not None:
                value = _take(value, self.rows)
        else:
            value = self._compute(variable, name, period)
        memo[key] = value
        return value

    def _compute(self, variable, name, period):
        ev = self.evaluation
        table = ev.population.person_facts if self.entity_key == "person" else ev.population.org_facts
        given_input = name in table
        if ev.budget is not None:
            ev.budget.check()
        formula = _formula(variable, period)
        try:
            value = self._run(formula, period)
        except Unsupported as error:
            ev.strict_formulas.add(name)
            ev.strict_reasons[name] = _where_unsupported(error)
            value = self._run_strict(formula, period)
        value = _cast(variable, value, self.count)
        if given_input:        # a derived fact stated as input: the input where given
            stated = ev.fact(self.entity_key, name) if self.rows is None else _take(ev.fact(self.entity_key, name), self.rows)
            given = ev.given_rows(self.entity_key, name)
            if self.rows is not None:
                given = given[self.rows]
            value = np.where(given, stated, value)
        return value

    def _run(self, formula, period):
        if formula.__code__.co_argcount == 2:
            return formula(self, period)
        return formula(self, period, self.evaluation.parameters_at)

    def _run_strict(self, formula, period):
        """The formula on placeholder values; unknown wherever a value it read was unknown."""
        value, unknown, why = self._strictly(lambda: self._run(formula, period))
        value = _cast_plain(value, self.count)
        if not unknown.any():
            return value
        return self._unknown_where(value, unknown, why)

    def _unknown_where(self, value, unknown, why):
        enum = getattr(value, "possible_values", None)
        base = value.view(np.ndarray) if enum is not None else value
        out = Partial.top_where(base, unknown, enum=enum)
        if is_partial(out) and why is not None:
            out.why = np.where(out.open_rows()[:, None], why, np.uint64(0)) if why.shape[0] == self.count \
                else why
        return out

    def strictly(self, function):
        """Run `function` (an installment function of this population) strictly: on placeholder
        values, each field of the Installments it returns unknown in every row for which a value it
        read was unknown."""
        from ..model.base import Installments
        self.evaluation.strict_formulas.add(getattr(function, "__name__", "installments"))
        result, unknown, why = self._strictly(function)
        if not unknown.any():
            return result
        return Installments(*(self._unknown_where(part, unknown, why) for part in
                              (result.due, result.amount, result.ceiling)))

    def _strictly(self, function):
        self._strict = []
        try:
            value = function()
        finally:
            read, self._strict = self._strict, None
        unknown = np.zeros(self.count, bool)
        why = None
        for aligned, partial in read:
            if aligned:
                rows = partial.open_rows()
                part_why = partial.why
            else:                        # members' values read by an organisation's formula
                rows, part_why = _group_open(self.evaluation, partial)
            unknown |= rows
            if part_why is not None:
                why = _or_rows(why, part_why, rows, self.count)
        return value, unknown, why

    # -- structure ----------------------------------------------------------------------------------
    def restrict(self, rows: np.ndarray):
        """The same population restricted to some of its rows (persons only; None for organisations,
        which are evaluated whole)."""
        if self.entity_key != "person":
            return None
        rows = np.asarray(rows, np.int64)
        return View(self.evaluation, "person", rows if self.rows is None else self.rows[rows])

    def has_role(self, role) -> np.ndarray:
        mask = self.evaluation.role_mask(role)
        return mask if self.rows is None else mask[self.rows]

    def filled_array(self, value, dtype=None) -> np.ndarray:
        return np.full(self.count, value, dtype=dtype)

    @property
    def organisation(self) -> "Projector":
        if self.entity_key != "person":
            raise AttributeError("organisation")
        return Projector(self)

    @property
    def members(self) -> "View":
        if self.entity_key == "person":
            raise AttributeError("members")
        members = MembersView(self.evaluation, self)
        return members

    @property
    def members_entity_id(self):
        return self.evaluation.org_of_person

    def org_rows(self) -> np.ndarray:
        org = self.evaluation.org_of_person
        return org if self.rows is None else org[self.rows]

    # -- aggregation over members (organisations) ---------------------------------------------------
    def _members_values(self, array):
        return array

    def sum(self, array, role=None):
        return _group(self.evaluation, self._members_values(array), "sum", role)

    def any(self, array, role=None):
        return _group(self.evaluation, self._members_values(array), "any", role)

    def all(self, array, role=None):
        return _group(self.evaluation, self._members_values(array), "all", role)

    def max(self, array, role=None):
        return _group(self.evaluation, self._members_values(array), "max", role)

    def min(self, array, role=None):
        return _group(self.evaluation, self._members_values(array), "min", role)

    def nb_persons(self, role=None):
        ev = self.evaluation
        mask = ev.role_mask(role) if role is not None else np.ones(ev.n_persons, bool)
        return np.bincount(ev.org_of_person[mask], minlength=ev.n_orgs)

    def project(self, array, role=None):
        """An organisation's values for each of its members (every person)."""
        ev = self.evaluation
        value = _take(array, ev.org_of_person)
        if role is not None:
            value = np.where(ev.role_mask(role), value, 0)
        if self._strict is not None and is_partial(value):
            self._strict.append((False, value))
            return _placeholder(value)
        return value


class MembersView:
    """`org.members`: every person (organisations are evaluated whole)."""

    def __init__(self, evaluation: Evaluation, org_view: View) -> None:
        self._evaluation = evaluation
        self._org_view = org_view
        self.count = evaluation.n_persons
        self.entity = evaluation.person_entity

    def __call__(self, name, period=None, options=None):
        persons = self._evaluation.persons
        saved, persons._strict = persons._strict, None
        try:
            value = persons(name, period)
        finally:
            persons._strict = saved
        strict = self._org_view._strict
        if strict is not None and is_partial(value):
            strict.append((False, value))
            return _placeholder(value)
        return value

    def has_role(self, role):
        return self._evaluation.role_mask(role)

    @property
    def simulation(self):
        return self._org_view.simulation

    def __getattr__(self, name):
        return getattr(self._evaluation.persons, name)


class Projector:
    """`person.organisation`: the organisation's value for each person of the view."""

    def __init__(self, view: View) -> None:
        self._view = view

    def __call__(self, name, period=None, options=None):
        view = self._view
        ev = view.evaluation
        saved, ev.orgs._strict = ev.orgs._strict, None
        try:
            value = _take(ev.orgs(name, period), view.org_rows())
        finally:
            ev.orgs._strict = saved
        if view._strict is not None and is_partial(value):
            view._strict.append((True, value))
            return _placeholder(value)
        return value

    def __getattr__(self, name):
        attribute = getattr(self._view.evaluation.orgs, name)
        if not callable(attribute):
            return attribute
        view = self._view

        def projected(*args, **kwargs):
            return _take(attribute(*args, **kwargs), view.org_rows())
        return projected


# -- helpers -----------------------------------------------------------------------------------------
def _take(value, index):
    if isinstance(value, EnumArray):
        return EnumArray(value.view(np.ndarray)[index], value.possible_values)
    return value[index]


def _placeholder(value: Partial):
    if value.enum is not None:
        return EnumArray(value.lo, value.enum)
    return value.lo


def _cast_plain(value, n: int):
    if isinstance(value, np.ndarray):
        return value
    return np.full(n, value)


def _cast(variable, value, n: int):
    """As OpenFisca casts a formula's result: the variable's dtype, one value per row."""
    dtype = variable.dtype
    if is_partial(value):
        if value.shape != (n,):
            if value.shape[:1] == (n,) and value.ndim == 1:
                pass
            else:
                raise ValueError(f"{variable.name}: a formula returned shape {value.shape} for {n} rows")
        if variable.value_type.__name__ == "Enum":
            if value.enum is None:
                value = Partial(value.lo.astype(np.int16), value.hi.astype(np.int16), value.known, value.why,
                                variable.possible_values)
            return value
        if value.dtype != dtype:
            value = value.astype(dtype)
        return value
    if variable.value_type.__name__ == "Enum":
        if isinstance(value, EnumArray):
            return value
        array = np.asarray(value)
        if array.ndim == 0:
            array = np.full(n, array)
        if array.dtype.kind in "OUS":
            return variable.possible_values.encode(array)
        return EnumArray(array.astype(np.int16), variable.possible_values)
    array = np.asarray(value)
    if array.ndim == 0:
        return np.full(n, array, dtype=dtype)
    if array.shape != (n,):
        raise ValueError(f"{variable.name}: a formula returned shape {array.shape} for {n} rows")
    if array.dtype != dtype:
        array = array.astype(dtype)
    return array


def _group(ev: Evaluation, values, how: str, role):
    """Sum / any / all / max / min of person values over each organisation's members."""
    groups = ev.org_of_person
    n = ev.n_orgs
    mask = ev.role_mask(role) if role is not None else None
    if not is_partial(values):
        return _group_plain(np.asarray(values), groups, n, how, mask)
    lo = _group_plain(values.lo, groups, n, how, mask)
    hi = _group_plain(values.hi, groups, n, how, mask)
    known = lo == hi
    if lo.dtype.kind == "f":
        known |= np.isnan(lo) & np.isnan(hi)
    out = Partial(lo, hi, known)
    if not known.all():
        if values.why is not None:
            rows = values.open_rows() if mask is None else (values.open_rows() & mask)
            out.why = _group_why(values.why, rows, groups, n)
            out.why = np.where(out.open_rows()[:, None], out.why, np.uint64(0))
        return out
    return lo


def _group_plain(values: np.ndarray, groups: np.ndarray, n: int, how: str, mask):
    if how == "sum":
        weights = values.astype(float) if values.dtype != float else values
        if mask is not None:
            return np.bincount(groups[mask], weights=weights[mask], minlength=n)
        return np.bincount(groups, weights=weights, minlength=n)
    sel = slice(None) if mask is None else mask
    g, v = groups[sel], values[sel]
    if how == "any":
        out = np.zeros(n, bool)
        out[g[v.astype(bool)]] = True
        return out
    if how == "all":
        out = np.ones(n, bool)
        out[g[~v.astype(bool)]] = False
        return out
    if how == "max":
        out = np.full(n, -np.inf if v.dtype.kind == "f" else np.iinfo(np.int64).min if v.dtype.kind in "iu" else v.min()
                      if len(v) else 0, dtype=v.dtype if v.dtype.kind != "b" else float)
        np.maximum.at(out, g, v)
        return out
    if how == "min":
        out = np.full(n, np.inf if v.dtype.kind == "f" else np.iinfo(np.int64).max if v.dtype.kind in "iu" else v.max()
                      if len(v) else 0, dtype=v.dtype if v.dtype.kind != "b" else float)
        np.minimum.at(out, g, v)
        return out
    raise ValueError(how)


def _group_why(why: np.ndarray, rows: np.ndarray, groups: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, why.shape[1]), np.uint64)
    if why.shape[0] == 1:
        hit = np.zeros(n, bool)
        hit[groups[rows]] = True
        out[hit] = why[0]
        return out
    index = np.flatnonzero(rows)
    np.bitwise_or.at(out, groups[index], why[index])
    return out


def _group_open(ev: Evaluation, partial: Partial):
    rows = partial.open_rows()
    open_orgs = np.zeros(ev.n_orgs, bool)
    open_orgs[ev.org_of_person[rows]] = True
    why = _group_why(partial.why, rows, ev.org_of_person, ev.n_orgs) if partial.why is not None else None
    return open_orgs, why


def _or_rows(acc, why, rows, n):
    if why.shape[0] == 1:
        why = np.broadcast_to(why, (n, why.shape[1]))
    part = np.where(rows[:, None], why, np.uint64(0))
    if acc is None:
        return part
    width = max(acc.shape[1], part.shape[1])
    if acc.shape[1] < width:
        acc = np.pad(acc, ((0, 0), (0, width - acc.shape[1])))
    if part.shape[1] < width:
        part = np.pad(part, ((0, 0), (0, width - part.shape[1])))
    return acc | part


def lo_value(value):
    """Placeholder values of a result (exact where known)."""
    return lo_of(value)
