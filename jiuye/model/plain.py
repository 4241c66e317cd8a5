"""Plain OpenFisca populations (two-valued: a fact not given holds its default) in the generated
variables of jiuye.model.system: a measure's condition tree short-circuited on the rows still
possible (`eligible_plain`), a constant result held once per population (`constant`,
`shared_if_constant`), amounts summed on the eligible rows only (`scattered_sums`). Not in a traced
simulation (`short_circuits`): the reads a trace records must not depend on which rows a condition
before them left possible. tests/batch/test_plain_short_circuit.py: every generated variable is
bit-identical with and without these short cuts."""

from __future__ import annotations

import numpy as np
from openfisca_core import periods

from .conditions import evaluate_node, has_role
from .entities import Organisation


def is_plain(population) -> bool:
    """A plain OpenFisca population (two-valued: a fact not given holds its default)."""
    from openfisca_core.populations import CorePopulation
    return isinstance(population, CorePopulation)


def short_circuits(population) -> bool:
    """Whether a measure's condition tree is evaluated short-circuited (`eligible_plain`): on a plain
    population whose simulation is not traced. A traced simulation (`simulation.trace = True`:
    jiuye.assess.dependencies, the questionnaire's probes, `openfisca serve`'s trace option) sees
    every condition read on every row, as without the short circuit: the reads a trace records
    must not depend on which rows a condition before them left possible."""
    return is_plain(population) and not population.simulation.trace


def computed(population, node, period) -> bool:
    """A condition already computed for every row (in its population's holder)."""
    if not isinstance(node, str):
        return False
    simulation = population.simulation
    variable = simulation.tax_benefit_system.get_variable(node, check_existence=True)
    holder = simulation.get_variable_population(node).get_holder(node)
    return holder.get_array(period if variable.definition_period != "eternity" else periods.period("eternity")) \
        is not None


def constant(population, value) -> np.ndarray:
    """The population's one read-only array of `value` (False, True or 0.0) on every row. On a plain
    population a generated variable whose value is the same constant on every row (a measure
    nobody is eligible to, nothing due this month: most of them on a large population) holds
    this array instead of an array of its own: values identical, memory once per simulation (at
    a million persons, 8 MB per amount variable, and first touching fresh memory costs more CPU
    than computing most of these variables). Read-only, so that changing one variable's value in
    place cannot change the others'."""
    value = np.asarray(value)
    shared = population.__dict__.setdefault("_jiuye_constants", {})
    key = _key(population, value)
    if key not in shared:
        array = np.full(population.count, value, dtype=value.dtype)
        array.flags.writeable = False
        shared[key] = array
    return shared[key]


EMPTY = np.zeros(0, dtype=np.int64)
EMPTY.flags.writeable = False


def is_constant(population, array, value) -> bool:
    """Whether `array` is the population's shared `constant` array of `value` (by identity)."""
    shared = population.__dict__.get("_jiuye_constants")
    if not shared:
        return False
    return shared.get(_key(population, np.asarray(value))) is array


def _key(population, value: np.ndarray) -> tuple:
    return population.count, value.dtype.str, value.item()


def _all_plus_zero(values: np.ndarray) -> bool:
    """Every value +0.0 (not -0.0, not NaN): the bits of the shared zero array."""
    return values.dtype == np.float64 and not values.view(np.uint64).any()


def shared_if_constant(population, array) -> np.ndarray:
    """`array`, or the shared `constant` array it equals bit for bit (all False, all True, all
    +0.0)."""
    if not isinstance(array, np.ndarray) or array.shape != (population.count,):
        return array
    if array.dtype == bool:
        if not array.any():
            return constant(population, False)
        if array.all():
            return constant(population, True)
    elif _all_plus_zero(array):
        return constant(population, 0.0)
    return array


def scattered_sums(population, inst, sums, kept=None) -> np.ndarray:
    """`sums(inst)` (times `kept` when given) on a plain population, as the generated formulas
    compute it (`inst.due_between(…) * kept`, `inst.total()`), without an n-row array where the
    installments are scattered (`ScatteredInstallments`: the eligible rows'): the rows' sums
    computed on the rows, placed in a zero array, the shared zero array when all are +0.0."""
    from .rowview import ScatteredInstallments
    if not isinstance(inst, ScatteredInstallments):
        values = sums(inst)
        return shared_if_constant(population, values if kept is None else values * kept)
    if inst.inner is None:
        return constant(population, 0.0)
    values = np.asarray(sums(inst.inner))
    if kept is not None:
        values = values * np.asarray(kept)[inst.index]
    if _all_plus_zero(values):
        return constant(population, 0.0)
    result = np.zeros(population.count, dtype=values.dtype)
    result[inst.index] = values
    return result


def eligible_plain(population, tree, period, role=None) -> np.ndarray:
    """A condition tree (all of it) on a plain OpenFisca population, two-valued, short-circuited:
    each condition after the first is evaluated on the rows still possible only (persons, once at
    most 1/8 of the rows are: on a `RowView` of them, which computes a formula for every row once
    and shares it when more than 1/8 of the rows ask; before that, and for organisations, on every
    row, until none is possible). Conditions already computed come first, then those testing one
    fact (`declared.FACT_TESTS`: cheap, and often selective), then the others in the tree's order;
    a conjunction does not depend on the order, and each condition's value on a row is what it is
    on every row, so the result is `evaluate_tree`'s. The rows still possible are a mask while
    many, their index once few."""
    from .declared import FACT_TESTS
    from .rowview import FULL_SHARE, RowView
    n = population.count
    alive = None                  # mask of the rows still possible (None: every row) ...
    owned = False                 # (alive computed here, not a condition's or a role's own array)
    rows = None                   # ... or their index, once a RowView of them is worth it
    if role and population.entity.is_person:
        alive = has_role(population, getattr(Organisation, role.upper()))
    pending = list(tree)
    while pending:
        if rows is None and alive is not None:
            count = int(np.count_nonzero(alive))
            if not count:
                break
            if population.entity.is_person and count * FULL_SHARE <= n:
                rows = role_rows(population, role, alive) if role and len(pending) == len(tree) \
                    else np.flatnonzero(alive)          # (alive still the role's mask: nothing popped)
        if rows is not None and not len(rows):
            break
        at = next((i for i, node in enumerate(pending) if computed(population, node, period)), None)
        if at is None:
            at = next((i for i, node in enumerate(pending) if isinstance(node, str) and node in FACT_TESTS), 0)
        node = pending.pop(at)
        if rows is not None:
            rows = rows[np.asarray(evaluate_node(RowView(population, rows), node, period), bool)]
        else:
            part = np.asarray(evaluate_node(population, node, period), bool)
            alive, owned = (part, False) if alive is None else (alive & part, True)
    if rows is not None:
        result = np.zeros(n, dtype=bool)
        result[rows] = True
        return result
    if alive is None:
        return np.ones(n, dtype=bool)
    return alive if owned else alive.copy()


def role_rows(population, role, mask) -> np.ndarray:
    """The index of a role's members (`mask`), once per simulation (read-only)."""
    cache = population.simulation.__dict__.setdefault("_jiuye_role_rows", {})
    key = (id(population), role)
    if key not in cache:
        rows = np.flatnonzero(mask)
        rows.flags.writeable = False
        cache[key] = rows
    return cache[key]
