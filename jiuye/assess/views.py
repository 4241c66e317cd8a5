"""How formulas see a population inside an `Evaluation` (jiuye.assess.evaluation): `View` (persons
— possibly some rows only — or organisations, as OpenFisca's populations are seen: `person("x", period)`,
`person.organisation(...)`, `org.members(...)`, `org.sum(…, role=…)`, `has_role`), `MembersView`,
`Projector`; strict re-runs of a formula that cannot be evaluated on intervals; group reductions
with their reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray

from ..model.partial import Partial, Unsupported, is_partial, lo_of

ETERNITY = periods.period("eternity")
FULL_SHARE = 8           # a view of more than 1/8 of the rows computes for every row instead


class Context:
    """What formulas see as `population.simulation`: the system, the assessment day, and a
    dictionary for caches (the installments of the view's rows)."""

    def __init__(self, evaluation: "Evaluation") -> None:
        self.tax_benefit_system = evaluation.system
        self.jiuye_assessment_day = evaluation.day
        self.evaluation = evaluation


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


_ONLY_FORMULA: dict = {}     # id(variable) -> (variable, its formulas, its only formula)


def _formula(variable, period):
    """The variable's formula for the period (its only one, for nearly every variable: kept per
    variable object and formulas dictionary, a SortedDict whose peekitem costs microseconds)."""
    formulas = variable.formulas
    kept = _ONLY_FORMULA.get(id(variable))
    if kept is not None and kept[0] is variable and kept[1] is formulas and len(formulas) == 1:
        return kept[2]
    if len(formulas) == 1:
        only = formulas.peekitem(0)[1]
        if len(_ONLY_FORMULA) > 100_000:
            _ONLY_FORMULA.clear()
        _ONLY_FORMULA[id(variable)] = (variable, formulas, only)
        return only
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
        self._membership = None                   # some rows: their organisations (persons, org_rows) or
                                                  # their members (organisations, _members_of)
        self._projected: dict = {}                # (name, period as asked) -> an organisation value per row
        self._read: dict = {}                     # (name, period as asked) -> value: a value read again
                                                  # is found without the variable and period lookups

    # -- reading variables ------------------------------------------------------------------------
    def __call__(self, name, period=None, options=None):
        if self._strict is None:
            value = self._read.get((name, period))
            if value is not None:
                return value
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
        self._read[(name, period)] = value
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
            if whole is not None or not variable.formulas or \
                    self.count * FULL_SHARE > ev.count(self.entity_key):
                value = _take(ev.view(self.entity_key)._get(variable, name, period), self.rows)
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
                groups, n, _ = self._groups()
                rows, part_why = _group_open(self.evaluation, partial, groups, n)
            unknown |= rows
            if part_why is not None:
                why = _or_rows(why, part_why, rows, self.count)
        return value, unknown, why

    # -- structure ----------------------------------------------------------------------------------
    def restrict(self, rows: np.ndarray):
        """The same population restricted to some of its rows (persons; organisations only where the
        evaluation allows views of some organisations, `Evaluation.org_row_views`: None otherwise,
        they are then evaluated whole)."""
        if self.entity_key != "person" and not self.evaluation.org_row_views:
            return None
        rows = np.asarray(rows, np.int64)
        return View(self.evaluation, self.entity_key, rows if self.rows is None else self.rows[rows])

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
        if self.rows is not None:
            return MembersView(self.evaluation, self, self._members_of()[2])
        members = MembersView(self.evaluation, self)
        return members

    @property
    def members_entity_id(self):
        return self._groups()[0]

    def _members_of(self):
        """Organisations of some rows: (member person rows, the position of each one's organisation
        among the view's rows, a person view of those members), computed once per view."""
        if self._membership is None:
            ev = self.evaluation
            inside = np.zeros(ev.n_orgs, bool)
            inside[self.rows] = True
            persons = np.flatnonzero(inside[ev.org_of_person])
            position = np.searchsorted(self.rows, ev.org_of_person[persons])
            self._membership = (persons, position, ev.view("person", persons))
        return self._membership

    def _groups(self):
        """(group index of each member, number of groups, member person rows or None for every
        person) for aggregations over this organisation view's members."""
        ev = self.evaluation
        if self.rows is None:
            return ev.org_of_person, ev.n_orgs, None
        persons, position, _ = self._members_of()
        return position, self.count, persons

    def _role_mask(self, role, persons):
        if role is None:
            return None
        mask = self.evaluation.role_mask(role)
        return mask if persons is None else mask[persons]

    def org_rows(self) -> np.ndarray:
        org = self.evaluation.org_of_person
        if self.rows is None:
            return org
        if self._membership is None:              # a person view: its rows' organisations, once
            self._membership = org[self.rows]
        return self._membership

    # -- aggregation over members (organisations) ---------------------------------------------------
    def _members_values(self, array):
        return array

    def _aggregate(self, array, how, role):
        groups, n, persons = self._groups()
        return _group(self.evaluation, self._members_values(array), how, role, groups, n,
                      self._role_mask(role, persons))

    def sum(self, array, role=None):
        return self._aggregate(array, "sum", role)

    def any(self, array, role=None):
        return self._aggregate(array, "any", role)

    def all(self, array, role=None):
        return self._aggregate(array, "all", role)

    def max(self, array, role=None):
        return self._aggregate(array, "max", role)

    def min(self, array, role=None):
        return self._aggregate(array, "min", role)

    def nb_persons(self, role=None):
        groups, n, persons = self._groups()
        mask = self._role_mask(role, persons)
        return np.bincount(groups if mask is None else groups[mask], minlength=n)

    def project(self, array, role=None):
        """An organisation's values for each of its members (every person; the members of the
        view's organisations for a view of some organisations)."""
        groups, _, persons = self._groups()
        value = _take(array, groups)
        if role is not None:
            value = np.where(self._role_mask(role, persons), value, 0)
        if self._strict is not None and is_partial(value):
            self._strict.append((False, value))
            return _placeholder(value)
        return value


class MembersView:
    """`org.members`: every person (the organisations evaluated whole), or the members of an
    organisation view of some rows (`persons`: a person view of those members)."""

    def __init__(self, evaluation: Evaluation, org_view: View, persons: View | None = None) -> None:
        self._evaluation = evaluation
        self._org_view = org_view
        self._persons = persons if persons is not None else evaluation.persons
        self.count = self._persons.count
        self.entity = evaluation.person_entity

    def __call__(self, name, period=None, options=None):
        persons = self._persons
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
        return self._persons.has_role(role)

    @property
    def simulation(self):
        return self._org_view.simulation

    def __getattr__(self, name):
        return getattr(self._persons, name)


class Projector:
    """`person.organisation`: the organisation's value for each person of the view."""

    def __init__(self, view: View) -> None:
        self._view = view

    def __call__(self, name, period=None, options=None):
        view = self._view
        key = (name, period)
        value = view._projected.get(key)
        if value is None:               # each organisation value projected once per view
            ev = view.evaluation
            saved, ev.orgs._strict = ev.orgs._strict, None
            try:
                value = _take(ev.orgs(name, period), view.org_rows())
            finally:
                ev.orgs._strict = saved
            view._projected[key] = value
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


def _group(ev: Evaluation, values, how: str, role, groups=None, n=None, mask=None):
    """Sum / any / all / max / min of person values over each organisation's members (`groups`,
    `n`, `mask`: the members of an organisation view of some rows, their groups and role mask)."""
    if groups is None:
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


def _group_open(ev: Evaluation, partial: Partial, groups=None, n=None):
    if groups is None:
        groups, n = ev.org_of_person, ev.n_orgs
    rows = partial.open_rows()
    open_orgs = np.zeros(n, bool)
    open_orgs[groups[rows]] = True
    why = _group_why(partial.why, rows, groups, n) if partial.why is not None else None
    return open_orgs, why


def _or_rows(acc, why, rows, n):
    if why.shape[0] == 1:
        why = np.broadcast_to(why, (n, why.shape[1]))
    part = np.where(rows[:, None], why, np.uint64(0))
    if acc is None:
        return part
    if acc.shape[1] < part.shape[1]:
        acc, part = part, acc
    out = acc.copy()
    out[:, :part.shape[1]] |= part
    return out


def lo_value(value):
    """Placeholder values of a result (exact where known)."""
    return lo_of(value)

