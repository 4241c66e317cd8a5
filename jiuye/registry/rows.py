"""Rows as the registry's pages, API and CLI show them; which records settle which duties."""

from __future__ import annotations

import json

from ..ids import mask_id
from ..ledger.errors import InvalidInput
from .checks import as_date
from .models import (AREA_KINDS, CONTACT_CHANNELS, SERVICE_KINDS, SPELL_KINDS, STATUS_KINDS, Area, Person, Record,
                     Spell, Status, settles)

RECORD_KINDS = {**CONTACT_CHANNELS, **SERVICE_KINDS}


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


_settles = settles          # the name service.py imports


def _details(kind: str, details: dict) -> dict:
    if not isinstance(details, dict):
        raise InvalidInput("details", "应为对象")
    out = {k: v for k, v in details.items() if v not in (None, "")}
    if kind == "graduate" and out.get("graduation_date"):
        as_date(out["graduation_date"], "details.graduation_date")
    if kind == "hard_to_employ" and "special" in out:
        out["special"] = bool(out["special"])
    if kind == "willing":
        out["willing"] = bool(out.get("willing", True))
    return out


def _area(a: Area) -> dict:
    return {"id": a.id, "kind": a.kind, "kind_label": AREA_KINDS[a.kind], "name": a.name, "parent_id": a.parent_id,
            "district": a.district}


def _person_row(p: Person, *, full: bool) -> dict:
    return {"id": p.id, "id_number": p.id_number if full else mask_id(p.id_number), "name": p.name,
            "community_id": p.community_id, "household_id": p.household_id, "phone": p.phone,
            "hukou_district": p.hukou_district,
            "hukou_moved_in_on": p.hukou_moved_in_on.isoformat() if p.hukou_moved_in_on else None,
            "previous_hukou_district": p.previous_hukou_district, "retirement_category": p.retirement_category}


def _status(x: Status) -> dict:
    return {"id": x.id, "kind": x.kind, "label": STATUS_KINDS[x.kind], "start_on": x.start_on.isoformat(),
            "end_on": x.end_on.isoformat() if x.end_on else None, "details": json.loads(x.details_json or "{}"),
            "supersedes_id": x.supersedes_id}


def _spell(x: Spell) -> dict:
    return {"id": x.id, "kind": x.kind, "label": SPELL_KINDS[x.kind], "employer": x.employer,
            "start_on": x.start_on.isoformat(), "end_on": x.end_on.isoformat() if x.end_on else None,
            "contract": x.contract, "insured": x.insured, "supersedes_id": x.supersedes_id}


def _record_row(r: Record) -> dict:
    return {"id": r.id, "person_id": r.person_id, "kind": r.kind, "label": RECORD_KINDS[r.kind], "on": r.on.isoformat(),
            "outcome": r.outcome, "next_contact_on": r.next_contact_on.isoformat() if r.next_contact_on else None,
            "employer": r.employer, "post": r.post, "agency": r.agency, "measure_id": r.measure_id,
            "settles": json.loads(r.settles)}
