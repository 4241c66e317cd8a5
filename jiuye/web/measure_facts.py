"""Which facts a measure reads: the input facts of a claim's form, template and import.

The input facts (variables without formula) the measure's variables read, transitively
(``jiuye.assess.dependencies``), and those its installment function reads (traced once per measure
on a probe simulation: a schedule reads e.g. 劳动合同提前解除日期, which no condition does); for an
organisation, the counts it may state instead of listing members (``questions.is_count``). A
measure computed for the organisation itself lists the organisation's facts, and, where its
conditions read facts of its members that no stated count replaces (xicheng/14: the founders'
户籍), those facts once per member of the role it reads (``member_facts``). The role is the one the
measure's formulas filter the members by (``member_roles``: recorded on a probe simulation, not
named by hand). A member whose cells are all blank is not a member of the claim's situation.
"""

from __future__ import annotations

import functools
import threading

from .fact_fields import MEMBER_SLOTS, FactField, fact_field, member_field


@functools.cache
def measure_fields(measure_id: str) -> tuple[FactField, ...]:
    """The input facts of a measure, person's first (as the form lists them)."""
    from ..assess.dependencies import dependencies, facts_read
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    from .questions import is_count
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    deps = dependencies()
    names: list[str] = []
    for variable in [n for n in system.variables if n == measure.variable or n.startswith(measure.variable + "__")]:
        for fact in facts_read(deps, system, variable):
            if fact not in names:
                names.append(fact)
    for fact in _schedule_facts(measure_id):
        if fact not in names:
            names.append(fact)
    out = []
    for name in names:
        variable = system.variables[name]
        entity = variable.entity.key
        count = entity == "organisation" and is_count(variable)
        if variable.formulas and not count:
            continue
        if measure.entity == "organisation" and entity == "person":
            continue
        out.append(fact_field(name, count=count))
    members = [member_field(name, role, slot) for role in member_roles(measure_id)
               for slot in range(1, MEMBER_SLOTS + 1) for name in member_facts(measure_id)]
    return tuple(sorted(out, key=lambda f: f.entity != "person")) + tuple(members)


@functools.cache
def member_facts(measure_id: str) -> tuple[str, ...]:
    """The person facts an organisation's own measure reads of its members where no stated count
    of the organisation replaces them (a count given, the members are not read)."""
    from ..assess.dependencies import dependencies
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    from .questions import is_count
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    if measure.entity != "organisation":
        return ()
    deps = dependencies()
    found: list[str] = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        for dep in sorted(deps.variables.get(name, ())):
            if dep in seen:
                continue
            seen.add(dep)
            variable = system.variables[dep]
            if is_count(variable):
                continue
            if variable.formulas:
                walk(dep)
            elif variable.entity.key == "person" and dep not in found:
                found.append(dep)
    for variable in [n for n in system.variables if n == measure.variable or n.startswith(measure.variable + "__")]:
        walk(variable)
    for fact in _probe(measure_id)[0]:              # what its schedule reads, its counts given
        if system.variables[fact].entity.key == "person" and not system.variables[fact].formulas \
                and fact not in found:
            found.append(fact)
    return tuple(found)


_PROBING = threading.Lock()


@functools.cache
def member_roles(measure_id: str) -> tuple[str, ...]:
    """The member roles (keys, in the model's order) whose facts the measure reads: recorded while
    its variables are computed on a probe organisation with one member of each role (the formulas
    filter members by ``has_role``; its stated counts are given, so they read no members). A
    measure reading every member, whatever the role: the first role (职工)."""
    if not member_facts(measure_id):
        return ()
    from ..model.system import get_system
    order = [r.key for r in get_system().entities_by_singular()["organisation"].roles]
    found = tuple(sorted((k for k in _probe(measure_id)[1] if k in order), key=order.index))
    return found or (order[0],)


@functools.cache
def _probe(measure_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An organisation's own measure on a probe organisation with one member of each role and its
    stated counts given (0): (the variables its schedule reads, the roles its formulas filter
    members by — ``has_role`` recorded while its variables and schedule are computed)."""
    from openfisca_core import periods
    from openfisca_core.populations import Population
    from openfisca_core.simulation_builder import SimulationBuilder
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    from .questions import is_count
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    roles = system.entities_by_singular()["organisation"].roles
    counts = {n: 0 for n, v in system.variables.items() if is_count(v)}
    situation = {"persons": {f"probe_{r.key}": {} for r in roles},
                 "organisations": {"probe": {**{r.plural: [f"probe_{r.key}"] for r in roles}, **counts}}}
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    simulation = builder.build_from_entities(system, situation)
    simulation.trace = True
    seen: list[str] = []
    original = Population.has_role

    def recording(self, role):
        if getattr(self, "simulation", None) is simulation and role.key not in seen:
            seen.append(role.key)
        return original(self, role)
    names = [n for n in system.variables if n == measure.variable or n.startswith(measure.variable + "__")]
    names += [c for c in measure.conditions if isinstance(c, str)]
    with _PROBING:
        Population.has_role = recording
        try:
            for name in dict.fromkeys(n for n in names if n in system.variables):
                try:
                    simulation.calculate(name, "2025-01")
                except Exception:           # a formula that cannot run on the probe: the others still tell
                    continue
            read_from = len(list(simulation.tracer.browse_trace()))
            try:
                system.installments_for(simulation.populations["organisation"], measure, periods.period("2025-01"))
            except Exception:
                pass
        finally:
            Population.has_role = original
    traced = []
    for node in list(simulation.tracer.browse_trace())[read_from:]:
        if node.name in system.variables and node.name not in traced:
            traced.append(node.name)
    return tuple(traced), tuple(seen)


def _schedule_facts(measure_id: str) -> list[str]:
    """The facts the measure's installment function reads (a trace on a probe simulation)."""
    from openfisca_core import periods
    from openfisca_core.simulation_builder import SimulationBuilder
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    roles = system.entities_by_singular()["organisation"].roles
    situation = {"persons": {f"probe_{r.key}": {} for r in roles},
                 "organisations": {"probe": {r.plural: [f"probe_{r.key}"] for r in roles}}}
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    simulation = builder.build_from_entities(system, situation)
    simulation.trace = True
    population = simulation.persons if measure.entity == "person" else simulation.populations["organisation"]
    try:
        system.installments_for(population, measure, periods.period("2025-01"))
    except Exception:        # a schedule that cannot run on the probe: its conditions' facts are listed anyway
        return []
    found = []
    for node in simulation.tracer.browse_trace():
        if node.name in system.variables and node.name not in found:
            found.append(node.name)
    return found
