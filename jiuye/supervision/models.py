"""The supervision tables (督办与调度), on the ledger's database in their own MetaData and their own
Alembic branch (``jiuye/ledger/migrations/versions/s001_supervision.py``, label ``supervision``).

* ``sup_units`` — the 责任单位 of a document (``scope``: its key, e.g. heping) and its office
  (``kind = office``: the 就业工作领导小组办公室 that dispatches, comments, returns and assesses);
* ``sup_members`` — which ledger user (``users.id``) acts for which unit;
* ``sup_assignments`` — task → unit (lead or co-unit): seeded from the documents' text; the office
  assigns a unit where the text names none;
* ``sup_reports`` — one report per task, unit and month (``period`` ``YYYY-MM``): status, figures
  against the targets (each with its source), the texts of the five headings, the state
  (draft → submitted; returned by the office → edited → submitted again);
* ``sup_comments`` — the office's comments and returns; ``sup_attachments`` — files of a report;
* ``sup_events`` — job fairs and other events held (the figure of targets like heping 附件1/54);
* ``sup_assessments`` — the annual 考核 of a street (xicheng/29): indicator values, score, grade.

Every write is an entry of the ledger's hash-chained audit log. User ids refer to ``users``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..ledger.models import NAMING, _in

UNIT_KINDS = {"unit": "责任单位", "office": "就业工作领导小组办公室"}
ASSIGNMENT_ROLES = {"lead": "牵头单位", "co": "配合单位"}
STATUSES = {"not_started": "未启动", "on_track": "按计划推进", "delayed": "进度滞后", "completed": "已完成"}
STATES = {"draft": "草稿", "submitted": "已报送", "returned": "已退回"}
COMMENT_KINDS = {"comment": "批注", "return": "退回"}
EVENT_MODES = {"online": "线上", "offline": "线下"}
GRADES = {"outstanding": "成绩突出", "excellent": "成绩优秀", "good": "成绩较好", "none": "未达等次"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Unit(Base):
    __tablename__ = "sup_units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))            # the document key (heping, xicheng …)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("scope", "name"), CheckConstraint(_in("kind", UNIT_KINDS), name="kind"))


class Member(Base):
    __tablename__ = "sup_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sup_units.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("user_id", "unit_id"),)


class Assignment(Base):
    __tablename__ = "sup_assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(120), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sup_units.id"))
    role: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer)            # the text's order (0: the lead unit)
    from_text: Mapped[bool] = mapped_column(Boolean)          # 1: named by the document; 0: assigned by the office
    __table_args__ = (UniqueConstraint("task_id", "unit_id"), CheckConstraint(_in("role", ASSIGNMENT_ROLES), name="role"))


class Report(Base):
    __tablename__ = "sup_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(String(120))
    unit_id: Mapped[int] = mapped_column(ForeignKey("sup_units.id"))
    period: Mapped[str] = mapped_column(String(7))             # YYYY-MM
    status: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    figures_json: Mapped[str] = mapped_column(Text)             # {target key: number or "YYYY-MM-DD"}
    progress: Mapped[str] = mapped_column(Text)                 # 工作进展
    effects: Mapped[str] = mapped_column(Text)                  # 政策成效 (the unit's words; figures from the data)
    difficulties: Mapped[str] = mapped_column(Text)             # 困难问题
    next_steps: Mapped[str] = mapped_column(Text)               # 下步举措
    suggestions: Mapped[str] = mapped_column(Text)              # 意见建议
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)  # the day it was (last) submitted
    updated_by: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("task_id", "unit_id", "period"),
                      CheckConstraint(_in("status", STATUSES), name="status"),
                      CheckConstraint(_in("state", STATES), name="state"))


class Comment(Base):
    __tablename__ = "sup_comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("sup_reports.id"), index=True)
    author_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint(_in("kind", COMMENT_KINDS), name="kind"),)


class Attachment(Base):
    __tablename__ = "sup_attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("sup_reports.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class Event(Base):
    __tablename__ = "sup_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sup_units.id"))
    task_id: Mapped[str | None] = mapped_column(String(120))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint(_in("mode", EVENT_MODES), name="mode"),)


class Assessment(Base):
    __tablename__ = "sup_assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sup_units.id"))
    year: Mapped[int] = mapped_column(Integer)
    indicators_json: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(16))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    assessed_by: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("unit_id", "year"), CheckConstraint(_in("grade", GRADES), name="grade"))


def wipe(engine) -> None:
    """Delete every supervision row (tests; the ledger's own ``wipe`` covers the ledger's tables only)."""
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
