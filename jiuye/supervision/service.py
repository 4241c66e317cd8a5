"""The supervision service (督办与调度): the one API the CLI, the pages and the report call.

    from jiuye.ledger import Ledger
    from jiuye.supervision import Supervision
    sup = Supervision(Ledger())                 # the ledger's database; units seeded from the documents
    sup.add_member(None, user_id, sup.unit("heping", "区人社局").id)
    sup.save_report(user_id, "heping/附件1/54", "2024-05", status="on_track", progress="…", submit=True,
                    on=date(2024, 6, 3))

Who may do what (``Viewer``): a member of a 责任单位 sees and edits only the tasks assigned to its
unit(s) and their reports; a member of the office (就业工作领导小组办公室, a unit of kind ``office``) of a
document sees every task and report of that document, comments, returns a report, assigns units,
records events for any unit and runs the annual 考核; a ledger admin acts as every office; ``actor=None``
is the system (CLI operator, seeding). Every write is an entry of the ledger's audit log.

A report is due on the 5th of the next month (beijing.tasks.monthly_report_due_day, “每月5日前”, the
rhythm jiuye applies to every document's monthly reports). Flags: ``overdue`` (no submitted report
and the due day has passed), ``late`` (submitted after the due day), ``returned`` (returned by the
office, not yet submitted again), ``missed`` (a figure that does not meet its target, or a deadline
passed with the task not completed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..ledger import audit
from ..ledger.base import as_date, as_text, key_of
from ..ledger.errors import Forbidden, InvalidInput, NotFound, Refused
from ..ledger.models import User
from .models import (ASSIGNMENT_ROLES, COMMENT_KINDS, EVENT_MODES, STATES, STATUSES, Assignment, Attachment, Comment,
                     Event, Member, Report, Unit)
from .sources import Figure, month_bounds, registry_figure
from .tasks import OFFICE, SOURCES, Target, Task, all_tasks, get_task, month_end
from .info import (FigureRow, MONTH, ReportInfo, UnitInfo, Viewer, as_month, due_date, next_month,
                   unit_info)  # noqa: F401

DUE_DAY_PARAMETER = "beijing.tasks.monthly_report_due_day"
TEXTS = ("progress", "effects", "difficulties", "next_steps", "suggestions")
HEADINGS = {"progress": "工作进展", "effects": "政策成效", "difficulties": "困难问题", "next_steps": "下步举措",
            "suggestions": "意见建议"}
MAX_ATTACHMENT = 2_000_000
ATTACHMENT_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain", "text/csv",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class Supervision:
    """督办与调度 on the ledger's database (``ledger.db``), its users and its audit log."""

    def __init__(self, ledger, *, seed_units: bool = True) -> None:
        self.ledger = ledger
        self.db = ledger.db
        self.clock = ledger.clock
        if seed_units:
            self.ensure_units()

    # -- units and who acts ---------------------------------------------------------------------------
    def ensure_units(self) -> int:
        """The units the documents name (and each document's office), and the assignments the text
        makes, written when missing (idempotent). Returns how many rows were added."""
        wanted = {}
        for task in all_tasks():
            for name in task.units:
                wanted.setdefault((task.document, name), "office" if name == OFFICE else "unit")
        for scope in {t.document for t in all_tasks()}:
            wanted[(scope, OFFICE)] = "office"
        with self.db.read() as s:
            have = {(u.scope, u.name) for u in s.scalars(select(Unit))}
            assigned = set(s.execute(select(Assignment.task_id, Assignment.unit_id)).all())
        if set(wanted) <= have and len(assigned) >= sum(len(t.units) for t in all_tasks()):
            return 0
        added = 0
        with self._write() as s:
            units = {(u.scope, u.name): u for u in s.scalars(select(Unit))}
            for (scope, name), kind in wanted.items():
                if (scope, name) not in units:
                    unit = Unit(scope=scope, name=name, kind=kind, created_at=self.clock())
                    s.add(unit)
                    units[(scope, name)] = unit
                    added += 1
            s.flush()
            assigned = set(s.execute(select(Assignment.task_id, Assignment.unit_id)).all())
            rows = [u for u in units.values() if u.id is not None]
            for task in all_tasks():
                for position, name in enumerate(task.units):
                    unit = units[(task.document, name)]
                    if (task.id, unit.id) not in assigned:
                        row = Assignment(task_id=task.id, unit_id=unit.id, role="lead" if position == 0 else "co",
                                         position=position, from_text=True)
                        s.add(row)
                        rows.append(row)
                        added += 1
            if added:
                self._log(s, None, "seed_units", "sup_units", "documents", rows, {"added": added})
        return added

    def units(self, scope: str | None = None) -> list[UnitInfo]:
        with self.db.read() as s:
            query = select(Unit).order_by(Unit.scope, Unit.kind.desc(), Unit.id)
            if scope:
                query = query.where(Unit.scope == scope)
            return [unit_info(u) for u in s.scalars(query)]

    def unit(self, scope: str, name: str) -> UnitInfo:
        with self.db.read() as s:
            found = s.scalar(select(Unit).where(Unit.scope == scope, Unit.name == name))
            if found is None:
                raise NotFound("unit", f"{scope}/{name}")
            return unit_info(found)

    def find_units(self, name: str) -> list[UnitInfo]:
        """Units by name (``scope/name`` or a bare name, which may match in several documents)."""
        scope, _, bare = name.rpartition("/")
        with self.db.read() as s:
            query = select(Unit).where(Unit.name == bare)
            if scope:
                query = query.where(Unit.scope == scope)
            return [unit_info(u) for u in s.scalars(query)]

    def viewer(self, actor: int | None) -> Viewer:
        if actor is None:
            return Viewer(None, "system")
        with self.db.read() as s:
            user = s.get(User, actor)
            if user is None:
                raise NotFound("user", actor)
            if not user.active:
                raise Forbidden(f"用户{user.username}已停用")
            units = [unit_info(u) for u in s.scalars(select(Unit).join(Member, Member.unit_id == Unit.id)
                                                     .where(Member.user_id == actor).order_by(Unit.id))]
        return Viewer(actor, user.username, units, {u.scope for u in units if u.is_office}, user.role == "admin")

    def add_unit(self, actor: int | None, scope: str, name: str) -> UnitInfo:
        """A unit the text does not name (a street, say), added by the office of the document."""
        name = as_text(name, "name", limit=200)
        if scope not in {t.document for t in all_tasks()}:
            raise InvalidInput("scope", f"未知文件{scope!r}")
        who = self.viewer(actor)
        if not who.office_of(scope):
            raise Forbidden(f"只有{OFFICE}可以添加责任单位")
        with self._write() as s:
            if s.scalar(select(Unit.id).where(Unit.scope == scope, Unit.name == name)) is not None:
                raise Refused("duplicate", f"单位{name}已存在")
            unit = Unit(scope=scope, name=name, kind="unit", created_at=self.clock())
            s.add(unit)
            s.flush()
            self._log(s, who, "add_unit", "sup_unit", unit.id, [unit], {"scope": scope, "name": name})
            return unit_info(unit)

    def add_member(self, actor: int | None, user_id: int, unit_id: int) -> None:
        """Make a ledger user a member of a unit (the office of its document, a ledger admin, or the system)."""
        who = self.viewer(actor)
        with self._write() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                raise NotFound("unit", unit_id)
            if not who.office_of(unit.scope):
                raise Forbidden(f"只有{unit.scope}的{OFFICE}或管理员可以添加单位成员")
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            if s.scalar(select(Member.id).where(Member.user_id == user_id, Member.unit_id == unit_id)) is not None:
                return
            row = Member(user_id=user_id, unit_id=unit_id, created_at=self.clock())
            s.add(row)
            self._log(s, who, "add_member", "sup_member", f"{user_id}:{unit_id}", [row],
                      {"user": user.username, "unit": f"{unit.scope}/{unit.name}"})

    def assign(self, actor: int | None, task_id: str, unit_id: int, role: str = "lead") -> None:
        """The office assigns a unit to a task (where the text names none, or adds a co-unit)."""
        task = get_task(task_id)
        if role not in ASSIGNMENT_ROLES:
            raise InvalidInput("role", f"应为lead（牵头单位）或co（配合单位），而不是{role!r}")
        who = self.viewer(actor)
        if not who.office_of(task.document):
            raise Forbidden(f"只有{OFFICE}可以指定责任单位")
        with self._write() as s:
            unit = s.get(Unit, unit_id)
            if unit is None or unit.scope != task.document:
                raise InvalidInput("unit", f"单位{unit_id}不属于{task.document}")
            if s.scalar(select(Assignment.id).where(Assignment.task_id == task_id, Assignment.unit_id == unit_id)):
                raise Refused("duplicate", f"{unit.name}已是任务{task_id}的责任单位")
            position = (s.scalar(select(func.max(Assignment.position)).where(Assignment.task_id == task_id)) or -1) + 1
            row = Assignment(task_id=task_id, unit_id=unit_id, role=role, position=position, from_text=False)
            s.add(row)
            self._log(s, who, "assign_unit", "sup_assignment", task_id, [row], {"unit": unit.name, "role": role})

    # -- tasks ---------------------------------------------------------------------------------------------
    def assignments(self, s: Session) -> dict[str, list[tuple[UnitInfo, str]]]:
        units = {u.id: unit_info(u) for u in s.scalars(select(Unit))}
        out: dict[str, list] = {}
        for row in s.scalars(select(Assignment).order_by(Assignment.task_id, Assignment.position)):
            out.setdefault(row.task_id, []).append((units[row.unit_id], row.role))
        return out

    def visible_tasks(self, actor: int | None, *, unit: str | None = None, document: str | None = None,
                      month: str | None = None) -> list[tuple[Task, list[tuple[UnitInfo, str]]]]:
        """The tasks the actor may see, with their units: all of a document for its office, else
        those assigned to the actor's units. Filters: a unit's name, a document key, a month it runs in."""
        who = self.viewer(actor)
        with self.db.read() as s:
            assigned = self.assignments(s)
        out = []
        for task in all_tasks():
            units = assigned.get(task.id, [])
            if not who.office_of(task.document) and not (who.unit_ids & {u.id for u, _ in units}):
                continue
            if document and task.document != document:
                continue
            if unit and unit not in {u.name for u, _ in units} and unit not in {f"{u.scope}/{u.name}" for u, _ in units}:
                continue
            if month and not task.runs_in(month):
                continue
            out.append((task, units))
        return out

    def _can_report(self, who: Viewer, task: Task, unit_id: int, s: Session) -> None:
        units = {row.unit_id for row in s.scalars(select(Assignment).where(Assignment.task_id == task.id))}
        if unit_id not in units:
            raise InvalidInput("unit", f"单位{unit_id}不是任务{task.id}的责任单位")
        if who.user_id is not None and unit_id not in who.unit_ids:
            raise Forbidden("只能填报本单位承担的任务 a unit reports only on its own tasks")

    # -- reports -------------------------------------------------------------------------------------------
    def save_report(self, actor: int | None, task_id: str, period: str, *, unit_id: int | None = None,
                    status: str, figures: dict | None = None, on: dt.date | str, submit: bool = False,
                    expected_version: int | None = None, **texts) -> ReportInfo:
        """Create or edit the unit's report on a task for a month; ``submit``: send it to the office.
        A submitted report can be edited again only after the office returns it."""
        task = get_task(task_id)
        period = as_month(period)
        on = as_date(on, "on")
        if status not in STATUSES:
            raise InvalidInput("status", f"进展状态应为{'、'.join(f'{k}（{v}）' for k, v in STATUSES.items())}，而不是{status!r}")
        if not task.runs_in(period):
            raise InvalidInput("period", f"任务{task_id}在{period}不在实施期内"
                                         f"（{task.period_from or '—'}至{task.period_to or '—'}）")
        if submit and on < month_bounds(period)[0]:
            raise InvalidInput("on", f"{period}的月报不能在该月开始之前报送")
        unknown = set(texts) - set(TEXTS)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "未知字段")
        clean_texts = {k: as_text(texts.get(k), k, required=False, limit=4000) for k in TEXTS}
        clean = self._figures(task, figures or {})
        who = self.viewer(actor)
        if unit_id is None:
            mine = [u for u in who.units if not u.is_office]
            with self.db.read() as s:
                units = {row.unit_id for row in s.scalars(select(Assignment).where(Assignment.task_id == task_id))}
            candidates = [u.id for u in mine if u.id in units]
            if len(candidates) != 1:
                raise InvalidInput("unit", "请指明填报单位（unit）" if candidates else "您所在的单位不承担此任务")
            unit_id = candidates[0]
        with self._write() as s:
            self._can_report(who, task, unit_id, s)
            row = s.scalar(select(Report).where(Report.task_id == task_id, Report.unit_id == unit_id,
                                                Report.period == period).with_for_update())
            if row is None:
                row = Report(task_id=task_id, unit_id=unit_id, period=period, state="draft", version=0)
                s.add(row)
            elif row.state == "submitted":
                raise Refused("already_submitted", "月报已报送；如需修改，须由领导小组办公室退回")
            if expected_version is not None and row.version != expected_version:
                raise Refused("stale", "月报已被他人修改，请刷新后重试", {"version": row.version})
            row.status = status
            row.figures_json = audit.canonical(clean)
            for key, value in clean_texts.items():
                setattr(row, key, value)
            if submit:
                row.state, row.submitted_on = "submitted", on
            row.updated_by = actor or 0
            row.updated_at = self.clock()
            row.version += 1
            s.flush()
            self._log(s, who, "submit_report" if submit else "save_report", "sup_report", row.id, [row],
                      {"task": task_id, "period": period, "status": status})
            return self._report_info(s, row)

    def _figures(self, task: Task, figures: dict) -> dict:
        if not isinstance(figures, dict):
            raise InvalidInput("figures", "应为对象：目标名 → 数值")
        keys = {t.key: t for t in task.targets}
        out = {}
        for key, value in figures.items():
            target = keys.get(key)
            if target is None:
                raise InvalidInput(f"figures.{key}", f"任务{task.id}没有目标{key}（可填：{'、'.join(keys) or '无'}）")
            if value is None or value == "":
                continue
            if target.source in ("events", "ledger", "reports"):
                raise InvalidInput(f"figures.{key}", f"{target.label}由{SOURCES[target.source]}计算，无需填报")
            if target.kind == "deadline":
                out[key] = as_date(value, f"figures.{key}").isoformat()
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"figures.{key}", f"{target.label}应为数字，而不是{value!r}") from None
            if number != number or number in (float("inf"), float("-inf")) or number < 0:
                raise InvalidInput(f"figures.{key}", f"{target.label}应为不小于0的数字")
            if target.kind == "rate" and number > 1:
                raise InvalidInput(f"figures.{key}", f"{target.label}是比率（0至1，如0.95），而不是{value!r}")
            out[key] = int(number) if number.is_integer() else number
        return out

    def comment(self, actor: int | None, report_id: int, text: str, *, return_report: bool = False) -> ReportInfo:
        """The office comments on a submitted report, or returns it to the unit (a reason is required)."""
        text = as_text(text, "text", limit=2000)
        who = self.viewer(actor)
        with self._write() as s:
            row = s.get(Report, key_of(report_id), with_for_update=True)   # ≥ 2^63: not found
            if row is None:
                raise NotFound("report", report_id)
            task = get_task(row.task_id)
            if not who.office_of(task.document):
                raise Forbidden(f"只有{OFFICE}可以批注或退回月报")
            if return_report:
                if row.state != "submitted":
                    raise Refused("not_submitted", "只能退回已报送的月报")
                row.state = "returned"
                row.version += 1
                row.updated_at = self.clock()
            note = Comment(report_id=row.id, author_id=actor or 0, kind="return" if return_report else "comment",
                           text=text, at=self.clock())
            s.add(note)
            s.flush()
            self._log(s, who, "return_report" if return_report else "comment_report", "sup_report", row.id,
                      [note, row], {"task": row.task_id, "period": row.period})
            return self._report_info(s, row)

    def add_attachment(self, actor: int | None, report_id: int, filename: str, content_type: str, data: bytes) -> dict:
        filename = as_text(filename, "filename", limit=200)
        if "/" in filename or "\\" in filename:
            raise InvalidInput("filename", "文件名不能含路径")
        if content_type not in ATTACHMENT_TYPES:
            raise InvalidInput("file", f"不支持的文件类型{content_type}（可上传PDF、图片、文本、Excel、Word）")
        if not data:
            raise InvalidInput("file", "文件为空")
        if len(data) > MAX_ATTACHMENT:
            raise InvalidInput("file", f"附件最大{MAX_ATTACHMENT // 1_000_000}MB")
        who = self.viewer(actor)
        with self._write() as s:
            row = s.get(Report, report_id)
            if row is None:
                raise NotFound("report", report_id)
            self._can_report(who, get_task(row.task_id), row.unit_id, s)
            if row.state == "submitted":
                raise Refused("already_submitted", "月报已报送；附件须在报送前上传")
            item = Attachment(report_id=row.id, filename=filename, content_type=content_type, size=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=actor or 0,
                              at=self.clock())
            s.add(item)
            s.flush()
            # the file's bytes are not in the log: its name, size and digest are
            self._log(s, who, "add_attachment", "sup_report", row.id, [],
                      {"attachment": item.id, "filename": filename, "size": len(data), "sha256": item.sha256})
            return {"id": item.id, "filename": filename, "size": len(data)}

    def attachment(self, actor: int | None, attachment_id: int) -> tuple[str, str, bytes]:
        with self.db.read() as s:
            item = s.get(Attachment, attachment_id)
            if item is None:
                raise NotFound("attachment", attachment_id)
            self._check_read(self.viewer(actor), s.get(Report, item.report_id))
            return item.filename, item.content_type, item.data

    def _check_read(self, who: Viewer, row: Report) -> None:
        task = get_task(row.task_id)
        if not who.office_of(task.document) and row.unit_id not in who.unit_ids:
            raise Forbidden("只能查看本单位的月报")

    def report(self, actor: int | None, report_id: int) -> ReportInfo:
        who = self.viewer(actor)
        with self.db.read() as s:
            row = s.get(Report, report_id)
            if row is None:
                raise NotFound("report", report_id)
            self._check_read(who, row)
            return self._report_info(s, row)

    def find_report(self, actor: int | None, task_id: str, unit_id: int, period: str) -> ReportInfo | None:
        period = as_month(period)
        who = self.viewer(actor)
        with self.db.read() as s:
            row = s.scalar(select(Report).where(Report.task_id == task_id, Report.unit_id == unit_id,
                                                Report.period == period))
            if row is None:
                if not who.office_of(get_task(task_id).document) and unit_id not in who.unit_ids:
                    raise Forbidden("只能查看本单位的月报")
                return None
            self._check_read(who, row)
            return self._report_info(s, row)

    def reports(self, actor: int | None, *, period: str | None = None, scope: str | None = None,
                unit_id: int | None = None) -> list[ReportInfo]:
        who = self.viewer(actor)
        with self.db.read() as s:
            query = select(Report).order_by(Report.period, Report.task_id, Report.unit_id)
            if period:
                query = query.where(Report.period == as_month(period))
            if unit_id is not None:
                query = query.where(Report.unit_id == unit_id)
            out = []
            for row in s.scalars(query):
                task = get_task(row.task_id)
                if scope and task.document != scope:
                    continue
                if not who.office_of(task.document) and row.unit_id not in who.unit_ids:
                    continue
                out.append(self._report_info(s, row, light=True))
            return out

    def _report_info(self, s: Session, row: Report, light: bool = False) -> ReportInfo:
        unit = unit_info(s.get(Unit, row.unit_id))
        comments, attachments = (), ()
        names = {}
        if not light:
            notes = list(s.scalars(select(Comment).where(Comment.report_id == row.id).order_by(Comment.id)))
            ids = {n.author_id for n in notes} | {row.updated_by}
            names = {u.id: u.display_name for u in s.scalars(select(User).where(User.id.in_(ids)))}
            comments = tuple({"kind": n.kind, "kind_label": COMMENT_KINDS[n.kind], "text": n.text,
                              "author": names.get(n.author_id, "系统"), "at": n.at} for n in notes)
            attachments = tuple({"id": a.id, "filename": a.filename, "size": a.size}
                                for a in s.scalars(select(Attachment).where(Attachment.report_id == row.id)))
        return ReportInfo(id=row.id, task_id=row.task_id, unit=unit, period=row.period, status=row.status,
                          status_label=STATUSES[row.status], state=row.state, state_label=STATES[row.state],
                          figures=json.loads(row.figures_json or "{}"),
                          texts={k: getattr(row, k) or "" for k in TEXTS}, submitted_on=row.submitted_on,
                          due=due_date(row.period), version=row.version, comments=comments,
                          attachments=attachments, updated_by=names.get(row.updated_by, ""))

    # -- events --------------------------------------------------------------------------------------------
    def record_event(self, actor: int | None, unit_id: int, *, held_on: dt.date | str, title: str,
                     mode: str = "offline", task_id: str | None = None) -> int:
        """A job fair (招聘活动) or other event held by a unit: counted for targets whose source is events."""
        held_on = as_date(held_on, "held_on")
        title = as_text(title, "title", limit=200)
        if mode not in EVENT_MODES:
            raise InvalidInput("mode", "应为online（线上）或offline（线下）")
        who = self.viewer(actor)
        with self._write() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                raise NotFound("unit", unit_id)
            if task_id is not None:
                get_task(task_id)
            if not who.office_of(unit.scope) and unit_id not in who.unit_ids:
                raise Forbidden("只能登记本单位的活动")
            row = Event(unit_id=unit_id, task_id=task_id, held_on=held_on, title=title, mode=mode,
                        recorded_by=actor or 0, at=self.clock())
            s.add(row)
            s.flush()
            self._log(s, who, "record_event", "sup_event", row.id, [row], {"title": title, "held_on": held_on.isoformat()})
            return row.id

    def events(self, s: Session, unit_id: int | None, first: dt.date, last: dt.date, task_id: str | None = None) -> int:
        query = select(func.count()).select_from(Event).where(Event.held_on >= first, Event.held_on <= last)
        if unit_id is not None:
            query = query.where(Event.unit_id == unit_id)
        if task_id is not None:
            query = query.where((Event.task_id == task_id) | Event.task_id.is_(None))
        return s.scalar(query) or 0

    # -- figures against targets ----------------------------------------------------------------------------
    def figure(self, s: Session, task: Task, target: Target, unit_id: int | None, month: str,
               entered: dict) -> Figure:
        first, last = month_bounds(month)
        if target.source == "events":
            return Figure(self.events(s, unit_id, first, last, task.id), "events")
        if target.source == "registry":
            value = registry_figure(target.metric, district=task.document, month=month, database=self.db)
            if value is not None:
                return Figure(value, "registry")
            if target.key in entered:
                return Figure(entered[target.key], "entered", "实名制就业帮扶台账尚无数据，采用单位填报数")
            return Figure(None, "none", "尚无数据")
        if target.source == "reports" and target.kind == "deadline_day":
            return Figure(None, "reports")
        if target.key in entered:
            value = entered[target.key]
            return Figure(dt.date.fromisoformat(value) if target.kind == "deadline" else value, "entered")
        return Figure(None, "none", "尚无数据")

    def figure_rows(self, s: Session, task: Task, unit_id: int | None, month: str, entered: dict,
                    status: str | None) -> list[FigureRow]:
        _, last = month_bounds(month)
        rows = []
        for target in task.targets:
            if target.kind == "deadline_day":
                continue
            fig = self.figure(s, task, target, unit_id, month, entered)
            value = target.value(last)
            met = target.met(fig.value, last)
            if target.kind == "deadline" and value is not None:
                if status == "completed" and fig.value is None:
                    met = True
                elif status != "completed" and last > value:
                    met = False                  # the deadline passed and the task is not completed
                elif met is None:
                    met = None
            if target.per == "year" and met is False and month[5:] != "12":
                met = None                       # an annual target: judged on the year's last month
            rows.append(FigureRow(target=target, value=fig.value, source=fig.source, source_label=fig.source_label,
                                  target_value=value, met=met, note=fig.note))
        return rows

    # -- the board: tasks × units × month, with flags ---------------------------------------------------
    def board(self, actor: int | None, month: str, *, today: dt.date | str, unit: str | None = None,
              document: str | None = None, status: str | None = None) -> list[dict]:
        """One row per task and unit for the month: the report (if any), its figures against the
        targets, and the flags (overdue, late, returned, missed)."""
        month = as_month(month, "month")
        today = as_date(today, "today")
        if status and status not in STATUSES and status not in ("missing", "overdue", "missed"):
            raise InvalidInput("status", f"未知状态{status!r}")
        due = due_date(month)
        rows = []
        with self.db.read() as s:
            who = self.viewer(actor)
            assigned = self.assignments(s)
            reports = {(r.task_id, r.unit_id): r for r in s.scalars(select(Report).where(Report.period == month))}
            for task in all_tasks():
                if document and task.document != document:
                    continue
                if not task.runs_in(month):
                    continue
                for u, role in assigned.get(task.id, []):
                    if u.is_office and task.assessment is None:
                        continue
                    if not who.office_of(task.document) and u.id not in who.unit_ids:
                        continue
                    if unit and unit not in (u.name, f"{u.scope}/{u.name}"):
                        continue
                    report = reports.get((task.id, u.id))
                    submitted = report is not None and report.state == "submitted"
                    entered = json.loads(report.figures_json) if report else {}
                    figures = self.figure_rows(s, task, u.id, month, entered, report.status if report else None)
                    flags = []
                    if not submitted and today > due:
                        flags.append("overdue")
                    if submitted and report.submitted_on and report.submitted_on > due:
                        flags.append("late")
                    if report is not None and report.state == "returned":
                        flags.append("returned")
                    if any(f.met is False for f in figures):
                        flags.append("missed")
                    row = {"task": task, "unit": u, "role": role, "report": self._report_info(s, report, light=True)
                           if report else None, "figures": figures, "flags": flags, "due": due}
                    if status == "missing" and report is not None:
                        continue
                    if status in ("overdue", "missed") and status not in flags:
                        continue
                    if status in STATUSES and (report is None or report.status != status):
                        continue
                    rows.append(row)
        return rows

    # -- the audit log ---------------------------------------------------------------------------------
    def _write(self):
        return self.ledger._write()

    def _log(self, s: Session, who: Viewer | None, action: str, entity: str, entity_id, rows: list, summary: dict):
        user = s.get(User, who.user_id) if who is not None and who.user_id is not None else None
        self.ledger._log(s, user, action, entity, entity_id, rows, summary)
