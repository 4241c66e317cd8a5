"""The registry's service: the one API the CLI, the pages and the import call.

    from jiuye.registry import Registry
    registry = Registry(ledger=ledger)           # the ledger's database (JIUYE_DATABASE_URL)
    street = registry.add_area(None, "street", "德胜街道", parent_id=district.id)
    registry.assign_role(None, user_id, "specialist", area_id=community.id)
    person = registry.register_person(user_id, "110102…", "张三", community.id, on=day)
    registry.add_status(user_id, person["id"], "unemployed", start_on=day)
    registry.due(user_id, on=day)                # the duties owed, most urgent first

Who may do what (``actor``: a ledger user id; ``None``: the system / CLI operator): a 专员
(``specialist``) of a community sees and edits its persons only; a ``supervisor`` of a street or a
district reads the persons of its communities (and receives the escalations); an ``hr_agency`` sees
only the plans referred to it; a ledger 管理员 (admin) everything. Anything else: ``Forbidden``.
A person of another community is ``NotFound`` to a 专员 (nothing about them leaks).

Every write appends one entry to the ledger's hash-chained audit log in the same transaction
(``jiuye.ledger.audit.append``), the ID number masked. Nothing is overwritten (see models.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any, Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import ids
from ..ids import mask_id
from ..ledger import audit
from ..ledger.db import Database, migrate
from ..ledger.errors import Forbidden, InvalidInput, NotFound, Refused
from ..ledger.models import AuditEntry, User
from .models import (AREA_KINDS, CONTACT_CHANNELS, ROLES, SERVICE_KINDS, SPELL_KINDS, STATUS_KINDS, Area, Household,
                     Person, PersonVersion, Plan, Record, RoleAssignment, Spell, Status)
from .checks import _record, as_date, as_text, choice  # noqa: F401
from .plans import PlansMixin
from .rows import (RECORD_KINDS, _area, _chunks, _details, _person_row, _record_row, _settles, _spell,  # noqa: F401
                   _status)

EDITORS = ("specialist",)


class Actor:
    """Who acts, and where: ``communities`` is None for everything (admin, system)."""

    def __init__(self, user: User | None, role: str | None, communities: set[int] | None, agency: str | None,
                 area_id: int | None = None) -> None:
        self.user, self.role, self.communities, self.agency, self.area_id = user, role, communities, agency, area_id

    @property
    def id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def name(self) -> str:
        return self.user.username if self.user else "system"

    def sees(self, community_id: int) -> bool:
        return self.communities is None or community_id in self.communities

    @property
    def may_edit(self) -> bool:
        return self.role in EDITORS or self.role == "admin" or self.user is None


class Registry(PlansMixin):
    def __init__(self, url: str | None = None, *, ledger=None, database: Database | None = None,
                 migrate_schema: bool = True, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.ledger = ledger
        self.db = database or (ledger.db if ledger is not None else Database(url))
        if migrate_schema and ledger is None:
            migrate(self.db.engine)
        self.clock = clock or audit.utcnow

    def close(self) -> None:
        if self.ledger is None:
            self.db.dispose()

    def claims_ledger(self):
        if self.ledger is None:
            from ..ledger import Ledger
            self.ledger = Ledger(database=self.db, migrate_schema=False)
        return self.ledger

    # -- transactions and the audit log -----------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        with self.db.write() as s:
            s.info["log"] = []
            yield s
            s.flush()
            for who, action, entity, entity_id, rows, summary in s.info["log"]:
                audit.append(s, actor_id=who.id, actor=who.name, action=action, entity=entity,
                             entity_id=entity_id() if callable(entity_id) else entity_id,
                             records=[r if isinstance(r, dict) else _record(r) for r in rows], summary=summary, at=self.clock(), flush=False)

    @staticmethod
    def _log(s: Session, who: Actor, action: str, entity: str, entity_id: Any, rows: list, summary: dict | None = None):
        s.info["log"].append((who, action, entity, entity_id, rows, summary or {}))

    # -- who acts ----------------------------------------------------------------------------------------
    def _actor(self, s: Session, actor: int | None, *, edit: bool = False, system_ok: bool = True) -> Actor:
        if actor is None:
            if not system_ok:
                raise Forbidden("须以用户身份操作")
            return Actor(None, None, None, None)
        user = s.get(User, actor)
        if user is None:
            raise NotFound("user", actor)
        if not user.active:
            raise Forbidden(f"用户{user.username}已停用")
        if user.role == "admin":
            return Actor(user, "admin", None, None)
        assignment = s.scalar(select(RoleAssignment).where(RoleAssignment.user_id == user.id))
        if assignment is None:
            raise Forbidden(f"用户{user.username}没有实名制台账的角色（专员、督导或人力资源服务机构）")
        communities = set() if assignment.role == "hr_agency" else self._communities_under(s, assignment.area_id)
        who = Actor(user, assignment.role, communities, assignment.agency, assignment.area_id)
        if edit and not who.may_edit:
            raise Forbidden(f"{ROLES[assignment.role]}（{user.username}）只能查看，不能修改台账")
        return who

    def _communities_under(self, s: Session, area_id: int | None) -> set[int]:
        if area_id is None:
            return set()
        areas = s.execute(select(Area.id, Area.parent_id, Area.kind)).all()
        children: dict[int | None, list] = {}
        for a in areas:
            children.setdefault(a.parent_id, []).append(a)
        out, stack = set(), [a for a in areas if a.id == area_id]
        while stack:
            area = stack.pop()
            if area.kind == "community":
                out.add(area.id)
            stack.extend(children.get(area.id, []))
        return out

    def _person(self, s: Session, who: Actor, person_id: int) -> Person:
        person = s.get(Person, person_id)
        if person is None or not (who.sees(person.community_id) or self._referred(s, who, person_id)):
            raise NotFound("person", person_id)
        return person

    @staticmethod
    def _referred(s: Session, who: Actor, person_id: int) -> bool:
        return who.role == "hr_agency" and s.scalar(
            select(func.count(Plan.id)).where(Plan.person_id == person_id, Plan.agency == who.agency)) > 0

    def whoami(self, actor: int) -> dict:
        with self.db.read() as s:
            who = self._actor(s, actor, system_ok=False)
            area = s.get(Area, who.area_id) if who.area_id else None
            return {"user_id": who.id, "username": who.name, "role": who.role,
                    "role_label": ROLES.get(who.role, "管理员"), "area": area.name if area else None,
                    "area_id": who.area_id, "agency": who.agency, "may_edit": who.may_edit}

    # -- areas and roles ---------------------------------------------------------------------------------
    def add_area(self, actor: int | None, kind: str, name: str, *, parent_id: int | None = None,
                 district: str | None = None) -> dict:
        kind = choice(kind, AREA_KINDS, "kind")
        name = as_text(name, "name", limit=100)
        with self._write() as s:
            who = self._actor(s, actor)
            if who.role not in (None, "admin"):
                raise Forbidden("只有管理员可以设置区、街道、社区")
            parent = s.get(Area, parent_id) if parent_id is not None else None
            expected = {"district": None, "street": "district", "community": "street"}[kind]
            if (parent.kind if parent else None) != expected:
                raise InvalidInput("parent_id", f"{AREA_KINDS[kind]}的上级应为{AREA_KINDS.get(expected, '无')}")
            if kind == "district":
                from ..model.facts.places import District
                if district not in District.__members__:
                    raise InvalidInput("district", f"未知的区：{district!r}（应为 xicheng、heping 等）")
            existing = s.scalar(select(Area).where(Area.parent_id == parent_id, Area.name == name))
            if existing is not None:
                return _area(existing)
            area = Area(kind=kind, name=name, parent_id=parent_id, district=district or parent.district,
                        created_at=self.clock())
            s.add(area)
            s.flush()
            self._log(s, who, "registry_add_area", "reg_area", area.id, [area])
            return _area(area)

    def areas(self, actor: int | None) -> list[dict]:
        with self.db.read() as s:
            who = self._actor(s, actor)
            rows = s.scalars(select(Area).order_by(Area.id)).all()
            if who.communities is None:
                return [_area(a) for a in rows]
            seen = who.communities | ({who.area_id} if who.area_id else set())
            return [_area(a) for a in rows if a.id in seen]

    def find_area(self, name: str, kind: str | None = None) -> dict:
        with self.db.read() as s:
            query = select(Area).where(Area.name == name)
            if kind:
                query = query.where(Area.kind == kind)
            found = s.scalars(query).all()
            if len(found) != 1:
                raise InvalidInput("community", f"找不到唯一的{AREA_KINDS.get(kind, '区域')}“{name}”")
            return _area(found[0])

    def assign_role(self, actor: int | None, user_id: int, role: str, *, area_id: int | None = None,
                    agency: str | None = None) -> dict:
        role = choice(role, ROLES, "role")
        with self._write() as s:
            who = self._actor(s, actor)
            if who.role not in (None, "admin"):
                raise Forbidden("只有管理员可以分配台账角色")
            if s.get(User, user_id) is None:
                raise NotFound("user", user_id)
            area = s.get(Area, area_id) if area_id is not None else None
            if role == "specialist" and (area is None or area.kind != "community"):
                raise InvalidInput("area_id", "专员须分配到一个社区")
            if role == "supervisor" and (area is None or area.kind == "community"):
                raise InvalidInput("area_id", "督导须分配到一个街道或区")
            if role == "hr_agency":
                agency = as_text(agency, "agency", limit=200)
                area = None
            if s.scalar(select(RoleAssignment).where(RoleAssignment.user_id == user_id)) is not None:
                raise Refused("role_exists", "该用户已有台账角色（角色不改写：请另建用户）")
            row = RoleAssignment(user_id=user_id, role=role, area_id=area.id if area else None, agency=agency,
                                 created_at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "registry_assign_role", "reg_role", row.id, [row])
            return {"id": row.id, "user_id": user_id, "role": role, "area_id": row.area_id, "agency": agency}

    # -- persons -----------------------------------------------------------------------------------------
    def register_person(self, actor: int | None, id_number: str, name: str, community_id: int, *,
                        on: dt.date | str, household: str | None = None, phone: str | None = None,
                        hukou_district: str | None = None, retirement_category: str | None = None,
                        hukou_moved_in_on: dt.date | str | None = None, previous_hukou_district: str | None = None) -> dict:
        """Register a person; the hukou's move into ``hukou_district`` (``hukou_moved_in_on``, from
        ``previous_hukou_district``) when known — not after ``on`` (see hukou.py)."""
        from . import hukou
        try:
            number = ids.validate_id_number(id_number, "id_number", as_date(on, "on"))
        except ids.InvalidIdNumber as error:
            raise InvalidInput(error.field, error.message) from None
        name = as_text(name, "name", limit=100)
        place = hukou.check(hukou.Hukou(hukou.district(hukou_district, "hukou_district"), hukou.move_date(hukou_moved_in_on),
                                        hukou.district(previous_hukou_district, "previous_hukou_district")),
                            on=as_date(on, "on"), birth=hukou.birth_of(number))
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            community = s.get(Area, community_id)
            if community is None or community.kind != "community" or not who.sees(community_id):
                raise InvalidInput("community_id", "不是你所在的社区" if community else "没有这个社区")
            if s.scalar(select(Person.id).where(Person.id_number == number)) is not None:
                raise Refused("person_exists", f"身份证号{mask_id(number)}已登记")
            person = Person(id_number=number, name=name, community_id=community_id, phone=as_text(phone, "phone",
                            required=False, limit=40), hukou_district=place.district,
                            hukou_moved_in_on=place.moved_in_on, previous_hukou_district=place.previous,
                            retirement_category=retirement_category or None, created_at=self.clock())
            if household:
                person.household_id = self._household(s, who, community_id, household).id
            s.add(person)
            s.flush()
            self._log(s, who, "registry_register_person", "reg_person", person.id, [person],
                      {"id_number": mask_id(number), "on": str(on)})
            return _person_row(person, full=False)

    def _household(self, s: Session, who: Actor, community_id: int, label: str) -> Household:
        label = as_text(label, "household", limit=200)
        found = s.scalar(select(Household).where(Household.community_id == community_id, Household.label == label))
        if found is None:
            found = Household(community_id=community_id, label=label, created_at=self.clock())
            s.add(found)
            s.flush()
            self._log(s, who, "registry_add_household", "reg_household", found.id, [found])
        return found

    CHANGEABLE = ("name", "phone", "hukou_district", "hukou_moved_in_on", "previous_hukou_district",
                  "retirement_category", "community_id", "household")
    HUKOU = ("hukou_district", "hukou_moved_in_on", "previous_hukou_district")

    def update_person(self, actor: int | None, person_id: int, *, on: dt.date | str, **changes) -> dict:
        """Change a person's details; the previous values are kept (PersonVersion) and logged. A change
        of hukou: ``hukou_district`` with the move (``hukou_moved_in_on``, ``previous_hukou_district``:
        the former district when not given); the district changed without a move date drops the move
        recorded (it was into the former district: ``hukou.changed``)."""
        from . import hukou
        on = as_date(on, "on")
        unknown = set(changes) - set(self.CHANGEABLE)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "不能修改此项")
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            person = self._person(s, who, person_id)
            before = {k: getattr(person, k) for k in ("name", "phone", "hukou_district", "hukou_moved_in_on",
                                                       "previous_hukou_district", "retirement_category",
                                                       "community_id", "household_id")}
            if "community_id" in changes and not who.sees(int(changes["community_id"])):
                raise InvalidInput("community_id", "不是你所在的社区")
            if set(changes) & set(self.HUKOU):
                was = hukou.Hukou(person.hukou_district, person.hukou_moved_in_on, person.previous_hukou_district)
                place = hukou.of_changes(was, changes, on=on, birth=hukou.birth_of(person.id_number))
                person.hukou_district, person.hukou_moved_in_on = place.district, place.moved_in_on
                person.previous_hukou_district = place.previous
            for key, value in changes.items():
                if key in self.HUKOU:
                    continue
                if key == "household":
                    person.household_id = self._household(s, who, person.community_id, value).id if value else None
                else:
                    setattr(person, key, value or None if key != "name" else as_text(value, "name", limit=100))
            after = {k: getattr(person, k) for k in before}
            if after == before:
                return _person_row(person, full=False)
            version = PersonVersion(person_id=person.id, values_json=json.dumps(
                {k: audit.plain(v) for k, v in before.items()}, ensure_ascii=False),
                changed_on=on, recorded_by=who.id, recorded_at=self.clock())
            s.add(version)
            s.flush()
            self._log(s, who, "registry_update_person", "reg_person", person.id, [person, version],
                      {"changed": sorted(k for k in before if before[k] != after[k])})
            return _person_row(person, full=False)

    def add_status(self, actor: int | None, person_id: int, kind: str, *, start_on: dt.date | str,
                   end_on: dt.date | str | None = None, details: dict | None = None) -> dict:
        kind = choice(kind, STATUS_KINDS, "kind")
        start = as_date(start_on, "start_on")
        end = as_date(end_on, "end_on") if end_on not in (None, "") else None
        if end is not None and end <= start:
            raise InvalidInput("end_on", "结束日期应晚于开始日期")
        details = _details(kind, details or {})
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            person = self._person(s, who, person_id)
            row = Status(person_id=person.id, kind=kind, start_on=start, end_on=end,
                         details_json=json.dumps(details, ensure_ascii=False, sort_keys=True),
                         recorded_by=who.id, recorded_at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "registry_add_status", "reg_status", row.id, [row], {"person_id": person.id})
            return _status(row)

    def _latest(self, s, who, model, row_id: int, what: str):
        """The row `row_id` of `model` (a status or a spell) to end, visible to `who` and not yet
        superseded by a correction or an end."""
        old = s.get(model, row_id)
        if old is None:
            raise NotFound(what, row_id)
        self._person(s, who, old.person_id)
        if s.scalar(select(model.id).where(model.supersedes_id == old.id)) is not None:
            raise Refused("superseded", "该记录已被更正或结束，请在最新记录上操作")
        return old

    def end_status(self, actor: int | None, status_id: int, *, end_on: dt.date | str, details: dict | None = None) -> dict:
        """End (or correct) a status: a new row superseding it; the old one stays in the history."""
        end = as_date(end_on, "end_on")
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            old = self._latest(s, who, Status, status_id, "status")
            if end <= old.start_on:
                raise InvalidInput("end_on", "结束日期应晚于开始日期")
            merged = {**json.loads(old.details_json or "{}"), **(details or {})}
            row = Status(person_id=old.person_id, kind=old.kind, start_on=old.start_on, end_on=end,
                         details_json=json.dumps(_details(old.kind, merged), ensure_ascii=False, sort_keys=True),
                         supersedes_id=old.id, recorded_by=who.id, recorded_at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "registry_end_status", "reg_status", row.id, [row],
                      {"person_id": old.person_id, "supersedes": old.id})
            return _status(row)

    def add_spell(self, actor: int | None, person_id: int, kind: str, *, start_on: dt.date | str,
                  end_on: dt.date | str | None = None, employer: str | None = None, contract: bool = False,
                  insured: bool = False) -> dict:
        kind = choice(kind, SPELL_KINDS, "kind")
        start = as_date(start_on, "start_on")
        end = as_date(end_on, "end_on") if end_on not in (None, "") else None
        employer = as_text(employer, "employer", required=kind == "employee", limit=200)
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            person = self._person(s, who, person_id)
            row = Spell(person_id=person.id, kind=kind, employer=employer, start_on=start, end_on=end,
                        contract=bool(contract), insured=bool(insured), recorded_by=who.id, recorded_at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "registry_add_spell", "reg_spell", row.id, [row], {"person_id": person.id})
            return _spell(row)

    def end_spell(self, actor: int | None, spell_id: int, *, end_on: dt.date | str) -> dict:
        end = as_date(end_on, "end_on")
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            old = self._latest(s, who, Spell, spell_id, "spell")
            row = Spell(person_id=old.person_id, kind=old.kind, employer=old.employer, start_on=old.start_on,
                        end_on=end, contract=old.contract, insured=old.insured, supersedes_id=old.id,
                        recorded_by=who.id, recorded_at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "registry_end_spell", "reg_spell", row.id, [row],
                      {"person_id": old.person_id, "supersedes": old.id})
            return _spell(row)

    # -- service records ------------------------------------------------------------------------------
    def record(self, actor: int, person_id: int, kind: str, *, on: dt.date | str, outcome: str = "",
               next_contact_on: dt.date | str | None = None, employer: str | None = None, post: str | None = None,
               agency: str | None = None, measure_id: str | None = None) -> dict:
        """A contact or a service by the acting user; it settles the duties owed that it fulfils."""
        kind = choice(kind, RECORD_KINDS, "kind")
        on = as_date(on, "on")
        following = as_date(next_contact_on, "next_contact_on") if next_contact_on not in (None, "") else None
        if following is not None and following < on:
            raise InvalidInput("next_contact_on", "下次联系日期不能早于本次")
        if kind == "job_referral":
            employer = as_text(employer, "employer", limit=200)
            post = as_text(post, "post", limit=200)
        if kind == "placement":
            employer = as_text(employer, "employer", limit=200)
            post = as_text(post, "post", limit=200)
        if kind == "agency_referral":
            agency = as_text(agency, "agency", limit=200)
        outcome = as_text(outcome, "outcome", required=False, limit=2000) or ""
        with self.db.read() as s:
            who = self._actor(s, actor, edit=True, system_ok=False)
            person = self._person(s, who, person_id)
            community = person.community_id
        from .due import owed_lines
        lines = owed_lines(self, [community], on, person_ids=[person_id])
        settles = sorted({line["duty"] for line in lines if line["state"] != "undetermined"
                          and _settles(kind, line["settled_by"])})
        with self._write() as s:
            who = self._actor(s, actor, edit=True, system_ok=False)
            person = self._person(s, who, person_id)
            row = Record(person_id=person.id, kind=kind, on=on, outcome=outcome, next_contact_on=following,
                         employer=as_text(employer, "employer", required=False, limit=200),
                         post=as_text(post, "post", required=False, limit=200),
                         agency=as_text(agency, "agency", required=False, limit=200), measure_id=measure_id,
                         settles=json.dumps(settles, ensure_ascii=False), recorded_by=who.id, recorded_at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "registry_record", "reg_record", row.id, [row],
                      {"person_id": person.id, "kind": kind, "settles": settles})
            if kind == "placement":       # 托底安置: the person now works in the named 公益性岗位
                spell = Spell(person_id=person.id, kind="employee", employer=row.employer, start_on=on,
                              contract=True, insured=True, recorded_by=who.id, recorded_at=self.clock())
                s.add(spell)
                s.flush()
                self._log(s, who, "registry_add_spell", "reg_spell", spell.id, [spell],
                          {"person_id": person.id, "placement": row.id})
            return _record_row(row)

    # -- plans --------------------------------------------------------------------------------------------
    def persons(self, actor: int | None, *, community_id: int | None = None, search: str = "",
                limit: int = 200, offset: int = 0) -> list[dict]:
        """Persons the actor may see (ID numbers masked), by community and name / ID number search."""
        with self.db.read() as s:
            who = self._actor(s, actor)
            if who.role == "hr_agency":
                raise Forbidden("人力资源服务机构只能查看转介给本机构的计划")
            query = select(Person).order_by(Person.id)
            if who.communities is not None:
                query = query.where(Person.community_id.in_(who.communities or {-1}))
            if community_id is not None:
                query = query.where(Person.community_id == community_id)
            search = (search or "").strip()
            if search:
                if len(search) == 18:
                    query = query.where(Person.id_number == search.upper())
                else:
                    query = query.where(Person.name.contains(search[:50]))
            rows = s.scalars(query.limit(min(limit, 1000)).offset(offset)).all()
            names = {a.id: a.name for a in s.scalars(select(Area).where(Area.kind == "community"))}
            return [{**_person_row(p, full=False), "community": names.get(p.community_id)} for p in rows]

    def person(self, actor: int | None, person_id: int, *, reveal: bool = False) -> dict:
        """A person's file (一人一档): details, every status and spell (superseded ones too),
        records, plans and the audit trail. The full ID number only with ``reveal`` for a user
        allowed to edit the person (the 专员 of the community, an admin); each reveal is logged."""
        with (self._write() if reveal else self.db.read()) as s:
            who = self._actor(s, actor)
            person = self._person(s, who, person_id)
            if who.role == "hr_agency":
                raise Forbidden("人力资源服务机构只能查看转介给本机构的计划")
            full = reveal and who.may_edit
            if full and who.user is not None:
                self._log(s, who, "registry_reveal_id_number", "reg_person", person.id, [],
                          {"id_number": mask_id(person.id_number)})
            statuses = s.scalars(select(Status).where(Status.person_id == person.id).order_by(Status.id)).all()
            superseded = {x.supersedes_id for x in statuses if x.supersedes_id}
            spells = s.scalars(select(Spell).where(Spell.person_id == person.id).order_by(Spell.id)).all()
            sp_superseded = {x.supersedes_id for x in spells if x.supersedes_id}
            records = s.scalars(select(Record).where(Record.person_id == person.id).order_by(Record.on, Record.id)).all()
            plans = [self._plan_view(s, p) for p in s.scalars(select(Plan).where(Plan.person_id == person.id))]
            versions = s.scalars(select(PersonVersion).where(PersonVersion.person_id == person.id)).all()
            audit_rows = s.scalars(select(AuditEntry).where(AuditEntry.entity == "reg_person",
                                                            AuditEntry.entity_id == str(person.id))
                                   .order_by(AuditEntry.seq)).all()
            community = s.get(Area, person.community_id)
            household = s.get(Household, person.household_id) if person.household_id else None
            names = dict(s.execute(select(User.id, User.username)).all())
            return {
                **_person_row(person, full=full), "community": community.name, "household": household.label if household else None,
                "statuses": [{**_status(x), "current": x.id not in superseded} for x in statuses],
                "spells": [{**_spell(x), "current": x.id not in sp_superseded} for x in spells],
                "records": [{**_record_row(r), "by": names.get(r.recorded_by)} for r in records],
                "plans": plans,
                "versions": [{"changed_on": v.changed_on.isoformat(), "before": json.loads(v.values_json),
                              "by": names.get(v.recorded_by)} for v in versions],
                "audit": [{"seq": a.seq, "at": a.at.isoformat(timespec="seconds"), "actor": a.actor, "action": a.action}
                          for a in audit_rows],
                "may_edit": who.may_edit and who.user is not None or who.role == "admin"}

    def history(self, actor: int | None, person_id: int) -> list[dict]:
        """Every audit entry about the person or their rows, in order (who, when, what)."""
        with self.db.read() as s:
            who = self._actor(s, actor)
            self._person(s, who, person_id)
            out = []
            for entry in s.scalars(select(AuditEntry).where(AuditEntry.action.like("registry_%")).order_by(AuditEntry.seq)):
                payload = json.loads(entry.payload)
                summary = payload.get("summary", {})
                if (entry.entity == "reg_person" and entry.entity_id == str(person_id)) or \
                        summary.get("person_id") == person_id:
                    out.append({"seq": entry.seq, "at": entry.at.isoformat(timespec="seconds"), "actor": entry.actor,
                                "action": entry.action, "entity": entry.entity, "entity_id": entry.entity_id,
                                "summary": summary})
            return out

    def scope(self, actor: int | None, community_id: int | None = None) -> list[int]:
        """The communities the actor may read (restricted to ``community_id`` when given)."""
        with self.db.read() as s:
            who = self._actor(s, actor)
            if who.role == "hr_agency":
                raise Forbidden("人力资源服务机构只能查看转介给本机构的计划")
            every = [a for a in s.scalars(select(Area.id).where(Area.kind == "community"))]
            allowed = every if who.communities is None else sorted(who.communities)
            if community_id is not None:
                if community_id not in allowed:
                    raise NotFound("community", community_id)
                return [community_id]
            return allowed

    # -- due, figures, matching (due.py, figures.py, outreach.py) -----------------------------------------
    def due(self, actor: int | None, *, on: dt.date | str, community_id: int | None = None) -> list[dict]:
        from .due import owed_lines
        on = as_date(on, "on")
        return [line for line in owed_lines(self, self.scope(actor, community_id), on) if line["state"] != "settled"]

    def due_by_street(self, actor: int | None, *, on: dt.date | str) -> list[dict]:
        from .due import by_street
        return by_street(self, actor, as_date(on, "on"))

    def figures(self, actor: int | None, *, month: str, area_id: int | None = None) -> dict:
        from .figures import figures
        return figures(self, actor, month, area_id)

    def outreach(self, actor: int | None, person_id: int, *, on: dt.date | str) -> dict:
        from .outreach import measures_for
        return measures_for(self, actor, person_id, as_date(on, "on"))

    def start_claim(self, actor: int, person_id: int, measure_id: str, *, on: dt.date | str) -> dict:
        from .outreach import start_claim
        return start_claim(self, actor, person_id, measure_id, as_date(on, "on"))

    # -- rows for the evaluator ----------------------------------------------------------------------------
    def _snapshot(self, s: Session, community_ids: list[int] | None, person_ids: list[int] | None = None, *,
                  names: bool = True):
        from .load import read
        return read(s, community_ids, person_ids, names=names)


