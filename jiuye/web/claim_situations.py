"""A claim's frozen situation built from its facts, changed by them, and listed from it.

A new claim's situation puts the facts on one person (本人, or the organisation's 职工/见习人员 …)
and one organisation (本单位); an organisation's own measure has a contact person (经办人) in an
organisation of its own, so a batch of claims still shares one simulation. The members of the
roles an organisation's measure reads are persons listed in the organisation's role list
(创业者1, 创业者2 …).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ..ledger.errors import InvalidInput
from .fact_fields import ENTITY_LABELS, FactField, fact_field, role_labels, role_plural
from .fact_values import canonical, shown
from .measure_facts import member_roles

PERSON_KEY = "本人"
EMPLOYEE_KEY = "职工"
ORG_KEY = "本单位"
CONTACT_KEY = "经办人"
CONTACT_ORG = "经办人所在单位"


@dataclass
class FactChange:
    label: str
    before: str
    after: str


def claim_bodies(situation: dict, measure, beneficiary_key: str | None, person_key: str | None) -> dict:
    """{"person": the person's facts, "organisation": the organisation's, and for an organisation's
    own measure each member of the roles it reads ("founder1": the first founder's facts …)} of a
    claim's situation (the bodies its fields read, by ``FactField.where``; None where the situation
    has none)."""
    persons = situation.get("persons") if isinstance(situation.get("persons"), dict) else {}
    orgs = situation.get("organisations") if isinstance(situation.get("organisations"), dict) else {}
    person = persons.get(person_key) if person_key else None
    if measure.beneficiary == "organisation":
        org = orgs.get(beneficiary_key)
    else:
        org = next((body for body in orgs.values() if isinstance(body, dict) and any(
            isinstance(v, list) and person_key in v for v in body.values())), None)
    out = {"person": person if isinstance(person, dict) else None,
           "organisation": org if isinstance(org, dict) else None}
    if measure.entity == "organisation" and isinstance(org, dict):
        for role in member_roles(measure.id):
            listed = org.get(role_plural(role))
            for slot, key in enumerate(listed if isinstance(listed, list) else [], start=1):
                body = persons.get(key)
                out[f"{role}{slot}"] = body if isinstance(body, dict) else None
    return out


def claim_keys(app) -> tuple[str | None, str | None]:
    """The claim's beneficiary and person in its frozen situation (from the frozen result)."""
    result = app.result or {}
    person = result.get("person") or (result.get("beneficiary") if app.beneficiary.kind == "person" else None)
    return result.get("beneficiary"), person


def new_situation(measure, values: dict[FactField, object]) -> tuple[dict, str, str | None]:
    """A claim's situation from its facts: (situation, beneficiary key, person key)."""
    person = {f.name: v for f, v in values.items() if f.where == "person" and v is not None}
    org = {f.name: v for f, v in values.items() if f.entity == "organisation" and v is not None}
    if measure.entity == "organisation":
        members: dict[tuple[str, int], dict] = {}
        for f, v in values.items():
            if f.role and v is not None:
                members.setdefault((f.role, f.slot), {})[f.name] = v
        persons, lists = {CONTACT_KEY: {}}, {"employees": []}
        for (role, slot), body in sorted(members.items(), key=lambda item: (item[0][0], item[0][1])):
            key = f"{role_labels()[role]}{slot}"
            persons[key] = body
            lists.setdefault(role_plural(role), []).append(key)
        return ({"persons": persons,
                 "organisations": {ORG_KEY: {**lists, **org}, CONTACT_ORG: {"employees": [CONTACT_KEY]}}},
                ORG_KEY, None)
    if measure.beneficiary == "person":
        return ({"persons": {PERSON_KEY: person}, "organisations": {ORG_KEY: {"employees": [PERSON_KEY], **org}}},
                PERSON_KEY, PERSON_KEY)
    role = (measure.role or "employee") + "s"
    return ({"persons": {EMPLOYEE_KEY: person}, "organisations": {ORG_KEY: {role: [EMPLOYEE_KEY], **org}}},
            ORG_KEY, EMPLOYEE_KEY)


def changed_situation(situation: dict, measure, beneficiary_key: str | None, person_key: str | None,
                      values: dict[FactField, object]) -> tuple[dict, list[FactChange]]:
    """The frozen situation with these facts set (None: removed) on the claim's person and
    organisation; only facts whose value changes are touched. Returns it and what changed."""
    new = copy.deepcopy(situation)
    bodies = claim_bodies(new, measure, beneficiary_key, person_key)
    changes = []
    for f, value in values.items():
        body = bodies.get(f.where)
        old = body.get(f.name) if body is not None else None
        if canonical(f, old) == value:
            continue
        if body is None and f.role and bodies.get("organisation") is not None:
            body = bodies[f.where] = _add_member(new, bodies["organisation"], f)
        if body is None:
            raise InvalidInput(f.form_name, f"“{f.label}”：该申请的情形中没有对应的{ENTITY_LABELS[f.entity]}，不能填写")
        if value is None:
            body.pop(f.name, None)
        else:
            body[f.name] = value
        changes.append(FactChange(f.label, shown(f, old), shown(f, value)))
    return new, changes


def _add_member(situation: dict, org: dict, f: FactField) -> dict:
    """A member the frozen situation does not have yet (a fact given for 创业者2 of a claim with one):
    a new person in the organisation's list of that role."""
    persons = situation.setdefault("persons", {})
    key, n = f"{role_labels()[f.role]}{f.slot}", 1
    while key in persons:
        n += 1
        key = f"{role_labels()[f.role]}{f.slot}（{n}）"
    persons[key] = {}
    listed = org.get(role_plural(f.role))
    org[role_plural(f.role)] = (listed if isinstance(listed, list) else []) + [key]
    return persons[key]


def listed_facts(situation: dict | None, measure, beneficiary_key: str | None, person_key: str | None) -> list[dict]:
    """The frozen facts of a claim as a page lists them: who, label, value (every input fact of the
    claim's person and organisation, the measure's first)."""
    from ..model.system import get_system
    if not situation:
        return []
    system = get_system()
    bodies = claim_bodies(situation, measure, beneficiary_key, person_key)
    out = []
    for where, body in bodies.items():
        who = ENTITY_LABELS.get(where)
        if who is None:                                   # a member: founder1 -> 创业者1
            role = where.rstrip("0123456789")
            who = f"{role_labels().get(role, role)}{where[len(role):]}"
        for name, value in (body or {}).items():
            variable = system.variables.get(name)
            if variable is None or isinstance(value, (list, dict)):
                continue
            f = fact_field(name)
            out.append({"who": who, "label": f.label, "value": shown(f, value)})
    return out
