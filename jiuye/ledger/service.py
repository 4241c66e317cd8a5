"""The claims ledger's service layer: the one API the CLI, the pages and imports call.

    from jiuye.ledger import Ledger
    ledger = Ledger()                         # JIUYE_DATABASE_URL or ./var/jiuye.db; migrates to head
    app = ledger.submit(case_worker_id, measure_id="xicheng/6/employer", beneficiary_id=org.id,
                        person_id=employee.id, situation=situation, on=date(2026, 11, 23))
    ledger.approve(reviewer_id, app.id, on=date(2026, 11, 24), reason="材料齐全")
    for inst in ledger.payable(case_worker_id, on=date(2026, 11, 25)):
        ledger.pay(case_worker_id, inst.id, on=date(2026, 11, 25), idempotency_key=f"bank-{inst.id}")

Every method runs in its own transaction and returns plain dataclasses (no ORM objects). Every
write appends one entry to the hash-chained audit log in the same transaction. Dates (assessment,
decision, payment) are arguments, never the wall clock. Refusals raise ``Refused`` with a stable
code and the reason in Chinese; bad input raises ``InvalidInput`` naming the field; a role that may
not act raises ``Forbidden``; a missing record ``NotFound`` (see ``errors.py``).

Roles: 申请人 applicant (submits for themselves, sees their own claims), 经办 case_worker (records
claims, pays, reassesses; never approves), 审核 reviewer (approves or rejects claims it did not
submit; may also record claims, pay and reassess), 管理员 admin (everything, and users; not its own
claims either). ``actor=None`` means the system (the CLI
operator, who has the database anyway): allowed only where documented (users, applicants, seeding).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..catalogue import CatalogueError, Measure, load_catalogue
from . import audit
from .db import Database, migrate
from .errors import Forbidden, InvalidInput, LedgerError, NotFound, Refused
from .ids import mask_id, validate_id_number, validate_uscc
from .models import (APPLICANT_KINDS, APPLICATION_STATUSES, DECISION_KINDS, INSTALLMENT_STATUSES, RESULT_STATUSES,
                     ROLES, Applicant, Application, Decision, Installment, Payment, User)
from .passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from .rules import Rules, code_version, rules, rules_hash

SUBMITTERS = ("case_worker", "reviewer", "admin", "applicant")
DECIDERS = ("reviewer", "admin")
PAYERS = ("case_worker", "reviewer", "admin")
STAFF = ("case_worker", "reviewer", "admin")
CENT = Decimal("0.01")


# -- values handed out ------------------------------------------------------------------------------
def yuan(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(CENT)


def to_cents(amount: Any, field: str = "amount") -> int:
    try:
        value = Decimal(str(amount))
    except Exception:
        raise InvalidInput(field, f"金额应为数字 expected a number, got {amount!r}") from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(field, f"金额应为正数 expected a positive amount, got {amount!r}")
    if value != value.quantize(CENT):
        raise InvalidInput(field, "金额最多两位小数 at most two decimals")
    return int(value * 100)


def money(cents: int | None) -> str:
    return "待定" if cents is None else f"{Decimal(cents) / 100:,.2f}元"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    applicant_id: int | None
    is_demo: bool
    active: bool
    has_password: bool


@dataclass(frozen=True)
class ApplicantInfo:
    id: int
    kind: str
    kind_label: str
    name: str
    id_number_masked: str     # a person's 身份证号 masked (110101********1234); an organisation's code in full


@dataclass(frozen=True)
class PaymentInfo:
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
    id: int
    kind: str
    kind_label: str
    decided_by: str
    decided_on: dt.date
    reason: str
    details: dict


@dataclass(frozen=True)
class ApplicationInfo:
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

    @property
    def paid(self) -> Decimal:
        return sum((i.amount for i in self.installments if i.status == "paid" and i.amount is not None), Decimal("0.00"))


# -- helpers ------------------------------------------------------------------------------------------
def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _dump(value: Any) -> str:
    try:
        return audit.canonical(value)
    except ValueError:                 # NaN or infinity somewhere: stored as null
        return audit.canonical(_jsonable(value))


def _cents_of(amount: float | None) -> int | None:
    if amount is None:
        return None
    return int(Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def _date(value: Any, field: str) -> dt.date:
    if value is None or value == "":
        raise InvalidInput(field, "日期不能为空（YYYY-MM-DD） a date YYYY-MM-DD is required")
    if isinstance(value, dt.datetime):
        raise InvalidInput(field, "expected a date, not a timestamp")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(field, f"日期格式应为YYYY-MM-DD expected a date YYYY-MM-DD, got {value!r}")


def _text(value: Any, field: str, *, required: bool = True, limit: int = 2000) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, "不能为空 required")
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, f"expected text, got {type(value).__name__}")
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(field, f"最多{limit}字 at most {limit} characters")
    return value


def _labels(items: Iterable[dict], key: str = "label") -> str:
    return "、".join(str(i.get(key)) for i in items)


@dataclass
class _Plan:
    """What an approval will write: amounts per installment id, notes, superseded claims."""

    amounts: dict[int, int] = field(default_factory=dict)
    notes: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    superseded: list[Application] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=lambda: {"caps": [], "stacking": [], "once_only": []})


@dataclass(frozen=True)
class _Scope:
    """Whose claims a cross-claim rule compares: the claim itself (None before it is written)."""

    app_id: int | None
    beneficiary_id: int
    person_id: int | None
    submitted_on: dt.date


@dataclass
class _Submission:
    measure: Measure
    beneficiary_id: int
    person_id: int | None
    situation: dict
    on: dt.date
    beneficiary_key: str
    person_key: str | None
    idempotency_key: str | None


_SUBMIT_FIELDS = {"measure_id", "beneficiary_id", "situation", "on", "person_id", "beneficiary_key", "person_key",
                  "idempotency_key"}


class Ledger:
    """The claims ledger on one database."""

    def __init__(self, url: str | None = None, *, database: Database | None = None, migrate_schema: bool = True,
                 pool_size: int = 10, clock: Callable[[], dt.datetime] | None = None,
                 rules_data: Rules | None = None) -> None:
        self.db = database or Database(url, pool_size=pool_size)
        if migrate_schema:
            migrate(self.db.engine)
        self.clock = clock or audit.utcnow
        self._rules = rules_data
        self._names: dict[int, str] = {}

    @property
    def rules(self) -> Rules:
        return self._rules or rules()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        """A write transaction whose audit entries are appended at its end, after one flush of
        everything it wrote (so a batch costs few statements)."""
        with self.db.write() as s:
            s.info["log"] = []
            yield s
            self._write_log(s)

    def _log(self, s: Session, who: User | None, action: str, entity: str, entity_id: Any, rows: list,
             summary: dict) -> None:
        s.info["log"].append((who, action, entity, entity_id, rows, summary))

    def _snapshot_log(self, s: Session) -> None:
        """Write what the transaction did so far and record, for each entry not yet recorded, its
        rows as they are now (before later work of the same batch changes them again)."""
        s.flush()
        for n, (who, action, entity, entity_id, rows, summary) in enumerate(s.info.get("log", [])):
            if isinstance(rows, list):
                s.info["log"][n] = (who, action, entity, entity_id() if callable(entity_id) else entity_id,
                                    tuple(audit.row_record(r) for r in rows), summary)

    def _write_log(self, s: Session) -> None:
        """Append the transaction's entries to the chain (locking its head until the commit)."""
        self._snapshot_log(s)
        pending, s.info["log"] = s.info.get("log", []), []
        for who, action, entity, entity_id, records, summary in pending:
            audit.append(s, actor_id=who.id if who else None, actor=who.username if who else "system",
                         action=action, entity=entity, entity_id=entity_id, records=list(records),
                         summary=summary, at=self.clock(), flush=False)

    def close(self) -> None:
        self.db.dispose()

    # -- users -----------------------------------------------------------------------------------
    def create_user(self, actor: int | None, username: str, role: str, *, password: str | None = None,
                    display_name: str | None = None, applicant_id: int | None = None,
                    is_demo: bool = False) -> UserInfo:
        """A user (admin only; ``actor=None``: the CLI operator). ``password=None``: cannot log in."""
        username = _text(username, "username", limit=64)
        if role not in ROLES:
            raise InvalidInput("role", f"角色应为{'、'.join(f'{k}（{v}）' for k, v in ROLES.items())} unknown role {role!r}")
        if password is not None and len(password) < MIN_LENGTH:
            raise InvalidInput("password", f"密码至少{MIN_LENGTH}位 at least {MIN_LENGTH} characters")
        if role == "applicant" and applicant_id is None:
            raise InvalidInput("applicant_id", "申请人用户须关联申请人（个人或单位） an applicant user needs an applicant record")
        password_hash = hash_password(password) if password is not None else None
        with self._write() as s:
            who = self._actor(s, actor, ("admin",), system_ok=True)
            if applicant_id is not None:
                self._applicant(s, applicant_id)
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise Refused("duplicate", f"用户名{username}已存在", {"username": username})
            user = User(username=username, display_name=display_name or username, role=role,
                        password_hash=password_hash, applicant_id=applicant_id, is_demo=is_demo, active=True,
                        created_at=self.clock())
            s.add(user)
            s.flush()
            self._log(s, who, "create_user", "user", user.id, [user],
                      {"username": username, "role": role, "is_demo": is_demo})
            return _user_info(user)

    def authenticate(self, username: str, password: str, *, demo: bool | None = None) -> UserInfo | None:
        """The user when the password matches and the account is active (demo accounts only in demo
        mode), else None. Rehashes an outdated hash (an audited write)."""
        from .config import demo_mode
        demo = demo_mode() if demo is None else demo
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None or not user.active or not verify_password(user.password_hash, password):
                return None
            if user.is_demo and not demo:
                return None
            info = _user_info(user)
            rehash = needs_rehash(user.password_hash)
        if rehash:
            self._set_password_hash(info.id, hash_password(password), None)
        return info

    def set_password(self, actor: int | None, user_id: int, password: str) -> None:
        """Admins (or the CLI operator) set any password; a user sets their own."""
        if len(password or "") < MIN_LENGTH:
            raise InvalidInput("password", f"密码至少{MIN_LENGTH}位 at least {MIN_LENGTH} characters")
        self._set_password_hash(user_id, hash_password(password), actor)

    def _set_password_hash(self, user_id: int, password_hash: str, actor: int | None) -> None:
        with self._write() as s:
            who = self._actor(s, actor, None, system_ok=True)
            if who is not None and who.role != "admin" and who.id != user_id:
                raise Forbidden("只能修改本人的密码 only an admin sets another user's password")
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            user.password_hash = password_hash
            self._log(s, who, "set_password", "user", user.id, [user], {"username": user.username})

    def set_active(self, actor: int | None, user_id: int, active: bool) -> UserInfo:
        with self._write() as s:
            who = self._actor(s, actor, ("admin",), system_ok=True)
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            user.active = bool(active)
            self._log(s, who, "set_active", "user", user.id, [user], {"active": user.active})
            return _user_info(user)

    def user(self, user_id: int) -> UserInfo:
        with self.db.read() as s:
            user = s.get(User, user_id)
            if user is None:
                raise NotFound("user", user_id)
            return _user_info(user)

    def user_by_name(self, username: str) -> UserInfo:
        with self.db.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound("user", username)
            return _user_info(user)

    def list_users(self, actor: int | None) -> list[UserInfo]:
        with self.db.read() as s:
            self._actor(s, actor, ("admin",), system_ok=True)
            return [_user_info(u) for u in s.scalars(select(User).order_by(User.id))]

    # -- applicants --------------------------------------------------------------------------------
    def register_applicant(self, actor: int | None, kind: str, id_number: str, name: str,
                           *, today: dt.date | None = None) -> ApplicantInfo:
        """A person (居民身份证号码) or organisation (统一社会信用代码), validated; the existing record
        when the number is known already (get-or-create, for imports)."""
        if kind not in APPLICANT_KINDS:
            raise InvalidInput("kind", f"应为person（个人）或organisation（单位） unknown kind {kind!r}")
        number = (validate_id_number(id_number, "id_number", today) if kind == "person"
                  else validate_uscc(id_number, "id_number"))
        name = _text(name, "name", limit=200)
        with self._write() as s:
            who = self._actor(s, actor, STAFF, system_ok=True)
            existing = s.scalar(select(Applicant).where(Applicant.kind == kind, Applicant.id_number == number))
            if existing is not None:
                return _applicant_info(existing)
            applicant = Applicant(kind=kind, id_number=number, name=name, created_at=self.clock())
            s.add(applicant)
            s.flush()
            self._log(s, who, "register_applicant", "applicant", applicant.id, [applicant],
                      {"kind": kind, "id_number": mask_id(number) if kind == "person" else number})
            return _applicant_info(applicant)

    def find_applicant(self, actor: int | None, kind: str, id_number: str) -> ApplicantInfo | None:
        with self.db.read() as s:
            self._actor(s, actor, STAFF, system_ok=True)
            found = s.scalar(select(Applicant).where(Applicant.kind == kind,
                                                     Applicant.id_number == id_number.strip().upper()))
            return _applicant_info(found) if found else None

    def applicant(self, actor: int | None, applicant_id: int) -> ApplicantInfo:
        with self.db.read() as s:
            who = self._actor(s, actor, None, system_ok=True)
            if who is not None and who.role == "applicant" and who.applicant_id != applicant_id:
                raise Forbidden("申请人只能查看本人信息")
            return _applicant_info(self._applicant(s, applicant_id))

    def reveal_id_number(self, actor: int, applicant_id: int) -> str:
        """The full ID number, for staff; each reveal of a person's number is logged."""
        with self._write() as s:
            who = self._actor(s, actor, STAFF)
            applicant = self._applicant(s, applicant_id)
            if applicant.kind == "person":
                self._log(s, who, "reveal_id_number", "applicant", applicant.id, [],
                          {"id_number": mask_id(applicant.id_number)})
            return applicant.id_number

    # -- submission ---------------------------------------------------------------------------------
    def submit(self, actor: int, *, measure_id: str, beneficiary_id: int, situation: dict, on: dt.date | str,
               person_id: int | None = None, beneficiary_key: str | None = None, person_key: str | None = None,
               idempotency_key: str | None = None) -> ApplicationInfo:
        """Record a claim: compute the measure on ``on`` (the submission date) and freeze the result,
        its explanation and its installments. Refused: a measure outside its validity window, a
        measure not executable, a once-only measure already enjoyed, a stacking group already
        enjoyed at least as high, a cap already reached. An ineligible or undetermined result is
        recorded (it can be rejected, not approved). ``idempotency_key``: a replay returns the
        claim recorded first. ``beneficiary_key``/``person_key``: the entities' ids in the
        situation, needed only when it has several candidates."""
        outcome = self.submit_many(actor, [dict(measure_id=measure_id, beneficiary_id=beneficiary_id,
                                                situation=situation, on=on, person_id=person_id,
                                                beneficiary_key=beneficiary_key, person_key=person_key,
                                                idempotency_key=idempotency_key)])[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def submit_many(self, actor: int, items: list[dict], *, chunk: int = 200) -> list[ApplicationInfo | LedgerError]:
        """Record many claims (an import): each item takes the keyword arguments of ``submit``. The
        situations are computed together (one simulation per measure and date, for speed; the
        results are those of ``submit``), written ``chunk`` claims per transaction, each claim with
        its own audit entry. Returns, in order, each claim or the error refusing that item (other
        items go on). An unexpected database error fails the whole chunk (raised)."""
        with self.db.read() as s:
            self._actor(s, actor, SUBMITTERS)         # a role that may not submit: raised at once
        outcomes: list[Any] = [None] * len(items)
        prepared: list[tuple[int, _Submission]] = []
        for n, item in enumerate(items):
            try:
                prepared.append((n, self._prepare_submission(item)))
            except LedgerError as error:
                outcomes[n] = error
        # replays of an idempotency key are answered without computing
        keys = [p.idempotency_key for _, p in prepared if p.idempotency_key]
        if keys:
            with self.db.read() as s:
                known = {a.idempotency_key: a for a in s.scalars(select(Application).where(
                    Application.idempotency_key.in_(keys)))}
                still = []
                for n, p in prepared:
                    if p.idempotency_key in known:
                        try:
                            self._actor(s, actor, SUBMITTERS)
                            outcomes[n] = self._replay_or_conflict(s, known[p.idempotency_key], p.measure.id,
                                                                   p.beneficiary_id)
                        except LedgerError as error:
                            outcomes[n] = error
                    else:
                        still.append((n, p))
                prepared = still
        results = _compute_many([p for _, p in prepared])
        ready = []
        for (n, p), result in zip(prepared, results):
            if isinstance(result, LedgerError):
                outcomes[n] = result
            elif result.get("stacking") and not result["stacking"].get("kept", True):
                outcomes[n] = Refused("stacking_not_kept", result["stacking"]["reason"], {"stacking": result["stacking"]})
            else:
                ready.append((n, p, result))
        for start in range(0, len(ready), max(1, chunk)):
            with self._write() as s:
                who = self._actor(s, actor, SUBMITTERS)
                _load(s, Applicant, {x for _, p, _ in ready[start:start + chunk]
                                     for x in (p.beneficiary_id, p.person_id) if isinstance(x, int)})
                written, seen_keys = [], {}
                for n, p, result in ready[start:start + chunk]:
                    try:
                        if p.idempotency_key in seen_keys:          # the same key twice in one batch
                            written.append((n, seen_keys[p.idempotency_key], p))
                            continue
                        app, installments = self._write_submission(s, who, p, result)
                        written.append((n, app, p))
                        if p.idempotency_key:
                            seen_keys[p.idempotency_key] = app
                    except LedgerError as error:
                        outcomes[n] = error
                s.flush()
                with s.no_autoflush:
                    infos = {i.id: i for i in self._infos(s, list({id(a): a for _, a, _ in written}.values()))}
                for n, app, p in written:
                    if app.measure_id != p.measure.id or app.beneficiary_id != p.beneficiary_id:
                        outcomes[n] = Refused("idempotency_conflict", f"幂等键已用于申请#{app.id}（{app.measure_id}）",
                                              {"application_id": app.id})
                    else:
                        outcomes[n] = infos[app.id]
        return outcomes

    def _prepare_submission(self, item: dict) -> "_Submission":
        unknown = set(item) - _SUBMIT_FIELDS
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "unknown field")
        for name in ("measure_id", "beneficiary_id", "situation", "on"):
            if item.get(name) is None:
                raise InvalidInput(name, "不能为空 required")
        for name in ("beneficiary_id", "person_id"):
            if item.get(name) is not None and (not isinstance(item[name], int) or isinstance(item[name], bool)):
                raise InvalidInput(name, f"应为申请人编号（整数） expected an applicant id, got {item[name]!r}")
        on = _date(item["on"], "on")
        measure = self._measure(item["measure_id"])
        key = item.get("idempotency_key")
        key = _text(key, "idempotency_key", limit=120) if key is not None else None
        window = _outside_window(measure, on)
        if window:
            raise Refused("outside_validity", window, {"measure": measure.id, "valid_from": measure.valid_from,
                                                        "valid_to": measure.valid_to, "on": on.isoformat()})
        situation = item["situation"]
        if not isinstance(situation, dict):
            raise InvalidInput("situation", "expected a JSON object with 'persons' (and 'organisations')")
        if measure.entity == "person" and measure.beneficiary == "organisation" and item.get("person_id") is None:
            raise InvalidInput("person_id", f"{measure.id}按人员计算（{measure.role or '人员'}），须指明人员")
        bkey, pkey = _situation_keys(measure, situation, item.get("beneficiary_key"), item.get("person_key"))
        return _Submission(measure=measure, beneficiary_id=item["beneficiary_id"], person_id=item.get("person_id"),
                           situation=situation, on=on, beneficiary_key=bkey, person_key=pkey, idempotency_key=key)

    def _write_submission(self, s: Session, who: User, p: "_Submission",
                          result: dict) -> tuple[Application, list[Installment]]:
        """Add the claim and its installments to the session (flushed with the batch)."""
        measure = p.measure
        beneficiary, person = self._parties(s, who, measure, p.beneficiary_id, p.person_id)
        if p.idempotency_key is not None:
            with s.no_autoflush:
                existing = s.scalar(select(Application).where(Application.idempotency_key == p.idempotency_key))
            if existing is not None:
                return existing, []
        items = result.get("installments") or []
        computed = [_cents_of(i["amount"]) for i in items]
        total = None if any(c is None for c in computed) else sum(computed)
        app = Application(
            measure_id=measure.id, document=measure.document, clause=measure.clause, kind=measure.kind,
            beneficiary_id=beneficiary.id, person_id=person.id if person else None,
            beneficiary_key=p.beneficiary_key, person_key=p.person_key, situation_json=_dump(p.situation),
            submitted_on=p.on, submitted_by=who.id, submitted_at=self.clock(), code_version=code_version(),
            rules_hash=rules_hash(), result_status=result["status"], result_json=_dump(result), total_cents=total,
            status="submitted", stacking_group=(measure.stacking or {}).get("group"), idempotency_key=p.idempotency_key)
        installments = [Installment(seq=n, due=dt.date.fromisoformat(item["due"]), computed_cents=cents,
                                    amount_cents=cents, ceiling=bool(item.get("ceiling")), status="planned")
                        for n, (item, cents) in enumerate(zip(items, computed), start=1)]
        if result["status"] == "eligible" and self._has_rules(measure):
            # early refusals against claims already approved (approval checks again, under locks)
            scope = _Scope(None, beneficiary.id, person.id if person else None, p.on)
            with s.no_autoflush:
                self._check_once_only(s, scope, measure)
                self._check_stacking(s, scope, measure, installments, _Plan(), lock=False)
                self._check_caps(s, scope, measure, installments, _Plan(), lock=False, only_exhausted=True)
        s.add(app)
        for inst in installments:
            inst.application = app
        s.add_all(installments)
        self._log(s, who, "submit", "application", lambda: app.id, [app, *installments],
                  {"measure": measure.id, "status": result["status"], "total": money(total), "on": p.on.isoformat()})
        return app, installments

    def _has_rules(self, measure: Measure) -> bool:
        return bool(measure.stacking or self.rules.caps_for(measure.id) or self.rules.once_only_for(measure.id))

    def _replay_or_conflict(self, s: Session, existing: Application, measure_id: str,
                            beneficiary_id: int) -> ApplicationInfo:
        if existing.measure_id != measure_id or existing.beneficiary_id != beneficiary_id:
            raise Refused("idempotency_conflict", f"幂等键已用于申请#{existing.id}（{existing.measure_id}）",
                          {"application_id": existing.id})
        return self._info(s, existing, detail=False)

    # -- decisions -----------------------------------------------------------------------------------
    def approve(self, actor: int, application_id: int, *, on: dt.date | str, reason: str = "") -> ApplicationInfo:
        """Approve a submitted claim (a reviewer or admin who did not submit it). Only an eligible
        result with amounts can be approved. Cross-claim rules apply under row locks: once-only
        (refused), stacking (exclusive: refused; highest: refused unless higher, in which case the
        lower claim's unpaid installments are cancelled and its paid ones deducted), caps (amounts
        reduced to what remains; nothing left: refused). Installments become payable on their due dates."""
        outcome = self.approve_many(actor, [application_id], on=on, reason=reason)[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def approve_many(self, actor: int, application_ids: list[int], *, on: dt.date | str, reason: str = "",
                     chunk: int = 200) -> list[ApplicationInfo | LedgerError]:
        """Approve many claims, ``chunk`` per transaction (each with its own decision and audit
        entry). Returns, in order, each approved claim or the refusal of that one."""
        on = _date(on, "on")
        reason = _text(reason, "reason", required=False)
        outcomes: list[Any] = []
        for start in range(0, len(application_ids), max(1, chunk)):
            part = application_ids[start:start + chunk]
            with self._write() as s:
                who = self._actor(s, actor, DECIDERS)
                # lock the claims and their installments, in id order (no deadlock between batches)
                apps = {a.id: a for a in s.scalars(
                    select(Application).where(Application.id.in_(set(part))).order_by(Application.id)
                    .with_for_update().execution_options(populate_existing=True))}
                installments: dict[int, list[Installment]] = defaultdict(list)
                for inst in s.scalars(select(Installment).where(Installment.application_id.in_(list(apps)))
                                      .order_by(Installment.application_id, Installment.seq)
                                      .with_for_update().execution_options(populate_existing=True)):
                    installments[inst.application_id].append(inst)
                _load(s, Applicant, {x for a in apps.values() for x in (a.beneficiary_id, a.person_id) if x})
                done = []
                for application_id in part:
                    try:
                        app = apps.get(application_id)
                        if app is None:
                            raise NotFound("application", application_id)
                        self._approve(s, who, app, installments[app.id], on, reason)
                        done.append(app)
                        outcomes.append(app.id)
                    except LedgerError as error:
                        outcomes.append(error)
                with s.no_autoflush:
                    infos = {i.id: i for i in self._infos(s, done, installments=installments, no_payments=True)}
                outcomes[start:] = [infos[o] if isinstance(o, int) else o for o in outcomes[start:]]
        return outcomes

    def _approve(self, s: Session, who: User, app: Application, installments: list[Installment], on: dt.date,
                 reason: str) -> None:
        # every refusal below is raised before anything is written for this claim
        self._check_decidable(s, app, who)
        measure = self._measure(app.measure_id, field="measure_id", executable=False)
        if app.result_status != "eligible":
            result = json.loads(app.result_json)
            why = ("不符合条件：" + _labels(result.get("failed", [])) if app.result_status == "ineligible"
                   else "尚需补充信息：" + _labels(result.get("missing", [])))
            raise Refused("not_eligible", f"计算结果为“{RESULT_STATUSES[app.result_status]}”，不能批准（{why}）",
                          {"result_status": app.result_status, "failed": result.get("failed", []),
                           "missing": result.get("missing", [])})
        planned = [i for i in installments if i.status == "planned"]
        if any(i.amount_cents is None for i in planned):
            result = json.loads(app.result_json)
            raise Refused("amount_undetermined", result.get("amount_note") or "金额未定，不能批准",
                          {"amount_note": result.get("amount_note")})
        if not planned or sum(i.amount_cents for i in planned) <= 0:
            raise Refused("nothing_payable", "计算结果没有应发金额，不能批准")
        plan = _Plan(amounts={i.id: i.amount_cents for i in planned})
        if self._has_rules(measure):
            # rules across claims read the database: write what this batch did so far (its log
            # entries keep the rows as they are now; the chain's head is locked only at the end, after
            # every row lock, as in every transaction), then lock the beneficiary and person so that
            # concurrent approvals queue
            self._snapshot_log(s)
            self._lock_parties(s, app)
            scope = _Scope(app.id, app.beneficiary_id, app.person_id, app.submitted_on)
            with s.no_autoflush:
                self._check_once_only(s, scope, measure)
                self._check_stacking(s, scope, measure, planned, plan, lock=True)
                self._check_caps(s, scope, measure, planned, plan, lock=True)
            if sum(plan.amounts.values()) <= 0:
                raise Refused("cap_reached", "核减后没有应发金额：" + "；".join(n for ns in plan.notes.values() for n in ns),
                              plan.details)
        decision = Decision(application_id=app.id, kind="approve", decided_by=who.id, decided_on=on,
                            decided_at=self.clock(), reason=reason or "批准", details_json=_dump(plan.details))
        s.add(decision)
        changed: list[Any] = []
        for inst in planned:
            amount = plan.amounts[inst.id]
            inst.amount_cents = amount
            inst.status = "scheduled" if amount > 0 else "cancelled"
            inst.note = "；".join(plan.notes.get(inst.id, [])) or None
            inst.decision = decision
            changed.append(inst)
        for old in plan.superseded:
            for inst in self._installments(s, old.id, lock=True):
                if inst.status == "scheduled":
                    inst.status = "cancelled"
                    inst.note = f"同组措施按最高额度享受一项：由申请#{app.id}（{app.measure_id}，金额更高）替代"
                    inst.decision = decision
                    changed.append(inst)
        app.status = "approved"
        self._log(s, who, "approve", "application", app.id, [app, decision, *changed],
                  {"measure": app.measure_id, "on": on.isoformat(), "reason": decision.reason,
                   "amount": money(sum(plan.amounts.values())), "superseded": [a.id for a in plan.superseded]})

    def reject(self, actor: int, application_id: int, *, on: dt.date | str, reason: str) -> ApplicationInfo:
        """Reject a submitted claim, with a reason (a reviewer or admin who did not submit it)."""
        on = _date(on, "on")
        reason = _text(reason, "reason")
        with self._write() as s:
            who = self._actor(s, actor, DECIDERS)
            app = self._lock_application(s, application_id)
            self._check_decidable(s, app, who)
            decision = Decision(application_id=app.id, kind="reject", decided_by=who.id, decided_on=on,
                                decided_at=self.clock(), reason=reason)
            s.add(decision)
            changed = []
            for inst in self._installments(s, app.id, lock=True):
                if inst.status == "planned":
                    inst.status, inst.note, inst.decision = "cancelled", f"申请被驳回：{reason}", decision
                    changed.append(inst)
            app.status = "rejected"
            self._log(s, who, "reject", "application", app.id, [app, decision, *changed],
                      {"measure": app.measure_id, "on": on.isoformat(), "reason": reason})
            return self._info(s, app, detail=False)

    def _check_decidable(self, s: Session, app: Application, who: User) -> None:
        if app.status != "submitted":
            last = s.scalar(select(Decision).where(Decision.application_id == app.id,
                                                   Decision.kind.in_(("approve", "reject")))
                            .order_by(Decision.id.desc()).limit(1))
            by = s.get(User, last.decided_by).username if last else "?"
            raise Refused("already_decided",
                          f"申请#{app.id}已{APPLICATION_STATUSES[app.status]}（{by}，{last.decided_on if last else ''}），不能再次审批",
                          {"status": app.status, "decision_id": last.id if last else None})
        if app.submitted_by == who.id:
            raise Refused("own_claim", f"审核人不能审批本人提交的申请（申请#{app.id}由{who.username}提交）",
                          {"submitted_by": who.username})

    # -- payments ------------------------------------------------------------------------------------
    def pay(self, actor: int, installment_id: int, *, on: dt.date | str, idempotency_key: str,
            amount: Any = None, reference: str | None = None) -> PaymentInfo:
        """Record the payment of one installment, once. A replayed ``idempotency_key`` returns the
        payment recorded first (``replayed=True``); the same key for another installment, a second
        payment of a paid installment, a cancelled or not yet approved installment, or one not due on
        ``on`` is refused. ``amount`` defaults to the approved amount; a lower amount only for a
        ceiling (最高不超过) installment."""
        on = _date(on, "on")
        key = _text(idempotency_key, "idempotency_key", limit=120)
        reference = _text(reference, "reference", required=False, limit=120) or None
        cents = None if amount is None else to_cents(amount)
        try:
            return self._pay(actor, installment_id, on, key, cents, reference)
        except IntegrityError:
            # a concurrent writer recorded the same key or the same installment first
            replay = self._payment_by_key(key)
            if replay is not None:
                return self._check_replay(replay, installment_id, cents)
            raise Refused("already_paid", f"分期#{installment_id}已由另一笔支付登记", {"installment_id": installment_id})

    def _pay(self, actor: int, installment_id: int, on: dt.date, key: str, cents: int | None,
             reference: str | None) -> PaymentInfo:
        with self._write() as s:
            who = self._actor(s, actor, PAYERS)
            inst = s.execute(select(Installment).where(Installment.id == installment_id).with_for_update()
                             .execution_options(populate_existing=True)).scalar_one_or_none()
            if inst is None:
                raise NotFound("installment", installment_id)
            existing = s.scalar(select(Payment).where(Payment.idempotency_key == key))
            if existing is not None:
                return self._check_replay(_payment_info(s, existing, replayed=True), installment_id, cents)
            if inst.status == "paid":
                paid = s.scalar(select(Payment).where(Payment.installment_id == inst.id))
                raise Refused("already_paid",
                              f"分期#{inst.id}（申请#{inst.application_id}第{inst.seq}期）已于{paid.paid_on if paid else '?'}支付（支付#{paid.id if paid else '?'}），不能重复支付",
                              {"payment_id": paid.id if paid else None})
            if inst.status == "cancelled":
                raise Refused("installment_cancelled", f"分期#{inst.id}（申请#{inst.application_id}第{inst.seq}期）已取消：{inst.note or ''}", {"note": inst.note})
            if inst.status == "planned":
                raise Refused("not_approved", f"申请#{inst.application_id}尚未批准，分期#{inst.id}不能支付")
            if inst.due > on:
                raise Refused("not_due", f"分期#{inst.id}（申请#{inst.application_id}第{inst.seq}期）应于{inst.due}发放，{on}尚未到期", {"due": inst.due.isoformat()})
            if cents is None:
                cents = inst.amount_cents
            elif cents != inst.amount_cents and not (inst.ceiling and cents <= inst.amount_cents):
                raise Refused("amount_mismatch", f"支付金额{money(cents)}与核定金额{money(inst.amount_cents)}不符",
                              {"approved": str(yuan(inst.amount_cents))})
            payment = Payment(installment_id=inst.id, idempotency_key=key, amount_cents=cents, paid_on=on,
                              recorded_by=who.id, recorded_at=self.clock(), reference=reference)
            s.add(payment)
            inst.status = "paid"
            self._log(s, who, "pay", "installment", inst.id, [payment, inst],
                      {"application_id": inst.application_id, "amount": money(cents), "paid_on": on.isoformat(),
                       "due": inst.due.isoformat()})
            s.flush()
            return _payment_info(s, payment)

    def _payment_by_key(self, key: str) -> PaymentInfo | None:
        with self.db.read() as s:
            payment = s.scalar(select(Payment).where(Payment.idempotency_key == key))
            return _payment_info(s, payment, replayed=True) if payment else None

    @staticmethod
    def _check_replay(replay: PaymentInfo, installment_id: int, cents: int | None) -> PaymentInfo:
        if replay.installment_id != installment_id or (cents is not None and int(replay.amount * 100) != cents):
            raise Refused("idempotency_conflict",
                          f"幂等键{replay.idempotency_key}已用于分期#{replay.installment_id}的支付#{replay.id}",
                          {"payment_id": replay.id, "installment_id": replay.installment_id})
        return replay

    # -- reassessment --------------------------------------------------------------------------------
    def reassess(self, actor: int, application_id: int, *, on: dt.date | str, situation: dict,
                 reason: str) -> ApplicationInfo:
        """Facts changed (contract ended early, the person left the district …): recompute the
        approved claim on ``on`` with ``situation`` and decide each unpaid installment: cancelled when
        the new result is not eligible or no longer has it, reduced when the new amount is lower,
        kept otherwise; paid installments the new result no longer supports are reported as
        overpaid. The reason and the new result are recorded as a decision."""
        on = _date(on, "on")
        reason = _text(reason, "reason")
        if not isinstance(situation, dict):
            raise InvalidInput("situation", "expected a JSON object with 'persons' (and 'organisations')")
        with self.db.read() as s:
            who = self._actor(s, actor, STAFF)
            app = s.get(Application, application_id)
            if app is None:
                raise NotFound("application", application_id)
            if app.status != "approved":
                raise Refused("not_approved", f"申请#{app.id}状态为{APPLICATION_STATUSES[app.status]}，只有已批准的申请可重新核定"
                              + ("（待审核的申请请驳回后重新提交）" if app.status == "submitted" else ""))
            measure = self._measure(app.measure_id, field="measure_id", executable=False)
            keys = (app.beneficiary_key, app.person_key)
        # a measure whose window has closed since: the changed facts are assessed on its last day
        # (the end of the window does not by itself cancel what was approved)
        assessed_on = on
        if measure.valid_to and on.isoformat() > measure.valid_to:
            assessed_on = dt.date.fromisoformat(measure.valid_to)
        result = _compute(measure, situation, assessed_on, *keys)
        kept = not result.get("stacking") or result["stacking"].get("kept", True)
        new_items = {} if result["status"] != "eligible" or not kept or not result.get("installments") else \
            {i["due"]: _cents_of(i["amount"]) for i in result["installments"]}
        with self._write() as s:
            who = self._actor(s, actor, STAFF)
            app = self._lock_application(s, application_id)
            if app.status != "approved":
                raise Refused("not_approved", f"申请#{app.id}状态为{APPLICATION_STATUSES[app.status]}")
            status_label = RESULT_STATUSES[result["status"]]
            why_not = ""
            if result["status"] == "ineligible":
                why_not = "，不再满足：" + _labels(result.get("failed", []))
            elif result["status"] == "undetermined":
                why_not = "，尚需：" + _labels(result.get("missing", []))
            if not kept:
                why_not = "，" + result["stacking"]["reason"]
            details: dict[str, Any] = {"new_status": result["status"], "assessed_on": assessed_on.isoformat(),
                                       "kept": [], "cancelled": [], "reduced": [], "overpaid": [], "not_added": []}
            decision = Decision(application_id=app.id, kind="reassess", decided_by=who.id, decided_on=on,
                                decided_at=self.clock(), reason=reason, situation_json=_dump(situation),
                                result_json=_dump(result))
            s.add(decision)
            s.flush()
            changed = []
            installments = self._installments(s, app.id, lock=True)
            known_dues = {i.due.isoformat() for i in installments if i.status != "cancelled"}
            for inst in installments:
                due = inst.due.isoformat()
                new = new_items.get(due)
                if inst.status == "paid":
                    if new is None or new < inst.amount_cents:
                        over = inst.amount_cents - (new or 0)
                        details["overpaid"].append({"installment_id": inst.id, "due": due, "amount": str(yuan(over))})
                    continue
                if inst.status != "scheduled":
                    continue
                if result["status"] == "undetermined":
                    details["kept"].append({"installment_id": inst.id, "due": due,
                                            "note": "新结果尚需补充信息，暂予保留"})
                    continue
                if new is None or new <= 0:
                    inst.status = "cancelled"
                    inst.note = (f"重新核定（{on}）：{reason}；新结果为“{status_label}”{why_not}"
                                 if result["status"] != "eligible" or not kept
                                 else f"重新核定（{on}）：{reason}；该期不再应发")
                    details["cancelled"].append({"installment_id": inst.id, "due": due, "amount": str(yuan(inst.amount_cents))})
                elif new < inst.amount_cents:
                    details["reduced"].append({"installment_id": inst.id, "due": due, "from": str(yuan(inst.amount_cents)),
                                               "to": str(yuan(new))})
                    inst.note = f"重新核定（{on}）：{reason}；由{money(inst.amount_cents)}核减为{money(new)}"
                    inst.amount_cents = new
                else:
                    details["kept"].append({"installment_id": inst.id, "due": due})
                    continue
                inst.decision = decision
                changed.append(inst)
            for due, cents in new_items.items():
                if due not in known_dues and cents:
                    details["not_added"].append({"due": due, "amount": str(yuan(cents)),
                                                 "note": "原申请没有该期；如应发放，请另行申请"})
            decision.details_json = _dump(details)
            self._log(s, who, "reassess", "application", app.id, [decision, *changed],
                      {"on": on.isoformat(), "reason": reason, "new_status": result["status"],
                       "cancelled": len(details["cancelled"]), "reduced": len(details["reduced"]),
                       "kept": len(details["kept"])})
            return self._info(s, app, detail=True)

    # -- queries -------------------------------------------------------------------------------------
    def application(self, actor: int | None, application_id: int, *, detail: bool = True) -> ApplicationInfo:
        with self.db.read() as s:
            who = self._actor(s, actor, None, system_ok=True)
            app = s.get(Application, application_id)
            if app is None:
                raise NotFound("application", application_id)
            if who is not None and who.role == "applicant" and who.applicant_id not in (app.beneficiary_id, app.person_id):
                raise Forbidden("申请人只能查看本人的申请")
            return self._info(s, app, detail=detail)

    def list_applications(self, actor: int | None, *, status: str | None = None, measure_id: str | None = None,
                          beneficiary_id: int | None = None, submitted_from: dt.date | None = None,
                          submitted_to: dt.date | None = None, limit: int = 100, offset: int = 0) -> list[ApplicationInfo]:
        """Newest first. An applicant sees only their own claims. ID numbers masked."""
        if status is not None and status not in APPLICATION_STATUSES:
            raise InvalidInput("status", f"应为{'、'.join(APPLICATION_STATUSES)} unknown status {status!r}")
        with self.db.read() as s:
            who = self._actor(s, actor, None, system_ok=True)
            query = select(Application).order_by(Application.id.desc()).limit(max(1, min(limit, 1000))).offset(max(0, offset))
            if who is not None and who.role == "applicant":
                query = query.where((Application.beneficiary_id == who.applicant_id)
                                    | (Application.person_id == who.applicant_id))
            if status:
                query = query.where(Application.status == status)
            if measure_id:
                query = query.where(Application.measure_id == measure_id)
            if beneficiary_id is not None:
                query = query.where(Application.beneficiary_id == beneficiary_id)
            if submitted_from:
                query = query.where(Application.submitted_on >= submitted_from)
            if submitted_to:
                query = query.where(Application.submitted_on <= submitted_to)
            apps = list(s.scalars(query))
            return self._infos(s, apps)

    def payable(self, actor: int | None, *, on: dt.date | str, limit: int = 1000) -> list[InstallmentInfo]:
        """Approved installments due on or before ``on`` and not yet paid, earliest first."""
        on = _date(on, "on")
        with self.db.read() as s:
            self._actor(s, actor, PAYERS, system_ok=True)
            rows = s.scalars(select(Installment).where(Installment.status == "scheduled", Installment.due <= on)
                             .order_by(Installment.due, Installment.id).limit(limit))
            return [_installment_info(i) for i in rows]

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
        with self.db.read() as s:
            return audit.verify(s)

    def counts(self) -> dict[str, int]:
        from .models import Base
        with self.db.read() as s:
            return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}

    # -- cross-claim rules -----------------------------------------------------------------------------
    def _scope_filter(self, query, scope: _Scope, per: str):
        query = query.where(Application.person_id == scope.person_id if per == "person"
                            else Application.beneficiary_id == scope.beneficiary_id)
        return query if scope.app_id is None else query.where(Application.id != scope.app_id)

    def _check_once_only(self, s: Session, scope: _Scope, measure: Measure) -> None:
        for rule in self.rules.once_only_for(measure.id):
            if rule.per == "person" and scope.person_id is None:
                continue
            query = self._scope_filter(select(Application).where(Application.status == "approved",
                                                                 Application.measure_id.in_(rule.measures)),
                                       scope, rule.per)
            other = s.scalar(query.order_by(Application.id).limit(1))
            if other is not None:
                whom = "每人" if rule.per == "person" else "每个受益方"
                raise Refused("once_only",
                              f"{measure.id}{whom}只能享受一次（{rule.clause}：“{rule.quote}”），已由申请#{other.id}享受",
                              {"rule": rule.id, "clause": rule.clause, "application_id": other.id})

    def _check_stacking(self, s: Session, scope: _Scope, measure: Measure, installments: list[Installment],
                        plan: _Plan, *, lock: bool) -> None:
        if not measure.stacking:
            return
        group, policy = measure.stacking["group"], measure.stacking.get("policy", "highest")
        members = [m.id for m in load_catalogue().executable() if m.stacking and m.stacking.get("group") == group]
        query = self._scope_filter(select(Application).where(Application.status == "approved",
                                                             Application.measure_id.in_(members)), scope, "beneficiary")
        query = query.where(Application.person_id.is_(None) if scope.person_id is None
                            else Application.person_id == scope.person_id)
        others = list(s.scalars(query.order_by(Application.id)))
        if self.rules.stacking_period(group) == "year":
            year = _claim_year(scope.submitted_on, installments)
            others = [o for o in others if _claim_year(o.submitted_on, self._installments(s, o.id)) == year]
        if not others:
            return
        if policy == "exclusive":
            other = others[0]
            raise Refused("stacking_exclusive",
                          f"同组措施只能享受其中一项（{group}）：已按申请#{other.id}（{other.measure_id}）享受",
                          {"group": group, "application_id": other.id})
        new_total = sum(plan.amounts.get(i.id, i.amount_cents or 0) for i in installments)
        totals = {}
        for other in others:
            rows = self._installments(s, other.id, lock=lock)
            totals[other.id] = (sum(i.amount_cents or 0 for i in rows if i.status in ("scheduled", "paid")),
                                sum(i.amount_cents or 0 for i in rows if i.status == "paid"))
        others = [o for o in others if totals[o.id][0] > 0]
        enjoyed = sum(totals[o.id][0] for o in others)     # what the group gives already (paid + to pay)
        if others and new_total <= enjoyed:
            names = "、".join(f"申请#{o.id}（{o.measure_id}）" for o in others)
            raise Refused("stacking_lower",
                          f"同组措施按最高额度享受一项（{group}）：已按{names}享受{money(enjoyed)}，"
                          f"本项{money(new_total)}不高于已享受的金额",
                          {"group": group, "applications": [o.id for o in others], "enjoyed": str(yuan(enjoyed)),
                           "this_total": str(yuan(new_total))})
        if not others:
            return
        # this claim is higher: it replaces the others; what they paid already is deducted
        paid = sum(totals[o.id][1] for o in others)
        plan.superseded.extend(others)
        plan.details["stacking"].append({"group": group, "policy": policy, "replaces": [o.id for o in others],
                                         "deducted": str(yuan(paid))})
        remaining = paid
        for inst in sorted(installments, key=lambda i: (i.due, i.seq)):
            if remaining <= 0:
                break
            amount = plan.amounts.get(inst.id, inst.amount_cents or 0)
            cut = min(amount, remaining)
            if cut:
                plan.amounts[inst.id] = amount - cut
                remaining -= cut
                plan.notes[inst.id].append(f"同组措施按最高额度享受一项：扣除已按申请#"
                                           f"{'、#'.join(str(o.id) for o in others)}领取的{money(cut)}")

    def _check_caps(self, s: Session, scope: _Scope, measure: Measure, installments: list[Installment],
                    plan: _Plan, *, lock: bool, only_exhausted: bool = False) -> None:
        for cap in self.rules.caps_for(measure.id):
            if cap.per == "person" and scope.person_id is None:
                continue
            query = self._scope_filter(
                select(Installment.due, Installment.amount_cents).join(Application, Application.id == Installment.application_id)
                .where(Application.status == "approved", Application.measure_id.in_(cap.measures),
                       Installment.status.in_(("scheduled", "paid"))), scope, cap.per)
            used: dict[Any, int] = defaultdict(int)
            for due, cents in s.execute(query):
                used[due.year if cap.period == "year" else None] += cents or 0
            for inst in sorted(installments, key=lambda i: (i.due, i.seq)):
                key = inst.due.year if cap.period == "year" else None
                limit = cap.limit_cents(inst.due)
                if limit is None:
                    continue
                amount = plan.amounts.get(inst.id, inst.amount_cents or 0)
                left = max(0, limit - used[key])
                scope = f"{key}年度" if key else "累计"
                if only_exhausted:
                    if left <= 0 and amount > 0:
                        raise Refused("cap_reached",
                                      f"{cap.clause}“{cap.quote}”：{scope}已核定{money(used[key])}，已达上限{money(limit)}",
                                      {"cap": cap.id, "clause": cap.clause, "limit": str(yuan(limit)),
                                       "used": str(yuan(used[key])), "year": key})
                    continue
                if amount > left:
                    plan.amounts[inst.id] = left
                    plan.notes[inst.id].append(f"{cap.clause}“{cap.quote}”：{scope}已核定{money(used[key])}，"
                                               f"本期由{money(amount)}核减为{money(left)}")
                    plan.details["caps"].append({"cap": cap.id, "clause": cap.clause, "installment_id": inst.id,
                                                 "year": key, "limit": str(yuan(limit)), "used": str(yuan(used[key])),
                                                 "from": str(yuan(amount)), "to": str(yuan(left))})
                    amount = left
                used[key] += amount

    # -- internals -----------------------------------------------------------------------------------
    def _actor(self, s: Session, actor: int | None, roles: tuple[str, ...] | None, *,
               system_ok: bool = False) -> User | None:
        if actor is None:
            if system_ok:
                return None
            raise Forbidden("须以用户身份操作 an actor (user id) is required")
        user = s.get(User, actor)
        if user is None:
            raise NotFound("user", actor)
        if not user.active:
            raise Forbidden(f"用户{user.username}已停用")
        if roles is not None and user.role not in roles:
            raise Forbidden(f"{ROLES[user.role]}（{user.username}）无权进行此操作；需要：{'、'.join(ROLES[r] for r in roles)}",
                            {"role": user.role, "allowed": list(roles)})
        return user

    def _applicant(self, s: Session, applicant_id: int) -> Applicant:
        with s.no_autoflush:
            applicant = s.get(Applicant, applicant_id)
        if applicant is None:
            raise NotFound("applicant", applicant_id)
        return applicant

    def _measure(self, measure_id: str, field: str = "measure_id", executable: bool = True) -> Measure:
        try:
            measure = load_catalogue().measure(measure_id)
        except CatalogueError as error:
            raise InvalidInput(field, str(error)) from None
        if executable and not measure.executable:
            raise Refused("not_executable", f"{measure.id}（{measure.title}）是{measure.kind}类措施，不能计算金额",
                          {"measure": measure.id, "kind": measure.kind})
        return measure

    def _parties(self, s: Session, who: User, measure: Measure, beneficiary_id: int,
                 person_id: int | None) -> tuple[Applicant, Applicant | None]:
        beneficiary = self._applicant(s, beneficiary_id)
        if beneficiary.kind != measure.beneficiary:
            raise InvalidInput("beneficiary_id", f"{measure.id}的受益方应为{APPLICANT_KINDS[measure.beneficiary]}，"
                               f"申请人#{beneficiary.id}是{APPLICANT_KINDS[beneficiary.kind]}")
        if who.role == "applicant" and who.applicant_id != beneficiary.id:
            raise Forbidden("申请人只能为本人（本单位）申请")
        person = None
        if measure.entity == "person":
            if beneficiary.kind == "person":
                if person_id not in (None, beneficiary.id):
                    raise InvalidInput("person_id", "个人受益的措施：人员即受益人本人")
                person = beneficiary
            else:
                if person_id is None:
                    raise InvalidInput("person_id", f"{measure.id}按人员计算（{measure.role or '人员'}），须指明人员")
                person = self._applicant(s, person_id)
                if person.kind != "person":
                    raise InvalidInput("person_id", f"申请人#{person.id}不是个人")
        elif person_id is not None:
            raise InvalidInput("person_id", f"{measure.id}按单位计算，不指明人员")
        return beneficiary, person

    def _lock_application(self, s: Session, application_id: int) -> Application:
        app = s.execute(select(Application).where(Application.id == application_id).with_for_update()
                        .execution_options(populate_existing=True)).scalar_one_or_none()
        if app is None:
            raise NotFound("application", application_id)
        return app

    def _lock_parties(self, s: Session, app: Application) -> None:
        """Serialise approvals touching the same beneficiary or person (caps, once-only, stacking)."""
        ids = sorted({app.beneficiary_id, *([app.person_id] if app.person_id else [])})
        # FOR NO KEY UPDATE: approvals for the same party queue; submissions referring to it do not
        s.scalars(select(Applicant).where(Applicant.id.in_(ids)).order_by(Applicant.id)
                  .with_for_update(key_share=True)).all()

    def _installments(self, s: Session, application_id: int, *, lock: bool = False) -> list[Installment]:
        query = select(Installment).where(Installment.application_id == application_id).order_by(Installment.seq)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return list(s.scalars(query))

    def _usernames(self, s: Session, ids: set[int]) -> dict[int, str]:
        """Usernames by user id (they never change: cached for the Ledger's life)."""
        missing = [i for i in ids if i not in self._names]
        if missing:
            self._names.update(s.execute(select(User.id, User.username).where(User.id.in_(missing))).all())
        return {i: self._names.get(i, "?") for i in ids}

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
        people = _load(s, Applicant, wanted)
        decisions: dict[int, list[Decision]] = defaultdict(list)
        user_ids = {a.submitted_by for a in apps} | {p.recorded_by for p in payments.values()}
        if detail:
            for d in s.scalars(select(Decision).where(Decision.application_id.in_(ids)).order_by(Decision.id)):
                decisions[d.application_id].append(d)
                user_ids.add(d.decided_by)
        names = self._usernames(s, user_ids)
        catalogue = load_catalogue()
        out = []
        for app in apps:
            measure = catalogue.measures.get(app.measure_id)
            insts = tuple(_installment_info(i, payments.get(i.id), names) for i in by_app.get(app.id, []))
            out.append(ApplicationInfo(
                id=app.id, measure_id=app.measure_id, title=measure.title if measure else app.measure_id,
                document=app.document, clause=app.clause, kind=app.kind, status=app.status,
                status_label=APPLICATION_STATUSES[app.status], result_status=app.result_status,
                result_label=RESULT_STATUSES[app.result_status],
                beneficiary=_applicant_info(people[app.beneficiary_id]),
                person=_applicant_info(people[app.person_id]) if app.person_id else None,
                submitted_on=app.submitted_on, submitted_by=names.get(app.submitted_by, "?"),
                total=yuan(app.total_cents), code_version=app.code_version, rules_hash=app.rules_hash,
                stacking_group=app.stacking_group, installments=insts,
                decisions=tuple(DecisionInfo(id=d.id, kind=d.kind, kind_label=DECISION_KINDS[d.kind],
                                             decided_by=names.get(d.decided_by, "?"), decided_on=d.decided_on,
                                             reason=d.reason, details=json.loads(d.details_json or "{}"))
                                for d in decisions.get(app.id, [])),
                result=json.loads(app.result_json) if detail else None,
                situation=json.loads(app.situation_json) if detail else None))
        return out


def _load(s: Session, model, ids: set) -> dict:
    """Rows by primary key, from the session's identity map where already loaded."""
    found, missing = {}, []
    for i in ids:
        obj = s.identity_map.get(s.identity_key(model, i))
        if obj is not None:
            found[i] = obj
        else:
            missing.append(i)
    if missing:
        for obj in s.scalars(select(model).where(model.id.in_(missing))):
            found[obj.id] = obj
    # the identity map holds objects weakly: keep these for the transaction (later s.get() hits them)
    s.info.setdefault("pinned", []).extend(found.values())
    return found


_OPENED: dict[str, Ledger] = {}
_OPENING = threading.Lock()


def open_ledger(url: str | None = None) -> Ledger:
    """The process's Ledger for ``url`` (default ``JIUYE_DATABASE_URL``, else ./var/jiuye.db), opened
    and migrated once; for the web app's startup and request handlers."""
    from .config import database_url
    key = database_url(url)
    with _OPENING:
        if key not in _OPENED:
            _OPENED[key] = Ledger(key)
        return _OPENED[key]


# -- module helpers -------------------------------------------------------------------------------------
def _user_info(user: User) -> UserInfo:
    return UserInfo(id=user.id, username=user.username, display_name=user.display_name, role=user.role,
                    role_label=ROLES[user.role], applicant_id=user.applicant_id, is_demo=bool(user.is_demo),
                    active=bool(user.active), has_password=bool(user.password_hash))


def _applicant_info(applicant: Applicant) -> ApplicantInfo:
    number = mask_id(applicant.id_number) if applicant.kind == "person" else applicant.id_number
    return ApplicantInfo(id=applicant.id, kind=applicant.kind, kind_label=APPLICANT_KINDS[applicant.kind],
                         name=applicant.name, id_number_masked=number)


def _payment_info(s: Session, payment: Payment, replayed: bool = False) -> PaymentInfo:
    inst = s.get(Installment, payment.installment_id)
    user = s.get(User, payment.recorded_by)
    return PaymentInfo(id=payment.id, installment_id=payment.installment_id, application_id=inst.application_id,
                       amount=yuan(payment.amount_cents), paid_on=payment.paid_on,
                       idempotency_key=payment.idempotency_key, recorded_by=user.username if user else "?",
                       reference=payment.reference, replayed=replayed)


def _installment_info(inst: Installment, payment: Payment | None = None, names: dict | None = None) -> InstallmentInfo:
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


def _outside_window(measure: Measure, on: dt.date) -> str | None:
    day = on.isoformat()
    if (measure.valid_from and day < measure.valid_from) or (measure.valid_to and day > measure.valid_to):
        return (f"{measure.id}（{measure.title}）的有效期为{measure.valid_from or '发布之日'}至"
                f"{measure.valid_to or '无截止'}，申请日{day}不在有效期内")
    return None


def _claim_year(submitted_on: dt.date, installments: list[Installment]) -> int:
    dues = [i.due for i in installments if i.status != "cancelled"]
    return min(dues).year if dues else submitted_on.year


def _situation_keys(measure: Measure, situation: dict, beneficiary_key: str | None,
                    person_key: str | None) -> tuple[str, str | None]:
    persons = situation.get("persons") if isinstance(situation.get("persons"), dict) else {}
    orgs = situation.get("organisations") if isinstance(situation.get("organisations"), dict) else {}
    pool = orgs if measure.beneficiary == "organisation" else persons
    if beneficiary_key is None:
        if len(pool) != 1:
            raise InvalidInput("beneficiary_key", f"情形中有{len(pool)}个{APPLICANT_KINDS[measure.beneficiary]}，"
                               "请指明受益方在情形中的编号")
        beneficiary_key = next(iter(pool))
    elif beneficiary_key not in pool:
        raise InvalidInput("beneficiary_key", f"情形中没有{beneficiary_key!r}")
    if measure.beneficiary == "person":
        return beneficiary_key, beneficiary_key if measure.entity == "person" else None
    if measure.entity != "person":
        return beneficiary_key, None
    if person_key is None:
        members = _members(orgs.get(beneficiary_key) or {}, measure.role)
        if len(members) != 1:
            raise InvalidInput("person_key", f"{beneficiary_key}有{len(members)}名{measure.role or '成员'}，请指明人员在情形中的编号")
        person_key = members[0]
    elif person_key not in persons:
        raise InvalidInput("person_key", f"情形中没有{person_key!r}")
    return beneficiary_key, person_key


def _members(org: dict, role: str | None) -> list[str]:
    roles = [role + "s"] if role else [k for k, v in org.items() if isinstance(v, list)]
    return [m for r in roles for m in (org.get(r) or []) if isinstance(m, str)]


def _compute(measure: Measure, situation: dict, on: dt.date, beneficiary_key: str, person_key: str | None) -> dict:
    from ..engine import InputError
    from ..explain import calculate
    try:
        report = calculate(situation, on, [measure.id])
    except InputError as error:
        raise InvalidInput(f"situation.{error.field}", error.message) from None
    for result in report["results"]:
        if result["beneficiary"] != beneficiary_key:
            continue
        if measure.entity == "person" and measure.beneficiary == "organisation" and result.get("person") != person_key:
            continue
        return result
    raise InvalidInput("person_key" if person_key else "beneficiary_key",
                       f"情形中{beneficiary_key}{('/' + person_key) if person_key else ''}没有{measure.id}的计算结果"
                       f"（须为明示的{APPLICANT_KINDS[measure.beneficiary]}{'及其' + measure.role if measure.role else ''}）")


def _allocated(situation: dict) -> bool:
    """Every person belongs to an organisation given in the situation (such situations can share one
    simulation: OpenFisca adds implicit organisations for the others, which breaks a merge)."""
    orgs = situation.get("organisations")
    if not isinstance(orgs, dict) or not isinstance(situation.get("persons"), dict):
        return False
    members = {m for org in orgs.values() if isinstance(org, dict)
               for value in org.values() if isinstance(value, list) for m in value}
    return set(situation["persons"]) <= members


def _merge(situations: list[dict]) -> tuple[dict, dict]:
    """One situation of several, entity ids prefixed ``k<n>:``; and the map back to the ids."""
    merged: dict = {"persons": {}, "organisations": {}}
    back: dict[str, str] = {}
    for n, situation in enumerate(situations):
        prefix = f"k{n}:"
        for pid, body in situation["persons"].items():
            merged["persons"][prefix + pid] = body
            back[prefix + pid] = pid
        for oid, body in situation["organisations"].items():
            merged["organisations"][prefix + oid] = {
                k: ([prefix + m for m in v] if isinstance(v, list) else v) for k, v in body.items()}
            back[prefix + oid] = oid
    return merged, back


def _unprefix(value, back: dict):
    if isinstance(value, dict):
        return {k: _unprefix(v, back) for k, v in value.items()}
    if isinstance(value, list):
        return [_unprefix(v, back) for v in value]
    if isinstance(value, str):
        return back.get(value, value)
    return value


MERGE_LIMIT = 200


def _compute_many(subs: list[_Submission]) -> list[dict | LedgerError]:
    """Each submission's result, as ``_compute`` gives it. Submissions of the same measure and date
    whose persons all belong to given organisations are computed in one simulation (a test checks
    the results are identical); a merged run that fails falls back to one run per submission, so
    each error is that submission's own."""
    out: list[Any] = [None] * len(subs)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for n, sub in enumerate(subs):
        if _allocated(sub.situation):
            groups[(sub.measure.id, sub.on)].append(n)
        else:
            groups[("single", n)].append(n)
    for key, members in groups.items():
        for start in range(0, len(members), MERGE_LIMIT):
            part = members[start:start + MERGE_LIMIT]
            if key[0] != "single" and len(part) > 1:
                try:
                    merged = _compute_merged([subs[n] for n in part])
                    for n, result in zip(part, merged):
                        out[n] = result
                    continue
                except LedgerError:
                    pass                 # one of them is faulty: compute each alone
            for n in part:
                sub = subs[n]
                try:
                    out[n] = _compute(sub.measure, sub.situation, sub.on, sub.beneficiary_key, sub.person_key)
                except LedgerError as error:
                    out[n] = error
    return out


def _compute_merged(subs: list[_Submission]) -> list[dict]:
    from ..engine import InputError
    from ..explain import calculate
    measure, on = subs[0].measure, subs[0].on
    merged, back = _merge([sub.situation for sub in subs])
    try:
        report = calculate(merged, on, [measure.id])
    except InputError as error:
        raise InvalidInput(f"situation.{error.field}", error.message) from None
    index = {(r["beneficiary"], r.get("person")): r for r in report["results"]}
    results = []
    per_person = measure.entity == "person" and measure.beneficiary == "organisation"
    for n, sub in enumerate(subs):
        prefix = f"k{n}:"
        row = index.get((prefix + sub.beneficiary_key, prefix + sub.person_key if per_person else None))
        if row is None:
            raise InvalidInput("beneficiary_key", "no result in the merged run")
        results.append(_unprefix(row, back))
    return results
