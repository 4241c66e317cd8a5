"""`jiuye ledger …` for scripting, demo mode, users and passwords (argon2)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jiuye.cli import app
from jiuye.ledger import Forbidden, Ledger
from jiuye.ledger.passwords import hash_password, verify_password

from jiuye.examples import example_path

runner = CliRunner()
SITUATION = str(example_path("xicheng_6_stable_employment.json"))


def cli(db_url, *args, input=None):
    return runner.invoke(app, ["ledger", "--database", db_url, *args], input=input)


def test_seed_demo_refused_outside_demo_mode(db_url, monkeypatch):
    monkeypatch.delenv("JIUYE_DEMO", raising=False)
    out = cli(db_url, "seed-demo")
    assert out.exit_code == 3 and "JIUYE_DEMO=1" in out.output


def test_seed_demo_and_demo_logins(db_url, monkeypatch):
    monkeypatch.setenv("JIUYE_DEMO", "1")
    out = cli(db_url, "seed-demo")
    assert out.exit_code == 0, out.output
    for username in ("admin", "jingban", "shenhe", "zhaoliu"):
        assert username in out.output
    listed = cli(db_url, "list", "--json")
    apps = json.loads(listed.stdout)
    # the ledger's own demo claims (the registry's and supervision's demo data may add claims of theirs)
    assert {a["measure_id"] for a in apps} >= {"xicheng/6/employer", "xicheng/9", "xicheng/15"}
    x6 = next(a for a in apps if a["measure_id"] == "xicheng/6/employer")
    assert x6["status"] == "approved" and [i["status"] for i in x6["installments"]] == ["paid", "paid", "scheduled"]
    assert "********" in x6["person"]["id_number_masked"]
    assert cli(db_url, "verify").exit_code == 0
    again = cli(db_url, "seed-demo")
    assert again.exit_code == 3 and "已有用户" in again.output

    ledger = Ledger(db_url)
    assert ledger.authenticate("shenhe", "demo-shenhe-2026", demo=True).role == "reviewer"
    assert ledger.authenticate("shenhe", "demo-shenhe-2026", demo=False) is None     # outside demo mode
    assert ledger.authenticate("shenhe", "wrong-password", demo=True) is None
    monkeypatch.delenv("JIUYE_DEMO")
    assert ledger.authenticate("admin", "demo-admin-2026") is None
    ledger.close()


def test_scripted_workflow(db_url):
    steps = [
        ("add-applicant", "--kind", "organisation", "--id-number", "91350100M000100Y43", "--name", "某公司"),
        ("add-applicant", "--kind", "person", "--id-number", "11010519491231002X", "--name", "张三"),
        ("add-user", "jb", "--role", "case_worker"),
        ("add-user", "sh", "--role", "reviewer"),
    ]
    for step in steps:
        out = cli(db_url, *step)
        assert out.exit_code == 0, out.output
    out = cli(db_url, "submit", SITUATION, "--measure", "xicheng/6/employer", "--beneficiary", "1", "--person", "2",
              "--on", "2024-03-20", "--as", "jb", "--json")
    assert out.exit_code == 0, out.output
    application = json.loads(out.stdout)
    assert application["result_status"] == "eligible" and application["total"] == "27000.00"
    own = cli(db_url, "approve", str(application["id"]), "--on", "2024-03-25", "--as", "jb")
    assert own.exit_code == 3 and "经办" in own.output
    ok = cli(db_url, "approve", str(application["id"]), "--on", "2024-03-25", "--as", "sh", "--reason", "齐全")
    assert ok.exit_code == 0 and "已批准" in ok.output
    payable = json.loads(cli(db_url, "payable", "--on", "2025-03-14", "--json").stdout)
    assert [p["amount"] for p in payable] == ["6000.00"]
    paid = cli(db_url, "pay", str(payable[0]["id"]), "--on", "2025-03-14", "--key", "B-1", "--as", "jb")
    assert paid.exit_code == 0 and "6,000元" in paid.output
    replay = cli(db_url, "pay", str(payable[0]["id"]), "--on", "2025-03-14", "--key", "B-1", "--as", "jb")
    assert replay.exit_code == 0 and "重放" in replay.output
    twice = cli(db_url, "pay", str(payable[0]["id"]), "--on", "2025-03-14", "--key", "B-2", "--as", "jb")
    assert twice.exit_code == 3 and "already_paid" in twice.output
    early = cli(db_url, "pay", str(payable[0]["id"] + 1), "--on", "2025-03-14", "--key", "B-3", "--as", "jb")
    assert early.exit_code == 3 and "not_due" in early.output
    shown = cli(db_url, "show", str(application["id"]))
    assert "已支付" in shown.output and "规则版本" in shown.output
    assert cli(db_url, "log").exit_code == 0
    bad = cli(db_url, "add-applicant", "--kind", "person", "--id-number", "110105194912310021", "--name", "x")
    assert bad.exit_code == 2 and "id_number" in bad.output and "校验码" in bad.output


def test_cli_backup_restore(db_url, tmp_path):
    assert cli(db_url, "add-user", "a", "--role", "admin").exit_code == 0
    out = cli(db_url, "backup", str(tmp_path / "b.json.gz"))
    assert out.exit_code == 0 and "sha256" in out.output
    target = f"sqlite:///{tmp_path / 'r.db'}"
    restored = runner.invoke(app, ["ledger", "--database", target, "restore", str(tmp_path / "b.json.gz")])
    assert restored.exit_code == 0 and "完好" in restored.output


def test_passwords_are_argon2_and_roles_are_enforced(ledger):
    stored = hash_password("correct horse")
    assert stored.startswith("$argon2id$") and verify_password(stored, "correct horse")
    assert not verify_password(stored, "wrong") and not verify_password(None, "x")
    admin = ledger.create_user(None, "boss", "admin", password="tall-oak-river-7")
    cw = ledger.create_user(admin.id, "worker", "case_worker", password="quiet-lamp-harbor-3")
    assert ledger.authenticate("worker", "quiet-lamp-harbor-3").role == "case_worker"
    with pytest.raises(Forbidden):
        ledger.create_user(cw.id, "sneaky", "admin")
    with pytest.raises(Forbidden):
        ledger.set_password(cw.id, admin.id, "violet-canyon-42x")
    ledger.set_password(cw.id, cw.id, "amber-sparrow-vault-9")
    assert ledger.authenticate("worker", "amber-sparrow-vault-9") is not None
    ledger.set_active(admin.id, cw.id, False)
    assert ledger.authenticate("worker", "amber-sparrow-vault-9") is None
    assert ledger.verify().ok
