"""16 concurrent approvers and payers (threads, each with its own connection): the invariants hold on
PostgreSQL (row locks, unique constraints) and on SQLite (one writer at a time)."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

from sqlalchemy import func, select

from jiuye.ledger import Refused
from jiuye.ledger.models import Installment, Payment

from .conftest import submit_x15, submit_x6

N = 16


def race(fn, n: int = N) -> list:
    """Run fn(i) in n threads released together; each outcome is a value or the exception raised."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as error:       # noqa: BLE001 — collected for the assertions
            out[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


def codes(outcomes) -> Counter:
    return Counter(o.code if isinstance(o, Refused) else ("ok" if not isinstance(o, Exception) else repr(o))
                   for o in outcomes)


def reviewers(ledger, people, n=N) -> list[int]:
    return [ledger.create_user(people.admin, f"reviewer{i}", "reviewer").id for i in range(n)]


def test_sixteen_approvers_one_claim(ledger, people):
    app = submit_x6(ledger, people)
    team = reviewers(ledger, people)
    outcomes = race(lambda i: ledger.approve(team[i], app.id, on="2024-03-25", reason=f"审核{i}"))
    assert codes(outcomes) == Counter({"ok": 1, "already_decided": N - 1})
    detail = ledger.application(people.rv, app.id)
    assert detail.status == "approved" and len(detail.decisions) == 1
    assert ledger.verify().ok


def test_sixteen_payers_one_installment(ledger, people):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    payers = [ledger.create_user(people.admin, f"payer{i}", "case_worker").id for i in range(N)]
    target = app.installments[0].id
    # distinct keys: one payment, fifteen refusals
    outcomes = race(lambda i: ledger.pay(payers[i], target, on="2025-03-14", idempotency_key=f"bank-{i}"))
    assert codes(outcomes) == Counter({"ok": 1, "already_paid": N - 1})
    # one key replayed sixteen times on another installment: one payment, returned to all
    second = app.installments[1].id
    replays = race(lambda i: ledger.pay(payers[i], second, on="2026-03-14", idempotency_key="same-transfer"))
    assert codes(replays) == Counter({"ok": N})
    assert len({p.id for p in replays}) == 1 and sum(not p.replayed for p in replays) == 1
    with ledger.db.read() as s:
        per_installment = s.execute(select(Payment.installment_id, func.count()).group_by(Payment.installment_id)).all()
        assert sorted(per_installment) == [(target, 1), (second, 1)]
        assert s.scalar(select(func.sum(Payment.amount_cents))) == (6000 + 9000) * 100
    assert ledger.verify().ok


def test_sixteen_approvers_sixteen_claims_under_one_cap(ledger, people):
    """xicheng/15's 100000 cap per organisation and year, sixteen 56000 claims approved at once:
    56000 + 44000 are granted, the rest refused — never more than the cap."""
    claims = [submit_x15(ledger, people, hires=56, n=i) for i in range(N)]
    team = reviewers(ledger, people)
    outcomes = race(lambda i: ledger.approve(team[i], claims[i].id, on="2026-11-24"))
    assert codes(outcomes) == Counter({"ok": 2, "cap_reached": N - 2})
    granted = sorted(inst.amount for o in outcomes if not isinstance(o, Exception) for inst in o.installments)
    assert granted == [Decimal("44000.00"), Decimal("56000.00")]
    with ledger.db.read() as s:
        total = s.scalar(select(func.sum(Installment.amount_cents)).where(Installment.status == "scheduled"))
    assert total == 100000 * 100
    assert ledger.verify().ok


def test_sixteen_mixed_writers_keep_the_chain(ledger, people):
    """Approvals, payments and submissions interleaved: the audit chain stays one unbroken line."""
    approved = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    pending = [submit_x6(ledger, people, contract_start=f"2024-03-0{i + 1}") for i in range(4)]
    team = reviewers(ledger, people, 4)

    def work(i):
        if i < 4:
            return ledger.approve(team[i], pending[i].id, on="2024-03-26")
        if i < 8:
            return ledger.pay(people.cw, approved.installments[0].id, on="2025-03-14", idempotency_key=f"m{i}")
        return submit_x6(ledger, people, actor=people.cw2, contract_start=f"2024-02-{i:02d}")

    outcomes = race(work)
    counted = codes(outcomes)
    assert counted["ok"] == 4 + 1 + 8 and counted["already_paid"] == 3
    report = ledger.verify()
    assert report.ok and report.entries == report.head_seq
