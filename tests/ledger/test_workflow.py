"""The claim workflow on both backends: submission, approval by another user, installments paid on
their due dates, double payment, eligibility, validity windows, reassessment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from jiuye.ledger import Forbidden, InvalidInput, Refused
from jiuye.ledger.models import Payment

from .conftest import d, example, submit_x6


def test_xicheng_6_employer_full_path(ledger, people):
    """岗位补贴 (xicheng/6/employer): contract from 2024-03-15 for 36 months, 每满一年 6000, 9000,
    12000 yuan due on 2025-03-14, 2026-03-14, 2027-03-14; approved by a reviewer; each year paid on
    its due date (and refused the day before)."""
    app = submit_x6(ledger, people, on="2024-03-20")
    assert (app.status, app.result_status, app.total) == ("submitted", "eligible", Decimal("27000.00"))
    assert [(i.due, i.amount, i.status) for i in app.installments] == [
        (d("2025-03-14"), Decimal("6000.00"), "planned"),
        (d("2026-03-14"), Decimal("9000.00"), "planned"),
        (d("2027-03-14"), Decimal("12000.00"), "planned")]
    detail = ledger.application(people.rv, app.id)
    assert detail.result["measure"] == "xicheng/6/employer" and detail.result["conditions"]
    assert detail.situation == example("xicheng_6_stable_employment.json")
    assert detail.code_version and len(detail.rules_hash) == 64
    assert detail.person.id_number_masked == "110102********" + detail.person.id_number_masked[-4:]

    approved = ledger.approve(people.rv, app.id, on="2024-03-25", reason="材料齐全")
    assert approved.status == "approved"
    assert [i.status for i in approved.installments] == ["scheduled"] * 3
    assert ledger.payable(people.cw, on="2025-03-13") == []

    for n, (due, amount) in enumerate([("2025-03-14", "6000.00"), ("2026-03-14", "9000.00"),
                                       ("2027-03-14", "12000.00")]):
        inst = approved.installments[n]
        with pytest.raises(Refused) as early:
            ledger.pay(people.cw, inst.id, on=d(due) - dt.timedelta(days=1), idempotency_key=f"early-{n}")
        assert early.value.code == "not_due" and due in early.value.message
        payable = ledger.payable(people.cw, on=due)
        assert [i.id for i in payable] == [inst.id]
        payment = ledger.pay(people.cw, inst.id, on=due, idempotency_key=f"transfer-{n}", reference=f"BANK{n}")
        assert (payment.amount, payment.paid_on, payment.replayed) == (Decimal(amount), d(due), False)

    final = ledger.application(people.cw, app.id)
    assert [i.status for i in final.installments] == ["paid"] * 3
    assert final.paid == Decimal("27000.00")
    assert [x.kind for x in final.decisions] == ["approve"]
    assert ledger.verify().ok


def test_case_worker_cannot_approve_and_nobody_approves_their_own_claim(ledger, people):
    app = submit_x6(ledger, people)
    with pytest.raises(Forbidden, match="经办"):
        ledger.approve(people.cw, app.id, on="2024-03-25")            # a case worker does not approve
    own = submit_x6(ledger, people, actor=people.rv, contract_start="2024-03-01")   # a reviewer records a claim …
    with pytest.raises(Refused) as error:
        ledger.approve(people.rv, own.id, on="2024-03-25")            # … and may not approve it
    assert error.value.code == "own_claim" and "本人提交" in error.value.message
    admin_claim = submit_x6(ledger, people, actor=people.admin, contract_start="2024-03-02")
    with pytest.raises(Forbidden, match="审核"):                        # an admin never decides …
        ledger.approve(people.admin, admin_claim.id, on="2024-03-25")
    with pytest.raises(Forbidden):
        ledger.reject(people.admin, app.id, on="2024-03-25", reason="x")
    refused = [e for e in ledger.audit_entries(people.rv, limit=1000) if e["action"].endswith("_refused")]
    assert [(e["action"], e["actor"]) for e in refused] == [("approve_refused", "rv"), ("approve_refused", "admin"),
                                                             ("reject_refused", "admin")]
    with pytest.raises(Refused, match="本人提交"):
        ledger.reject(people.rv, own.id, on="2024-03-25", reason="x")              # … nor a submitter
    assert ledger.audit_entries(people.rv, limit=1000)[-1]["action"] == "reject_refused"
    assert ledger.approve(people.rv2, own.id, on="2024-03-25").status == "approved"
    with pytest.raises(Refused) as again:
        ledger.approve(people.rv2, own.id, on="2024-03-26")
    assert again.value.code == "already_decided"


def test_double_payment_refused_and_key_replay(ledger, people):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    first, second = app.installments[0], app.installments[1]
    payment = ledger.pay(people.cw, first.id, on="2025-03-14", idempotency_key="T-1")
    replay = ledger.pay(people.cw2, first.id, on="2025-03-20", idempotency_key="T-1")
    assert replay.id == payment.id and replay.replayed and replay.paid_on == d("2025-03-14")
    with pytest.raises(Refused) as twice:
        ledger.pay(people.cw, first.id, on="2025-03-15", idempotency_key="T-2")
    assert twice.value.code == "already_paid" and "不能重复支付" in twice.value.message
    with pytest.raises(Refused) as conflict:
        ledger.pay(people.cw, second.id, on="2026-03-14", idempotency_key="T-1")
    assert conflict.value.code == "idempotency_conflict"
    with pytest.raises(Refused) as amount:
        ledger.pay(people.cw, second.id, on="2026-03-14", idempotency_key="T-3", amount="8000")
    assert amount.value.code == "amount_mismatch"
    # the database itself refuses a second payment row for the installment, and a reused key
    with ledger.db.engine.connect() as connection:
        for values in ({"installment_id": first.id, "idempotency_key": "direct"},
                       {"installment_id": second.id, "idempotency_key": "T-1"}):
            with pytest.raises(IntegrityError):
                with connection.begin():
                    connection.execute(insert(Payment).values(amount_cents=100, paid_on=d("2025-03-14"),
                                                              recorded_by=people.cw,
                                                              recorded_at=dt.datetime(2025, 3, 14), **values))
    with ledger.db.read() as s:
        assert len(s.scalars(select(Payment)).all()) == 1
    assert ledger.verify().ok


def test_only_an_eligible_result_is_approved_and_rejection_needs_a_reason(ledger, people):
    situation = example("xicheng_6_stable_employment.json")
    situation["persons"]["zhang_san"]["hukou_district"] = "haidian"
    app = submit_x6(ledger, people, situation=situation)
    assert (app.status, app.result_status, app.installments) == ("submitted", "ineligible", ())
    with pytest.raises(Refused) as error:
        ledger.approve(people.rv, app.id, on="2024-03-25")
    assert error.value.code == "not_eligible" and "本区户籍" in error.value.message
    with pytest.raises(InvalidInput) as no_reason:
        ledger.reject(people.rv, app.id, on="2024-03-25", reason=" ")
    assert no_reason.value.field == "reason"
    rejected = ledger.reject(people.rv, app.id, on="2024-03-25", reason="户籍不在本区")
    assert rejected.status == "rejected"

    undetermined = example("xicheng_6_stable_employment.json")
    del undetermined["persons"]["zhang_san"]["social_insurance_paid"]
    app2 = submit_x6(ledger, people, situation=undetermined)
    assert app2.result_status == "undetermined"
    with pytest.raises(Refused, match="尚需补充信息"):
        ledger.approve(people.rv, app2.id, on="2024-03-25")


def test_planned_installment_cannot_be_paid(ledger, people):
    app = submit_x6(ledger, people)
    with pytest.raises(Refused) as error:
        ledger.pay(people.cw, app.installments[0].id, on="2025-03-14", idempotency_key="x")
    assert error.value.code == "not_approved"


def test_measure_outside_its_validity_window_is_refused_with_the_reason(ledger, people):
    from jiuye.catalogue import load_catalogue
    # a measure whose window has closed (heping's document ran 2020-06-30 to 2025-06-29)
    expired = next(m for m in load_catalogue().executable()
                   if m.valid_to and m.valid_to < "2026-01-05" and m.beneficiary == "organisation" and m.entity != "person")
    before = ledger.counts()
    with pytest.raises(Refused) as error:
        ledger.submit(people.cw, measure_id=expired.id, beneficiary_id=people.company,
                      situation={"persons": {"p": {}}, "organisations": {"o": {"members": ["p"]}}}, on="2026-01-05")
    assert error.value.code == "outside_validity"
    assert f"{expired.valid_from}至{expired.valid_to}" in error.value.message and "2026-01-05" in error.value.message
    assert ledger.counts() == before          # nothing written
    with pytest.raises(Refused) as early:
        submit_x6(ledger, people, on="2020-12-31")      # xicheng is in force from 2021-01-01
    assert early.value.code == "outside_validity"


def test_input_errors_name_the_field(ledger, people):
    with pytest.raises(InvalidInput) as unknown:
        ledger.submit(people.cw, measure_id="xicheng/999", beneficiary_id=people.company, situation={}, on="2024-03-20")
    assert unknown.value.field == "measure_id"
    with pytest.raises(InvalidInput) as kind:
        ledger.submit(people.cw, measure_id="xicheng/6/employer", beneficiary_id=people.zhang, person_id=people.zhang,
                      situation=example("xicheng_6_stable_employment.json"), on="2024-03-20")
    assert kind.value.field == "beneficiary_id"
    with pytest.raises(InvalidInput) as person:
        ledger.submit(people.cw, measure_id="xicheng/6/employer", beneficiary_id=people.company,
                      situation=example("xicheng_6_stable_employment.json"), on="2024-03-20")
    assert person.value.field == "person_id"
    bad = example("xicheng_6_stable_employment.json")
    bad["persons"]["zhang_san"]["contract_start_date"] = "not a date"
    with pytest.raises(InvalidInput) as fact:
        submit_x6(ledger, people, situation=bad)
    assert fact.value.field.startswith("situation.persons.zhang_san.contract_start_date")
    with pytest.raises(InvalidInput) as date:
        submit_x6(ledger, people, on="2024-02-30")
    assert date.value.field == "on"


def test_submission_idempotency_key(ledger, people):
    first = submit_x6(ledger, people, idempotency_key="import-row-7")
    again = submit_x6(ledger, people, idempotency_key="import-row-7")
    assert again.id == first.id
    assert len(ledger.list_applications(people.cw)) == 1


def test_reassess_after_early_contract_end_cancels_later_installments(ledger, people):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    ledger.pay(people.cw, app.installments[0].id, on="2025-03-14", idempotency_key="y1")
    changed = example("xicheng_6_stable_employment.json")
    changed["persons"]["zhang_san"]["contract_termination_date"] = "2026-01-31"
    after = ledger.reassess(people.cw, app.id, on="2026-02-15", situation=changed,
                            reason="劳动合同于2026-01-31提前解除")
    assert [i.status for i in after.installments] == ["paid", "cancelled", "cancelled"]
    # 核定总额 is what is still granted: year 1 (6,000), paid; not the 27,000 first approved
    assert app.total == Decimal("27000.00") and after.total == Decimal("6000.00") == after.paid
    assert ledger.application(people.cw, app.id).total == Decimal("6000.00")
    assert [a.total for a in ledger.list_applications(people.cw)] == [Decimal("6000.00")]
    for inst in after.installments[1:]:
        assert "劳动合同于2026-01-31提前解除" in inst.note and "不再应发" in inst.note
    decision = after.decisions[-1]
    assert decision.kind == "reassess" and decision.reason == "劳动合同于2026-01-31提前解除"
    assert [c["due"] for c in decision.details["cancelled"]] == ["2026-03-14", "2027-03-14"]
    assert decision.details["overpaid"] == []
    with pytest.raises(Refused) as error:
        ledger.pay(people.cw, after.installments[1].id, on="2026-03-14", idempotency_key="y2")
    assert error.value.code == "installment_cancelled" and "提前解除" in error.value.message
    assert ledger.payable(people.cw, on="2030-01-01") == []
    assert ledger.verify().ok


def test_reassess_hukou_not_in_the_district_at_the_hire_cancels_all_remaining(ledger, people):
    """The hukou found to be Haidian's (no moved-in date: it has been there throughout, so also when the
    contract was signed): not 本区户籍 at the signing — the remaining years are cancelled."""
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    ledger.pay(people.cw, app.installments[0].id, on="2025-03-14", idempotency_key="z1")
    moved = example("xicheng_6_stable_employment.json")
    moved["persons"]["zhang_san"]["hukou_district"] = "haidian"
    after = ledger.reassess(people.rv, app.id, on="2025-06-01", situation=moved, reason="户籍核实：不在本区")
    assert [i.status for i in after.installments] == ["paid", "cancelled", "cancelled"]
    assert "本区户籍" in after.installments[1].note
    # the paid first year is no longer supported by the new result: reported, not clawed back
    assert after.decisions[-1].details["overpaid"] == [
        {"installment_id": after.installments[0].id, "due": "2025-03-14", "amount": "6000.00"}]


def test_reassess_hukou_moved_away_after_the_hire_keeps_installments(ledger, people):
    """xicheng/6 judges 本区户籍 when the contract is signed (2024-03-15): moved to Haidian on 2025-04-20,
    after it, the contract years still count."""
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    moved = example("xicheng_6_stable_employment.json")
    moved["persons"]["zhang_san"].update(hukou_district="haidian", hukou_moved_in_date="2025-04-20",
                                         previous_hukou_district="xicheng")
    after = ledger.reassess(people.rv, app.id, on="2025-06-01", situation=moved, reason="户籍迁出本区")
    assert [i.status for i in after.installments] == ["scheduled"] * 3
    assert len(after.decisions[-1].details["kept"]) == 3


def test_reassess_keeps_installments_when_facts_still_hold(ledger, people):
    app = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2024-03-25")
    same = example("xicheng_6_stable_employment.json")
    after = ledger.reassess(people.cw, app.id, on="2025-01-10", situation=same, reason="年度复核")
    assert [i.status for i in after.installments] == ["scheduled"] * 3
    assert len(after.decisions[-1].details["kept"]) == 3


def test_applicant_submits_for_themselves_only_and_sees_only_their_claims(ledger, people):
    user = ledger.create_user(people.admin, "zhao", "applicant", applicant_id=people.intern).id
    own = ledger.submit(user, measure_id="xicheng/9", beneficiary_id=people.intern,
                        situation=example("xicheng_9_internship.json"), on="2026-11-23")
    assert own.result_status == "eligible"
    with pytest.raises(Forbidden):
        submit_x6(ledger, people, actor=user)
    submit_x6(ledger, people)
    assert [a.id for a in ledger.list_applications(user)] == [own.id]
    assert len(ledger.list_applications(people.cw)) == 2
    with pytest.raises(Forbidden):
        ledger.approve(user, own.id, on="2026-11-24")


def test_id_numbers_masked_in_lists_and_log(ledger, people):
    submit_x6(ledger, people)
    with ledger.db.read() as s:
        from jiuye.ledger.models import Applicant
        full = s.get(Applicant, people.zhang).id_number
    listed = ledger.list_applications(people.cw)[0]
    assert listed.person.id_number_masked == full[:6] + "********" + full[-4:]
    text = str(ledger.audit_entries(people.cw, limit=1000))
    assert full not in text and full[:6] + "********" + full[-4:] in text
    assert ledger.reveal_id_number(people.cw, people.zhang) == full
    assert ledger.audit_entries(people.cw, limit=1000)[-1]["action"] == "reveal_id_number"


def test_reassess_after_the_measures_window_closed_assesses_its_last_day(ledger, people):
    """heping's document ran to 2025-06-29: a reassessment in 2026 with unchanged facts keeps what
    was approved (the facts are assessed on the window's last day, not found ineligible because the
    window has closed)."""
    situation = example("heping_十五_rent.json")
    app = ledger.submit(people.cw, measure_id="heping/十五/house", beneficiary_id=people.company,
                        situation=situation, on="2024-06-01")
    approved = ledger.approve(people.rv, app.id, on="2024-06-02")
    assert approved.installments and all(i.status == "scheduled" for i in approved.installments)
    after = ledger.reassess(people.cw, app.id, on="2026-01-10", situation=situation, reason="年度复核")
    assert all(i.status == "scheduled" for i in after.installments)
    assert after.decisions[-1].details["assessed_on"] == "2025-06-29"
