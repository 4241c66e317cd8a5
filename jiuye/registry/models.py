"""The registry's tables (实名制就业帮扶台账), on the ledger's database but in their own MetaData and
their own Alembic branch (``jiuye/ledger/migrations/versions/r001_registry.py``, label ``registry``).

Nothing is overwritten: a status, an employment spell or a person's details are changed by a new
row that ``supersedes`` the old one (the old row stays, and the history shows both); service
records, plan steps and plan events are only ever added. Every write is also an entry of the
ledger's hash-chained audit log (``jiuye.ledger.audit.append``). User ids refer to the ledger's
``users`` table (no foreign key: the registry's rows stand on their own, like the audit log's).

Dates ``*_on`` are calendar dates given by the caller; ``recorded_at`` is naive UTC.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..ledger.models import NAMING

AREA_KINDS = {"district": "区", "street": "街道", "community": "社区"}
ROLES = {"specialist": "就业服务专员", "supervisor": "督导（区/街道）", "hr_agency": "人力资源服务机构"}
STATUS_KINDS = {
    "unemployed": "失业登记",
    "graduate": "离校未就业高校毕业生",
    "hard_to_employ": "就业困难人员",
    "low_income": "低保/困难家庭",
    "rural_labour": "农村劳动力",
    "veteran": "退役军人",
    "disabled": "残疾人",
    "willing": "有就业意愿",
}
DETAIL_LABELS = {"graduation_date": "毕业日期", "school": "毕业院校", "origin": "生源地", "category": "类别",
                 "special": "特殊就业困难人员", "kind": "类别", "willing": "有就业意愿"}
SPELL_KINDS = {"employee": "单位就业", "flexible": "灵活就业"}
CONTACT_CHANNELS = {"phone": "电话", "visit": "上门", "online": "线上", "walk_in": "来访"}
SERVICE_KINDS = {
    "guidance": "职业指导",
    "job_referral": "岗位推荐",
    "training_referral": "技能培训推荐",
    "internship_referral": "就业见习推荐",
    "startup": "创业服务",
    "agency_referral": "转介人力资源服务机构",
    "placement": "托底安置（公益性岗位）",
    "outreach": "免申即享告知",
}


def settles(kind: str, settled_by) -> bool:
    """Whether a record of `kind` settles a duty settled by `settled_by` ("contact": any contact
    channel; "service" or "service:<kind>": any service, or that one)."""
    for settler in settled_by:
        klass, _, detail = settler.partition(":")
        if klass == "contact" and kind in CONTACT_CHANNELS:
            return True
        if klass == "service" and kind in SERVICE_KINDS and (not detail or detail == kind):
            return True
    return False


PLAN_EVENTS = {"review": "回顾", "step_done": "步骤完成", "escalated": "逾期上报", "closed": "关闭"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Area(Base):
    """A district, a street (街道) or a community (社区): a tree. ``district`` is the model's District
    key (xicheng, heping …) of the area's district, so documents can be matched to places."""

    __tablename__ = "reg_areas"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("reg_areas.id"))
    district: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("parent_id", "name"),)


class Household(Base):
    __tablename__ = "reg_households"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("reg_areas.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))            # 户主姓名 / 门牌
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("community_id", "label"),)


class Person(Base):
    """A person by 身份证号. The current details are the row itself; a change of details is a
    ``PersonVersion`` (the previous values are kept there). A version's ``changed_on`` is when the
    registry learned the change, not when it happened: the day the hukou moved into its district is
    ``hukou_moved_in_on`` (what the measures judging 本区户籍 at an earlier moment read)."""

    __tablename__ = "reg_persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int] = mapped_column(ForeignKey("reg_areas.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("reg_households.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    hukou_district: Mapped[str | None] = mapped_column(String(32))        # District key
    # the hukou's move into hukou_district (None: no move recorded — held there throughout, unless a
    # previous district is: moved from it on a day not known) and the district it was in before
    # (None: not known); added by r002
    hukou_moved_in_on: Mapped[dt.date | None] = mapped_column(Date)
    previous_hukou_district: Mapped[str | None] = mapped_column(String(32))  # District key
    retirement_category: Mapped[str | None] = mapped_column(String(16))   # RetirementCategory key
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index(None, "community_id", "id"),)


class PersonVersion(Base):
    """The details a person had before a change (who changed them, when, and why)."""

    __tablename__ = "reg_person_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_persons.id"), index=True)
    values_json: Mapped[str] = mapped_column(Text)
    changed_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Status(Base):
    """A dated status (失业登记 from/to, 离校未就业 …); ``details_json`` holds its particulars
    (graduation date, school, 生源地; the 就业困难人员 category and 特殊 …). A correction or an end is
    a new row superseding this one."""

    __tablename__ = "reg_statuses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_persons.id"))
    kind: Mapped[str] = mapped_column(String(24))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reg_statuses.id"), unique=True)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index(None, "person_id", "kind"),)


class Spell(Base):
    """An employment spell (单位就业 with employer, contract and insurance; or 灵活就业)."""

    __tablename__ = "reg_spells"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    employer: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    contract: Mapped[bool] = mapped_column(Boolean, default=False)
    insured: Mapped[bool] = mapped_column(Boolean, default=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reg_spells.id"), unique=True)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Record(Base):
    """A contact (电话/上门/线上/来访) or a service (职业指导, 岗位推荐 …) by a named user, with its
    outcome and the next contact date. ``settles`` lists the duties it fulfils (their ids)."""

    __tablename__ = "reg_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_persons.id"))
    kind: Mapped[str] = mapped_column(String(24))         # a channel (contact) or a service kind
    on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_contact_on: Mapped[dt.date | None] = mapped_column(Date)
    employer: Mapped[str | None] = mapped_column(String(200))
    post: Mapped[str | None] = mapped_column(String(200))
    agency: Mapped[str | None] = mapped_column(String(200))
    measure_id: Mapped[str | None] = mapped_column(String(80))    # 免申即享 outreach: the measure told of
    settles: Mapped[str] = mapped_column(Text, default="[]")       # JSON list of duty ids
    recorded_by: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (Index(None, "person_id", "on"),)


class Plan(Base):
    """一人一策 / 一生一策: owner (a user, or an HR agency it is referred to), goals, opened on."""

    __tablename__ = "reg_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("reg_persons.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(Integer)
    agency: Mapped[str | None] = mapped_column(String(200))
    goals: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PlanStep(Base):
    __tablename__ = "reg_plan_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("reg_plans.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PlanEvent(Base):
    """A review, a step done, an escalation of an overdue step to the supervisor, the closure."""

    __tablename__ = "reg_plan_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("reg_plans.id"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("reg_plan_steps.id"))
    kind: Mapped[str] = mapped_column(String(16))
    on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    to_user_id: Mapped[int | None] = mapped_column(Integer)      # escalation: the supervisor told
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (UniqueConstraint("step_id", "kind"),)


class RoleAssignment(Base):
    """A ledger user's registry role: 专员 of a community, supervisor of a street or district, or an
    HR agency (sees the plans referred to ``agency``)."""

    __tablename__ = "reg_roles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("reg_areas.id"))
    agency: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


TABLES = [Area, Household, Person, PersonVersion, Status, Spell, Record, Plan, PlanStep, PlanEvent, RoleAssignment]
