"""Ledger fixtures: every test that takes `ledger` runs on SQLite and on PostgreSQL.

PostgreSQL comes from `.ci/with-postgres` (what `make test` runs), which exports JIUYE_TEST_PG_URL
and JIUYE_REQUIRE_PG=1: then a PostgreSQL failure fails the run. Without it (a bare `pytest`), the
PostgreSQL variants are skipped with the reason. Each xdist worker gets its own database, migrated
once; each test starts from an empty ledger.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from jiuye.ledger import Ledger
from jiuye.ledger.db import Database, current_revision, migrate, wipe
from jiuye.ids import make_id_number, make_uscc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BACKENDS = ["sqlite", "postgresql"]


def example(name: str) -> dict:
    """An example situation by name (jiuye.examples: a clause folder's example, or examples/)."""
    from jiuye.examples import load_example
    return load_example(name)[0]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ledger-template") / "template.db"
    db = Database(f"sqlite:///{path}")
    migrate(db.engine)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    url = os.environ.get("JIUYE_TEST_PG_URL")
    if not url:
        if os.environ.get("JIUYE_REQUIRE_PG"):
            pytest.fail("JIUYE_REQUIRE_PG is set but JIUYE_TEST_PG_URL is not")
        pytest.skip("no PostgreSQL: run through `make test` or `.ci/with-postgres pytest tests/ledger`")
    return url


def fresh_pg_database(server_url: str, name: str) -> str:
    """The URL of an empty PostgreSQL database `name` on the test server (dropped first if there)."""
    import psycopg
    admin = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def database_at(request, tmp_path, label: str, revisions: tuple) -> str:
    """An empty database of the backend `request.param` ("sqlite" / "postgresql") migrated to
    `revisions` (one per branch, e.g. ("0004", "r001", "s001")): a migration test's starting point."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / (label + '.db')}"
    else:
        url = fresh_pg_database(request.getfixturevalue("pg_server_url"), f"jiuye_test_{label}_{_worker()}")
    db = Database(url)
    for revision in revisions:
        migrate(db.engine, revision)
    assert current_revision(db.engine) == "+".join(revisions)
    db.dispose()
    return url


@pytest.fixture(scope="session")
def pg_url(pg_server_url) -> str:
    """A database of this xdist worker, migrated once."""
    url = fresh_pg_database(pg_server_url, f"jiuye_test_{_worker()}")
    db = Database(url)
    migrate(db.engine)
    db.dispose()
    return url


@pytest.fixture(autouse=True)
def audit_key(monkeypatch, tmp_path):
    """The audit chain's key and anchors file of a test (outside the database, like a deployment's)."""
    monkeypatch.setenv("JIUYE_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    monkeypatch.setenv("JIUYE_AUDIT_ANCHORS", str(tmp_path / "audit-anchors.jsonl"))
    return tmp_path / "audit-anchors.jsonl"


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "ledger.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    db = Database(url)
    wipe(db.engine)
    db.dispose()
    return url


@pytest.fixture
def ledger(db_url):
    instance = Ledger(db_url, pool_size=20)
    yield instance
    instance.close()


@dataclass
class People:
    admin: int
    cw: int
    cw2: int
    rv: int
    rv2: int
    company: int        # 西城 employer (xicheng/6)
    zhang: int          # its employee
    startup: int        # xicheng/15 startup
    intern: int         # xicheng/9 intern
    community: int      # xicheng/30 community
    binjiang_co: int    # binjiang/四 enterprise


@pytest.fixture
def people(ledger) -> People:
    admin = ledger.create_user(None, "admin", "admin").id
    cw = ledger.create_user(admin, "cw", "case_worker").id
    cw2 = ledger.create_user(admin, "cw2", "case_worker").id
    rv = ledger.create_user(admin, "rv", "reviewer").id
    rv2 = ledger.create_user(admin, "rv2", "reviewer").id
    reg = ledger.register_applicant
    return People(
        admin=admin, cw=cw, cw2=cw2, rv=rv, rv2=rv2,
        company=reg(cw, "organisation", make_uscc("91", "110102", "MA01XC6A0"), "西城示范科技有限公司").id,
        zhang=reg(cw, "person", make_id_number("110102", dt.date(1995, 5, 1), 235), "张三").id,
        startup=reg(cw, "organisation", make_uscc("91", "110102", "MA02NT150"), "西城新创科技有限公司").id,
        intern=reg(cw, "person", make_id_number("110102", dt.date(2003, 5, 8), 146), "赵六").id,
        community=reg(cw, "organisation", make_uscc("51", "110102", "MJ0000301"), "西城某社区").id,
        binjiang_co=reg(cw, "organisation", make_uscc("91", "330108", "MA0BJ4000"), "滨江某企业").id,
    )


def x6(contract_start: str = "2024-03-15") -> dict:
    """Zhang's xicheng/6 situation; another contract start date is another qualifying event (a claim of
    its own: one entitlement, one claim)."""
    situation = example("xicheng_6_stable_employment.json")
    situation["persons"]["zhang_san"]["contract_start_date"] = contract_start
    return situation


def submit_x6(ledger, people, on="2024-03-20", situation=None, actor=None, contract_start="2024-03-15", **kw):
    return ledger.submit(actor or people.cw, measure_id="xicheng/6/employer", beneficiary_id=people.company,
                         person_id=people.zhang, situation=situation or x6(contract_start), on=on, **kw)


def x15(hires: int, registered: str = "2025-02-20") -> dict:
    """The startup's xicheng/15 situation (a one-off reward of the registration year); tests of caps
    across claims give each claim its own registration date: a qualifying event of its own."""
    situation = example("xicheng_15_startup_hiring.json")
    situation["organisations"]["new_tech_co"]["xicheng_15_stable_hires"] = hires
    situation["organisations"]["new_tech_co"]["registration_date"] = registered
    return situation


def registered(n: int) -> str:
    """The n-th distinct registration date in 2025 (tests of many claims under one cap)."""
    return (dt.date(2025, 2, 1) + dt.timedelta(days=n)).isoformat()


def submit_x15(ledger, people, hires=56, on="2026-11-23", actor=None, n=0):
    return ledger.submit(actor or people.cw, measure_id="xicheng/15", beneficiary_id=people.startup,
                         situation=x15(hires, registered(n)), on=on)
