"""What every part of the ledger service shares: the database, the write transaction with its audit
entries, who is acting, the catalogue's measures, and the small readers of arguments.

``LedgerBase`` holds the database (``Database``), the clock and the cross-claim rules; the parts of
the service (``users``, ``claims``, ``decisions``, ``payments``, ``limits``, ``views``) are mixins on
it, composed by the facade ``jiuye.ledger.service.Ledger``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..catalogue import CatalogueError, Measure, load_catalogue
from . import audit
from .db import Database, migrate
from ..day import DayError, parse_day
from .errors import Forbidden, InvalidInput, NotFound, Refused
from .models import ROLES, Applicant, Application, Installment, User
from .rules import Rules, rules

SUBMITTERS = ("case_worker", "reviewer", "admin", "applicant")
DECIDERS = ("reviewer",)          # an admin never approves or rejects (separation of duties)
PAYERS = ("case_worker", "reviewer", "admin")
STAFF = ("case_worker", "reviewer", "admin")


def catalogue():
    """The clause catalogue, read through this one name (a test replaces it to change a measure)."""
    return load_catalogue()


def jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def dump_json(value: Any) -> str:
    try:
        return audit.canonical(value)
    except ValueError:                 # NaN or infinity somewhere: stored as null
        return audit.canonical(jsonable(value))


MAX_ID = 2 ** 31 - 1               # the largest id an INTEGER column holds (PostgreSQL; SQLite: 2^63 - 1)


def key_of(record_id: Any) -> int:
    """An id as looked up: one no id column can hold (≥ 2^31, ≤ 0, not an integer) is 0, which no
    record has (so it is not found, instead of overflowing the column or the database driver)."""
    if isinstance(record_id, bool) or not isinstance(record_id, int) or not 0 < record_id <= MAX_ID:
        return 0
    return record_id


def as_date(value: Any, field: str) -> dt.date:
    """A date YYYY-MM-DD (ASCII digits, a day that exists) between 1900-01-01 and 2199-12-31
    (`jiuye.day`): the dates the rules and the calendar arithmetic of the ledger can hold
    (0001-01-01 and 9999-12-31 overflowed them; ``20250203`` is not the documented format)."""
    try:
        return parse_day(value)
    except DayError as error:
        raise InvalidInput(field, str(error)) from None




def safe_text(value: str) -> str:
    """``value`` with lone surrogates (not encodable as UTF-8) shown as U+FFFD, for a message."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)


def as_text(value: Any, field: str, *, required: bool = True, limit: int = 2000) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, "不能为空 required")
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, f"应为文本，而不是{type(value).__name__}")
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(field, f"最多{limit}字 at most {limit} characters")
    if safe_text(value) != value:
        raise InvalidInput(field, "含无效的Unicode字符（孤立的代理项） a lone surrogate is not text")
    return value


def labels(items: Iterable[dict], key: str = "label") -> str:
    return "、".join(str(i.get(key)) for i in items)


def load_rows(s: Session, model, ids: set) -> dict:
    """Rows by primary key, from the session's identity map where already loaded."""
    found, missing = {}, []
    for i in ids:
        if not key_of(i):                  # no such row can exist (an id past the column's range)
            continue
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


class LedgerBase:
    """The ledger's database, clock and rules, and the steps every operation takes."""

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
        self._anchor_daily()

    def _anchor_daily(self) -> None:
        """The first write of each day (per process) leaves a signed checkpoint of the chain's head
        in the anchors file (``audit.write_anchor``); ``anchor()`` writes one at any time."""
        today = self.clock().date()
        if getattr(self, "_anchored_on", None) == today:
            return
        self._anchored_on = today
        self.anchor()

    def anchor(self) -> dict | None:
        with self.db.read() as s:
            return audit.write_anchor(s, at=self.clock())

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
    # -- who acts, on what -------------------------------------------------------------------
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
            applicant = s.get(Applicant, key_of(applicant_id))
        if applicant is None:
            raise NotFound("applicant", applicant_id)
        return applicant

    def _measure(self, measure_id: str, field: str = "measure_id", executable: bool = True) -> Measure:
        try:
            measure = catalogue().measure(measure_id)
        except CatalogueError as error:
            raise InvalidInput(field, str(error)) from None
        if executable and not measure.executable:
            raise Refused("not_executable", f"{measure.id}（{measure.title}）是{measure.kind}类措施，不能计算金额",
                          {"measure": measure.id, "kind": measure.kind})
        return measure

    def _lock_application(self, s: Session, application_id: int) -> Application:
        app = s.execute(select(Application).where(Application.id == key_of(application_id)).with_for_update()
                        .execution_options(populate_existing=True)).scalar_one_or_none()
        if app is None:
            raise NotFound("application", application_id)
        return app

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
