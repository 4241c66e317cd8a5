"""kill -9 in the middle of a bulk insert (one transaction per application): every committed
application is intact, with its installments and its audit entry, and no half application is left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from jiuye.ledger.models import Application, AuditEntry, Installment

from jiuye.examples import example_path

from .conftest import submit_x6

HELPER = Path(__file__).with_name("bulk_insert.py")


def test_sigkill_mid_bulk_insert(ledger, people, db_url):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(HELPER), db_url, "500", str(people.cw), str(people.company), str(people.zhang),
         str(example_path("xicheng_6_stable_employment.json")), "12"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    committed: list[int] = []
    in_flight = None
    try:
        for line in process.stdout:
            word, _, value = line.strip().partition(" ")
            if word == "committed":
                committed.append(int(value))
            elif word == "inside" and len(committed) >= 12:
                in_flight = int(value)            # its transaction is open right now
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.kill()
        stderr = process.stderr.read()
        process.wait(30)
    assert process.returncode == -signal.SIGKILL, stderr
    assert in_flight is not None and len(committed) >= 12

    with ledger.db.read() as s:
        apps = {a.id: a for a in s.scalars(select(Application))}
        # every committed application is there; the one being written when killed is not
        assert set(committed) <= set(apps) and in_flight not in apps
        assert len(apps) == len(committed)
        for app in apps.values():
            expected = len(json.loads(app.result_json)["installments"])
            assert expected == 3
            count = s.scalar(select(func.count()).select_from(Installment).where(Installment.application_id == app.id))
            assert count == expected, f"application {app.id} has {count} installments"
            logged = s.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.entity == "application", AuditEntry.entity_id == str(app.id),
                                     AuditEntry.action == "submit"))
            assert logged == 1, f"application {app.id} has no audit entry"
        orphans = s.scalar(select(func.count()).select_from(Installment)
                           .where(Installment.application_id.not_in(list(apps) or [0])))
        assert orphans == 0
        if ledger.db.engine.dialect.name == "sqlite":
            assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    report = ledger.verify()
    assert report.ok, report.problems
    # the ledger goes on after the crash (locks released, sequence and chain continue)
    after = submit_x6(ledger, people, contract_start="2024-01-02")
    assert after.id > max(committed) and ledger.verify().ok
