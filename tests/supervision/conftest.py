"""Supervision fixtures: the ledger's (every test that takes `ledger` runs on SQLite and on
PostgreSQL, see tests/ledger/conftest.py), a Supervision on it, and users in units."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.ledger.conftest import db_url, ledger, pg_server_url, pg_url, sqlite_template  # noqa: F401

from jiuye.supervision import Supervision
from jiuye.supervision.tasks import OFFICE


@pytest.fixture
def sup(ledger):
    from jiuye.supervision.models import wipe
    wipe(ledger.db.engine)                 # PostgreSQL: one database per worker, emptied per test
    return Supervision(ledger)


@dataclass
class Staff:
    office: int        # 和平区就业工作领导小组办公室
    renshe: int        # 区人社局
    minzheng: int      # 区民政局
    outsider: int      # a ledger user in no unit
    rs: int            # unit ids
    mz: int


@pytest.fixture
def staff(ledger, sup) -> Staff:
    ids = {}
    for name in ("office", "renshe", "minzheng", "outsider"):
        ids[name] = ledger.create_user(None, name, "case_worker").id
    units = {"office": OFFICE, "renshe": "区人社局", "minzheng": "区民政局"}
    for name, unit in units.items():
        sup.add_member(None, ids[name], sup.unit("heping", unit).id)
    return Staff(**ids, rs=sup.unit("heping", "区人社局").id, mz=sup.unit("heping", "区民政局").id)
