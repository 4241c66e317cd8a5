"""A situation as a plain OpenFisca Simulation (what `openfisca serve`, the YAML tests and any
`simulation.calculate` use): two-valued, a fact not given takes its variable's default. jiuye's own
products use `jiuye.assess.Evaluation` instead; tests use this to check that the OpenFisca
variables agree with it where every fact is given."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from openfisca_core import periods
from openfisca_core.simulation_builder import SimulationBuilder

from .situation import parse_situation

IMPLICIT_ORG_PREFIX = "__own__"


@dataclass
class OpenFiscaCase:
    """One situation as an OpenFisca simulation for one assessment month."""

    system: object
    situation: dict
    on: dt.date
    simulation: object
    ids: dict = field(default_factory=dict)

    @property
    def period(self):
        return periods.period(self.on.strftime("%Y-%m"))

    def population(self, entity_key: str):
        return self.simulation.persons if entity_key == "person" else self.simulation.populations["organisation"]


def with_own_organisations(situation: dict, system) -> dict:
    """Give each person listed in no organisation an organisation of their own, with no facts.

    OpenFisca would add such groups itself, but then spreads the facts of the organisations that
    are given over them (or fails when several are given)."""
    organisations = situation.get("organisations") or {}
    role_plurals = [role.plural for role in system.entities_by_singular()["organisation"].roles]
    listed = set()
    for body in organisations.values():
        for plural in role_plurals:
            listed.update(str(m) for m in body.get(plural) or [])
    unattached = [pid for pid in (situation.get("persons") or {}) if str(pid) not in listed]
    if not unattached:
        return situation
    organisations = dict(organisations)
    for pid in unattached:
        organisations[f"{IMPLICIT_ORG_PREFIX}{pid}"] = {role_plurals[0]: [pid]}
    return {**situation, "organisations": organisations}


def build_openfisca_case(situation: dict, on: dt.date, system=None) -> OpenFiscaCase:
    """The situation (checked strictly first) as an OpenFisca Simulation."""
    if system is None:
        from ..model.system import get_system
        system = get_system()
    parse_situation(situation, system)           # strict checks before OpenFisca's own parsing
    builder = SimulationBuilder()
    builder.set_default_period(on.strftime("%Y-%m"))
    full = with_own_organisations(json.loads(json.dumps(situation)), system)
    simulation = builder.build_from_entities(system, full)
    case = OpenFiscaCase(system, situation, on, simulation)
    for key in ("person", "organisation"):
        case.ids[key] = list(simulation.populations[key].ids)
    return case
