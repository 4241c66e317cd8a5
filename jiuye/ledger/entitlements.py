"""One entitlement, one claim. An entitlement is identified by the measure, the beneficiary, the person
it is for (per-person measures) and its qualifying event: the measure's ``moment`` fact (e.g. the
contract start date) when its catalogue record declares one, else the measure's own identifying facts:
for a measure assessed per person, every date fact of that person the situation gives (a second
contract, internship, training or loan has its own dates; a changed wage is not a new entitlement);
for a measure assessed per organisation, every fact of the organisation the situation gives (the
same facts are the same claim; claims that differ are bounded by the caps, once-only and count limits
across claims). A yearly measure without a moment fact (granted per year: ``kind: per_year``, or a
per-year limit, cap or stacking scope in its record) is granted anew each year, so its event also
holds the claim's year (of its first installment's due date, else of the submission: the year the
cross-claim limits count it in) — a 2025 and a 2026 claim with the same facts are two entitlements.
The key is a sha256 over those, stored on the claim; a unique index over the claims
that are not rejected (``uq_applications_entitlement_key``) makes the database refuse a second claim
for the same entitlement even under concurrency. A second claim is refused naming the first; changed
facts go through ``reassess`` of the first claim.

Engine-generic: reads the catalogue record and the tax-benefit system's declared facts; no district.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

from ..catalogue import Measure


@functools.cache
def date_facts(entity: str) -> tuple[str, ...]:
    """Input facts of type date of ``entity`` (person | organisation), as the system declares them."""
    from ..model.system import get_system
    system = get_system()
    return tuple(sorted(name for name, v in system.variables.items()
                        if v.entity.key == entity and v.value_type is dt.date and not v.formulas))


@functools.cache
def fact_entity(name: str) -> str | None:
    from ..model.system import get_system
    variable = get_system().variables.get(name)
    return variable.entity.key if variable is not None else None


def qualifying_event(measure: Measure, situation: dict, beneficiary_key: str, person_key: str | None) -> dict:
    """The facts that tell this entitlement from another of the same measure and parties."""
    persons = situation.get("persons") if isinstance(situation.get("persons"), dict) else {}
    orgs = situation.get("organisations") if isinstance(situation.get("organisations"), dict) else {}
    person = persons.get(person_key) if person_key else None
    org = orgs.get(beneficiary_key) if measure.beneficiary == "organisation" else None

    def body(entity: str) -> dict:
        found = person if entity == "person" else org
        return found if isinstance(found, dict) else {}

    if measure.moment and measure.moment.get("fact"):
        name = measure.moment["fact"]
        entity = fact_entity(name) or measure.entity
        return {"moment": name, name: body(entity).get(name)}
    facts = body(measure.entity)
    if measure.entity == "organisation":
        return {name: value for name, value in facts.items() if not isinstance(value, list)}
    return {name: facts[name] for name in date_facts(measure.entity) if facts.get(name) is not None}


def yearly(measure: Measure) -> bool:
    """Granted per calendar year (the year is part of the entitlement unless a moment fact dates it)."""
    return (measure.kind == "per_year" or any((raw or {}).get("period") == "year" for raw in measure.limits or ())
            or (measure.stacking or {}).get("period") == "year" or (measure.cap or {}).get("per") == "year")


def with_year(measure: Measure, event: dict, on: dt.date, dues: list[str]) -> dict:
    """``event`` with the claim's year for a yearly measure that no moment fact dates."""
    if (measure.moment or {}).get("fact") or not yearly(measure):
        return event
    years = [int(str(due)[:4]) for due in dues if due]
    return {**event, "year": min(years) if years else on.year}


def entitlement_key(measure: Measure, beneficiary_id: int, person_id: int | None, event: dict) -> str:
    from .base import dump_json
    text = dump_json({"measure": measure.id, "beneficiary": beneficiary_id, "person": person_id, "event": event})
    return hashlib.sha256(text.encode()).hexdigest()


def stored_key(measure: Measure, *, situation: dict, result: dict, beneficiary_id: int, person_id: int | None,
               beneficiary_key: str, person_key: str | None, on: dt.date) -> str:
    """The entitlement key of a claim as recorded (its frozen situation and result, parties and
    submission date): what ``submit`` computes, for recomputing the keys of claims stored earlier
    (migration 0005)."""
    event = qualifying_event(measure, situation, beneficiary_key, person_key)
    event = with_year(measure, event, on, [i.get("due") for i in result.get("installments") or []])
    return entitlement_key(measure, beneficiary_id, person_id, event)


def describe(event: dict) -> str:
    """The qualifying event in words, for a refusal (``contract_start_date=2024-03-15``)."""
    shown = {k: v for k, v in event.items() if k not in ("moment", "year")}
    words = "，".join(f"{k}={v}" for k, v in shown.items()) or "同一措施、同一受益方及人员"
    return f"{event['year']}年度，{words}" if "year" in event else words
