"""The registry's rows for the evaluator, read in one query per table (``jiuye.registry.facts.Snapshot``).

The persons are chosen by community (a community's due list, a district's figures) or by id (one
person's file, with their household). Each other table is read for exactly those persons through a
subquery — no list of person ids is sent back to the database — and only its current rows (a row
superseded by a newer one is history). The service records and plans the due list and the figures
need come from ``records`` and ``plans``, as arrays.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import struct

import numpy as np
from sqlalchemy import ARRAY, Date, Integer, any_, bindparam, cast, exists, func, literal, literal_column, select
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


# -- PostgreSQL: a table's rows as columns, in one row ------------------------------------------------------
US = "\x1f"                  # joins the values of a text column (none of the registry's keys, ID numbers or JSON holds it)
NULL_DAY = -2 ** 31          # a NULL day number on the wire (no date PostgreSQL holds is this far back)
_ARRAY_TYPES = {16: "?", 21: ">i2", 23: ">i4", 20: ">i8"}          # element OIDs: bool, int2, int4, int8


class _Fallback(Exception):
    """The columns cannot be read as arrays (a text value holds the separator): read rows instead."""


def _columns_pg(s: Session, query, kinds: tuple[str, ...]) -> list:
    """The columns of ``query`` read in one row of aggregates: each number column as the binary form of
    its array (``array_send(array_agg(…))``, unpacked by numpy without a Python object per value), each
    text column as one string joined by ``US``. All the aggregates of one query consume the same rows in
    the same order, so the columns stay aligned. Kinds: ``int``, ``day`` (a nullable day number:
    datetime64[D], NaT for NULL), ``bool``, ``text`` (a list of str, NULL as "")."""
    sub = query.subquery()
    out = [func.count()]
    for column, kind in zip(sub.c, kinds):
        if kind == "text":
            out.append(func.string_agg(func.coalesce(column, ""), literal(US)))
        elif kind == "day":
            out.append(func.array_send(func.array_agg(func.coalesce(column, NULL_DAY))))
        else:
            out.append(func.array_send(func.array_agg(column)))
    n, *values = s.execute(select(*out).select_from(sub)).one()
    columns = []
    for value, kind in zip(values, kinds):
        if kind == "text":
            parts = value.split(US) if value is not None else []
            if len(parts) != n:
                raise _Fallback
            columns.append(parts)
        else:
            array = _unpack(value, n)
            if kind == "day":
                array = np.where(array == NULL_DAY, NAT_DAY, array.astype("datetime64[D]"))
            elif kind == "int":
                array = array.astype(np.int64)
            columns.append(array)
    return columns


NAT_DAY = np.datetime64("NaT", "D")


def _unpack(data, n: int) -> np.ndarray:
    """A one-dimensional array without NULLs in PostgreSQL's binary array format: ndim, has-nulls flag,
    element OID, then (length, lower bound) per dimension, then each element as (length, value)."""
    if data is None or n == 0:
        return np.zeros(0, np.int64)
    data = bytes(data)
    ndim, flags, oid = struct.unpack_from(">iiI", data)
    if ndim != 1 or flags != 0 or oid not in _ARRAY_TYPES:
        raise ValueError(f"unexpected array (ndim {ndim}, flags {flags}, element type {oid})")
    dtype = np.dtype(_ARRAY_TYPES[oid])
    items = np.frombuffer(data, np.dtype([("length", ">i4"), ("value", dtype)]), offset=20)
    if len(items) != n or (items["length"] != dtype.itemsize).any():
        raise ValueError("array length or element width unexpected")
    return items["value"].astype(dtype.newbyteorder("="))


def _columns_of(s: Session, query, kinds: tuple[str, ...]) -> list:
    """The columns of ``query``: on PostgreSQL read as arrays (``_columns_pg``), elsewhere (or when a
    text value holds the separator) from the rows; ``day`` columns as datetime64[D], ``int`` and
    ``bool`` as arrays, ``text`` as lists."""
    from .facts import _dates
    if s.get_bind().dialect.name == "postgresql":
        try:
            return _columns_pg(s, query, kinds)
        except _Fallback:
            pass
    rows = _all(s, query)
    columns = list(zip(*rows)) if rows else [()] * len(kinds)
    out = []
    for column, kind in zip(columns, kinds):
        if kind == "day":
            out.append(_dates(column))
        elif kind == "int":
            out.append(np.array(column, np.int64))
        elif kind == "bool":
            out.append(np.array([bool(v) for v in column], bool))
        else:
            out.append(["" if v is None else v for v in column])
    return out


def small(s: Session, snap_ids: np.ndarray) -> bool:
    """Whether the persons are few enough to be sent as one array parameter (PostgreSQL): the
    planner then probes each table's person index instead of hashing the whole table (a community:
    a parallel scan of every spell took 40 ms of the due list's server time)."""
    return s.get_bind().dialect.name == "postgresql" and 0 < len(snap_ids) <= SMALL


SMALL = 20_000


def _of_persons(query, column, where, ids: np.ndarray | None):
    """``query`` restricted to the chosen persons: by the array of their ids when given (see
    ``small``), else by ``where`` as a subquery (``_of_chosen``)."""
    if ids is not None:
        return query.where(column == any_(bindparam(None, [int(i) for i in ids], type_=ARRAY(Integer))))
    return _of_chosen(query, column, where)


def read(s: Session, community_ids: list[int] | None, person_ids: list[int] | None = None, *,
         names: bool = True, first_records: bool = True):
    """The Snapshot of the persons chosen (``community_ids`` None: every person). ``names`` False:
    the names are not read (the figures do not show persons); ``first_records`` False: the first
    service record of each person is not read (``read_with_records`` takes it from the records)."""
    from .facts import snapshot_of_columns
    where = persons_where(community_ids, person_ids)
    postgres = s.get_bind().dialect.name == "postgresql"
    name = Person.name if names else literal("")
    persons = select(Person.id, Person.id_number, name, Person.community_id, func.coalesce(Person.household_id, -1),
                     func.coalesce(Person.hukou_district, ""), func.coalesce(Person.retirement_category, ""),
                     day_number(s, Person.created_at), day_number(s, Person.hukou_moved_in_on),
                     func.coalesce(Person.previous_hukou_district, ""))
    persons = persons if where is None else persons.where(where)
    if not postgres:
        persons = persons.order_by(Person.id)       # PostgreSQL: ordered here (a sort of the arrays, not an index scan)
    persons = _columns_of(s, persons, ("int", "text", "text", "int", "int", "text", "text", "day", "day", "text"))
    if len(persons[0]) > 1 and (persons[0][1:] < persons[0][:-1]).any():
        order = np.argsort(persons[0], kind="stable")
        persons = [c[order] if isinstance(c, np.ndarray) else [c[i] for i in order.tolist()] for c in persons]
    ids = persons[0] if small(s, persons[0]) else None
    newer = aliased(Status)
    statuses = _columns_of(s, _of_persons(
        select(Status.person_id, Status.kind, day_number(s, Status.start_on), day_number(s, Status.end_on),
               Status.details_json).where(~exists().where(newer.supersedes_id == Status.id)), Status.person_id, where, ids),
        ("int", "text", "day", "day", "text"))
    newer_spell = aliased(Spell)
    spells = _columns_of(s, _of_persons(
        select(Spell.person_id, Spell.kind, day_number(s, Spell.start_on), day_number(s, Spell.end_on))
        .where(~exists().where(newer_spell.supersedes_id == Spell.id)), Spell.person_id, where, ids),
        ("int", "text", "day", "day"))
    first = None
    if first_records:
        first = _columns_of(s, _of_persons(select(Record.person_id, day_number(s, func.min(Record.on))),
                                           Record.person_id, where, ids).group_by(Record.person_id), ("int", "day"))
    districts = dict(_all(s, select(Area.id, Area.district).where(Area.kind == "community")))
    with no_gc():
        return snapshot_of_columns(persons, statuses, spells, first, districts)


@dataclasses.dataclass
class Records:
    """The service records of a snapshot's persons: person row, kind (``code`` into ``kinds``), day."""
    row: np.ndarray
    code: np.ndarray
    kinds: list
    day: np.ndarray            # datetime64[D]

    @property
    def kind(self) -> np.ndarray:
        return np.array(self.kinds, dtype="U24")[self.code] if len(self.code) else np.zeros(0, "U24")


def records(s: Session, snap, *, until: dt.date, community_ids=None, person_ids=None) -> Records:
    """The service records of the snapshot's persons dated up to ``until``, the persons chosen as
    for ``read``."""
    from .facts import factorise
    query = select(Record.person_id, Record.kind, day_number(s, Record.on)).where(Record.on <= until)
    ids = snap.person_id if small(s, snap.person_id) else None
    who, kind, day = _columns_of(s, _of_persons(query, Record.person_id, persons_where(community_ids, person_ids), ids),
                                 ("int", "text", "day"))
    kinds, code = factorise(kind)
    return Records(_index(snap, who), code, kinds, day)


def plans(s: Session, snap, *, until: dt.date, community_ids=None, person_ids=None):
    """(person row, opened on, referred to an agency) of the plans opened up to ``until``."""
    query = select(Plan.person_id, day_number(s, Plan.opened_on),
                   func.coalesce(Plan.agency, "") != "").where(Plan.opened_on <= until)
    ids = snap.person_id if small(s, snap.person_id) else None
    who, opened, agency = _columns_of(s, _of_persons(query, Plan.person_id, persons_where(community_ids, person_ids), ids),
                                      ("int", "day", "bool"))
    return _index(snap, who), opened, agency


def read_with_records(s: Session, community_ids, person_ids=None, *, until: dt.date, names: bool = True):
    """(Snapshot, Records, plans) of the persons chosen, with the records and plans up to ``until``;
    each person's first record taken from those records, not read again: the evaluation asks for it
    only on days up to ``until``, where the first record up to ``until`` is the first record."""
    snap = read(s, community_ids, person_ids, names=names, first_records=False)
    recs = records(s, snap, until=until, community_ids=community_ids, person_ids=person_ids)
    plan = plans(s, snap, until=until, community_ids=community_ids, person_ids=person_ids)
    if len(recs.row):
        first = np.full(snap.n, np.iinfo(np.int64).max)
        np.minimum.at(first, recs.row, recs.day.astype(np.int64))
        snap.first_record = np.where(first == np.iinfo(np.int64).max, NAT_DAY, first.astype("datetime64[D]"))
    return snap, recs, plan


def _index(snap, ids) -> np.ndarray:
    return np.searchsorted(snap.person_id, np.array(ids, np.int64)) if len(ids) else np.zeros(0, np.int64)
