"""An OpenFisca Simulation built from a `Population` (jiuye.assess.population), for plain
OpenFisca use of the model's variables (benchmarks, `simulation.calculate`):

    simulation = build_simulation(pop, system)    # facts set with set_input, one call per fact
    simulation.calculate("xicheng_6_employer", "2025-06")
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..assess.population import (ROLE_KEYS, Layout, Population, _defaults, input_facts, layout,  # re-exported
                                 situation)

__all__ = ["ROLE_KEYS", "Layout", "Population", "build_simulation", "input_facts", "layout", "situation"]


class _RoleArray(np.ndarray):
    """`members_role` whose comparison with a Role returns a mask computed once per simulation.
    OpenFisca's `population.has_role(role)` compares an object array of Role instances element by
    element (about 30 ms per million persons, once per measure with a role)."""

    def __eq__(self, other):                                    # noqa: D105
        masks = getattr(self, "_jiuye_masks", None)
        key = getattr(other, "key", None)
        if masks is not None and key in masks and not getattr(other, "subroles", None):
            return masks[key]
        return np.asarray(self) == other

    def __ne__(self, other):                                    # noqa: D105
        return ~(self == other)

    __hash__ = None


def _declare(builder, entity_key: str, n: int):
    """`builder.declare_person_entity` / `declare_entity` with the ids 0 … n-1, without their
    round trip through a Python list (`numpy.array(list(ids))`: 0.15 s per million persons): the
    population's `ids` and `count` are the same."""
    population = builder.populations[entity_key]
    population.ids = np.arange(n)
    population.count = n
    if population.entity.is_person:
        builder.persons_plural = population.entity.plural
    return population


def _join(builder, orgs, lay: Layout) -> None:
    """`builder.join_with_persons(orgs, lay.org_of_person, lay.role_of_person)` with the same
    memberships, computed directly: the organisations' ids are 0 … k-1 and, when every one of them
    has a member, OpenFisca's `members_entity_id` (each person's organisation's rank among the ids
    of the persons' organisations) is `org_of_person` itself; `members_role` the same object array
    of Role, built without OpenFisca's `numpy.array(list(roles))` round trip (0.2 s per million
    persons). Otherwise (an organisation without members) OpenFisca's own join."""
    org_of_person = np.asarray(lay.org_of_person)
    codes = np.asarray(lay.role_of_person)
    k = orgs.count
    roles = orgs.entity.flattened_roles
    if len(org_of_person) and org_of_person.dtype == np.int64 and codes.dtype.kind == "i" and roles and \
            org_of_person.min() >= 0 and org_of_person.max() < k and \
            np.bincount(org_of_person, minlength=k).all():
        orgs.members_entity_id = org_of_person
        role_array = np.empty(len(roles), dtype=object)
        role_array[:] = roles
        orgs._members_role = role_array[codes]
    else:
        builder.join_with_persons(orgs, lay.org_of_person, lay.role_of_person)


def build_simulation(population: Population, system=None, *, fast_roles: bool = True):
    """An OpenFisca Simulation of the population: entities declared with arrays, memberships joined,
    facts set with `simulation.set_input(name, "eternity", array)` (facts are ETERNITY variables).

    `fast_roles` (on by default): compute each role's membership mask once (see `_RoleArray`; the
    masks are read-only, so that a caller changing one in place fails instead of changing every
    later `has_role`); results identical. Off: OpenFisca's own object array of roles.
    The simulation's `_jiuye_layout` tells where persons and organisations are."""
    from openfisca_core.simulation_builder import SimulationBuilder
    if system is None:
        from jiuye.model.system import get_system
        system = get_system()
    builder = SimulationBuilder()
    builder.create_entities(system)
    group_entity = next(e for e in system.entities if not e.is_person)
    role_keys = [r.key for r in group_entity.flattened_roles]
    lay = layout(population, role_keys)
    _declare(builder, "person", population.n_persons)
    orgs = _declare(builder, group_entity.key, lay.n_sim_orgs)
    _join(builder, orgs, lay)
    if not np.array_equal(orgs.members_entity_id, lay.org_of_person):
        raise AssertionError("organisation membership mapping is off")
    simulation = builder.build(system)
    if fast_roles:
        group = simulation.populations[group_entity.key]
        roles = group.entity.flattened_roles
        codes = np.asarray(lay.role_of_person)
        array = np.asarray(group.members_role).view(_RoleArray)      # roles[codes], as joined
        masks = {role.key: codes == i for i, role in enumerate(roles)}
        for mask in masks.values():
            mask.flags.writeable = False
        array._jiuye_masks = masks
        group._members_role = array
    for entity_key, facts, n, pad in (("person", population.person_facts, population.n_persons, 0),
                                      (group_entity.key, population.org_facts, population.n_orgs, lay.n_implicit)):
        for name, array in facts.items():
            variable = system.variables[name]
            if pad:
                array = np.concatenate([np.asarray(array), _defaults(variable, pad, np.asarray(array).dtype)])
            period = "eternity" if variable.definition_period == "eternity" else \
                (population.on or dt.date.today()).strftime("%Y-%m")
            simulation.set_input(name, period, array)
    simulation._jiuye_layout = lay
    return simulation


