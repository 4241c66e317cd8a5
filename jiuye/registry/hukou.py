"""A person's hukou in the registry: the district (``hukou_district``) and the move into it
(``hukou_moved_in_on``, from ``previous_hukou_district``) — what the measures judging 本区户籍 at an
earlier moment read (docs/ENCODING.md "Hukou at the moment"; ``facts._hukou_facts``).

The registry's versions of a person (``PersonVersion.changed_on``) say when the registry learned a
new district, not when the hukou moved: only a recorded move date dates it. A previous district
without a move date is a move on a day not known (a change of district without a date, or given so):
the calculator then asks for the date where a measure's moment makes it matter. The checks here are
shared by the registration, the change of a person's details and the import; each message names
the field in Chinese.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from ..day import DayError, parse_day
from ..ledger.errors import InvalidInput

LABELS = {"hukou_district": "户籍所在区", "hukou_moved_in_on": "户籍迁入日期", "previous_hukou_district": "原户籍所在区"}


def district(value, field: str) -> str | None:
    """A District key (``xicheng``) or name (西城区) as the key; blank: None."""
    from ..model.facts.places import District
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if text in District.__members__ and text != "unknown":
        return text
    for member in District:
        if member.value == text and member.name != "unknown":
            return member.name
    raise InvalidInput(field, f"{LABELS[field]}：没有名为“{text[:20]}”的区（填区的代码如 xicheng，或区名如 西城区）")


def move_date(value, field: str = "hukou_moved_in_on") -> dt.date | None:
    """A date given as a date or YYYY-MM-DD (`jiuye.day`); blank: None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_day(value)
    except DayError as error:
        raise InvalidInput(field, f"{LABELS[field]}：{error}") from None


@dataclasses.dataclass
class Hukou:
    district: str | None
    moved_in_on: dt.date | None
    previous: str | None
    note: str | None = None        # a district changed without a move date (said to the importer)
    # previous without moved_in_on: moved from it on a day not known


def problem(hukou: Hukou, *, on: dt.date, birth: dt.date | None) -> tuple[str, str] | None:
    """(field, message) of what is wrong with a hukou as it would be stored on ``on`` (the day of the
    registration, change or import: what the registry can know then), or None."""
    moved, previous = hukou.moved_in_on, hukou.previous
    if moved is None and previous is None:
        return None
    if hukou.district is None:
        return "hukou_district", ("填写了户籍迁入日期，须填写户籍所在区（迁入的区）" if moved is not None
                                  else "填写了原户籍所在区，须填写户籍所在区（迁入的区）")
    if previous is not None and previous == hukou.district:
        return "previous_hukou_district", "原户籍所在区与户籍所在区相同：不是迁入"
    if moved is None:
        return None                # moved from ``previous`` on a day not known: asked where it matters
    if moved > on:
        return "hukou_moved_in_on", f"户籍迁入日期{moved.isoformat()}晚于登记之日{on.isoformat()}：尚未迁入的户籍不能登记"
    if birth is not None and moved < birth:
        return "hukou_moved_in_on", f"户籍迁入日期{moved.isoformat()}早于出生日期{birth.isoformat()}（身份证号）"
    return None


def check(hukou: Hukou, *, on: dt.date, birth: dt.date | None) -> Hukou:
    found = problem(hukou, on=on, birth=birth)
    if found:
        raise InvalidInput(*found)
    return hukou


MISSING = object()          # not said (a column absent or blank, a field not changed)


def changed(before: Hukou, district, moved_in_on=MISSING, previous=MISSING) -> Hukou:
    """The hukou after a change: ``district`` the district now (``before.district`` when unchanged),
    the move and previous district as given (``MISSING``: not said).

    * a move date given: stored; its previous district as given, else — when the district changed —
      the district the registry held before, else the one recorded with that same move or with a move
      whose date was not known (the date completes it) (else none);
    * no move date, a previous district given: a move from it on a day not known;
    * no move date and the district changed: the recorded move was into the former district and no
      longer applies. The registry knows the hukou was in the former district before, only not
      when it moved: the former district is kept as the previous one with no date, so a measure
      judging 本区户籍 at an earlier moment (the contract's signing) asks for the date instead of
      reading the new district as held throughout (``note`` says so to the importer);
    * neither: the recorded move kept."""
    moved_district = district != before.district
    if moved_in_on is not MISSING and moved_in_on is not None:
        if previous is MISSING or previous is None:
            previous = before.district if moved_district else (
                before.previous if moved_in_on == before.moved_in_on or before.moved_in_on is None else None)
        return Hukou(district, moved_in_on, previous)
    if previous not in (MISSING, None):
        return Hukou(district, None, previous)        # moved from ``previous``, the day not known
    if moved_district:
        note = None
        if before.district is not None and district is not None:
            note = (f"户籍所在区由{_name(before.district)}改为{_name(district)}，未填写户籍迁入日期：台账记为由"
                    f"{_name(before.district)}迁入、迁入日期不详，按某一时点（如签订劳动合同之日）判断本区户籍的政策"
                    f"将待补填户籍迁入日期后认定；请补填户籍迁入日期")
        return Hukou(district, None, before.district if district is not None else None, note)
    return Hukou(district, before.moved_in_on, before.previous)


def of_changes(was: Hukou, changes: dict, *, on: dt.date, birth: dt.date | None) -> Hukou:
    """The hukou after ``Registry.update_person``'s ``changes`` (those of its keys named: the others not
    said), checked."""
    now = district(changes["hukou_district"], "hukou_district") if "hukou_district" in changes else was.district
    moved = move_date(changes["hukou_moved_in_on"]) if "hukou_moved_in_on" in changes else MISSING
    previous = (district(changes["previous_hukou_district"], "previous_hukou_district")
                if "previous_hukou_district" in changes else MISSING)
    return check(changed(was, now, moved, previous), on=on, birth=birth)


def _name(key: str) -> str:
    from ..model.facts.places import District
    return District[key].value if key in District.__members__ else key


def birth_of(id_number: str) -> dt.date | None:
    """The birth date of a (checked) 身份证号."""
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (ValueError, TypeError):
        return None
