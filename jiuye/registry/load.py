"""The registry's rows for the evaluator, read in one query per table (``jiuye.registry.facts.Snapshot``).

The persons are chosen by community (a community's due list, a district's figures) or by id (one
person's file, with their household). Each other table is read for exactly those persons through a
subquery — no list of person ids is sent back to the database — and only its current rows (a row
superseded by a newer one is history). The service records and plans the due list and the figures
need come from ``records`` and ``plans``, as arrays.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc

import numpy as np
from sqlalchemy import Date, Integer, cast, exists, func, literal, literal_column, select
from sqlalchemy.orm import Session, aliased

from .models import Area, Person, Plan, Record, Spell, Status


def persons_where(community_ids: list[int] | None, person_ids: list[int] | None = None):
    """The condition on ``reg_persons`` choosing the persons (with ``person_ids``: they and the
    members of their households; both None: every person, no condition)."""
    if person_ids is not None:
        households = select(Person.household_id).where(Person.id.in_(person_ids), Person.household_id.is_not(None))
        return Person.id.in_(person_ids) | Person.household_id.in_(households.scalar_subquery())
    if community_ids is None:
        return None
    return Person.community_id.in_(community_ids or [-1])


def _of_chosen(query, column, where):
    """``query`` restricted to the rows whose person (``column``) is chosen by ``where``."""
    return query if where is None else query.where(column.in_(select(Person.id).where(where).scalar_subquery()))


def day_number(s: Session, column):
    """The day of a date or timestamp column as days since 1970-01-01 (integers convert to arrays
    in one step; date objects one by one)."""
    if s.get_bind().dialect.name == "postgresql":
        return cast(column, Date) - literal_column("DATE '1970-01-01'")
    return cast(func.julianday(func.date(column)) - 2440587.5, Integer)


def _all(s: Session, query) -> list[tuple]:
    """The rows of a Core query as the driver's tuples, in the session's transaction (the statement
    compiled once and cached by SQLAlchemy; the rows taken from the driver's cursor: no result
    rows are built for the hundreds of thousands of rows read into arrays)."""
    result = s.connection().execute(query)
    try:
        with no_gc():
            return result.cursor.fetchall()
    finally:
        result.close()


@contextlib.contextmanager
def no_gc():
    """The cyclic garbage collector paused while millions of tuples (rows, columns) are made: none
    of them is in a cycle, and each collection would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read(s: Session, community_ids: list[int] | None, person_ids: list[int] | None = None, *,
         names: bool = True):
    """The Snapshot of the persons chosen (``community_ids`` None: every person). ``names`` False:
    the names are not read (the figures do not show persons)."""
    from .facts import snapshot
    where = persons_where(community_ids, person_ids)
    name = Person.name if names else literal("")
    persons = select(Person.id, Person.id_number, name, Person.community_id, func.coalesce(Person.household_id, -1),
                     func.coalesce(Person.hukou_district, ""), func.coalesce(Person.retirement_category, ""),
                     day_number(s, Person.created_at))
    persons = _all(s, (persons if where is None else persons.where(where)).order_by(Person.id))
    newer = aliased(Status)
    statuses = _all(s, _of_chosen(
        select(Status.person_id, Status.kind, day_number(s, Status.start_on), day_number(s, Status.end_on),
               Status.details_json).where(~exists().where(newer.supersedes_id == Status.id)), Status.person_id, where))
    newer_spell = aliased(Spell)
    spells = _all(s, _of_chosen(
        select(Spell.person_id, Spell.kind, day_number(s, Spell.start_on), day_number(s, Spell.end_on))
        .where(~exists().where(newer_spell.supersedes_id == Spell.id)), Spell.person_id, where))
    first = _all(s, _of_chosen(select(Record.person_id, day_number(s, func.min(Record.on))), Record.person_id, where)
                 .group_by(Record.person_id))
    districts = dict(_all(s, select(Area.id, Area.district).where(Area.kind == "community")))
    with no_gc():
        return snapshot(persons, statuses, spells, first, districts)


def records(s: Session, snap, *, until: dt.date, community_ids=None, person_ids=None):
    """(person row, kind, day) of the service records of the snapshot's persons dated up to
    ``until``, the persons chosen as for ``read``."""
    from .facts import _columns, _dates
    query = select(Record.person_id, Record.kind, day_number(s, Record.on)).where(Record.on <= until)
    rows = _all(s, _of_chosen(query, Record.person_id, persons_where(community_ids, person_ids)))
    who, kind, day = _columns(rows, 3)
    return _index(snap, who), np.array(kind, dtype="U24"), _dates(day)


def plans(s: Session, snap, *, until: dt.date, community_ids=None, person_ids=None):
    """(person row, opened on, referred to an agency) of the plans opened up to ``until``."""
    from .facts import _columns, _dates
    query = select(Plan.person_id, day_number(s, Plan.opened_on), Plan.agency).where(Plan.opened_on <= until)
    rows = _all(s, _of_chosen(query, Plan.person_id, persons_where(community_ids, person_ids)))
    who, opened, agency = _columns(rows, 3)
    return _index(snap, who), _dates(opened), np.array([bool(a) for a in agency], bool)


def _index(snap, ids) -> np.ndarray:
    return np.searchsorted(snap.person_id, np.array(ids, np.int64)) if len(ids) else np.zeros(0, np.int64)
