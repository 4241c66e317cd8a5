"""What the ledger hands out, and the queries that only read: the read models (frozen dataclasses,
no ORM objects: money as ``Decimal`` yuan, dates as ``datetime.date``, a person's ID number masked)
and the listing of claims, installments due, the audit log and its check.

The web API answers with these dataclasses as they are (they are its response models).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..ids import mask_id
from ..money import yuan
from . import audit
from .base import MAX_ID, PAYERS, STAFF, LedgerBase, as_date, catalogue, key_of, load_rows
from .errors import Forbidden, InvalidInput, NotFound
from .models import (APPLICANT_KINDS, APPLICATION_STATUSES, DECISION_KINDS, INSTALLMENT_STATUSES, RESULT_STATUSES,
                     ROLES, Applicant, Application, Decision, Installment, Payment, User)


@dataclass(frozen=True)
class UserInfo:
    """A user of the ledger: 申请人, 经办, 审核 or 管理员."""

    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    applicant_id: int | None
    is_demo: bool
    active: bool
    has_password: bool
    credentials_changed_at: dt.datetime | None = None   # sessions and tokens opened before it are ended


@dataclass(frozen=True)
class ApplicantInfo:
    """A person or organisation that applies or benefits; a person's 身份证号 masked."""

    id: int
    kind: str
    kind_label: str
    name: str
    id_number_masked: str     # a person's 身份证号 masked (110101********1234); an organisation's code in full


@dataclass(frozen=True)
class PaymentInfo:
    """The payment of one installment (``replayed``: an earlier payment returned for a replayed key)."""

    id: int
    installment_id: int
    application_id: int
    amount: Decimal
    paid_on: dt.date
    idempotency_key: str
    recorded_by: str
    reference: str | None
    replayed: bool = False    # True when an earlier payment was returned for a replayed key


@dataclass(frozen=True)
class InstallmentInfo:
    """One installment of a claim: due date, computed and approved amounts (yuan), status, payment."""

    id: int
    application_id: int
    seq: int
    due: dt.date
    computed: Decimal | None
    amount: Decimal | None
    ceiling: bool
    status: str
    status_label: str
    note: str | None
    payment: PaymentInfo | None = None

    def payable_on(self, on: dt.date) -> bool:
        return self.status == "scheduled" and self.due <= on


@dataclass(frozen=True)
class DecisionInfo:
    """An approval, rejection or reassessment, with its reason and details."""

    id: int
    kind: str
    kind_label: str
    decided_by: str
    decided_on: dt.date
    reason: str
    details: dict


@dataclass(frozen=True)
class ApplicationInfo:
    """A claim: the measure, the parties, the frozen result's status, the installments and decisions;
    ``result`` (the frozen result and explanation) and ``situation`` (the facts as submitted)
    only in the detail of one claim."""

    id: int
    measure_id: str
    title: str
    document: str
    clause: str
    kind: str
    status: str
    status_label: str
    result_status: str
    result_label: str
    beneficiary: ApplicantInfo
    person: ApplicantInfo | None
    submitted_on: dt.date
    submitted_by: str
    total: Decimal | None
    code_version: str
    rules_hash: str
    stacking_group: str | None
    installments: tuple[InstallmentInfo, ...] = ()
    decisions: tuple[DecisionInfo, ...] = ()
    result: dict | None = None          # the frozen result and explanation (detail only)
    situation: dict | None = None       # the facts as submitted (detail only)
    facts: dict | None = None           # the facts as they stand: the last reassessment's, else as submitted (detail only)

    paid: Decimal = Decimal("0.00")     # the installments paid, summed (always: whatever is passed)

    def __post_init__(self) -> None:
        paid = sum((i.amount for i in self.installments if i.status == "paid" and i.amount is not None), Decimal("0.00"))
        object.__setattr__(self, "paid", paid)


def user_info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    role_label=ROLES[user.role], applicant_id=user.applicant_id, is_demo=bool(user.is_demo),
                    active=bool(user.active), has_password=bool(user.password_hash),
                    credentials_changed_at=user.credentials_changed_at)


def applicant_info(applicant: Applicant) -> ApplicantInfo:
    number = mask_id(applicant.id_number) if applicant.kind == "person" else applicant.id_number
    return ApplicantInfo(id=applicant.id, kind=applicant.kind, kind_label=APPLICANT_KINDS[applicant.kind],
                         name=applicant.name, id_number_masked=number)


def payment_info(s: Session, payment: Payment, replayed: bool = False) -> PaymentInfo:
    inst = s.get(Installment, payment.installment_id)
    user = s.get(User, payment.recorded_by)
    return PaymentInfo(id=payment.id, installment_id=payment.installment_id, application_id=inst.application_id,
                       amount=yuan(payment.amount_cents), paid_on=payment.paid_on,
                       idempotency_key=payment.idempotency_key, recorded_by=user.username if user else "?",
                       reference=payment.reference, replayed=replayed)


def installment_info(inst: Installment, payment: Payment | None = None, names: dict | None = None) -> InstallmentInfo:
    pay = None
    if payment is not None:
        pay = PaymentInfo(id=payment.id, installment_id=payment.installment_id, application_id=inst.application_id,
                          amount=yuan(payment.amount_cents), paid_on=payment.paid_on,
                          idempotency_key=payment.idempotency_key,
                          recorded_by=(names or {}).get(payment.recorded_by, "?"), reference=payment.reference)
    return InstallmentInfo(id=inst.id, application_id=inst.application_id, seq=inst.seq, due=inst.due,
                           computed=yuan(inst.computed_cents), amount=yuan(inst.amount_cents), ceiling=bool(inst.ceiling),
                           status=inst.status, status_label=INSTALLMENT_STATUSES[inst.status], note=inst.note,
                           payment=pay)


def granted_cents(app: Application, installments: list[Installment]) -> int | None:
    """核定总额: before a decision, the computed total; once approved, what the installments still
    grant (paid and scheduled; cancelled ones — by a reassessment or a stacking replacement — no
    longer count, reduced ones at their reduced amount)."""
    if app.status != "approved" or not installments:
        return app.total_cents
    kept = [i.amount_cents for i in installments if i.status in ("scheduled", "paid")]
    return None if any(c is None for c in kept) else sum(kept)


def _current_facts(app: Application, decisions: list[Decision]) -> str:
    """The situation of the claim's last reassessment, else the one submitted (JSON text)."""
    for d in reversed(decisions):
        if d.kind == "reassess" and d.situation_json:
            return d.situation_json
    return app.situation_json


class Views(LedgerBase):
    """Reading claims, installments and the log."""

    def _info(self, s: Session, app: Application, *, detail: bool = True,
              installments: list[Installment] | None = None, no_payments: bool = False) -> ApplicationInfo:
        return self._infos(s, [app], detail=detail, installments={app.id: installments} if installments is not None
                           else None, no_payments=no_payments)[0]

    def _infos(self, s: Session, apps: list[Application], *, detail: bool = False,
               installments: dict | None = None, no_payments: bool = False) -> list[ApplicationInfo]:
        if not apps:
            return []
        ids = [a.id for a in apps]
        by_app: dict[int, list[Installment]] = defaultdict(list)
        if installments:
            by_app.update(installments)
        else:
            for inst in s.scalars(select(Installment).where(Installment.application_id.in_(ids))
                                  .order_by(Installment.application_id, Installment.seq)):
                by_app[inst.application_id].append(inst)
        inst_ids = [i.id for lst in by_app.values() for i in lst]
        payments = {}
        if inst_ids and not no_payments:
            for p in s.scalars(select(Payment).where(Payment.installment_id.in_(inst_ids))):
                payments[p.installment_id] = p
        wanted = {x for app in apps for x in (app.beneficiary_id, app.person_id) if x}
        people = load_rows(s, Applicant, wanted)
        decisions: dict[int, list[Decision]] = defaultdict(list)
        user_ids = {a.submitted_by for a in apps} | {p.recorded_by for p in payments.values()}
        if detail:
            for d in s.scalars(select(Decision).where(Decision.application_id.in_(ids)).order_by(Decision.id)):
                decisions[d.application_id].append(d)
                user_ids.add(d.decided_by)
        names = self._usernames(s, user_ids)
        measures = catalogue().measures
        out = []
        for app in apps:
            measure = measures.get(app.measure_id)
            insts = tuple(installment_info(i, payments.get(i.id), names) for i in by_app.get(app.id, []))
            out.append(ApplicationInfo(
                id=app.id, measure_id=app.measure_id, title=measure.title if measure else app.measure_id,
                document=app.document, clause=app.clause, kind=app.kind, status=app.status,
                status_label=APPLICATION_STATUSES[app.status], result_status=app.result_status,
                result_label=RESULT_STATUSES[app.result_status],
                beneficiary=applicant_info(people[app.beneficiary_id]),
                person=applicant_info(people[app.person_id]) if app.person_id else None,
                submitted_on=app.submitted_on, submitted_by=names.get(app.submitted_by, "?"),
                total=yuan(granted_cents(app, by_app.get(app.id, []))), code_version=app.code_version, rules_hash=app.rules_hash,
                stacking_group=app.stacking_group, installments=insts,
                decisions=tuple(DecisionInfo(id=d.id, kind=d.kind, kind_label=DECISION_KINDS[d.kind],
                                             decided_by=names.get(d.decided_by, "?"), decided_on=d.decided_on,
                                             reason=d.reason, details=json.loads(d.details_json or "{}"))
                                for d in decisions.get(app.id, [])),
                result=json.loads(app.result_json) if detail else None,
                situation=json.loads(app.situation_json) if detail else None,
                facts=json.loads(_current_facts(app, decisions.get(app.id, []))) if detail else None))
        return out


    # -- queries -------------------------------------------------------------------------------------
    def application(self, actor: int | None, application_id: int, *, detail: bool = True) -> ApplicationInfo:
        with self.db.read() as s:
            who = self._actor(s, actor, None, system_ok=True)
            app = s.get(Application, key_of(application_id))
            if app is None:
                raise NotFound("application", application_id)
            if who is not None and who.role == "applicant" and who.applicant_id not in (app.beneficiary_id, app.person_id):
                raise Forbidden("申请人只能查看本人的申请")
            return self._info(s, app, detail=detail)

    def list_applications(self, actor: int | None, *, status: str | None = None, measure_id: str | None = None,
                          beneficiary_id: int | None = None, submitted_from: dt.date | None = None,
                          submitted_to: dt.date | None = None, limit: int = 100, offset: int = 0,
                          detail: bool = False) -> list[ApplicationInfo]:
        """Newest first. An applicant sees only their own claims. ID numbers masked. ``detail``: with
        each claim's frozen result, situation and decisions (an export)."""
        if status is not None and status not in APPLICATION_STATUSES:
            raise InvalidInput("status", f"应为{'、'.join(APPLICATION_STATUSES)} unknown status {status!r}")
        with self.db.read() as s:
            who = self._actor(s, actor, None, system_ok=True)
            query = select(Application).order_by(Application.id.desc()).limit(max(1, min(limit, 1000))).offset(max(0, min(offset, MAX_ID)))
            if who is not None and who.role == "applicant":
                query = query.where((Application.beneficiary_id == who.applicant_id)
                                    | (Application.person_id == who.applicant_id))
            if status:
                query = query.where(Application.status == status)
            if measure_id:
                query = query.where(Application.measure_id == measure_id)
            if beneficiary_id is not None:
                query = query.where(Application.beneficiary_id == key_of(beneficiary_id))
            if submitted_from:
                query = query.where(Application.submitted_on >= submitted_from)
            if submitted_to:
                query = query.where(Application.submitted_on <= submitted_to)
            apps = list(s.scalars(query))
            return self._infos(s, apps, detail=detail)

    def payable(self, actor: int | None, *, on: dt.date | str, limit: int = 1000) -> list[InstallmentInfo]:
        """Approved installments due on or before ``on`` and not yet paid, earliest first."""
        on = as_date(on, "on")
        with self.db.read() as s:
            self._actor(s, actor, PAYERS, system_ok=True)
            rows = s.scalars(select(Installment).where(Installment.status == "scheduled", Installment.due <= on)
                             .order_by(Installment.due, Installment.id).limit(limit))
            return [installment_info(i) for i in rows]

    def audit_entries(self, actor: int | None, *, after_seq: int = 0, limit: int = 100,
                      entity: str | None = None, entity_id: Any = None) -> list[dict]:
        """Log entries (ID numbers already masked in them), oldest first after ``after_seq``."""
        with self.db.read() as s:
            self._actor(s, actor, STAFF, system_ok=True)
            query = select(audit.AuditEntry).where(audit.AuditEntry.seq > after_seq)
            if entity:
                query = query.where(audit.AuditEntry.entity == entity)
            if entity_id is not None:
                query = query.where(audit.AuditEntry.entity_id == str(entity_id))
            rows = s.scalars(query.order_by(audit.AuditEntry.seq).limit(limit))
            return [dict(audit.entry_body(r), hash=r.hash, prev_hash=r.prev_hash) for r in rows]

    def verify(self) -> audit.VerifyReport:
        """The chain and every audited row: the ledger's, and those of the registry and supervision
        sharing its database (reflected: the ledger does not import them), as a restore checks them."""
        from .db import shared_tables
        from .models import audited_shared
        with self.db.read() as s:
            return audit.verify(s, shared=audited_shared(shared_tables(s.connection())))

    def counts(self) -> dict[str, int]:
        from .models import NOT_BACKED_UP, Base
        with self.db.read() as s:
            return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                    if t.name not in NOT_BACKED_UP}
