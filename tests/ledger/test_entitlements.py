"""One entitlement, one claim (issue 11, Money): a second claim for the same measure, beneficiary,
person and qualifying event is refused with the first claim's number, on both backends and under
concurrency; what was paid under the first can never become payable again."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from jiuye.ledger import Refused

from .conftest import d, example, submit_x6
from .test_concurrency import N, codes, race


def test_a_second_identical_xicheng_6_claim_is_refused_with_the_first_number(ledger, people):
    """The issue's case: the same employer, the same employee, the same contract. Years 1–2 (6,000 and
    9,000) paid under the first claim; the second claim is refused, so nothing becomes payable again."""
    first = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    assert [i.amount for i in first.installments] == [Decimal("6000.00"), Decimal("9000.00"), Decimal("12000.00")]
    ledger.pay(people.cw, first.installments[0].id, on="2025-03-14", idempotency_key="y1")
    ledger.pay(people.cw, first.installments[1].id, on="2026-03-14", idempotency_key="y2")
    for actor in (people.cw, people.cw2, people.rv2):
        with pytest.raises(Refused) as error:
            submit_x6(ledger, people, actor=actor, on="2024-04-01")
        assert error.value.code == "duplicate_claim"
        assert f"申请#{first.id}" in error.value.message and "重新核定" in error.value.message
        assert error.value.details["application_id"] == first.id
    # a changed wage is not a new entitlement (the contract is the qualifying event) …
    from .conftest import x6
    changed = x6()
    changed["persons"]["zhang_san"]["monthly_wage"] = 4100
    with pytest.raises(Refused, match="duplicate_claim|同一资格"):
        submit_x6(ledger, people, situation=changed)
    # … and nothing paid is payable again, under any claim
    payable = ledger.payable(people.cw, on="2030-12-31")
    assert [(i.application_id, i.seq) for i in payable] == [(first.id, 3)]
    assert ledger.counts()["applications"] == 1
    # another contract (another start date) is another entitlement
    other = submit_x6(ledger, people, contract_start="2024-03-01")
    assert other.id != first.id and other.status == "submitted"


def test_a_rejected_claim_does_not_hold_the_entitlement(ledger, people):
    first = submit_x6(ledger, people)
    ledger.reject(people.rv, first.id, on="2024-03-25", reason="材料不全")
    again = submit_x6(ledger, people, on="2024-04-01")
    assert again.id != first.id
    with pytest.raises(Refused) as error:              # the new one (pending) holds it now
        submit_x6(ledger, people, on="2024-04-02")
    assert f"#{again.id}" in error.value.message


def test_sixteen_concurrent_claims_for_one_entitlement(ledger, people):
    """16 case workers record the same claim at once: one claim, 15 refusals naming it (PostgreSQL: the
    partial unique index; SQLite: one writer at a time) — never a 500."""
    workers = [ledger.create_user(people.admin, f"clerk{i}", "case_worker").id for i in range(N)]
    outcomes = race(lambda i: submit_x6(ledger, people, actor=workers[i]))
    assert codes(outcomes) == Counter({"ok": 1, "duplicate_claim": N - 1})
    winner = next(o for o in outcomes if not isinstance(o, Exception))
    assert all(f"#{winner.id}" in o.message for o in outcomes if isinstance(o, Refused))
    assert ledger.counts()["applications"] == 1 and ledger.verify().ok


def test_sixteen_concurrent_submissions_with_one_idempotency_key(ledger, people):
    outcomes = race(lambda i: submit_x6(ledger, people, idempotency_key="import-7"))
    assert codes(outcomes) == Counter({"ok": N})
    assert len({o.id for o in outcomes}) == 1 and ledger.counts()["applications"] == 1


def test_sixteen_concurrent_registrations_of_one_new_number(ledger, people):
    from jiuye.ids import make_id_number
    import datetime as dt
    number = make_id_number("110102", dt.date(1990, 1, 2), 77)
    outcomes = race(lambda i: ledger.register_applicant(people.cw, "person", number, "李四"))
    assert codes(outcomes) == Counter({"ok": N})
    assert len({o.id for o in outcomes}) == 1



def test_a_yearly_measure_without_a_moment_fact_is_one_entitlement_per_year(ledger, people):
    """binjiang/八 绩效补贴 “每人每年发放补贴不高于3600元” is granted per year (the performance year, an
    integer fact) and no moment fact dates it: the same person's 2024 and 2025 claims share every date
    fact (the contract), so without the year in the key the 2025 claim was refused as the 2024 one's.
    Now the year (of the first installment) is part of the entitlement; the same year again is still
    the first claim's."""
    from jiuye.ids import make_id_number
    import datetime as dt
    sun = ledger.register_applicant(people.cw, "person", make_id_number("330108", dt.date(1975, 3, 2), 81), "孙六").id

    def claim(year, on):
        situation = example("binjiang_八_public_welfare_posts.json")
        situation["persons"]["sun_liu"]["binjiang_8_performance_year"] = year
        return ledger.submit(people.cw, measure_id="binjiang/八/performance", beneficiary_id=sun,
                             beneficiary_key="sun_liu", situation=situation, on=on)

    first = claim(2024, "2025-03-01")
    assert first.result_status == "eligible" and [i.due for i in first.installments] == [d("2024-12-31")], first
    ledger.approve(people.rv, first.id, on="2025-03-02")
    with pytest.raises(Refused) as error:
        claim(2024, "2025-09-01")
    assert error.value.code == "duplicate_claim" and f"#{first.id}" in error.value.message
    assert "2024年度" in error.value.message
    second = claim(2025, "2026-03-01")               # another year: its own entitlement
    assert second.id != first.id and [i.due for i in second.installments] == [d("2025-12-31")]
    assert ledger.approve(people.rv, second.id, on="2026-03-02").status == "approved"
    assert ledger.counts()["applications"] == 2 and ledger.verify().ok
