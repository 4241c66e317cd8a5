"""The hash-chained audit log finds edits made directly in the database; backup and restore round-trip
every table exactly; the migrations create exactly the models' schema."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text, update

from jiuye.ledger import Ledger
from jiuye.ledger.audit import GENESIS, entry_hash
from jiuye.ledger.backup import backup, dump_tables, read_backup, restore
from jiuye.ledger.db import Database, current_revision, wipe
from jiuye.ledger.errors import InvalidInput, Refused
from jiuye.ledger.models import Base, Installment, backed_up_tables

from .conftest import example, submit_x15, submit_x6


def populate(ledger, people) -> dict:
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25", reason="材料齐全")
    ledger.pay(people.cw, app.installments[0].id, on="2025-03-14", idempotency_key="p1", reference="银行流水1")
    ledger.reject(people.rv, submit_x15(ledger, people, hires=5).id, on="2026-11-24", reason="人数不足10人")
    ledger.submit(people.cw, measure_id="xicheng/9", beneficiary_id=people.intern,
                  situation=example("xicheng_9_internship.json"), on="2026-11-23")
    changed = example("xicheng_6_stable_employment.json")
    changed["persons"]["zhang_san"]["contract_termination_date"] = "2026-01-31"
    ledger.reassess(people.cw, app.id, on="2026-02-15", situation=changed, reason="合同提前解除")
    return {"application": app.id, "installment": app.installments[1].id}


def test_chain_links_every_entry(ledger, people):
    populate(ledger, people)
    entries = ledger.audit_entries(people.cw, limit=10000)
    prev = GENESIS
    for entry in entries:
        body = {k: entry[k] for k in ("seq", "at", "actor_id", "actor", "action", "entity", "entity_id", "payload")}
        assert entry["prev_hash"] == prev and entry["hash"] == entry_hash(prev, body)
        prev = entry["hash"]
    report = ledger.verify()
    assert report.ok and report.entries == len(entries) and report.head_hash == prev
    actions = {e["action"] for e in entries}
    assert {"create_user", "register_applicant", "submit", "approve", "pay", "reject", "reassess"} <= actions


def test_verify_finds_a_row_edited_in_the_database(ledger, people):
    ids = populate(ledger, people)
    assert ledger.verify().ok
    with ledger.db.engine.begin() as connection:      # someone doubles an amount behind the ledger's back
        connection.execute(update(Installment).where(Installment.id == ids["installment"])
                           .values(amount_cents=Installment.amount_cents * 2))
    report = ledger.verify()
    assert not report.ok
    assert [(p["problem"], p["table"], p["id"]) for p in report.problems] == [
        ("row_changed", "installments", ids["installment"])]
    assert "被改动" in report.problems[0]["message"]


def test_verify_finds_an_edited_log_entry_and_a_cut_chain(ledger, people):
    populate(ledger, people)
    with ledger.db.engine.begin() as connection:
        payload = connection.execute(text("SELECT payload FROM audit_log WHERE seq = 3")).scalar_one()
        connection.execute(text("UPDATE audit_log SET payload = :p WHERE seq = 3"),
                           {"p": payload.replace("{", '{"x":1,', 1)})
    problems = {p["problem"] for p in ledger.verify().problems}
    assert "hash_mismatch" in problems


def test_verify_finds_a_deleted_log_entry(ledger, people):
    populate(ledger, people)
    with ledger.db.engine.begin() as connection:
        last = connection.execute(text("SELECT MAX(seq) FROM audit_log")).scalar_one()
        connection.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": last})
    problems = {p["problem"] for p in ledger.verify().problems}
    # the last entry (the reassessment) is gone: the head no longer matches, and the rows it covered
    # (its decision, the installments it cancelled) no longer match the log
    assert "head_mismatch" in problems and {"row_changed", "unlogged_row"} <= problems


def test_verify_finds_a_row_inserted_outside_the_ledger(ledger, people):
    populate(ledger, people)
    with ledger.db.engine.begin() as connection:
        connection.execute(text("INSERT INTO applicants (kind, id_number, name, created_at) "
                                "VALUES ('person', '11010519491231002X', '某人', :t)"), {"t": dt.datetime(2026, 1, 1)})
    report = ledger.verify()
    assert [p["problem"] for p in report.problems] == ["unlogged_row"]


def test_cli_verify_reports_tampering(ledger, people, db_url):
    from typer.testing import CliRunner
    from jiuye.cli import app
    ids = populate(ledger, people)
    runner = CliRunner()
    ok = runner.invoke(app, ["ledger", "--database", db_url, "verify"])
    assert ok.exit_code == 0 and "完好" in ok.output
    with ledger.db.engine.begin() as connection:
        connection.execute(update(Installment).where(Installment.id == ids["installment"]).values(status="paid"))
    bad = runner.invoke(app, ["ledger", "--database", db_url, "verify"])
    assert bad.exit_code == 1 and f"installments#{ids['installment']}" in bad.output


def test_backup_restore_round_trip(ledger, people, db_url, tmp_path):
    populate(ledger, people)
    before = dump_tables(ledger.db)
    assert all(before[t.name]["rows"] for t in backed_up_tables())     # every table has rows
    out = backup(ledger.db, tmp_path / "ledger.json.gz")
    document = read_backup(out["file"])
    assert document["schema_revision"] == current_revision(ledger.db.engine)

    # restore into a fresh database of the same backend
    target_url = _fresh_like(db_url, tmp_path)
    target = Database(target_url)
    result = restore(target, out["file"])
    assert result["verify"]["ok"], result["verify"]["problems"]
    after = dump_tables(target)
    assert after == before                                    # every table, row for row
    # a backup of the restored database has the same content hash
    again = backup(target, tmp_path / "again.json")
    assert again["sha256"] == out["sha256"]
    # the restored ledger goes on: ids continue, the chain grows and still verifies
    restored = Ledger(database=target)
    with pytest.raises(Refused) as twice:             # the restored claims still hold their entitlements
        submit_x6(restored, people)
    assert twice.value.code == "duplicate_claim"
    new = submit_x6(restored, people, contract_start="2024-03-01")
    assert new.id > max(row[0] for row in before["applications"]["rows"])
    assert restored.verify().ok
    # restoring over rows is refused, unless --replace
    with pytest.raises(Refused) as error:
        restore(target, out["file"])
    assert error.value.code == "not_empty"
    assert restore(target, out["file"], replace=True)["verify"]["ok"]
    assert dump_tables(target) == before
    target.dispose()


def test_backup_restore_across_backends(ledger, people, db_url, tmp_path, request):
    """SQLite → PostgreSQL and PostgreSQL → SQLite give the same tables."""
    populate(ledger, people)
    before = dump_tables(ledger.db)
    out = backup(ledger.db, tmp_path / "cross.json")
    if db_url.startswith("sqlite"):
        target = Database(request.getfixturevalue("pg_url"))
        wipe(target.engine)
    else:
        target = Database(f"sqlite:///{tmp_path / 'cross.db'}")
    assert restore(target, out["file"], replace=True)["verify"]["ok"]
    assert dump_tables(target) == before
    wipe(target.engine)
    target.dispose()


def test_restore_refuses_a_corrupt_file(ledger, people, tmp_path):
    populate(ledger, people)
    out = backup(ledger.db, tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    document["tables"]["payments"]["rows"][0][3] = 1        # the amount
    (tmp_path / "b.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInput, match="sha256"):
        read_backup(out["file"])


def test_migrations_match_the_models(db_url):
    """The hand-written migration creates exactly what the models declare (autogenerate compare)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    db = Database(db_url)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    db.dispose()
    ours = {t.name for t in Base.metadata.sorted_tables}

    def table_of(op) -> str | None:       # other packages' tables (registry, supervision) are theirs
        op = op[0] if isinstance(op, list) else op
        item = op[1] if len(op) > 1 else None
        table = getattr(item, "table", item)
        return getattr(table, "name", None) if table is not None else (op[2] if len(op) > 2 else None)

    assert [op for op in diff if table_of(op) in ours or table_of(op) is None] == []


def _fresh_like(db_url: str, tmp_path) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.db'}"
    import psycopg
    base, name = db_url.rsplit("/", 1)
    fresh = name + "_restore"
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{fresh}"')
    return f"{base}/{fresh}"
