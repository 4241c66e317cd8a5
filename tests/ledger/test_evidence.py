"""Anchored evidence (issue 11): the audit chain is keyed (HMAC, key outside the database) and its
head anchored in a file of signed checkpoints; recomputing the chain, truncating its tail and rolling
the database back are detected; restore verifies before it commits, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import text

from jiuye.ledger import Ledger
from jiuye.ledger.audit import GENESIS, entry_hash
from jiuye.ledger.backup import backup, dump_tables, restore
from jiuye.ledger.db import Database
from jiuye.ledger.errors import Refused

from .conftest import submit_x6
from .test_audit_backup import _fresh_like, populate


def _recompute_chain(db) -> None:
    """What an attacker with the database (and the code, not the key) does: rewrite every hash."""
    from sqlalchemy import select
    from jiuye.ledger.audit import AuditEntry, AuditHead, entry_body
    with db.write() as s:
        prev = GENESIS
        for row in s.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            row.prev_hash = prev
            prev = row.hash = entry_hash(prev, entry_body(row))
        s.get(AuditHead, 1).hash = prev


def test_recomputing_the_whole_chain_is_detected(ledger, people):
    populate(ledger, people)
    with ledger.db.engine.begin() as connection:
        first = connection.execute(text("SELECT seq, payload FROM audit_log WHERE action = 'pay'")).first()
        connection.execute(text("UPDATE audit_log SET payload = :p WHERE seq = :s"),
                           {"p": first.payload.replace('"reference"', '"note"'), "s": first.seq})
    _recompute_chain(ledger.db)
    report = ledger.verify()
    assert not report.ok
    problems = {p["problem"] for p in report.problems}
    assert "mac_mismatch" in problems and "head_mac_mismatch" in problems
    assert "hash_mismatch" not in problems and "broken_link" not in problems      # a consistent forgery …


def test_truncating_tail_entries_that_log_no_rows_is_detected(ledger, people):
    populate(ledger, people)
    ledger.reveal_id_number(people.rv, people.zhang)             # entries that log no rows
    ledger.reveal_id_number(people.rv, people.intern)
    assert ledger.verify().ok
    with ledger.db.engine.begin() as connection:
        last = connection.execute(text("SELECT MAX(seq) FROM audit_log")).scalar_one()
        connection.execute(text("DELETE FROM audit_log WHERE seq >= :s"), {"s": last - 1})
        seq, digest = connection.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).first()
        connection.execute(text("UPDATE audit_head SET seq = :q, hash = :h WHERE id = 1"), {"q": seq, "h": digest})
    report = ledger.verify()
    assert not report.ok and {p["problem"] for p in report.problems} == {"head_mac_mismatch"}


def test_a_database_rolled_back_to_an_older_copy_is_behind_its_anchor(ledger, people, db_url, tmp_path):
    populate(ledger, people)
    early = backup(ledger.db, tmp_path / "early.json")
    submit_x6(ledger, people, contract_start="2024-03-01")
    checkpoint = ledger.anchor()
    assert checkpoint["seq"] > json.loads((tmp_path / "early.json").read_text())["tables"]["audit_head"]["rows"][0][1]
    restore(ledger.db, early["file"], replace=True)        # restore verifies the backup itself …
    report = ledger.verify()                                # … but the anchors show the ledger went back
    assert not report.ok and [p["problem"] for p in report.problems] == ["truncated"]
    assert f"第{checkpoint['seq']}条" in report.problems[0]["message"]


def test_an_anchor_detects_a_rewritten_entry_it_covers(ledger, people):
    populate(ledger, people)
    checkpoint = ledger.anchor()
    with ledger.db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET hash = :h WHERE seq = :s"),
                           {"h": "f" * 64, "s": checkpoint["seq"]})
    assert "anchor_mismatch" in {p["problem"] for p in ledger.verify().problems}


def _forge(path, tmp_path, change) -> str:
    document = json.loads(gzip.open(path, "rt", encoding="utf-8").read() if str(path).endswith(".gz")
                          else open(path, encoding="utf-8").read())
    change(document)
    from jiuye.ledger import audit
    document["sha256"] = audit.sha256(audit.canonical(document["tables"]))
    out = tmp_path / "forged.json"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(out)


def test_restore_commits_nothing_of_a_tampered_backup(ledger, people, db_url, tmp_path):
    populate(ledger, people)
    good = backup(ledger.db, tmp_path / "good.json")

    def double_first_installment(document):
        table = document["tables"]["installments"]
        at = table["columns"].index("amount_cents")
        table["rows"][0][at] *= 2

    forged = _forge(good["file"], tmp_path, double_first_installment)
    target = Database(_fresh_like(db_url, tmp_path))
    with pytest.raises(Refused) as error:
        restore(target, forged)
    assert error.value.code == "backup_unverified" and "未恢复" in error.value.message
    assert all(not t["rows"] for name, t in dump_tables(target).items() if name != "audit_head")
    # over a live ledger (--replace): the ledger keeps every row it had
    before = dump_tables(ledger.db)
    with pytest.raises(Refused):
        restore(ledger.db, forged, replace=True)
    assert dump_tables(ledger.db) == before and ledger.verify().ok
    target.dispose()


def test_a_consistent_forged_backup_is_refused(ledger, people, db_url, tmp_path):
    """The attacker edits a backup and recomputes every hash (the file's sha256 too): without the key
    the HMACs do not verify, so nothing is restored."""
    populate(ledger, people)
    good = backup(ledger.db, tmp_path / "good.json")

    def forge(document):
        from jiuye.ledger.audit import canonical, entry_hash, row_digest
        inst = document["tables"]["installments"]
        first = inst["rows"][0]
        first[inst["columns"].index("amount_cents")] *= 2                    # pay twice as much …
        values = dict(zip(inst["columns"], first))
        log = document["tables"]["audit_log"]
        cols = log["columns"]
        for row in log["rows"]:                                             # … and make the log agree
            payload = json.loads(row[cols.index("payload")])
            for record in payload.get("rows", []):
                if record.get("table") == "installments" and record.get("id") == values["id"]:
                    record["digest"] = row_digest(values)
            row[cols.index("payload")] = canonical(payload)
        prev = GENESIS
        for row in log["rows"]:
            record = dict(zip(cols, row))
            body = {k: record[k] for k in ("seq", "at", "actor_id", "actor", "action", "entity", "entity_id")}
            body["payload"] = json.loads(record["payload"])
            row[cols.index("prev_hash")] = prev
            prev = row[cols.index("hash")] = entry_hash(prev, body)
        head = document["tables"]["audit_head"]
        head["rows"][0][head["columns"].index("hash")] = prev

    forged = _forge(good["file"], tmp_path, forge)
    target = Database(_fresh_like(db_url, tmp_path))
    with pytest.raises(Refused) as error:
        restore(target, forged)
    assert error.value.code == "backup_unverified"
    assert {p["problem"] for p in error.value.details["problems"]} >= {"mac_mismatch"}
    assert restore(target, good["file"], replace=True)["verify"]["ok"]      # the genuine one restores
    target.dispose()


def test_a_different_key_does_not_verify(ledger, people, monkeypatch):
    populate(ledger, people)
    monkeypatch.setenv("JIUYE_AUDIT_KEY", "someone-elses-key")
    assert "mac_mismatch" in {p["problem"] for p in ledger.verify().problems}
