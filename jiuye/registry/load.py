"""The registry's rows for the evaluator, read in one query per table (``jiuye.registry.facts.Snapshot``).

The persons are chosen by community (a community's due list, a district's figures) or by id (one
person's file, with their household). Each other table is read for exactly those persons through a
subquery — no list of person ids is sent back to the database — and only its current rows (a row
superseded by a newer one is history). The service records and plans the due list and the figures
need come from ``records`` and ``plans``, as arrays.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from .models import Area, Person, Plan, Record, Spell, Status


def persons_where(community_ids: list[int] | None, person_ids: list[int] | None = None):
    """The condition on ``reg_persons`` choosing the persons (with ``person_ids``: they and the
    members of their households)."""
    if person_ids is not None:
        households = select(Person.household_id).where(Person.id.in_(person_ids), Person.household_id.is_not(None))
        return Person.id.in_(person_ids) | Person.household_id.in_(households.scalar_subquery())
    if community_ids is None:
        return Person.id.is_not(None)          # every person
    return Person.community_id.in_(community_ids or [-1])


def read(s: Session, community_ids: list[int] | None, person_ids: list[int] | None = None, *,
         names: bool = True):
    """The Snapshot of the persons chosen (``community_ids`` None: every community). ``names``
    False: the names are not read (the figures do not show persons)."""
    from .facts import snapshot
    where = persons_where(community_ids, person_ids)
    chosen = select(Person.id).where(where).scalar_subquery()
    name = Person.name if names else literal("")
    persons = s.execute(select(Person.id, Person.id_number, name, Person.community_id, Person.household_id,
                               Person.hukou_district, Person.retirement_category, Person.created_at)
                        .where(where).order_by(Person.id)).all()
    newer = aliased(Status)
    statuses = s.execute(select(Status.person_id, Status.kind, Status.start_on, Status.end_on, Status.details_json)
                         .where(Status.person_id.in_(chosen),
                                ~exists().where(newer.supersedes_id == Status.id))).all()
    newer_spell = aliased(Spell)
    spells = s.execute(select(Spell.person_id, Spell.kind, Spell.start_on, Spell.end_on)
                       .where(Spell.person_id.in_(chosen),
                              ~exists().where(newer_spell.supersedes_id == Spell.id))).all()
    first = s.execute(select(Record.person_id, func.min(Record.on)).where(Record.person_id.in_(chosen))
                      .group_by(Record.person_id)).all()
    districts = dict(s.execute(select(Area.id, Area.district).where(Area.kind == "community")).all())
    return snapshot(persons, statuses, spells, first, districts)


def records(s: Session, snap, *, until: dt.date, community_ids=None, person_ids=None):
    """(person row, kind, day) of the service records of the snapshot's persons dated up to
    ``until``, the persons chosen as for ``read``."""
    from .facts import _columns, _dates
    chosen = select(Person.id).where(persons_where(community_ids, person_ids)).scalar_subquery()
    rows = s.execute(select(Record.person_id, Record.kind, Record.on)
                     .where(Record.person_id.in_(chosen), Record.on <= until)).all()
    who, kind, day = _columns(rows, 3)
    return _index(snap, who), np.array(kind, dtype=object), _dates(day)


def plans(s: Session, snap, *, until: dt.date, community_ids=None, person_ids=None):
    """(person row, opened on, referred to an agency) of the plans opened up to ``until``."""
    from .facts import _columns, _dates
    chosen = select(Person.id).where(persons_where(community_ids, person_ids)).scalar_subquery()
    rows = s.execute(select(Plan.person_id, Plan.opened_on, Plan.agency)
                     .where(Plan.person_id.in_(chosen), Plan.opened_on <= until)).all()
    who, opened, agency = _columns(rows, 3)
    return _index(snap, who), _dates(opened), np.array([bool(a) for a in agency], bool)


def _index(snap, ids) -> np.ndarray:
    return np.searchsorted(snap.person_id, np.array(ids, np.int64)) if len(ids) else np.zeros(0, np.int64)
