"""A measure's condition tree evaluated on a population: `evaluate_tree` (two-valued on plain
values, Kleene's three values on partially known ones), one node (`evaluate_node`), one named
condition read through the organisation when it is the organisation's (`read_condition`), and a
role's membership mask (`has_role`) on plain OpenFisca populations and jiuye's views alike."""

from __future__ import annotations

import numpy as np

from ..catalogue import node_kind
from .partial import kleene


def evaluate_tree(population, tree, period) -> np.ndarray:
    """Evaluation of a condition tree (a list is all_of): two-valued on plain values, Kleene's
    three values on partially known ones (jiuye.model.partial.kleene)."""
    return kleene([evaluate_node(population, node, period) for node in tree], population.count, True)


def evaluate_node(population, node, period) -> np.ndarray:
    if isinstance(node, str):
        return read_condition(population, node, period)
    kind = node_kind(node)
    if kind == "not":
        return ~evaluate_node(population, node["not"], period)
    children = node[kind]
    if kind == "all_of":
        return evaluate_tree(population, children, period)
    if kind == "any_of":
        return kleene([evaluate_node(population, child, period) for child in children], population.count, False)
    raise ValueError(f"unknown condition node {kind!r}")


def read_condition(population, name: str, period) -> np.ndarray:
    """A condition's value for `population`, read through the organisation when it is one of the
    organisation's and the population is the persons."""
    variable = population.simulation.tax_benefit_system.get_variable(name, check_existence=True)
    if variable.entity.key == population.entity.key:
        return population(name, period)
    if population.entity.is_person:
        return population.organisation(name, period)
    raise ValueError(f"condition {name} is a person's; an organisation's measure must aggregate it")


def has_role(population, role):
    if hasattr(population, "get_holder"):          # a plain OpenFisca population
        from .rowview import role_mask
        return role_mask(population, role)
    return population.has_role(role)
