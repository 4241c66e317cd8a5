"""Running the model on one situation: input checks, the simulation, and what each fact depends on.

Engine-generic: works from the catalogue and the tax-benefit system; imports no district.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from openfisca_core import errors as of_errors
from openfisca_core import periods
from openfisca_core.simulation_builder import SimulationBuilder

from .catalogue import Measure, condition_names
from .model.base import OPTIONAL_FACTS
from .model.system import JiuyeSystem, get_system

ENTITY_PLURALS = {"persons": "person", "organisations": "organisation"}


class InputError(ValueError):
    """Bad input, naming the offending field (`field` is a dotted path into the situation)."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message


def parse_date(value: str, field_path: str = "on") -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(field_path, f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(field_path, f"impossible date {value!r}") from None


def _first_leaf(error: dict, path: list[str]) -> tuple[list[str], str]:
    if isinstance(error, dict) and error:
        key, value = next(iter(error.items()))
        return _first_leaf(value, path + [str(key)])
    return path, str(error)


def _clean_message(message: str, system: JiuyeSystem) -> str:
    if "was not found in the loaded tax and benefit system" in message:
        name = re.search(r"variable '([^']+)'", message)
        return f"unknown variable {name.group(1)!r}" if name else "unknown variable"
    return message


@dataclass
class Case:
    """One situation run through the model for one assessment date."""

    system: JiuyeSystem
    situation: dict
    on: dt.date
    simulation: object
    given: dict = field(default_factory=dict)          # (entity key, id) -> set of given variable names
    ids: dict = field(default_factory=dict)            # entity key -> list of ids in simulation order
    explicit_orgs: set = field(default_factory=set)

    @property
    def period(self):
        return periods.period(self.on.strftime("%Y-%m"))

    def population(self, entity_key: str):
        return self.simulation.persons if entity_key == "person" else self.simulation.populations["organisation"]

    def org_index_of_person(self, person_index: int) -> int:
        return int(self._org_of[person_index])

    @property
    def _org_of(self):
        cached = self.__dict__.get("_org_of_cache")
        if cached is None:
            cached = self.__dict__["_org_of_cache"] = self.simulation.populations["organisation"].members_entity_id.tolist()
        return cached

    def members_of_org(self, org_index: int) -> list[int]:
        members = self.__dict__.get("_members")
        if members is None:
            members = {}
            for person, org in enumerate(self.simulation.populations["organisation"].members_entity_id):
                members.setdefault(int(org), []).append(person)
            self.__dict__["_members"] = members
        return members.get(org_index, [])

    def role_of(self, person_index: int) -> str:
        role = self.simulation.populations["organisation"].members_role[person_index]
        return role.key


IMPLICIT_ORG_PREFIX = "__own__"


def with_own_organisations(situation: dict, system: JiuyeSystem) -> dict:
    """Give each person listed in no organisation an organisation of their own, with no facts.

    OpenFisca would add such groups itself, but then spreads the facts of the organisations that
    are given over them (or fails when several are given). These own organisations are never
    reported as beneficiaries."""
    organisations = situation.get("organisations") or {}
    if not isinstance(organisations, dict):
        return situation
    role_plurals = [role.plural for role in system.entities_by_singular()["organisation"].roles]
    listed = set()
    for body in organisations.values():
        if isinstance(body, dict):
            for plural in role_plurals:
                members = body.get(plural)
                if isinstance(members, list):
                    listed.update(str(m) for m in members)
    unattached = [pid for pid in (situation.get("persons") or {}) if str(pid) not in listed]
    if not unattached:
        return situation
    organisations = dict(organisations)
    for pid in unattached:
        organisations[f"{IMPLICIT_ORG_PREFIX}{pid}"] = {role_plurals[0]: [pid]}
    return {**situation, "organisations": organisations}


def build_case(situation: dict, on: dt.date, system: JiuyeSystem | None = None) -> Case:
    system = system or get_system()
    if not isinstance(situation, dict):
        raise InputError("situation", "expected a JSON object with 'persons' (and 'organisations')")
    unknown = set(situation) - set(ENTITY_PLURALS)
    if unknown:
        raise InputError(sorted(unknown)[0], "unknown entity; expected 'persons' and 'organisations'")
    persons = situation.get("persons")
    if not isinstance(persons, dict) or not persons:
        raise InputError("persons", "at least one person is required")
    for plural in ENTITY_PLURALS:
        for entity_id, body in (situation.get(plural) or {}).items():
            if not isinstance(body, dict):
                raise InputError(f"{plural}.{entity_id}", "expected an object of variables")
    builder = SimulationBuilder()
    builder.set_default_period(on.strftime("%Y-%m"))
    full = with_own_organisations(json.loads(json.dumps(situation)), system)
    try:
        simulation = builder.build_from_entities(system, full)
    except of_errors.SituationParsingError as error:
        path, message = _first_leaf(error.error, [])
        # drop the period key OpenFisca adds under a variable
        if len(path) == 4 and re.fullmatch(r"\d{4}(-\d{2})?|ETERNITY|eternity", path[3]):
            path = path[:3]
        raise InputError(".".join(path), _clean_message(message, system)) from None
    except (ValueError, TypeError, KeyError) as error:
        raise InputError("situation", str(error)) from None

    case = Case(system, situation, on, simulation)
    role_keys = set()
    for role in system.entities_by_singular()["organisation"].roles:
        role_keys.update({role.key, role.plural})
    for plural, key in ENTITY_PLURALS.items():
        case.ids[key] = list(simulation.populations[key].ids)
        for entity_id, body in (situation.get(plural) or {}).items():
            case.given[(key, str(entity_id))] = {name for name in body if name not in role_keys}
    case.explicit_orgs = {str(i) for i in (situation.get("organisations") or {})}
    return case


# -- what each variable reads ----------------------------------------------------------------------
@dataclass
class Dependencies:
    variables: dict      # variable -> set of variables its formula read
    parameters: dict     # variable -> set of parameter names its formula read
    facts_cache: dict = field(default_factory=dict)
    params_cache: dict = field(default_factory=dict)


@functools.cache
def dependencies(system: JiuyeSystem | None = None) -> Dependencies:
    """Trace every generated measure variable once on a probe situation (one organisation with a
    member in each role): formulas are vectorised, so one trace shows everything a formula reads."""
    system = system or get_system()
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


class Knowledge:
    """Which facts of which entity instance a situation gives, and so which variables are known."""

    def __init__(self, case: Case, deps: Dependencies) -> None:
        self.case = case
        self.deps = deps
        self.system = case.system
        self._memo: dict = {}

    def _instances(self, entity_key: str, var_entity: str, index: int) -> list[int]:
        if var_entity == entity_key:
            return [index]
        if entity_key == "person":      # a person's formula reading an organisation variable
            return [self.case.org_index_of_person(index)]
        return self.case.members_of_org(index)

    def missing(self, name: str, entity_key: str, index: int) -> list[tuple[str, int, str]]:
        """Facts not given that `name` (for that instance) depends on: [(entity, index, variable)]."""
        key = (name, entity_key, index)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = []   # cycles cannot happen in a formula graph; guard anyway
        entity_id = self.case.ids[entity_key][index]
        if name in self.case.given.get((entity_key, entity_id), ()):
            result = []
        else:
            variable = self.system.variables[name]
            if not variable.formulas:
                result = [] if name in OPTIONAL_FACTS else [(entity_key, index, name)]
            else:
                result = []
                for dep in sorted(self.deps.variables.get(name, ())):
                    dep_entity = self.system.variables[dep].entity.key
                    for dep_index in self._instances(entity_key, dep_entity, index):
                        for item in self.missing(dep, dep_entity, dep_index):
                            if item not in result:
                                result.append(item)
        self._memo[key] = result
        return result

    def missing_via(self, name: str, entity_key: str, index: int, skip: set[str]) -> list[tuple[str, int, str]]:
        """Like `missing`, for `name`'s own reads other than the variables in `skip` (e.g. the
        schedule's facts of a measure, without its conditions)."""
        result = []
        for dep in sorted(self.deps.variables.get(name, ())):
            if dep in skip:
                continue
            dep_entity = self.system.variables[dep].entity.key
            for dep_index in self._instances(entity_key, dep_entity, index):
                for item in self.missing(dep, dep_entity, dep_index):
                    if item not in result:
                        result.append(item)
        return result

    def facts_read(self, name: str) -> list[str]:
        """Input facts (variables without formula) a variable reads, transitively, in order."""
        cache = self.deps.facts_cache
        if name not in cache:
            cache[name] = self._facts_read(name)
        return cache[name]

    def _facts_read(self, name: str) -> list[str]:
        seen, leaves = set(), []

        def walk(var: str) -> None:
            for dep in sorted(self.deps.variables.get(var, ())):
                if dep in seen:
                    continue
                seen.add(dep)
                if self.system.variables[dep].formulas:
                    walk(dep)
                if dep not in leaves:
                    leaves.append(dep)
        walk(name)
        return leaves

    def parameters_read(self, names: Iterable[str]) -> list[str]:
        key = tuple(names)
        cache = self.deps.params_cache
        if key not in cache:
            cache[key] = parameters_read(self.deps, key)
        return cache[key]


def parameters_read(deps: Dependencies, names: Iterable[str]) -> list[str]:
    """Parameters the formulas of `names` read, transitively, in a stable order."""
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
    for name in names:
        walk(name)
    return found


def measure_conditions(measure: Measure) -> list[str]:
    return condition_names(measure.conditions)
