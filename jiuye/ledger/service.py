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

The service is split by job, one mixin per module, composed here:

* ``base.py`` — the database, the write transaction and its audit entries, the acting user;
* ``users.py`` — users (login, roles, passwords) and applicants (ID numbers checked by ``jiuye.ids``);
* ``claims.py`` — recording claims (``submit``, ``submit_many``), computed by ``compute.py``;
* ``decisions.py`` — approval, rejection, reassessment;
* ``payments.py`` — paying installments;
* ``limits.py`` — caps, once-only measures and stacking across claims;
* ``views.py`` — the read models handed out (frozen dataclasses) and the queries that only read.
"""

from __future__ import annotations

import threading

from .claims import Claims
from .decisions import Decisions
from .payments import Payments
from .users import Users
from .views import ApplicantInfo, ApplicationInfo, DecisionInfo, InstallmentInfo, PaymentInfo, UserInfo

__all__ = ["Ledger", "open_ledger", "ApplicantInfo", "ApplicationInfo", "DecisionInfo", "InstallmentInfo",
           "PaymentInfo", "UserInfo"]


class Ledger(Users, Claims, Decisions, Payments):
    """The claims ledger on one database: ``Ledger(url)`` (default ``JIUYE_DATABASE_URL``, else
    ./var/jiuye.db) opens it and migrates the schema to head."""


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
