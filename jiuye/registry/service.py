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
                     Person, PersonVersion, Plan, PlanEvent, PlanStep, Record, RoleAssignment, Spell, Status)

RECORD_KINDS = {**CONTACT_CHANNELS, **SERVICE_KINDS}
EDITORS = ("specialist",)


def as_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidInput(field, "应为日期（YYYY-MM-DD），不是时间")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        raise InvalidInput(field, f"日期格式应为YYYY-MM-DD，而不是“{value[:20]}”")
    raise InvalidInput(field, "请填写日期（YYYY-MM-DD）")


def as_text(value: Any, field: str, *, required: bool = True, limit: int = 2000) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, "不能为空")
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"应为文字，而不是{type(value).__name__}")
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(field, f"最多{limit}字")
    return value


def choice(value: Any, options: dict, field: str) -> str:
    if value not in options:
        raise InvalidInput(field, f"应为{'、'.join(f'{k}（{v}）' for k, v in options.items())}之一，而不是{str(value)[:30]!r}")
    return value


def _record(obj) -> dict:
    """What the audit log keeps of a row: ``audit.row_record`` with the 身份证号 masked."""
    record = audit.row_record(obj)
    if "id_number" in record["values"]:
        record["values"]["id_number"] = mask_id(record["values"]["id_number"])
    return record


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


class Registry:
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
                        hukou_district: str | None = None, retirement_category: str | None = None) -> dict:
        try:
            number = ids.validate_id_number(id_number, "id_number", as_date(on, "on"))
        except ids.InvalidIdNumber as error:
            raise InvalidInput(error.field, error.message) from None
        name = as_text(name, "name", limit=100)
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            community = s.get(Area, community_id)
            if community is None or community.kind != "community" or not who.sees(community_id):
                raise InvalidInput("community_id", "不是你所在的社区" if community else "没有这个社区")
            if s.scalar(select(Person.id).where(Person.id_number == number)) is not None:
                raise Refused("person_exists", f"身份证号{mask_id(number)}已登记")
            person = Person(id_number=number, name=name, community_id=community_id, phone=as_text(phone, "phone",
                            required=False, limit=40), hukou_district=hukou_district or None,
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

    CHANGEABLE = ("name", "phone", "hukou_district", "retirement_category", "community_id", "household")

    def update_person(self, actor: int | None, person_id: int, *, on: dt.date | str, **changes) -> dict:
        """Change a person's details; the previous values are kept (PersonVersion) and logged."""
        on = as_date(on, "on")
        unknown = set(changes) - set(self.CHANGEABLE)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "不能修改此项")
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            person = self._person(s, who, person_id)
            before = {k: getattr(person, k) for k in ("name", "phone", "hukou_district", "retirement_category",
                                                       "community_id", "household_id")}
            if "community_id" in changes and not who.sees(int(changes["community_id"])):
                raise InvalidInput("community_id", "不是你所在的社区")
            for key, value in changes.items():
                if key == "household":
                    person.household_id = self._household(s, who, person.community_id, value).id if value else None
                else:
                    setattr(person, key, value or None if key != "name" else as_text(value, "name", limit=100))
            after = {k: getattr(person, k) for k in before}
            if after == before:
                return _person_row(person, full=False)
            version = PersonVersion(person_id=person.id, values_json=json.dumps(before, ensure_ascii=False),
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

    def end_status(self, actor: int | None, status_id: int, *, end_on: dt.date | str, details: dict | None = None) -> dict:
        """End (or correct) a status: a new row superseding it; the old one stays in the history."""
        end = as_date(end_on, "end_on")
        with self._write() as s:
            who = self._actor(s, actor, edit=True)
            old = s.get(Status, status_id)
            if old is None:
                raise NotFound("status", status_id)
            self._person(s, who, old.person_id)
            if s.scalar(select(Status.id).where(Status.supersedes_id == old.id)) is not None:
                raise Refused("superseded", "该记录已被更正或结束，请在最新记录上操作")
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
            old = s.get(Spell, spell_id)
            if old is None:
                raise NotFound("spell", spell_id)
            self._person(s, who, old.person_id)
            if s.scalar(select(Spell.id).where(Spell.supersedes_id == old.id)) is not None:
                raise Refused("superseded", "该记录已被更正或结束，请在最新记录上操作")
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
    def open_plan(self, actor: int, person_id: int, *, on: dt.date | str, goals: str, owner_id: int | None = None,
                  agency: str | None = None, steps: list[tuple[str, Any]] = ()) -> dict:
        on = as_date(on, "on")
        goals = as_text(goals, "goals", limit=2000)
        agency = as_text(agency, "agency", required=False, limit=200)
        steps = [(as_text(t, f"steps[{i}].text", limit=500), as_date(d, f"steps[{i}].due_on"))
                 for i, (t, d) in enumerate(steps)]
        with self._write() as s:
            who = self._actor(s, actor, edit=True, system_ok=False)
            person = self._person(s, who, person_id)
            if owner_id is not None and s.get(User, owner_id) is None:
                raise InvalidInput("owner_id", "没有这个用户")
            plan = Plan(person_id=person.id, owner_id=owner_id if owner_id is not None else (None if agency else who.id),
                        agency=agency, goals=goals, opened_on=on, recorded_by=who.id, recorded_at=self.clock())
            s.add(plan)
            s.flush()
            rows = [plan]
            for text, due in steps:
                step = PlanStep(plan_id=plan.id, text=text, due_on=due, recorded_by=who.id, recorded_at=self.clock())
                s.add(step)
                rows.append(step)
            s.flush()
            self._log(s, who, "registry_open_plan", "reg_plan", plan.id, rows, {"person_id": person.id})
            return self._plan_view(s, plan)

    def _plan_for(self, s: Session, who: Actor, plan_id: int, *, edit: bool) -> Plan:
        plan = s.get(Plan, plan_id)
        if plan is None:
            raise NotFound("plan", plan_id)
        if who.role == "hr_agency":
            if plan.agency != who.agency:
                raise NotFound("plan", plan_id)
        else:
            self._person(s, who, plan.person_id)
            if edit and not who.may_edit:
                raise Forbidden("只能查看，不能修改计划")
        if edit and s.scalar(select(PlanEvent.id).where(PlanEvent.plan_id == plan.id, PlanEvent.kind == "closed")):
            raise Refused("plan_closed", "计划已关闭")
        return plan

    def plan_event(self, actor: int, plan_id: int, kind: str, *, on: dt.date | str, note: str = "",
                   step_id: int | None = None) -> dict:
        """A review, a step done (``step_id``), or the closure of a plan; by its owner side (the 专员
        or the HR agency it is referred to)."""
        kind = choice(kind, {"review": "回顾", "step_done": "步骤完成", "closed": "关闭"}, "kind")
        on = as_date(on, "on")
        note = as_text(note, "note", required=kind != "step_done", limit=2000) or ""
        with self._write() as s:
            who = self._actor(s, actor, system_ok=False)
            plan = self._plan_for(s, who, plan_id, edit=True)
            if kind == "step_done":
                step = s.get(PlanStep, step_id) if step_id is not None else None
                if step is None or step.plan_id != plan.id:
                    raise InvalidInput("step_id", "不是本计划的步骤")
                if s.scalar(select(PlanEvent.id).where(PlanEvent.step_id == step.id, PlanEvent.kind == "step_done")):
                    raise Refused("step_done", "该步骤已完成")
            event = PlanEvent(plan_id=plan.id, step_id=step_id if kind == "step_done" else None, kind=kind, on=on,
                              note=note, recorded_by=who.id, recorded_at=self.clock())
            s.add(event)
            s.flush()
            self._log(s, who, f"registry_plan_{kind}", "reg_plan", plan.id, [event])
            return self._plan_view(s, plan)

    def add_step(self, actor: int, plan_id: int, *, text: str, due_on: dt.date | str) -> dict:
        text = as_text(text, "text", limit=500)
        due = as_date(due_on, "due_on")
        with self._write() as s:
            who = self._actor(s, actor, system_ok=False)
            plan = self._plan_for(s, who, plan_id, edit=True)
            step = PlanStep(plan_id=plan.id, text=text, due_on=due, recorded_by=who.id, recorded_at=self.clock())
            s.add(step)
            s.flush()
            self._log(s, who, "registry_plan_step", "reg_plan", plan.id, [step])
            return self._plan_view(s, plan)

    def escalate(self, actor: int | None, *, on: dt.date | str) -> dict:
        """Overdue plan steps (due before ``on``, not done, plan open) go to the supervisor of the
        person's street (else district), once per step; plans of persons employed on ``on`` close."""
        on = as_date(on, "on")
        with self._write() as s:
            who = self._actor(s, actor)
            if who.role not in (None, "admin", "supervisor", "specialist"):
                raise Forbidden("无权执行")
            closed = set(s.scalars(select(PlanEvent.plan_id).where(PlanEvent.kind == "closed")))
            done = set(s.scalars(select(PlanEvent.step_id).where(PlanEvent.kind.in_(("step_done", "escalated")))))
            supervisors = self._supervisors(s)
            escalated, closures = [], []
            superseded = set(s.scalars(select(Spell.supersedes_id).where(Spell.supersedes_id.is_not(None))))
            employed = {row.person_id for row in s.scalars(select(Spell).where(
                Spell.start_on <= on, (Spell.end_on.is_(None)) | (Spell.end_on > on))) if row.id not in superseded}
            for plan in s.scalars(select(Plan).order_by(Plan.id)):
                if plan.id in closed:
                    continue
                person = s.get(Person, plan.person_id)
                if not who.sees(person.community_id):
                    continue
                if plan.person_id in employed:
                    event = PlanEvent(plan_id=plan.id, kind="closed", on=on, note="已就业，计划关闭",
                                      recorded_by=who.id, recorded_at=self.clock())
                    s.add(event)
                    s.flush()
                    self._log(s, who, "registry_plan_closed", "reg_plan", plan.id, [event], {"reason": "employed"})
                    closures.append(plan.id)
                    continue
                for step in s.scalars(select(PlanStep).where(PlanStep.plan_id == plan.id, PlanStep.due_on < on)):
                    if step.id in done:
                        continue
                    to = supervisors.get(person.community_id)
                    event = PlanEvent(plan_id=plan.id, step_id=step.id, kind="escalated", on=on,
                                      note=f"步骤“{step.text}”应于{step.due_on}完成，已逾期", to_user_id=to,
                                      recorded_by=who.id, recorded_at=self.clock())
                    s.add(event)
                    s.flush()
                    self._log(s, who, "registry_plan_escalated", "reg_plan", plan.id, [event], {"to": to})
                    escalated.append({"plan": plan.id, "step": step.id, "to_user_id": to})
            return {"escalated": escalated, "closed": closures}

    def _supervisors(self, s: Session) -> dict[int, int]:
        """community id -> the user id of its street's supervisor (else its district's)."""
        areas = {a.id: a for a in s.scalars(select(Area))}
        by_area = {r.area_id: r.user_id for r in s.scalars(select(RoleAssignment).where(RoleAssignment.role == "supervisor"))}
        out = {}
        for area in areas.values():
            if area.kind != "community":
                continue
            street = areas.get(area.parent_id)
            district = areas.get(street.parent_id) if street else None
            out[area.id] = by_area.get(street.id if street else None) or by_area.get(district.id if district else None)
        return out

    def escalations(self, actor: int) -> list[dict]:
        with self.db.read() as s:
            who = self._actor(s, actor, system_ok=False)
            rows = s.scalars(select(PlanEvent).where(PlanEvent.kind == "escalated", PlanEvent.to_user_id == who.id)
                             .order_by(PlanEvent.on)).all()
            return [{"plan_id": e.plan_id, "step_id": e.step_id, "on": e.on.isoformat(), "note": e.note} for e in rows]

    def _plan_view(self, s: Session, plan: Plan) -> dict:
        steps = s.scalars(select(PlanStep).where(PlanStep.plan_id == plan.id).order_by(PlanStep.id)).all()
        events = s.scalars(select(PlanEvent).where(PlanEvent.plan_id == plan.id).order_by(PlanEvent.id)).all()
        done = {e.step_id: e.on for e in events if e.kind == "step_done"}
        escalated = {e.step_id for e in events if e.kind == "escalated"}
        person = s.get(Person, plan.person_id)
        closed = next((e for e in events if e.kind == "closed"), None)
        return {"id": plan.id, "person_id": plan.person_id, "person_name": person.name,
                "id_number": mask_id(person.id_number), "owner_id": plan.owner_id, "agency": plan.agency,
                "goals": plan.goals, "opened_on": plan.opened_on.isoformat(),
                "closed_on": closed.on.isoformat() if closed else None,
                "steps": [{"id": st.id, "text": st.text, "due_on": st.due_on.isoformat(),
                           "done_on": done[st.id].isoformat() if st.id in done else None,
                           "escalated": st.id in escalated} for st in steps],
                "events": [{"kind": e.kind, "on": e.on.isoformat(), "note": e.note, "step_id": e.step_id}
                           for e in events]}

    def plans(self, actor: int) -> list[dict]:
        with self.db.read() as s:
            who = self._actor(s, actor, system_ok=False)
            query = select(Plan).order_by(Plan.id)
            if who.role == "hr_agency":
                query = query.where(Plan.agency == who.agency)
            elif who.communities is not None:
                query = query.join(Person, Person.id == Plan.person_id).where(Person.community_id.in_(who.communities))
            return [self._plan_view(s, p) for p in s.scalars(query)]

    def plan(self, actor: int, plan_id: int) -> dict:
        with self.db.read() as s:
            who = self._actor(s, actor, system_ok=False)
            return self._plan_view(s, self._plan_for(s, who, plan_id, edit=False))

    # -- reading --------------------------------------------------------------------------------------
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
    def _snapshot(self, s: Session, community_ids: list[int], person_ids: list[int] | None = None):
        from .facts import snapshot
        query = select(Person.id, Person.id_number, Person.name, Person.community_id, Person.household_id,
                       Person.hukou_district, Person.retirement_category, Person.created_at)
        if person_ids is not None:
            households = [h for h in s.scalars(select(Person.household_id).where(Person.id.in_(person_ids))) if h]
            query = query.where((Person.id.in_(person_ids)) | (Person.household_id.in_(households or [-1])))
        else:
            query = query.where(Person.community_id.in_(community_ids or [-1]))
        persons = [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7].date()) for r in s.execute(query.order_by(Person.id))]
        wanted = [p[0] for p in persons]
        statuses, spells, first = [], [], {}
        for chunk in _chunks(wanted, 5000):
            superseded = select(Status.supersedes_id).where(Status.supersedes_id.is_not(None),
                                                             Status.person_id.in_(chunk))
            statuses += s.execute(select(Status.person_id, Status.kind, Status.start_on, Status.end_on,
                                         Status.details_json).where(Status.person_id.in_(chunk),
                                                                    Status.id.not_in(superseded))).all()
            sp_superseded = select(Spell.supersedes_id).where(Spell.supersedes_id.is_not(None), Spell.person_id.in_(chunk))
            spells += s.execute(select(Spell.person_id, Spell.kind, Spell.start_on, Spell.end_on)
                                .where(Spell.person_id.in_(chunk), Spell.id.not_in(sp_superseded))).all()
            first.update(s.execute(select(Record.person_id, func.min(Record.on)).where(Record.person_id.in_(chunk))
                                   .group_by(Record.person_id)).all())
        districts = dict(s.execute(select(Area.id, Area.district).where(Area.kind == "community")).all())
        return snapshot(persons, statuses, spells, first, districts)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _settles(kind: str, settled_by: list[str]) -> bool:
    for settler in settled_by:
        klass, _, detail = settler.partition(":")
        if klass == "contact" and kind in CONTACT_CHANNELS:
            return True
        if klass == "service" and kind in SERVICE_KINDS and (not detail or detail == kind):
            return True
    return False


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
            "hukou_district": p.hukou_district, "retirement_category": p.retirement_category}


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
