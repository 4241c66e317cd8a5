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
    return _every_child(population, tree, True, period)


def evaluate_node(population, node, period, group=None) -> np.ndarray:
    """One node: a named condition, a `not`, or an all_of / any_of whose children `group(population,
    children, conjunction, period)` combines (default: each child on every row, Kleene's values;
    jiuye.batch.eligibility passes one that short-circuits on the rows already decided)."""
    if isinstance(node, str):
        return read_condition(population, node, period)
    kind = node_kind(node)
    if kind == "not":
        return ~evaluate_node(population, node["not"], period, group)
    if kind not in ("all_of", "any_of"):
        raise ValueError(f"unknown condition node {kind!r}")
    return (group or _every_child)(population, node[kind], kind == "all_of", period)


def _every_child(population, children, conjunction: bool, period) -> np.ndarray:
    return kleene([evaluate_node(population, child, period) for child in children], population.count, conjunction)


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
