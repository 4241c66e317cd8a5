"""Migration 0005: entitlement keys of claims stored before the yearly key held the year (commit
51ca908) — and before keys existed (0002 left them null) — recomputed, collisions resolved without
losing a row and reported, the audit chain still verifying; on SQLite and PostgreSQL. Each test
builds a database at the previous revision (0004) and records claims there with the code of before
(the key without the year), then upgrades."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import text

from jiuye.ids import make_id_number
from jiuye.ledger import Ledger, Refused
from jiuye.ledger.db import current_revision

from .conftest import BACKENDS, People, database_at, example, submit_x6


@pytest.fixture(params=BACKENDS)
def old_url(request, tmp_path) -> str:
    """An empty database at revision 0004 (and the registry's and supervision's first revisions)."""
    return database_at(request, tmp_path, "migration", ("0004", "r001", "s001"))


def _people(ledger) -> People:
    from jiuye.ids import make_uscc
    admin = ledger.create_user(None, "admin", "admin").id
    cw = ledger.create_user(admin, "cw", "case_worker").id
    rv = ledger.create_user(admin, "rv", "reviewer").id
    reg = ledger.register_applicant
    return People(admin=admin, cw=cw, cw2=cw, rv=rv, rv2=rv,
                  company=reg(cw, "organisation", make_uscc("91", "110102", "MA01XC6A0"), "西城示范科技有限公司").id,
                  zhang=reg(cw, "person", make_id_number("110102", dt.date(1995, 5, 1), 235), "张三").id,
                  startup=0, intern=0, community=0, binjiang_co=0)


def _b8(ledger, cw, sun, year, on):
    situation = example("binjiang_八_public_welfare_posts.json")
    situation["persons"]["sun_liu"]["binjiang_8_performance_year"] = year
    return ledger.submit(cw, measure_id="binjiang/八/performance", beneficiary_id=sun, beneficiary_key="sun_liu",
                         situation=situation, on=on)


def _keys(ledger) -> dict[int, str | None]:
    with ledger.db.engine.connect() as connection:
        return dict(connection.execute(text("SELECT id, entitlement_key FROM applications")).all())


def _record_before(old_url, monkeypatch) -> tuple:
    """Claims recorded at 0004 by the code of before 51ca908 (the yearly key without the year)."""
    from jiuye.ledger import claims
    with monkeypatch.context() as patch:
        patch.setattr(claims, "with_year", lambda measure, event, on, dues: event)
        old = Ledger(old_url, migrate_schema=False)
        people = _people(old)
        sun = old.register_applicant(people.cw, "person", make_id_number("330108", dt.date(1975, 3, 2), 81), "孙六").id
        yearly = old.approve(people.rv, _b8(old, people.cw, sun, 2024, "2025-03-01").id, on="2025-03-02")
        with pytest.raises(Refused) as error:            # the bug of before: 2025 refused as the 2024 claim's
            _b8(old, people.cw, sun, 2025, "2026-03-01")
        assert error.value.code == "duplicate_claim"
        # xicheng/6: a moment fact (the contract start) dates it; its key does not change
        first = old.approve(people.rv, submit_x6(old, people).id, on="2024-03-25")
        # a claim of before 0002 (no key), and then a second claim of its entitlement that no key refused
        with old.db.engine.begin() as connection:
            connection.execute(text("UPDATE applications SET entitlement_key = NULL WHERE id = :i"), {"i": first.id})
        second = submit_x6(old, people, on="2024-04-01")
        rejected = submit_x6(old, people, on="2024-04-02", contract_start="2024-04-01")
        old.reject(people.rv, rejected.id, on="2024-04-03", reason="材料不全")
        before, counts = _keys(old), old.counts()
        old.close()
    return people, sun, yearly, first, second, rejected, before, counts


def test_old_entitlement_keys_are_recomputed_by_the_upgrade(old_url, monkeypatch, caplog):
    from jiuye.ledger.entitlements import entitlement_key
    people, sun, yearly, first, second, rejected, before, counts = _record_before(old_url, monkeypatch)
    old_yearly_key = before[yearly.id]

    caplog.set_level(logging.WARNING, logger="alembic.runtime.migration")
    ledger = Ledger(old_url)                         # migrates to head
    try:
        assert current_revision(ledger.db.engine).startswith("0005")
        after = _keys(ledger)
        assert ledger.counts() == {**counts, "audit_log": counts["audit_log"] + 1}     # no row lost; one entry
        from jiuye.ledger.base import catalogue
        measure = catalogue().measure("binjiang/八/performance")
        assert after[yearly.id] != old_yearly_key
        situation = example("binjiang_八_public_welfare_posts.json")
        situation["persons"]["sun_liu"]["binjiang_8_performance_year"] = 2024
        from jiuye.ledger.entitlements import qualifying_event
        event = {**qualifying_event(measure, situation, "sun_liu", "sun_liu"), "year": 2024}
        assert after[yearly.id] == entitlement_key(measure, sun, sun, event)
        # the moment-dated key is unchanged; the key-less approved claim takes its key, the later
        # claim of the same entitlement keeps none and is reported
        assert after[first.id] == before[second.id] and after[second.id] is None
        assert after[rejected.id] == before[rejected.id]
        [entry] = [e for e in ledger.audit_entries(people.admin, limit=1000) if e["action"] == "recompute_entitlement_keys"]
        assert entry["payload"]["summary"]["collisions"] == [
            {"application_id": second.id, "kept_by": first.id, "measure": "xicheng/6/employer"}]
        assert any(f"#{second.id}" in r.getMessage() and f"#{first.id}" in r.getMessage() for r in caplog.records)
        assert ledger.verify().ok, ledger.verify().problems
        # the keys work as the new code's: 2025 is its own entitlement, 2024 again is the first's
        assert _b8(ledger, people.cw, sun, 2025, "2026-03-01").result_status == "eligible"
        with pytest.raises(Refused) as error:
            _b8(ledger, people.cw, sun, 2024, "2025-09-01")
        assert error.value.code == "duplicate_claim" and f"#{yearly.id}" in error.value.message
        with pytest.raises(Refused) as error:
            submit_x6(ledger, people, on="2024-05-01")
        assert error.value.code == "duplicate_claim" and f"#{first.id}" in error.value.message
        assert ledger.verify().ok
    finally:
        ledger.close()


LATER_COLUMN = """
import sys
from sqlalchemy import Column, String
from sqlalchemy.orm import column_property
from jiuye.ledger.db import Database, migrate
from jiuye.ledger.models import Application, AuditEntry, AuditHead
for model in (Application, AuditEntry, AuditHead):      # as a later revision would add them
    extra = Column("added_later", String(10))
    model.__table__.append_column(extra)
    model.__mapper__.add_property("added_later", column_property(extra))
db = Database(sys.argv[1])
migrate(db.engine)
db.dispose()
"""


def test_the_upgrade_reads_the_tables_not_the_models(old_url, monkeypatch):
    """0005 reads and writes the tables as they are at its revision: upgraded by code whose models of
    the claims and the audit log have a column a later revision adds (in a fresh interpreter), it
    recomputes the same keys, and the chain and every row verify."""
    import subprocess
    import sys
    from pathlib import Path
    people, sun, yearly, first, second, rejected, before, counts = _record_before(old_url, monkeypatch)
    done = subprocess.run([sys.executable, "-c", LATER_COLUMN, old_url], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    ledger = Ledger(old_url, migrate_schema=False)
    try:
        assert current_revision(ledger.db.engine).startswith("0005")
        after = _keys(ledger)
        assert ledger.counts() == {**counts, "audit_log": counts["audit_log"] + 1}
        assert after[yearly.id] != before[yearly.id]
        assert after[first.id] == before[second.id] and after[second.id] is None
        assert after[rejected.id] == before[rejected.id]
        [entry] = [e for e in ledger.audit_entries(people.admin, limit=1000) if e["action"] == "recompute_entitlement_keys"]
        assert entry["payload"]["summary"]["collisions"] == [
            {"application_id": second.id, "kept_by": first.id, "measure": "xicheng/6/employer"}]
        assert {r["id"] for r in entry["payload"]["rows"]} == {yearly.id, first.id, second.id}
        assert ledger.verify().ok, ledger.verify().problems
    finally:
        ledger.close()
