"""The service duties of the documents, as data (``jiuye/model/policies/<key>/duties.yaml``), and
what each person is owed on a day.

A duty: ``id``, ``clause`` (<key>/<clause>), ``quote`` (exact words of the document), ``title``,
``requires`` (what is to be done), ``interpretation`` (the reading chosen — "每月" is each calendar
month, by its last day), ``conditions`` (a tree of condition variables, like a measure's; the
document's definitions may be named), ``moment`` (when the duty arises: ``status: <kind>`` the start
of that registry status, ``fact: <date fact>`` [+ ``after_months``], or each month), ``recurrence``
(``monthly``; ``once`` with ``deadline_days``; ``until_cleared`` with ``deadline_days``: open while
the condition holds and nothing settles it), ``settled_by`` (record classes: ``contact``,
``service``, ``service:<kind>``, ``plan``, ``plan:agency``) and ``validity: document``.

Evaluation (``owed``): the conditions run three-valued on the registry's facts of the day
(``jiuye.registry.facts``) for all persons at once; a document applies only to persons living in
its place (its jurisdiction: city, and district when it has one); a duty is owed only for periods
within its document's validity — after a document's end, the periods up to it are still listed,
with a note saying so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from pathlib import Path

import numpy as np
import yaml

from ..catalogue import POLICIES_DIR, CatalogueError, expand_tree, load_catalogue
from ..model.facts.places import CITY_OF_DISTRICT

RECURRENCES = {"monthly": "每月", "once": "一次（限期）", "until_cleared": "持续至清零"}
SETTLERS = ("contact", "service", "plan")
LOOKBACK_MONTHS = 3        # monthly duties: this month and the two before it are checked


@dataclasses.dataclass(frozen=True)
class Duty:
    id: str
    document: str
    clause: str
    title: str
    requires: str
    quote: str
    interpretation: str
    conditions: tuple
    moment: dict
    recurrence: dict
    settled_by: tuple
    valid_from: str | None
    valid_to: str | None
    jurisdiction: dict

    @property
    def kind(self) -> str:
        return self.recurrence["kind"]

    @property
    def deadline_days(self) -> int:
        return int(self.recurrence.get("deadline_days", 0))

    def to_dict(self) -> dict:
        return {"id": self.id, "clause": self.clause, "title": self.title, "requires": self.requires,
                "quote": self.quote, "interpretation": self.interpretation, "recurrence": self.recurrence,
                "recurrence_label": RECURRENCES[self.kind], "moment": self.moment,
                "settled_by": list(self.settled_by), "valid_from": self.valid_from, "valid_to": self.valid_to}


def _check(record: dict, path: Path) -> None:
    for key in ("id", "clause", "title", "requires", "quote", "interpretation", "conditions", "moment",
                "recurrence", "settled_by"):
        if key not in record:
            raise CatalogueError(f"{path}: duty {record.get('id')!r} has no {key}")
    kind = record["recurrence"].get("kind")
    if kind not in RECURRENCES:
        raise CatalogueError(f"{path}: {record['id']}: recurrence {kind!r} (one of {', '.join(RECURRENCES)})")
    if kind != "monthly" and "deadline_days" not in record["recurrence"]:
        raise CatalogueError(f"{path}: {record['id']}: a {kind} duty needs deadline_days")
    for settler in record["settled_by"]:
        if settler.split(":")[0] not in SETTLERS:
            raise CatalogueError(f"{path}: {record['id']}: settled_by {settler!r}")


@functools.cache
def load_duties(policies_dir: Path = POLICIES_DIR) -> tuple[Duty, ...]:
    catalogue = load_catalogue()
    duties = []
    for path in sorted(Path(policies_dir).glob("*/duties.yaml")):
        key = path.parent.name
        document = catalogue.documents[key]
        for record in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("duties", []):
            _check(record, path)
            if not record["clause"].startswith(key + "/"):
                raise CatalogueError(f"{path}: {record['id']} cites {record['clause']}, not a clause of {key}")
            tree = expand_tree(record["conditions"], document.definitions or {})
            duties.append(Duty(id=record["id"], document=key, clause=record["clause"], title=record["title"],
                               requires=record["requires"], quote=record["quote"],
                               interpretation=record["interpretation"], conditions=tree,
                               moment=dict(record["moment"]), recurrence=dict(record["recurrence"]),
                               settled_by=tuple(record["settled_by"]), valid_from=document.valid_from,
                               valid_to=document.valid_to, jurisdiction=dict(document.jurisdiction or {})))
    return tuple(duties)


def duty(duty_id: str) -> Duty:
    for d in load_duties():
        if d.id == duty_id:
            return d
    raise KeyError(duty_id)


# -- places and periods ------------------------------------------------------------------------------------
def in_place(duty: Duty, districts: np.ndarray) -> np.ndarray:
    """Persons (by the District key of their community) living where the duty's document applies."""
    city, district = duty.jurisdiction.get("city"), duty.jurisdiction.get("district")
    ok = np.ones(len(districts), bool)
    if district:
        ok &= districts == district
    if city:
        cities = np.array([CITY_OF_DISTRICT.get(d).name if d in CITY_OF_DISTRICT else "" for d in districts],
                          dtype=object) if len(districts) else np.zeros(0, dtype=object)
        ok &= cities == city
    return ok


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def months_back(day: dt.date, count: int) -> list[dt.date]:
    """The first days of the ``count`` months ending with ``day``'s, oldest first."""
    out, first = [], month_start(day)
    for _ in range(count):
        out.append(first)
        first = month_start(first - dt.timedelta(days=1))
    return out[::-1]


def in_force(duty: Duty, day: dt.date) -> bool:
    return (not duty.valid_from or day.isoformat() >= duty.valid_from) and \
        (not duty.valid_to or day.isoformat() <= duty.valid_to)


def ended_note(duty: Duty, on: dt.date) -> str | None:
    if duty.valid_to and on.isoformat() > duty.valid_to:
        return (f"{duty.document}文件有效期至{duty.valid_to}：本义务仅对{duty.valid_to}以前的期间应办，"
                f"此后不再产生")
    return None
