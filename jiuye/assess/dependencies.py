"""What each variable's formula reads (variables and parameters), traced once per system.

Formulas are vectorised, so one trace on a probe situation (one organisation with a member in each
role) shows everything a formula may read. Explanations use it to list the facts a condition reads
and the parameters a measure reads; the evaluator itself does not need it (what a value depends
on, case by case, comes with the value).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Dependencies:
    variables: dict      # variable -> set of variables its formula read
    parameters: dict     # variable -> set of parameter names its formula read
    facts_cache: dict = field(default_factory=dict)
    params_cache: dict = field(default_factory=dict)


@functools.cache
def dependencies(system=None) -> Dependencies:
    from openfisca_core.simulation_builder import SimulationBuilder
    if system is None:
        from ..model.system import get_system
        system = get_system()
    roles = system.entities_by_singular()["organisation"].roles
    persons = {f"probe_{role.key}": {} for role in roles}
    situation = {"persons": persons,
                 "organisations": {"probe": {role.plural: [f"probe_{role.key}"] for role in roles}}}
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    simulation = builder.build_from_entities(system, situation)
    simulation.trace = True
    for name, variable in system.variables.items():
        if variable.formulas:
            simulation.calculate(name, "2025-01")
    deps: dict[str, set] = {}
    params: dict[str, set] = {}
    for node in simulation.tracer.browse_trace():
        deps.setdefault(node.name, set()).update(child.name for child in node.children)
        params.setdefault(node.name, set()).update(p.name for p in node.parameters)
    return Dependencies(deps, params)


def facts_read(deps: Dependencies, system, name: str) -> list[str]:
    """Input facts (variables without formula) a variable reads, transitively, in a stable order."""
    cache = deps.facts_cache
    if name not in cache:
        seen, leaves = set(), []

        def walk(var: str) -> None:
            for dep in sorted(deps.variables.get(var, ())):
                if dep in seen:
                    continue
                seen.add(dep)
                if system.variables[dep].formulas:
                    walk(dep)
                if dep not in leaves:
                    leaves.append(dep)
        walk(name)
        cache[name] = leaves
    return cache[name]


def parameters_read(deps: Dependencies, names: Iterable[str]) -> list[str]:
    """Parameters the formulas of `names` read, transitively, in a stable order."""
    key = tuple(names)
    if key in deps.params_cache:
        return deps.params_cache[key]
    found: list[str] = []
    seen = set()

    def walk(var: str) -> None:
        if var in seen:
            return
        seen.add(var)
        for p in sorted(deps.parameters.get(var, ())):
            if p not in found:
                found.append(p)
        for dep in sorted(deps.variables.get(var, ())):
            walk(dep)
    for name in key:
        walk(name)
    deps.params_cache[key] = found
    return found
