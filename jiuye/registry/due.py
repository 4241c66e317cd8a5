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
from collections import defaultdict

import numpy as np
from openfisca_core import periods
from sqlalchemy import select

from ..model.partial import is_partial
from .duties import LOOKBACK_MONTHS, Duty, ended_note, in_place, load_duties, month_end, months_back
from . import load
from .models import Area, settles

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
            from ..model.system import evaluate_tree
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
    from ..model.system import get_system
    system = get_system()
    duties = duties if duties is not None else load_duties()
    with registry.db.read() as s:
        snap = registry._snapshot(s, community_ids, person_ids)
        rec_row, rec_kind, rec_day = load.records(s, snap, until=on, community_ids=community_ids, person_ids=person_ids)
        plan_row, plan_opened, plan_agency = load.plans(s, snap, until=on, community_ids=community_ids,
                                                        person_ids=person_ids)
        community_names = dict(s.execute(select(Area.id, Area.name)).all())
    if snap.n == 0:
        return []
    records, plans = defaultdict(list), defaultdict(list)
    for row, kind, day in zip(snap.person_id[rec_row].tolist(), rec_kind.tolist(), rec_day.tolist()):
        records[row].append((kind, day))
    for row, opened, agency in zip(snap.person_id[plan_row].tolist(), plan_opened.tolist(), plan_agency.tolist()):
        plans[row].append((opened, agency))
    days = Days(snap, system)
    only = set(person_ids) if person_ids is not None else None
    lines = []
    for duty in duties:
        place = places(duty, snap)
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
                for row in np.flatnonzero(place & (holds | unknown)):
                    pid = int(snap.person_id[row])
                    done = min((when for kind, when in records[pid]
                                if first <= when <= due_on and _settling(duty.settled_by, kind)), default=None)
                    state = "settled" if done else ("undetermined" if unknown[row] else
                                                    ("overdue" if due_on < on else "due"))
                    lines.append(_line(snap, row, duty, state, due_on, f"{first:%Y-%m}", note, ev, value, unknown,
                                       community_names, system, done))
        else:
            day = min(on, dt.date.fromisoformat(duty.valid_to)) if duty.valid_to else on
            if duty.valid_from and day.isoformat() < duty.valid_from:
                continue
            holds, unknown, value, ev = days.condition(duty, day)
            rows = np.flatnonzero(place & (holds | unknown))
            moments = _moments(duty, snap, days, day, rows)
            for row in rows:
                moment = moments.get(int(row))
                if moment is None or moment > day:
                    continue              # not owed yet (or its moment falls outside the document's validity)
                if duty.valid_from and moment.isoformat() < duty.valid_from:
                    moment = dt.date.fromisoformat(duty.valid_from)
                pid = int(snap.person_id[row])
                due_on = moment + dt.timedelta(days=duty.deadline_days)
                done = min([when for kind, when in records[pid] if when >= moment and _settling(duty.settled_by, kind)]
                           + _plan_settles(duty.settled_by, plans[pid]), default=None)
                state = "settled" if done else ("undetermined" if unknown[row] else
                                                ("overdue" if due_on < on else "due"))
                lines.append(_line(snap, row, duty, state, due_on, f"自{moment.isoformat()}", note, ev, value,
                                   unknown, community_names, system, done))
    if only is not None:
        lines = [x for x in lines if x["person_id"] in only]
    if not include_settled:
        lines = [x for x in lines if x["state"] != "settled"]
    lines.sort(key=lambda x: (STATE_ORDER[x["state"]], x["due_on"], x["person_id"], x["duty"]))
    return lines


def _moments(duty: Duty, snap, days: Days, day: dt.date, rows: np.ndarray) -> dict[int, dt.date]:
    """The day the duty arose, per person row (None: not given)."""
    spec = duty.moment
    out: dict[int, dt.date] = {}
    wanted = set(int(r) for r in rows)
    if spec.get("status") == "registered":
        for r in wanted:
            out[r] = snap.registered_on[r].astype(dt.date)
    elif spec.get("status"):
        d = np.datetime64(day, "D")
        mask = (snap.s_kind == spec["status"]) & (snap.s_start <= d) & (np.isnat(snap.s_end) | (snap.s_end > d))
        for i in np.flatnonzero(mask):
            r = int(snap.s_person[i])
            if r in wanted:
                start = snap.s_start[i].astype(dt.date)
                out[r] = max(out.get(r, start), start)
    elif spec.get("fact"):
        from ..model.dates import add_months
        population, _, _ = days.get(day)
        values = np.asarray(population.person_facts[spec["fact"]], "datetime64[D]")
        if spec.get("after_months"):
            values = add_months(values, int(spec["after_months"]))
        for r in wanted:
            value = values[r]
            if not np.isnat(value) and value < np.datetime64("9000-01-01"):
                out[r] = value.astype(dt.date)
    return out


def _line(snap, row, duty: Duty, state: str, due_on: dt.date, period: str, note, ev, value, unknown,
          community_names, system, settled_on: dt.date | None = None) -> dict:
    from ..ids import mask_id
    missing = []
    if unknown[row]:
        for fact, mask in value:                 # the duty's missing facts (see Days.condition)
            if mask[row]:
                variable = system.variables.get(fact)
                missing.append({"fact": fact, "label": variable.label if variable else fact})
    return {"person_id": int(snap.person_id[row]), "name": snap.name[row], "id_number": mask_id(str(snap.id_number[row])),
            "community_id": int(snap.community_id[row]), "community": community_names.get(int(snap.community_id[row])),
            "duty": duty.id, "clause": duty.clause, "title": duty.title, "requires": duty.requires,
            "recurrence": duty.kind, "settled_by": list(duty.settled_by), "state": state,
            "state_label": STATE_LABELS[state], "due_on": due_on.isoformat(), "period": period, "note": note,
            "missing": missing, "settled_on": settled_on.isoformat() if settled_on else None,
            "says": f"{duty.clause}要求：{duty.requires}（{period}），应于{due_on.isoformat()}前办理"}


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
