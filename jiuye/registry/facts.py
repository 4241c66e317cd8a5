"""The registry's rows as the model's person facts, on a given day: one ``Population`` for a set of
persons (a community, a street, a district), evaluated by the one three-valued evaluator
(``jiuye.assess.Evaluation``) — never a simulation per person.

What the registry states on a day (``status_facts``):

* statuses hold from ``start_on`` (inclusive) to ``end_on`` (exclusive: the day a registration is
  cancelled it no longer holds); a status the registry does not hold is false (the registry is the
  record of who is in a target group), except 有就业意愿, which is unknown until recorded;
* employment: a 单位就业 spell covering the day is ``employed``, a 灵活就业 one ``flexibly_employed``;
* 零就业家庭 is a household test: the household has a member of working age (16 or over, not past
  the statutory retirement date) and none of them is employed; only households recorded in the
  registry are tested (a person in none is not of a 零就业家庭: the registry records households it knows);
* the hire: the start of the current 单位就业 spell is the contract's start, and the statuses held
  on that day give the at-hire facts (registered_unemployed_at_hire, hard_to_employ_at_hire,
  dibao_at_hire, rural_labour_at_hire, and Heping's statuses at the start of work:
  ``_statuses_at_the_start``), so 免申即享 does not ask what the registry records;
* birth date and sex come from the 身份证号; the place of residence is the district of the person's
  community; the date public employment services began (haidian/二是) is the first record's.
* the hukou on the day (``_hukou_facts``): the recorded move into the current district
  (``hukou_moved_in_on``, from ``previous_hukou_district``) is the situation's hukou_moved_in_date /
  previous_hukou_district, so a measure judging 本区户籍 at the hire reads the district of that day
  (``jiuye.model.facts.person.hukou_at``); a move recorded after the day had not happened on it: the
  hukou that day is the previous district, and no move is given; a previous district recorded without a
  move date (a move on a day not known) is given without hukou_moved_in_date, which the calculator then
  asks for where a measure's moment is earlier (``jiuye.model.base.REQUIRED_WITH``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np

from ..assess.population import Population
from ..ids import birth_and_sex_from_ids

NAT = np.datetime64("NaT", "D")
NEVER = np.datetime64("9999-12-31", "D")


@dataclasses.dataclass
class Snapshot:
    """The registry rows of some persons, as arrays (read once; several days evaluated on them)."""

    person_id: np.ndarray          # int64, ascending
    id_number: np.ndarray          # str
    name: np.ndarray               # str
    community_id: np.ndarray       # int64
    household_id: np.ndarray       # int64, -1: none
    district_keys: list            # the District keys of the persons' communities ("unknown": none)
    district_code: np.ndarray      # per person, index into district_keys
    hukou_keys: list               # the distinct District keys of hukou ("" not given)
    hukou_code: np.ndarray         # per person, index into hukou_keys
    retirement_keys: list          # the distinct RetirementCategory keys ("" not given)
    retirement_code: np.ndarray    # per person, index into retirement_keys
    moved_in: np.ndarray           # datetime64[D]: the hukou's move into its district (NaT: none recorded)
    previous_keys: list            # the distinct District keys of the hukou before the move ("" not given)
    previous_code: np.ndarray      # per person, index into previous_keys
    registered_on: np.ndarray      # datetime64[D]: the day the person entered the registry
    # statuses (current rows: not superseded)
    s_person: np.ndarray           # index into the persons
    s_kind: np.ndarray             # str (fixed width)
    s_start: np.ndarray            # datetime64[D]
    s_end: np.ndarray              # datetime64[D], NaT: open
    s_detail: np.ndarray           # per status, index into details
    details: list                  # the distinct details (dicts), each parsed once
    # spells (current rows)
    e_person: np.ndarray
    e_kind: np.ndarray
    e_start: np.ndarray
    e_end: np.ndarray
    first_record: np.ndarray       # datetime64[D] per person, NaT: none

    @property
    def n(self) -> int:
        return len(self.person_id)

    @property
    def district(self) -> np.ndarray:
        """The District key of each person's community."""
        return np.array(self.district_keys, dtype=object)[self.district_code]

    def index_of(self) -> dict[int, int]:
        return {int(p): i for i, p in enumerate(self.person_id)}

    def detail(self, key: str, default=None) -> np.ndarray:
        """``details[key]`` of each status (an object array)."""
        values = np.empty(len(self.details), dtype=object)
        values[:] = [d.get(key, default) for d in self.details]
        return values[self.s_detail] if len(self.s_detail) else np.zeros(0, dtype=object)

    def detail_test(self, test) -> np.ndarray:
        """``test(details)`` of each status, the test run once per distinct details."""
        values = np.array([bool(test(d)) for d in self.details], bool)
        return values[self.s_detail] if len(self.s_detail) else np.zeros(0, bool)

    @property
    def s_details(self) -> list:
        return [self.details[i] for i in self.s_detail]


def _dates(values) -> np.ndarray:
    """Days since 1970-01-01 as read by ``jiuye.registry.load`` (or dates, or naive timestamps:
    their day), None as NaT, in one conversion."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[D]")
    if not len(values):
        return np.zeros(0, "datetime64[D]")
    if isinstance(next((v for v in values if v is not None), None), (dt.date, dt.datetime)):
        return np.array(values, dtype="datetime64[us]").astype("datetime64[D]")
    numbers = np.array(values, dtype=float)
    return np.where(np.isnan(numbers), NAT, np.nan_to_num(numbers).astype(np.int64).astype("datetime64[D]"))


def factorise(values) -> tuple[list, np.ndarray]:
    """(the distinct values in order of appearance, each value's index among them)."""
    keys = list(dict.fromkeys(values))                 # both loops in C: no Python frame per value
    index = {k: i for i, k in enumerate(keys)}
    return keys, np.fromiter(map(index.__getitem__, values), np.int64, len(values))


def _columns(rows: list[tuple], width: int) -> list:
    return list(zip(*rows)) if rows else [()] * width


def snapshot(persons: list[tuple], statuses: list[tuple], spells: list[tuple],
             first_records: list[tuple], districts: dict[int, str]) -> Snapshot:
    """From rows read by ``jiuye.registry.load.read``: persons ``(id, id_number, name, community_id,
    household_id (-1: none), hukou_district, retirement_category ("" not given), created_at[,
    hukou_moved_in_on (None: no move), previous_hukou_district ("" not given)])`` by id, statuses ``(person_id,
    kind, start_on, end_on, details_json)``, spells ``(person_id, kind, start_on, end_on)``, first
    records ``(person_id, day)``; days as numbers since 1970-01-01 (or dates); ``districts``: community id → District key."""
    persons = [tuple(p) if len(p) == 10 else (*p, None, "") for p in persons]
    return snapshot_of_columns(_columns(persons, 10), _columns(statuses, 5), _columns(spells, 4),
                               _columns(first_records, 2) if first_records else None, districts)


def snapshot_of_columns(persons, statuses, spells, first_records, districts: dict[int, str]) -> Snapshot:
    """``snapshot`` from the same tables given by column (a sequence or an array per column, as
    ``jiuye.registry.load`` reads them from PostgreSQL); ``first_records`` None: none."""
    pid, number, name, community, household, hukou, retirement, created, moved_in, previous = persons
    person_id = np.array(pid, np.int64)
    if len(person_id) > 1 and not (person_id[1:] > person_id[:-1]).all():
        raise ValueError("persons must be ordered by id")
    community_id = np.array(community, np.int64)
    communities, inverse = np.unique(community_id, return_inverse=True)
    keys = sorted({districts.get(int(c), "unknown") for c in communities})
    code_of = np.array([keys.index(districts.get(int(c), "unknown")) for c in communities], np.int64)
    sp, kind, start, end, details_json = statuses
    texts, s_detail = factorise(details_json)
    details = [json.loads(text) if text else {} for text in texts]
    ep, e_kind, e_start, e_end = spells
    hukou_keys, hukou_code = factorise(hukou)
    retirement_keys, retirement_code = factorise(retirement)
    previous_keys, previous_code = factorise(previous)
    first_record = np.full(len(person_id), NAT)
    if first_records is not None and len(first_records[0]):
        who, days = first_records
        first_record[np.searchsorted(person_id, np.array(who, np.int64))] = _dates(days)
    return Snapshot(
        person_id=person_id,
        id_number=np.array(number, dtype="U18"),
        name=np.array(name, dtype=object),
        community_id=community_id,
        household_id=np.array(household, dtype=np.int64).reshape(-1),
        district_keys=keys, district_code=code_of[inverse] if len(person_id) else np.zeros(0, np.int64),
        hukou_keys=hukou_keys, hukou_code=hukou_code, retirement_keys=retirement_keys, retirement_code=retirement_code,
        moved_in=_dates(moved_in), previous_keys=previous_keys, previous_code=previous_code,
        registered_on=_dates(created),
        s_person=np.searchsorted(person_id, np.array(sp, np.int64)), s_kind=np.array(kind, dtype="U24"),
        s_start=_dates(start), s_end=_dates(end), s_detail=s_detail, details=details,
        e_person=np.searchsorted(person_id, np.array(ep, np.int64)), e_kind=np.array(e_kind, dtype="U16"),
        e_start=_dates(e_start), e_end=_dates(e_end), first_record=first_record)


def _active(start: np.ndarray, end: np.ndarray, day: np.datetime64) -> np.ndarray:
    return (start <= day) & (np.isnat(end) | (end > day))


def _any_by_person(n: int, person: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.zeros(n, bool)
    out[person[mask]] = True
    return out


def _enum_of(system, fact: str, keys: list, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The enum ``fact``'s (codes, given) of each row, whose value is ``keys[code]`` (each distinct
    key looked up once)."""
    members = list(system.variables[fact].possible_values.__members__)
    lookup = {k: i for i, k in enumerate(members)}
    codes = np.array([lookup.get(k, -1) for k in keys] or [-1], np.int16)[code] if len(code) else np.zeros(0, np.int16)
    given = codes >= 0
    return np.where(given, codes, 0).astype(np.int16), given


_NO_DAY = np.iinfo(np.int64).min
_SINGLE_PARENT = lambda x: "单亲" in str(x.get("category", ""))           # noqa: E731 — a 就业困难人员 category
_ILL_RELATIVE = lambda x: "重大疾病" in str(x.get("category", ""))        # noqa: E731
_DIBAO = lambda x: x.get("kind", "低保") == "低保"                          # noqa: E731 — a 低收入 record's kind


def _current_start(snap: Snapshot, on: np.ndarray, kinds: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(the start of each person's current spell of those kinds — the latest, if several — and who
    has one)."""
    current = on & np.isin(snap.e_kind, kinds)
    days = np.full(snap.n, _NO_DAY, np.int64)
    np.maximum.at(days, snap.e_person[current], snap.e_start[current].astype(np.int64))
    started = days != _NO_DAY
    return np.where(started, days, NEVER.astype(np.int64)).astype("datetime64[D]"), started


def _held_on(snap: Snapshot, day: np.ndarray, has_day: np.ndarray, kind: str, test=None) -> np.ndarray:
    """Per person: a status of `kind` (passing `test` on its details) held on the person's `day` —
    its record starts on or before the day and is open or ends on or after it (a registration
    cancelled on the day itself, as the hire cancels it, was still held when it happened)."""
    at = day[snap.s_person]
    mask = has_day[snap.s_person] & (snap.s_kind == kind) & (snap.s_start <= at) & (np.isnat(snap.s_end) | (snap.s_end >= at))
    if test is not None:
        mask &= snap.detail_test(test)
    return _any_by_person(snap.n, snap.s_person, mask)


def _statuses_at_the_start(snap: Snapshot, on: np.ndarray, facts: dict, given: dict) -> None:
    """The hire and the start of work as the registry records them, and the statuses held then (the
    legal moment of the measures that reward them, docs/ENCODING.md); each given only for the
    persons with such a spell (the others: not known).

    * the start of the current 单位就业 spell is ``contract_start_date``; the statuses held that day
      give registered_unemployed_at_hire, hard_to_employ_at_hire, dibao_at_hire, rural_labour_at_hire;
    * the start of the current 灵活就业 spell is ``heping_flexible_start_date``; the start of the
      current 单位就业 or 灵活就业 spell (the later) is Heping's work start (被招用、安置、开始灵活就业之时),
      whose statuses give heping_hard_to_employ_at_work_start and the 特殊就业困难人员 family situations
      recorded on the registry's statuses (单亲家庭, 需赡养患重大疾病直系亲属 as 就业困难人员 categories,
      低保 as a 低收入 record); 零就业家庭 then, a household test on a past day, is left unknown."""
    hire, hired = _current_start(snap, on, ("employee",))
    facts["contract_start_date"], given["contract_start_date"] = hire, hired
    for name, kind, test in (("registered_unemployed_at_hire", "unemployed", None),
                             ("hard_to_employ_at_hire", "hard_to_employ", None),
                             ("dibao_at_hire", "low_income", _DIBAO),
                             ("rural_labour_at_hire", "rural_labour", None)):
        facts[name], given[name] = _held_on(snap, hire, hired, kind, test), hired
    flexible, flexible_now = _current_start(snap, on, ("flexible",))
    facts["heping_flexible_start_date"], given["heping_flexible_start_date"] = flexible, flexible_now
    start, working = _current_start(snap, on, ("employee", "flexible"))
    for name, kind, test in (("heping_hard_to_employ_at_work_start", "hard_to_employ", None),
                             ("heping_single_parent_family_at_work_start", "hard_to_employ", _SINGLE_PARENT),
                             ("heping_supports_ill_relative_at_work_start", "hard_to_employ", _ILL_RELATIVE),
                             ("heping_dibao_family_at_work_start", "low_income", _DIBAO)):
        facts[name], given[name] = _held_on(snap, start, working, kind, test), working


def _hukou_facts(snap: Snapshot, day: np.datetime64, system, facts: dict, given: dict) -> None:
    """The hukou on ``day`` and its move, as the calculator reads them (docs/ENCODING.md "Hukou at the
    moment"): hukou_district, and for a move recorded on or before the day hukou_moved_in_date (the day
    itself counts as moved in) and previous_hukou_district (when recorded; else not given, so a measure
    judged before the move asks for it). No move recorded: none given (the fact is optional: the hukou
    held in its district throughout). A move recorded after the day had not happened on it: what the
    registry knows of that day is the previous district (not given when not recorded), and no move
    into it — a situation of the day never holds a move later than the day. A previous district with
    no move date (moved on a day not known, ``hukou.changed``): hukou_district and
    previous_hukou_district given, hukou_moved_in_date not — so a measure judging the hukou at an
    earlier moment is undetermined and asks for it, one judging it on the day is decided."""
    current, current_given = _enum_of(system, "hukou_district", snap.hukou_keys, snap.hukou_code)
    previous, previous_given = _enum_of(system, "previous_hukou_district", snap.previous_keys, snap.previous_code)
    recorded = ~np.isnat(snap.moved_in)
    later = recorded & (snap.moved_in > day)
    moved = recorded & ~later
    facts["hukou_district"] = np.where(later, previous, current)
    given["hukou_district"] = np.where(later, previous_given, current_given)
    facts["hukou_moved_in_date"] = np.where(moved, snap.moved_in, NEVER)
    given["hukou_moved_in_date"] = moved
    facts["previous_hukou_district"], given["previous_hukou_district"] = previous, ~later & previous_given


def status_facts(snap: Snapshot, day: dt.date, system) -> Population:
    """The persons' facts on ``day`` as a Population (persons in no organisation)."""
    n = snap.n
    d = np.datetime64(day, "D")
    active = _active(snap.s_start, snap.s_end, d)
    kinds = snap.s_kind
    facts: dict[str, np.ndarray] = {}
    given: dict[str, np.ndarray] = {}

    def flag(name, kind, test=None):
        mask = active & (kinds == kind)
        if test is not None:
            mask &= snap.detail_test(test)
        facts[name] = _any_by_person(n, snap.s_person, mask)

    flag("registered_unemployed", "unemployed")
    flag("left_school_unemployed", "graduate")
    flag("hard_to_employ", "hard_to_employ")
    flag("difficult_family_member", "low_income")
    facts["beijing_difficult_family"] = facts["difficult_family_member"]
    flag("dibao", "low_income", _DIBAO)
    facts["dibao_family"] = facts["dibao"]
    flag("rural_labour", "rural_labour")
    flag("veteran", "veteran")
    flag("disabled", "disabled")
    flag("single_parent_family", "hard_to_employ", _SINGLE_PARENT)
    flag("supports_seriously_ill_relative", "hard_to_employ", _ILL_RELATIVE)
    # 有就业意愿: unknown until recorded
    willing_rows = active & (kinds == "willing")
    willing = np.zeros(n, bool)
    known = np.zeros(n, bool)
    willing[snap.s_person[willing_rows]] = snap.detail_test(lambda x: x.get("willing", True))[willing_rows]
    known[snap.s_person[willing_rows]] = True
    for name in ("willing_to_work", "haidian_willing_to_work"):
        facts[name], given[name] = willing, known
    # dates of the active statuses
    reg_date = np.full(n, NEVER)
    grad_date = np.full(n, NEVER)
    origin = np.full(n, len(snap.details), np.int64)            # index into the details; past the end: none
    unemployed = active & (kinds == "unemployed")
    reg_date[snap.s_person[unemployed]] = snap.s_start[unemployed]
    graduates = kinds == "graduate"
    when = snap.detail("graduation_date")
    dated = graduates & snap.detail_test(lambda x: x.get("graduation_date"))
    grad_date[snap.s_person[dated]] = np.array(list(when[dated]), dtype="datetime64[D]")
    origin[snap.s_person[graduates]] = snap.s_detail[graduates]
    facts["unemployment_registration_date"] = reg_date
    given["unemployment_registration_date"] = reg_date != NEVER
    facts["graduation_date"] = grad_date
    given["graduation_date"] = grad_date != NEVER
    # places
    facts["residence_district"], given["residence_district"] = _enum_of(system, "residence_district", snap.district_keys,
                                                                         snap.district_code)
    facts["unemployment_registration_district"] = facts["residence_district"]
    given["unemployment_registration_district"] = given["residence_district"] & facts["registered_unemployed"]
    _hukou_facts(snap, d, system, facts, given)
    facts["student_origin_city"], given["student_origin_city"] = _enum_of(
        system, "student_origin_city", [d.get("origin", "") for d in snap.details] + [""], origin)
    # identity
    birth, sex = birth_and_sex_from_ids(snap.id_number)
    facts["birth_date"] = np.asarray(birth, "datetime64[D]")
    # the category recorded, else a man's (from the ID number); a woman's is not known from it
    keys = snap.retirement_keys + ["male", ""]
    category = np.where(np.array([k != "" for k in snap.retirement_keys] + [True, True])[snap.retirement_code],
                        snap.retirement_code, np.where(np.asarray(sex) == 1, len(keys) - 2, len(keys) - 1))
    facts["retirement_category"], given["retirement_category"] = _enum_of(system, "retirement_category", keys, category)
    # employment
    on = _active(snap.e_start, snap.e_end, d)
    facts["employed"] = _any_by_person(n, snap.e_person, on & (snap.e_kind == "employee"))
    facts["flexibly_employed"] = _any_by_person(n, snap.e_person, on & (snap.e_kind == "flexible"))
    _statuses_at_the_start(snap, on, facts, given)
    facts["haidian_public_service_start_date"] = np.where(np.isnat(snap.first_record) | (snap.first_record > d),
                                                          NEVER, snap.first_record)
    population = Population(
        on=day, seed=None, person_ids=snap.person_id.astype(str), org_ids=np.zeros(0, dtype="U1"),
        org_of_person=np.full(n, -1, np.int64), role_of_person=np.zeros(n, np.int8),
        person_facts=facts, org_facts={}, person_given={k: v for k, v in given.items() if not v.all()})
    zero, zero_given = zero_employment(snap, population, day, system)
    facts["zero_employment_family"] = zero
    if not zero_given.all():
        population.person_given["zero_employment_family"] = zero_given
    return population


def zero_employment(snap: Snapshot, population: Population, day: dt.date, system) -> tuple[np.ndarray, np.ndarray]:
    """零就业家庭 per person: (value, given). Working age: 16 or over and (possibly) before the
    statutory retirement date (the model's, from birth date and category; where the category is
    unknown, the later of the possible dates)."""
    from ..assess.evaluation import Evaluation
    from ..model.partial import is_partial
    n = snap.n
    if n == 0:
        return np.zeros(0, bool), np.zeros(0, bool)
    ev = Evaluation(population, day, system, reasons=None)
    retirement = ev.value("statutory_retirement_date")
    latest = retirement.hi if is_partial(retirement) else np.asarray(retirement)
    d = np.datetime64(day, "D")
    birth = population.person_facts["birth_date"]
    years = d.astype("datetime64[Y]").astype(int) - birth.astype("datetime64[Y]").astype(int)
    had_birthday = (d - d.astype("datetime64[Y]")) >= (birth - birth.astype("datetime64[Y]"))
    age = years - (~had_birthday)
    working = (age >= 16) & (np.asarray(latest, "datetime64[D]") > d)
    working_employed = working & (population.person_facts["employed"] | population.person_facts["flexibly_employed"])
    household = snap.household_id
    has = household >= 0
    zero = np.zeros(n, bool)
    if has.any():
        ids, inverse = np.unique(household[has], return_inverse=True)
        any_working = np.zeros(len(ids), bool)
        any_employed = np.zeros(len(ids), bool)
        np.logical_or.at(any_working, inverse, working[has])
        np.logical_or.at(any_employed, inverse, working_employed[has])
        zero[has] = (any_working & ~any_employed)[inverse]
    return zero, np.ones(n, bool)
