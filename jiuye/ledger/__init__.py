"""经办台账 — the claims ledger: applications, decisions, installments, payments and a hash-chained
audit log, on SQLite (default ``./var/jiuye.db``) or PostgreSQL (``JIUYE_DATABASE_URL``).

Engine-independent: computes with ``jiuye.explain.calculate`` and reads the catalogue; imports no
district. The service API is ``Ledger`` (``jiuye/ledger/service.py``).
"""

from .errors import Forbidden, InvalidInput, LedgerError, NotFound, Refused
from .service import (ApplicantInfo, ApplicationInfo, DecisionInfo, InstallmentInfo, Ledger, PaymentInfo,
                      UserInfo, open_ledger)

__all__ = ["Ledger", "open_ledger", "LedgerError", "InvalidInput", "NotFound", "Forbidden", "Refused", "ApplicantInfo",
           "ApplicationInfo", "DecisionInfo", "InstallmentInfo", "PaymentInfo", "UserInfo"]
