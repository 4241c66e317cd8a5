"""一人一策 plans of the registry: opening, steps, reviews, closure, escalation of overdue steps to the
community's supervisor (a part of `Registry`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..ids import mask_id
from ..ledger.errors import Forbidden, InvalidInput, NotFound, Refused
from ..ledger.models import User
from .checks import as_date, as_text, choice
from .models import Area, Person, Plan, PlanEvent, PlanStep, RoleAssignment, Spell


class PlansMixin:
    """The plan methods of `Registry` (jiuye/registry/service.py)."""

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
