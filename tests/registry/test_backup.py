"""`jiuye ledger backup` / `restore` hold every table of the database: the registry's (Alembic branch
r001) and supervision's (s001) beside the ledger's, on SQLite and PostgreSQL; a restore is still
verified in its own transaction before anything is committed."""

from __future__ import annotations

import json

import pytest

from jiuye.ledger import Ledger
from jiuye.ledger import audit
from jiuye.ledger.backup import backup, dump_tables, restore
from jiuye.ledger.db import Database, wipe
from jiuye.ledger.errors import Refused
from jiuye.registry import Registry
from jiuye.supervision import Supervision
from tests.ledger.test_audit_backup import _fresh_like

from .conftest import person_number

ATTACHMENT = b"%PDF-1.4 \x00\xff\xfe binary"         # not UTF-8: base64 in the backup


def _populate(ledger, registry, world) -> dict:
    from jiuye.supervision.models import wipe as wipe_supervision
    wipe_supervision(ledger.db.engine)
    p = registry.register_person(world.xc, person_number("110102"), "张三", world.xinjiekou, on="2026-06-01",
                                 household="户1")
    registry.add_status(world.xc, p["id"], "graduate", start_on="2026-06-01",
                        details={"graduation_date": "2026-06-30", "origin": "beijing"})
    registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-06-01")
    registry.add_spell(world.xc, p["id"], "employee", start_on="2026-07-01", employer="某公司", contract=True)
    registry.record(world.xc, p["id"], "phone", on="2026-06-05", outcome="已回访")
    registry.open_plan(world.xc, p["id"], on="2026-06-05", goals="一生一策", steps=[("职业指导", "2026-06-20")])
    sup = Supervision(ledger)
    member = ledger.create_user(None, "minzheng", "case_worker").id
    unit = sup.unit("heping", "区民政局").id
    sup.add_member(None, member, unit)
    report = sup.save_report(member, "heping/附件1/15", "2024-05", status="on_track", on="2024-06-01",
                             progress="养老机构开办中")
    attachment = sup.add_attachment(member, report.id, "签到表.pdf", "application/pdf", ATTACHMENT)
    return {"person": p["id"], "member": member, "attachment": attachment["id"]}


def test_backup_and_restore_hold_the_registry_and_supervision(ledger, registry, world, db_url, tmp_path):
    ids = _populate(ledger, registry, world)
    before = dump_tables(ledger.db)
    for name in ("reg_areas", "reg_persons", "reg_statuses", "reg_spells", "reg_records", "reg_plans",
                 "reg_plan_steps", "reg_roles", "sup_units", "sup_members", "sup_reports", "sup_attachments"):
        assert before[name]["rows"], name
    assert "alembic_version" not in before and "login_throttle" not in before
    out = backup(ledger.db, tmp_path / "all.json.gz")
    assert out["rows"]["reg_persons"] == 1 and out["rows"]["sup_attachments"] == 1
    due_before = registry.due(world.xc, on="2026-06-10")

    target = Database(_fresh_like(db_url, tmp_path))
    result = restore(target, out["file"])
    assert result["verify"]["ok"], result["verify"]["problems"]
    assert dump_tables(target) == before                       # every table, row for row
    restored = Ledger(database=target)
    again = Registry(ledger=restored)
    assert again.person(world.xc, ids["person"])["name"] == "张三"
    assert again.due(world.xc, on="2026-06-10") == due_before
    assert Supervision(restored).attachment(ids["member"], ids["attachment"])[2] == ATTACHMENT
    # ids go on after the restored rows (PostgreSQL: the sequences of the shared tables too)
    q = again.register_person(world.xc, person_number("110102"), "李四", world.xinjiekou, on="2026-06-02")
    assert q["id"] > ids["person"]
    assert restored.verify().ok

    # a database holding registry rows only is not empty: refused unless --replace
    wipe_ledger_only(target)
    with pytest.raises(Refused) as error:
        restore(target, out["file"])
    assert error.value.code == "not_empty" and error.value.details["table"].startswith("reg_")
    assert restore(target, out["file"], replace=True)["verify"]["ok"]
    assert dump_tables(target) == before                       # 李四 is gone: replaced by the backup
    target.dispose()


def wipe_ledger_only(db: Database) -> None:
    """Empty the ledger's tables and leave the registry's (as a database restored before this change)."""
    from jiuye.ledger.audit import GENESIS
    from jiuye.ledger.models import AuditHead, Base
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        connection.execute(AuditHead.__table__.insert().values(id=1, seq=0, hash=GENESIS))


def test_a_backup_that_does_not_verify_leaves_the_registry_as_it_was(ledger, registry, world, db_url, tmp_path):
    _populate(ledger, registry, world)
    out = backup(ledger.db, tmp_path / "all.json")
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    entries = document["tables"]["audit_log"]
    columns = entries["columns"]
    entries["rows"][-1][columns.index("actor")] = "forger"                  # an entry changed after the fact
    document["sha256"] = audit.sha256(audit.canonical(document["tables"]))       # a consistent, forged file
    (tmp_path / "forged.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = dump_tables(ledger.db)
    with pytest.raises(Refused) as error:
        restore(ledger.db, tmp_path / "forged.json", replace=True)
    assert error.value.code == "backup_unverified"
    assert dump_tables(ledger.db) == before                    # replace undone: registry and supervision kept
    assert out["rows"]["reg_persons"] == 1


def test_the_cross_backend_round_trip_holds_the_registry(ledger, registry, world, db_url, tmp_path, request):
    """SQLite → PostgreSQL and PostgreSQL → SQLite: the registry's and supervision's tables as well."""
    _populate(ledger, registry, world)
    before = dump_tables(ledger.db)
    out = backup(ledger.db, tmp_path / "cross.json")
    if db_url.startswith("sqlite"):
        target = Database(request.getfixturevalue("pg_url"))
    else:
        target = Database(f"sqlite:///{tmp_path / 'cross.db'}")
    assert restore(target, out["file"], replace=True)["verify"]["ok"]
    assert dump_tables(target) == before
    wipe(target.engine)
    assert all(not t["rows"] for name, t in dump_tables(target).items() if name != "audit_head")
    target.dispose()


def _changed(document, table, column, value, row=0):
    data = document["tables"][table]
    data["rows"][row][data["columns"].index(column)] = value


def _dropped(document, table, row=-1):
    document["tables"][table]["rows"].pop(row)


def _added(document, table):
    data = document["tables"][table]
    extra = list(data["rows"][0])
    extra[data["columns"].index("id")] = max(r[data["columns"].index("id")] for r in data["rows"]) + 100
    data["rows"].append(extra)


TAMPERED = {   # what is done to a consistent (re-hashed) backup, and what the refusal must name
    "a person's name changed": (lambda d: _changed(d, "reg_persons", "name", "李四"), "reg_persons#", "内容不符"),
    "a status removed": (lambda d: _dropped(d, "reg_statuses"), "reg_statuses#", "不存在"),
    "the statuses truncated": (lambda d: d["tables"]["reg_statuses"]["rows"].clear(), "reg_statuses#", "不存在"),
    "a plan step added": (lambda d: _added(d, "reg_plan_steps"), "reg_plan_steps#", "没有审计记录"),
    "a report's progress changed": (lambda d: _changed(d, "sup_reports", "progress", "已完成"), "sup_reports#",
                                    "内容不符"),
    "a member removed": (lambda d: _dropped(d, "sup_members"), "sup_members#", "不存在"),
    "an attachment's bytes replaced": (lambda d: _changed(d, "sup_attachments", "data", "Zm9yZ2Vk"),
                                       "sup_attachments#", "sha256不符"),
    "an attachment removed": (lambda d: _dropped(d, "sup_attachments"), "sup_attachments#", "不存在"),
}


@pytest.mark.parametrize("tamper", list(TAMPERED))
def test_a_tampered_registry_or_supervision_table_is_refused(ledger, registry, world, db_url, tmp_path, tamper):
    """The registry's and supervision's rows are verified as the ledger's are: each against its
    last logged digest (a file against its logged sha256). A backup changed, cut or added to there,
    re-hashed so that its sha256 holds, is refused naming the row, and nothing is restored."""
    change, table, words = TAMPERED[tamper]
    _populate(ledger, registry, world)
    backup(ledger.db, tmp_path / "all.json")
    document = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    change(document)
    document["sha256"] = audit.sha256(audit.canonical(document["tables"]))      # a consistent, forged file
    (tmp_path / "forged.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    target = Database(_fresh_like(db_url, tmp_path))
    with pytest.raises(Refused) as error:
        restore(target, tmp_path / "forged.json")
    assert error.value.code == "backup_unverified"
    assert "备份未通过校验，未恢复任何数据" in error.value.message
    assert table in error.value.message and words in error.value.message, error.value.message
    assert all(not t["rows"] for name, t in dump_tables(target).items() if name != "audit_head")   # nothing written
    before = dump_tables(ledger.db)                                   # nor over a database that has rows
    with pytest.raises(Refused):
        restore(ledger.db, tmp_path / "forged.json", replace=True)
    assert dump_tables(ledger.db) == before
    target.dispose()


def test_ledger_verify_checks_the_registry_and_supervision_rows(ledger, registry, world, db_url):
    """`jiuye ledger verify` (Ledger.verify) checks the shared tables as a restore does: a registry
    row changed in the database behind the service's back is reported, naming the row."""
    from sqlalchemy import text
    ids = _populate(ledger, registry, world)
    assert ledger.verify().ok
    with ledger.db.engine.begin() as connection:
        connection.execute(text("UPDATE reg_persons SET name = '李四' WHERE id = :id"), {"id": ids["person"]})
    report = ledger.verify()
    assert not report.ok
    assert any(f"reg_persons#{ids['person']}" in p["message"] and "内容不符" in p["message"] for p in report.problems), \
        report.problems
