"""What is owed on a day: every duty (duties.py) for every person of some communities, evaluated
together (one ``Evaluation`` per day needed: the day itself, and each month's last day for the
monthly duties), with what settles it (the person's records and plans).

A line: the person (ID number masked), the duty and its clause, what it requires, by when
(``due_on``), its ``state`` — ``overdue``, ``due``, ``undetermined`` (some fact the registry does not
hold decides it: ``missing`` names them) or ``settled`` — the period (a month, for the monthly
duties) and, for a document past its validity, the note saying the duty is owed only up to its end.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core import periods
from sqlalchemy import select

from ..model.partial import is_partial
from .duties import LOOKBACK_MONTHS, Duty, ended_note, in_place, load_duties, month_end, months_back
from . import load
from .models import Area, settles

BIG = np.int64(2 ** 62)         # "no day" in the integer day arrays

STATE_ORDER = {"overdue": 0, "due": 1, "undetermined": 2, "settled": 3}
STATE_LABELS = {"overdue": "逾期", "due": "待办", "undetermined": "待核实", "settled": "已办"}


def places(duty: Duty, snap) -> np.ndarray:
    """Per person: lives where the duty's document applies (tested once per district)."""
    return in_place(duty, np.array(snap.district_keys, dtype=object))[snap.district_code]


class Days:
    """The evaluations of one snapshot, one per day, made on first use; ``reasons`` False: the
    missing facts of undetermined rows are not named (the figures count, they do not explain)."""

    def __init__(self, snap, system, reasons: bool = True) -> None:
        self.snap, self.system, self.cache, self.reasons = snap, system, {}, reasons

    def get(self, day: dt.date):
        if day not in self.cache:
            from ..assess.evaluation import Evaluation
            from .facts import status_facts
            population = status_facts(self.snap, day, self.system)
            self.cache[day] = (population, Evaluation(population, day, self.system,
                                                      reasons="facts" if self.reasons else None), {})
        return self.cache[day]

    def condition(self, duty: Duty, day: dt.date):
        """(holds, unknown, evaluation) of the duty's conditions on ``day`` for every person."""
        population, ev, values = self.get(day)
        if duty.id not in values:
            from ..model.conditions import evaluate_tree
            period = periods.period(day.strftime("%Y-%m"))
            with np.errstate(all="ignore"):
                value = evaluate_tree(ev.persons, list(duty.conditions), period)
            if is_partial(value):
                known = np.asarray(value.known, bool)
                # the missing facts, per fact a mask over the rows (once for all rows, not row by row)
                reasons = [(fact, mask) for (entity, fact), mask in sorted(ev.reason_columns(value).items())] \
                    if self.reasons else []
                values[duty.id] = (known & np.asarray(value.lo, bool), ~known, reasons)
            else:
                values[duty.id] = (np.asarray(value, bool), np.zeros(len(value), bool), [])
        return values[duty.id] + (ev,)


def _settling(settled_by, kind: str) -> bool:
    return settles(kind, settled_by)


def _plan_settles(settled_by, plans) -> list[dt.date]:
    """The opening days of the plans that settle a duty (a plan made before its moment counts: it is
    still the person's plan)."""
    out = []
    for settler in settled_by:
        klass, _, detail = settler.partition(":")
        if klass == "plan":
            out += [opened for opened, agency in plans if not detail or (detail == "agency" and agency)]
    return out


def owed_lines(registry, community_ids: list[int], on: dt.date, *, person_ids: list[int] | None = None,
               duties: tuple[Duty, ...] | None = None, include_settled: bool = True) -> list[dict]:
    """The lines owed on ``on`` by the persons of ``community_ids`` (or ``person_ids``): for each
    duty, the persons it applies to found with array operations (conditions, moments, the earliest
    settling record — as the figures count them), a line made only for those listed."""
    from ..model.system import get_system
    system = get_system()
    duties = duties if duties is not None else load_duties()
    with registry.db.read() as s:
        snap, recs, (plan_row, plan_opened, plan_agency) = load.read_with_records(
            s, community_ids, person_ids, until=on)
        names = select(Area.id, Area.name)
        if snap.n and len(set(snap.community_id.tolist())) < 1000:
            names = names.where(Area.id.in_(sorted(set(snap.community_id.tolist()))))
        community_names = dict(s.execute(names).all())
    if snap.n == 0:
        return []
    settling = Settling(snap, recs, plan_row, plan_opened, plan_agency)
    days = Days(snap, system)
    chosen = np.ones(snap.n, bool)
    if person_ids is not None:
        chosen = np.isin(snap.person_id, np.array(person_ids, np.int64))
    make = _Lines(snap, community_names, system, on)
    today = _day_number(on)
    for duty in duties:
        place = places(duty, snap) & chosen
        if not place.any():
            continue
        note = ended_note(duty, on)
        if duty.kind == "monthly":
            for first in months_back(on, LOOKBACK_MONTHS):
                last = month_end(first)
                if duty.valid_from and last.isoformat() < duty.valid_from:
                    continue
                if duty.valid_to and first.isoformat() > duty.valid_to:
                    continue
                due_on = min(last, dt.date.fromisoformat(duty.valid_to)) if duty.valid_to else last
                day = min(due_on, on)
                holds, unknown, value, ev = days.condition(duty, day)
                rows = np.flatnonzero(place & (holds | unknown))
                done = settling.between(duty.settled_by, _day_number(first), _day_number(due_on))[rows]
                due = np.full(len(rows), _day_number(due_on))
                make.add(duty, rows, done, due, unknown, value, f"{first:%Y-%m}", note, include_settled)
        else:
            day = min(on, dt.date.fromisoformat(duty.valid_to)) if duty.valid_to else on
            if duty.valid_from and day.isoformat() < duty.valid_from:
                continue
            holds, unknown, value, ev = days.condition(duty, day)
            moment = moments(duty, snap, days, day)
            line = place & (holds | unknown) & (moment <= _day_number(day))   # owed (its moment within the validity)
            if duty.valid_from:
                moment = np.maximum(moment, _day_number(dt.date.fromisoformat(duty.valid_from)))
            rows = np.flatnonzero(line)
            done = settling.earliest(duty.settled_by, np.where(line, moment, BIG))[rows]
            make.add(duty, rows, done, moment[rows] + duty.deadline_days, unknown, value, None, note,
                     include_settled, moments=moment[rows])
    lines = make.lines
    lines.sort(key=lambda x: (STATE_ORDER[x["state"]], x["due_on"], x["person_id"], x["duty"]))
    return lines


def _day_number(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


class _Lines:
    """The due lines, made row by row only for the rows listed; each person's part made once."""

    def __init__(self, snap, community_names: dict, system, on: dt.date) -> None:
        self.snap, self.community_names, self.system, self.today = snap, community_names, system, _day_number(on)
        self.people: dict[int, dict] = {}
        self.lines: list[dict] = []

    def person(self, row: int) -> dict:
        part = self.people.get(row)
        if part is None:
            from ..ids import mask_id
            snap = self.snap
            community = int(snap.community_id[row])
            part = self.people[row] = {"person_id": int(snap.person_id[row]), "name": snap.name[row],
                                       "id_number": mask_id(str(snap.id_number[row])), "community_id": community,
                                       "community": self.community_names.get(community)}
        return part

    def add(self, duty: Duty, rows, done, due, unknown, value, period: str | None, note, include_settled: bool,
            moments=None) -> None:
        """Lines of ``duty`` for ``rows`` (``done``: the day settled, BIG none; ``due``: day numbers;
        ``period`` None: "自<moment>" per row)."""
        settled = done < BIG
        state = np.where(settled, 3, np.where(unknown[rows], 2, np.where(due < self.today, 0, 1)))
        keep = np.flatnonzero(state != 3) if not include_settled else np.arange(len(rows))
        if not len(keep):
            return
        names = ("overdue", "due", "undetermined", "settled")
        due_text = _iso(due[keep])
        done_text = _iso(np.where(settled[keep], done[keep], 0))
        moment_text = _iso(moments[keep]) if moments is not None else None
        fixed = {"duty": duty.id, "clause": duty.clause, "title": duty.title, "requires": duty.requires,
                 "recurrence": duty.kind}
        says = f"{duty.clause}要求：{duty.requires}（"
        for j, k in enumerate(keep.tolist()):
            row = int(rows[k])
            name = names[int(state[k])]
            missing = []
            if unknown[row]:
                for fact, mask in value:                 # the duty's missing facts (see Days.condition)
                    if mask[row]:
                        variable = self.system.variables.get(fact)
                        missing.append({"fact": fact, "label": variable.label if variable else fact})
            when = period if period is not None else f"自{moment_text[j]}"
            self.lines.append({**self.person(row), **fixed, "settled_by": list(duty.settled_by), "state": name,
                               "state_label": STATE_LABELS[name], "due_on": due_text[j], "period": when,
                               "note": note, "missing": missing,
                               "settled_on": done_text[j] if settled[k] else None,
                               "says": f"{says}{when}），应于{due_text[j]}前办理"})


def _iso(days: np.ndarray) -> list[str]:
    """ISO dates of int64 day numbers."""
    return np.datetime_as_string(np.asarray(days, np.int64).astype("datetime64[D]"), unit="D").tolist()


def by_street(registry, actor, on: dt.date) -> list[dict]:
    """The district's view: per street, the lines overdue, due within a week, undetermined."""
    communities = registry.scope(actor)
    with registry.db.read() as s:
        areas = {a.id: a for a in s.scalars(select(Area))}
    lines = owed_lines(registry, communities, on, include_settled=False)
    week = (on + dt.timedelta(days=7)).isoformat()
    out: dict[int, dict] = {}
    for line in lines:
        street = areas[areas[line["community_id"]].parent_id]
        row = out.setdefault(street.id, {"street_id": street.id, "street": street.name, "overdue": 0,
                                         "due_this_week": 0, "due": 0, "undetermined": 0})
        if line["state"] == "overdue":
            row["overdue"] += 1
        elif line["state"] == "due":
            row["due"] += 1
            if line["due_on"] <= week:
                row["due_this_week"] += 1
        else:
            row["undetermined"] += 1
    return sorted(out.values(), key=lambda r: (-r["overdue"], -r["due_this_week"], r["street"]))


class Settling:
    """The earliest day a record or a plan settles a duty, per person, from the records
    (``jiuye.registry.load.Records``) and the arrays of plans (person row, opened on, referred to an agency)."""

    def __init__(self, snap, records, plan_row, plan_opened, plan_agency) -> None:
        self.n = snap.n
        self.rec_row, self.rec_day = records.row, records.day.astype(np.int64)
        self.kinds, self.rec_code = records.kinds, records.code
        self.plan_row, self.plan_day, self.plan_agency = plan_row, plan_opened.astype(np.int64), plan_agency
        self._kinds_of: dict = {}

    def settling(self, settled_by) -> np.ndarray:
        """Per record: whether its kind settles a duty settled by ``settled_by``."""
        if settled_by not in self._kinds_of:
            settles = np.array([_settling(settled_by, str(k)) for k in self.kinds], bool)
            self._kinds_of[settled_by] = settles[self.rec_code] if len(self.rec_row) else np.zeros(0, bool)
        return self._kinds_of[settled_by]

    def earliest(self, settled_by, moment: np.ndarray) -> np.ndarray:
        """Per person, the day (int64, ``BIG``: none) of the first settling record on or after the
        person's ``moment`` (int64 days), or of a settling plan (whenever it was opened)."""
        done = np.full(self.n, BIG)
        ok = self.settling(settled_by) & (self.rec_day >= moment[self.rec_row]) if len(self.rec_row) else np.zeros(0, bool)
        np.minimum.at(done, self.rec_row[ok], self.rec_day[ok])
        for agency in (False, True):      # _plan_settles decides which plans count: any, or an agency's
            if _plan_settles(settled_by, [(0, agency)]):
                ok = self.plan_agency == agency
                np.minimum.at(done, self.plan_row[ok], self.plan_day[ok])
        return done

    def between(self, settled_by, first: int, last: int) -> np.ndarray:
        """Per person, the day (int64, ``BIG``: none) of the first settling record dated from
        ``first`` to ``last`` (day numbers, both included): a monthly duty's month (plans do not count)."""
        done = np.full(self.n, BIG)
        ok = self.settling(settled_by) & (self.rec_day >= first) & (self.rec_day <= last)
        np.minimum.at(done, self.rec_row[ok], self.rec_day[ok])
        return done


def owed_once(duty, snap, days, on: dt.date, settling: Settling):
    """A once or until-cleared duty on ``on`` for every person, as ``owed_lines`` makes its lines:
    (has a line, settled, undetermined, settled on, due on) — the days int64 (``BIG``: none); None
    when the duty applies to nobody here or not yet."""
    place = places(duty, snap)
    if not place.any():
        return None
    day = min(on, dt.date.fromisoformat(duty.valid_to)) if duty.valid_to else on
    if duty.valid_from and day.isoformat() < duty.valid_from:
        return None
    holds, unknown, _, _ = days.condition(duty, day)
    moment = moments(duty, snap, days, day)
    line = place & (holds | unknown) & (moment <= np.datetime64(day, "D").astype(np.int64))
    if duty.valid_from:
        moment = np.maximum(moment, np.datetime64(duty.valid_from, "D").astype(np.int64))
    done = settling.earliest(duty.settled_by, np.where(line, moment, BIG))
    return line, line & (done < BIG), unknown, done, moment + duty.deadline_days


def moments(duty, snap, days, day: dt.date) -> np.ndarray:
    """The day each person's duty arose (int64 days; ``BIG``: not given), as ``due._moments``."""
    spec = duty.moment
    out = np.full(snap.n, BIG)
    if spec.get("status") == "registered":
        out[:] = snap.registered_on.astype(np.int64)
    elif spec.get("status"):
        d = np.datetime64(day, "D")
        mask = (snap.s_kind == spec["status"]) & (snap.s_start <= d) & (np.isnat(snap.s_end) | (snap.s_end > d))
        latest = np.full(snap.n, -BIG)
        np.maximum.at(latest, snap.s_person[mask], snap.s_start[mask].astype(np.int64))
        out = np.where(latest > -BIG, latest, BIG)
    elif spec.get("fact"):
        from ..model.dates import add_months
        values = np.asarray(days.get(day)[0].person_facts[spec["fact"]], "datetime64[D]")
        if spec.get("after_months"):
            values = add_months(values, int(spec["after_months"]))
        given = ~np.isnat(values) & (values < np.datetime64("9000-01-01"))
        out[given] = values[given].astype(np.int64)
    return out
