"""The ledger's tables (SQLAlchemy 2, typed declarative). The schema is created and changed only by
the Alembic migrations in ``jiuye/ledger/migrations`` (a test checks they match these models).

Conventions: money in integer cents (exact on SQLite and PostgreSQL); timestamps ``*_at`` are naive
UTC; dates ``*_on``/``due`` are calendar dates given by the caller (assessment, decision, payment
date), never the wall clock. Situations and results are stored as the exact canonical JSON text
that was computed (frozen at submission).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer,
                        MetaData, String, Text, UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = {"applicant": "申请人", "case_worker": "经办", "reviewer": "审核", "admin": "管理员"}
APPLICANT_KINDS = {"person": "个人", "organisation": "单位"}
APPLICATION_STATUSES = {"submitted": "待审核", "approved": "已批准", "rejected": "已驳回"}
RESULT_STATUSES = {"eligible": "符合条件", "ineligible": "不符合条件", "undetermined": "尚需补充信息"}
INSTALLMENT_STATUSES = {"planned": "待批准", "scheduled": "已核定", "paid": "已支付", "cancelled": "已取消"}
DECISION_KINDS = {"approve": "批准", "reject": "驳回", "reassess": "重新核定"}


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Applicant(Base):
    """A person (居民身份证号码) or an organisation (统一社会信用代码) that applies or benefits."""

    __tablename__ = "applicants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    registered_by: Mapped[int | None] = mapped_column(Integer)    # the user who registered it (None: CLI)
    __table_args__ = (
        UniqueConstraint("kind", "id_number"),
        CheckConstraint(_in("kind", APPLICANT_KINDS), name="kind"),
        CheckConstraint("length(id_number) = 18", name="id_number_length"),
    )


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))   # argon2id; None: cannot log in
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # separation of duties: who created the account and who set its current password (None: the CLI
    # operator); sessions and API tokens older than credentials_changed_at are ended
    created_by: Mapped[int | None] = mapped_column(Integer)
    password_set_by: Mapped[int | None] = mapped_column(Integer)
    credentials_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)


class Application(Base):
    """One claim: a measure for a beneficiary (and, for per-employee measures, a person), the facts
    as an OpenFisca situation, and the result computed at submission (frozen)."""

    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(80))
    document: Mapped[str] = mapped_column(String(40))
    clause: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("applicants.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    beneficiary_key: Mapped[str] = mapped_column(String(200))   # the beneficiary's id in the situation
    person_key: Mapped[str | None] = mapped_column(String(200))
    situation_json: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[dt.date] = mapped_column(Date)          # assessment date of the frozen result
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    code_version: Mapped[str] = mapped_column(String(120))        # git commit or package version
    rules_hash: Mapped[str] = mapped_column(String(64))           # sha256 of catalogue + parameters + rules
    result_status: Mapped[str] = mapped_column(String(16))
    result_json: Mapped[str] = mapped_column(Text)
    total_cents: Mapped[int | None] = mapped_column(BigInteger)   # sum of the computed installments
    status: Mapped[str] = mapped_column(String(16))
    stacking_group: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # sha256 of measure, beneficiary, person and qualifying event (jiuye/ledger/entitlements.py): one
    # claim per entitlement that is not rejected (the partial unique index below)
    entitlement_key: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint(_in("status", APPLICATION_STATUSES), name="status"),
        Index("uq_applications_entitlement_key", "entitlement_key", unique=True,
              sqlite_where=text("status <> 'rejected'"), postgresql_where=text("status <> 'rejected'")),
        CheckConstraint(_in("result_status", RESULT_STATUSES), name="result_status"),
        Index(None, "beneficiary_id", "measure_id"),
        Index(None, "person_id"),
        Index(None, "status"),
    )


class Decision(Base):
    """Approval, rejection or reassessment of an application, with its reason."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text)
    situation_json: Mapped[str | None] = mapped_column(Text)      # reassessment: the changed facts
    result_json: Mapped[str | None] = mapped_column(Text)         # reassessment: the new result
    details_json: Mapped[str | None] = mapped_column(Text)        # adjustments (caps, stacking, cancellations)
    __table_args__ = (CheckConstraint(_in("kind", DECISION_KINDS), name="kind"),)


class Installment(Base):
    """One payment slot of an application: computed at submission, set at approval (after caps and
    stacking), paid once, or cancelled with a reason."""

    __tablename__ = "installments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    seq: Mapped[int] = mapped_column(Integer)
    due: Mapped[dt.date] = mapped_column(Date)
    computed_cents: Mapped[int | None] = mapped_column(BigInteger)   # None: amount not set by the document
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)     # the amount to pay (after adjustments)
    ceiling: Mapped[bool] = mapped_column(Boolean, default=False)    # "最高不超过": a ceiling, not a fixed sum
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)                   # why adjusted or cancelled
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    # set by the service so that one flush writes a batch in order (parents first)
    application: Mapped[Application] = relationship()
    decision: Mapped[Decision | None] = relationship()
    __table_args__ = (
        UniqueConstraint("application_id", "seq"),
        CheckConstraint(_in("status", INSTALLMENT_STATUSES), name="status"),
        CheckConstraint("amount_cents IS NULL OR amount_cents >= 0", name="amount_not_negative"),
        Index(None, "status", "due"),
    )


class Payment(Base):
    """A payment of one installment. Unique per installment and per idempotency key: the database
    itself refuses a second payment of the same installment."""

    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installment_id: Mapped[int] = mapped_column(ForeignKey("installments.id"), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reference: Mapped[str | None] = mapped_column(String(120))       # e.g. the bank transfer number
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)


class AuditEntry(Base):
    """Append-only, hash-chained: hash = sha256(prev_hash + canonical JSON of the entry)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer)          # no foreign key: the log stands alone
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)                    # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    mac: Mapped[str | None] = mapped_column(String(64))            # HMAC-SHA256(audit key, "entry:" + hash)
    __table_args__ = (Index(None, "entity", "entity_id"),)


class AuditHead(Base):
    """The chain's head (one row): locked by every write, so entries are appended one at a time."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))            # HMAC(audit key, "head:<seq>:<hash>")
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class LoginThrottle(Base):
    """Failed logins per key (``user:<name>`` and ``addr:<address>``) in the current window, and the
    lockout they caused. Not audited (no ledger data; rewritten on every failed login)."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


# Operational state that backups leave out (a restored ledger starts with no lockouts)
NOT_BACKED_UP = ("login_throttle",)


def backed_up_tables():
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


# Tables whose rows the audit log covers (verify compares each row with its last logged digest)
AUDITED = (Applicant, User, Application, Decision, Installment, Payment)

# The tables of the packages sharing the database that log every write in the chain (the registry's
# reg_*, supervision's sup_*; reflected, not imported) are covered the same way, row by row
# (``audit.verify(shared=…)``, what a restore checks; the web's sessions and tokens are not), except
# stored files: a file's bytes are not in the log, its entry's summary names the row (by this key)
# with the file's name, size and sha256, which the row's ``data`` must still have.
SHARED_AUDITED = ("reg_", "sup_")
SHARED_FILES = {"sup_attachments": "attachment"}


def audited_shared(tables) -> list:
    """Of the shared tables (reflected), those whose rows the audit log covers."""
    return [t for t in tables if t.name.startswith(SHARED_AUDITED)]
