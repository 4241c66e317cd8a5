"""A plain OpenFisca population restricted to some rows, for the generated measure variables.

`openfisca serve`, the YAML tests and any plain `simulation.calculate` compute a measure's payment
schedule through its installment function. Run on every row it costs as much for a million
ineligible persons as for the few eligible ones (and keeps (n, K) arrays): the generated
`<variable>` / `__total` formulas therefore run it on a `RowView` of the eligible rows and
scatter the sums back (`ScatteredInstallments`). Results are those of the function on every row.
"""

from __future__ import annotations

import numpy as np
from openfisca_core import periods
from openfisca_core.projectors import EntityToPersonProjector

from .dates import NEVER
from .partial import spread

FULL_SHARE = 8           # a view of more than 1/8 of the rows computes for every row instead


class RowView:
    """`view(name, period)`, projections through the organisation and aggregations return the
    rows' values only; `members(...)` (a group's members' values, person-sized) is passed through
    whole. A variable of the population's own entity that has a formula and is not computed yet is
    computed for the view's rows only (its formula run on the view)."""

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
        system = population.simulation.tax_benefit_system
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

    def has_role(self, role):
        return role_mask(self._population, role)[self.index]

    def __getattr__(self, name):
        attribute = getattr(self._population, name)
        if name in self._PASS or not callable(attribute) or isinstance(attribute, type):
            return attribute
        view = self
        if isinstance(attribute, EntityToPersonProjector) and attribute.parent is None:
            return _ProjectedRows(view, attribute)

        class _Cut:
            def __call__(self, *args, **kwargs):
                return view._cut(attribute(*args, **kwargs))

            def __getattr__(self, inner):
                return getattr(attribute, inner)
        return _Cut()


class _ProjectedRows:
    """`view.organisation(name, period)`: the organisation's values of the view's rows only (its
    projection to every person, then cut to the rows, gathers a million values for a few rows).
    Other uses of the projector pass through to it, as for any attribute of the population."""

    def __init__(self, view: RowView, projector) -> None:
        self._view, self._projector = view, projector

    def __call__(self, *args, **kwargs):
        group = self._projector.reference_entity
        values = group(*args, **kwargs)
        group.check_array_compatible_with_entity(values)
        return values[group.members_entity_id[self._view.index]]

    def __getattr__(self, inner):
        return getattr(self._projector, inner)


def role_mask(population, role) -> np.ndarray:
    """`population.has_role(role)`, computed once per simulation (OpenFisca compares an object array
    of Role instances element by element: about 30 ms per million persons each time)."""
    simulation = population.simulation
    masks = simulation.__dict__.setdefault("_jiuye_role_masks", {})
    key = (id(population), role.key)
    if key not in masks:
        masks[key] = np.asarray(population.has_role(role), bool)
    return masks[key]


class ScatteredInstallments:
    """Installments computed for some rows of an n-row population: sums come back as n-vectors
    (zero elsewhere); the (n, K) arrays are materialised only when asked for."""

    def __init__(self, n: int, index: np.ndarray, inner) -> None:
        self.n, self.index, self.inner = n, index, inner

    def _spread(self, values) -> np.ndarray:
        if self.inner is None:
            return np.zeros(self.n, dtype=float)
        return spread(self.n, self.index, values, 0.0)

    def total(self) -> np.ndarray:
        return self._spread(self.inner.total() if self.inner is not None else None)

    def due_between(self, first, last) -> np.ndarray:
        return self._spread(self.inner.due_between(first, last) if self.inner is not None else None)

    def valid(self) -> np.ndarray:
        return self._full("valid", False, bool, call=True)

    def _full(self, name, fill, dtype, call=False):
        if self.inner is None:
            return np.full((self.n, 1), fill, dtype=dtype)
        values = getattr(self.inner, name)() if call else getattr(self.inner, name)
        return spread(self.n, self.index, values, np.asarray(fill, dtype=dtype))

    @property
    def due(self):
        return self._full("due", NEVER, "datetime64[D]")

    @property
    def amount(self):
        return self._full("amount", 0.0, float)

    @property
    def ceiling(self):
        return self._full("ceiling", False, bool)
