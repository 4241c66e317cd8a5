"""Rules across claims, on both backends: caps per organisation per year, once-only measures,
stacking groups ("highest wins") — each refusal names its reason and clause."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jiuye.catalogue import load_catalogue
from jiuye.ledger import Refused
from jiuye.ledger.rules import load_rules

from .conftest import d, example, submit_x15


def test_caps_across_claims_come_from_the_catalogue_records():
    """xicheng/15's and binjiang/四's caps are declared in their records' ``limits:`` (no rules.yaml)."""
    rules = load_rules()
    cap = next(c for c in rules.caps if "xicheng/15" in c.measures)
    assert (cap.per, cap.period, cap.clause, cap.parameter) == ("beneficiary", "year", "xicheng/15", "xicheng.c15.cap")
    assert cap.limit_cents(d("2026-06-30")) == 100000 * 100          # 奖励金额最高不超过10万元
    yearly = next(c for c in rules.caps if "binjiang/四/hiring" in c.measures)
    assert (yearly.per, yearly.period) == ("beneficiary", "year")
    assert yearly.limit_cents(d("2026-12-31")) == 500000 * 100       # 每年最高不超过50万元
    assert rules.once_only_for("xicheng/9")[0].per == "person"
    assert rules.stacking_period("xicheng/30") == "year" and rules.stacking_period("heping/十七/person_loan") == "ever"
    import jiuye.ledger
    assert not (Path(jiuye.ledger.__file__).parent / "rules.yaml").exists()


def test_every_cross_claim_limit_cites_its_clause_exactly():
    """Each cap, count limit and stacking scope quotes words of its own clause's text (an exact
    substring of the document, within the clause where the document marks where clauses begin)."""
    catalogue = load_catalogue()
    rules = load_rules()
    cited = [(r.id, r.clause, r.quote, r.measures[0]) for r in (*rules.caps, *rules.once_only)]
    cited += [(f"stacking {s.group}", s.clause, s.quote,
               next(m.id for m in catalogue.measures.values() if m.stacking and m.stacking["group"] == s.group))
              for s in rules.stacking_scope.values()]
    assert len(cited) >= 7
    for rule_id, clause, quote, measure_id in cited:
        document = catalogue.documents[catalogue.measures[measure_id].document]
        assert quote and quote in document.text, (rule_id, quote)
        own = document.clause_text(clause)
        assert own is None or quote in own, (rule_id, clause, quote)


def test_a_limit_without_its_quote_or_with_a_bad_shape_is_refused():
    import dataclasses
    from jiuye.ledger.rules import RulesError
    base = load_catalogue().measures["xicheng/15"]
    for limits in ([{"per": "beneficiary", "period": "year", "parameter": "xicheng.c15.cap"}],       # no quote
                   [{"per": "team", "quote": "x"}],
                   [{"count": 0, "quote": "x"}],
                   [{"parameter": "a", "amount": 5, "quote": "x"}],
                   [{"period": "month", "quote": "x"}]):
        with pytest.raises(RulesError):
            load_rules({base.id: dataclasses.replace(base, limits=limits)})


def test_xicheng_15_cap_across_claims(ledger, people):
    """奖励金额最高不超过10万元: 56 hires give 56000, a second claim of 60 hires (60000) for the same
    year is reduced to the 44000 left; a third is refused at submission. (Each claim has its own
    qualifying event: another registration date.)"""
    first = submit_x15(ledger, people, hires=56)
    assert first.total == Decimal("56000.00") and first.installments[0].due == d("2026-06-30")
    ledger.approve(people.rv, first.id, on="2026-11-24")
    second = submit_x15(ledger, people, hires=60, n=1)
    approved = ledger.approve(people.rv, second.id, on="2026-11-24")
    inst = approved.installments[0]
    assert (inst.computed, inst.amount, inst.status) == (Decimal("60000.00"), Decimal("44000.00"), "scheduled")
    assert "xicheng/15" in inst.note and "奖励金额最高不超过10万元" in inst.note and "44,000元" in inst.note
    with pytest.raises(Refused) as error:
        submit_x15(ledger, people, hires=20, n=2)
    assert error.value.code == "cap_reached" and "已达上限100,000元" in error.value.message
    assert error.value.details["clause"] == "xicheng/15"
    detail = ledger.application(people.rv, second.id)
    assert detail.decisions[0].details["caps"][0]["to"] == "44000.00"
    assert ledger.verify().ok


def test_cap_refuses_an_approval_when_nothing_is_left(ledger, people):
    a, b = submit_x15(ledger, people, hires=100), submit_x15(ledger, people, hires=50, n=1)   # 100000, 50000
    ledger.approve(people.rv, a.id, on="2026-11-24")
    with pytest.raises(Refused) as error:
        ledger.approve(people.rv, b.id, on="2026-11-24")
    assert error.value.code == "cap_reached" and "xicheng/15" in error.value.message
    assert ledger.application(people.rv, b.id).status == "submitted"


def test_binjiang_yearly_cap_across_claims(ledger, people):
    if "binjiang/四/hiring" not in load_catalogue().measures:
        pytest.skip("binjiang/四/hiring is not in the catalogue")

    def situation(hires):
        return {"persons": {"a": {}}, "organisations": {"o": {
            "employees": ["a"], "org_type": "limited_company", "registration_district": "binjiang",
            "binjiang_4_year": 2023, "binjiang_4_stable_hires": hires}}}

    # 300 hires: 50000 + 25000 × ⌊250/25⌋ = 300000 for 2023 (paid 2023-12-31); twice is 600000 > 500000
    first = ledger.submit(people.cw, measure_id="binjiang/四/hiring", beneficiary_id=people.binjiang_co,
                          situation=situation(300), on="2024-06-01")
    assert first.total == Decimal("300000.00")
    ledger.approve(people.rv, first.id, on="2024-06-02")
    with pytest.raises(Refused) as same:          # the same facts again: the same entitlement
        ledger.submit(people.cw, measure_id="binjiang/四/hiring", beneficiary_id=people.binjiang_co,
                      situation=situation(300), on="2024-06-01")
    assert same.value.code == "duplicate_claim" and f"#{first.id}" in same.value.message
    second = ledger.submit(people.cw, measure_id="binjiang/四/hiring", beneficiary_id=people.binjiang_co,
                           situation=situation(310), on="2024-06-01")     # another batch of hires
    inst = ledger.approve(people.rv, second.id, on="2024-06-02").installments[0]
    assert inst.amount == Decimal("200000.00") and "每年最高不超过50万元" in inst.note


def internship_elsewhere(situation: dict, start: str = "2026-04-01") -> dict:
    """The same intern's situation with another internship (its own start date: another entitlement)."""
    other = json.loads(json.dumps(situation))
    next(iter(other["persons"].values()))["internship_start_date"] = start
    return other


def test_once_only_internship_allowance(ledger, people):
    """每名见习人员只能享受一次见习生活补贴 (xicheng/9)."""
    situation = example("xicheng_9_internship.json")
    a = ledger.submit(people.cw, measure_id="xicheng/9", beneficiary_id=people.intern, situation=situation,
                      on="2026-11-23")
    other = internship_elsewhere(situation)
    b = ledger.submit(people.cw, measure_id="xicheng/9", beneficiary_id=people.intern, situation=other,
                      on="2026-11-23")                       # two pending claims: whichever is approved first
    ledger.approve(people.rv, a.id, on="2026-11-24")
    with pytest.raises(Refused) as at_approval:
        ledger.approve(people.rv, b.id, on="2026-11-24")
    assert at_approval.value.code == "once_only" and "每名见习人员只能享受一次" in at_approval.value.message
    assert f"#{a.id}" in at_approval.value.message
    with pytest.raises(Refused) as at_submission:
        ledger.submit(people.cw2, measure_id="xicheng/9", beneficiary_id=people.intern,
                      situation=internship_elsewhere(situation, "2026-05-01"), on="2026-12-01")
    assert at_submission.value.code == "once_only"
    with pytest.raises(Refused) as again:       # b's internship again: the same entitlement as b
        ledger.submit(people.cw2, measure_id="xicheng/9", beneficiary_id=people.intern, situation=other,
                      on="2026-12-01")
    assert again.value.code == "duplicate_claim" and f"#{b.id}" in again.value.message
    # a rejected claim does not count
    ledger.reject(people.rv, b.id, on="2026-11-25", reason="重复申请")


def test_stacking_highest_wins_across_claims(ledger, people):
    """xicheng/30: 充分就业社区 (10000) and 示范社区 (40000) in the same year — the higher is kept: the
    later demonstration claim replaces the approved full-employment claim, deducting what was paid;
    a lower claim afterwards is refused."""
    both = example("xicheng_30_community.json")
    full_only = example("xicheng_30_community.json")
    org = full_only["organisations"]["a_community"]
    org["xicheng_30_demonstration_community"] = False
    del org["xicheng_30_demonstration_date"]

    full = ledger.submit(people.cw, measure_id="xicheng/30/full", beneficiary_id=people.community,
                         situation=full_only, on="2026-05-01")
    assert full.total == Decimal("10000.00")
    full = ledger.approve(people.rv, full.id, on="2026-05-02")
    ledger.pay(people.cw, full.installments[0].id, on="2026-05-03", idempotency_key="c30-full")

    demo = ledger.submit(people.cw, measure_id="xicheng/30/demonstration", beneficiary_id=people.community,
                         situation=both, on="2026-06-01")
    assert demo.total == Decimal("40000.00")
    demo = ledger.approve(people.rv, demo.id, on="2026-06-02")
    inst = demo.installments[0]
    assert inst.amount == Decimal("30000.00") and f"#{full.id}" in inst.note and "10,000元" in inst.note
    assert ledger.application(people.rv, demo.id).decisions[0].details["stacking"][0]["replaces"] == [full.id]

    with pytest.raises(Refused) as same:              # the full-employment claim again: the same entitlement
        ledger.submit(people.cw, measure_id="xicheng/30/full", beneficiary_id=people.community,
                      situation=full_only, on="2026-07-01")
    assert same.value.code == "duplicate_claim" and f"#{full.id}" in same.value.message
    full_only["organisations"]["a_community"]["xicheng_30_full_employment_date"] = "2026-06-20"
    with pytest.raises(Refused) as lower:             # a new recognition in the same year: the group's lower one
        ledger.submit(people.cw, measure_id="xicheng/30/full", beneficiary_id=people.community,
                      situation=full_only, on="2026-07-01")
    assert lower.value.code == "stacking_lower"
    assert "xicheng/30" in lower.value.message and "40,000元" in lower.value.message
    # within one situation, the lower member is not kept and is refused at submission
    with pytest.raises(Refused) as not_kept:
        ledger.submit(people.cw, measure_id="xicheng/30/full", beneficiary_id=people.community,
                      situation=both, on="2026-07-01")
    assert not_kept.value.code == "stacking_not_kept" and "充分就业示范社区）（xicheng/30）" in not_kept.value.message
    assert ledger.verify().ok


def test_stacking_supersedes_unpaid_installments(ledger, people):
    both = example("xicheng_30_community.json")
    full_only = example("xicheng_30_community.json")
    full_only["organisations"]["a_community"]["xicheng_30_demonstration_community"] = False
    full = ledger.approve(people.rv, ledger.submit(people.cw, measure_id="xicheng/30/full",
                                                   beneficiary_id=people.community, situation=full_only,
                                                   on="2026-05-01").id, on="2026-05-02")
    demo = ledger.approve(people.rv, ledger.submit(people.cw, measure_id="xicheng/30/demonstration",
                                                   beneficiary_id=people.community, situation=both,
                                                   on="2026-05-01").id, on="2026-05-02")
    assert demo.installments[0].amount == Decimal("40000.00")          # nothing paid under the lower claim
    old = ledger.application(people.rv, full.id).installments[0]
    assert old.status == "cancelled" and f"#{demo.id}" in old.note
    with pytest.raises(Refused) as error:
        ledger.pay(people.cw, old.id, on="2026-05-03", idempotency_key="late")
    assert error.value.code == "installment_cancelled"


def test_stacking_exclusive_refuses_a_second_member(ledger, people, monkeypatch):
    """A group whose policy is `exclusive` (只能享受其中一项): once one member is approved, a claim for
    another member of the group is refused, whatever its amount. (No catalogue group is exclusive
    today: the policy is set on xicheng/30 for this test.)"""
    import dataclasses
    from jiuye.catalogue import Catalogue
    from jiuye.ledger import base
    real = load_catalogue()
    measures = dict(real.measures)
    for mid in ("xicheng/30/full", "xicheng/30/demonstration"):
        measures[mid] = dataclasses.replace(measures[mid], stacking={"group": "xicheng/30", "policy": "exclusive"})
    monkeypatch.setattr(base, "load_catalogue", lambda: Catalogue(real.documents, measures))
    full_only = example("xicheng_30_community.json")
    full_only["organisations"]["a_community"]["xicheng_30_demonstration_community"] = False
    full = ledger.submit(people.cw, measure_id="xicheng/30/full", beneficiary_id=people.community,
                         situation=full_only, on="2026-05-01")
    ledger.approve(people.rv, full.id, on="2026-05-02")
    with pytest.raises(Refused) as error:
        ledger.submit(people.cw, measure_id="xicheng/30/demonstration", beneficiary_id=people.community,
                      situation=example("xicheng_30_community.json"), on="2026-06-01")
    assert error.value.code == "stacking_exclusive" and f"#{full.id}" in error.value.message


def test_limits_come_from_the_catalogue_records(ledger):
    """Once-only, per-year and count limits are declared in the measures' records (`limits:`)."""
    rules = load_rules()
    once = rules.once_only_for("xicheng/9")
    assert [(r.per, r.period, r.count, r.quote) for r in once] == [("person", "ever", 1, "每名见习人员只能享受一次见习生活补贴")]
    yearly = rules.once_only_for("xicheng/18/free_training")
    assert [(r.per, r.period, r.count) for r in yearly] == [("person", "year", 1)]
    loans = rules.once_only_for("heping/十七/firm")
    assert [(r.per, r.period, r.count) for r in loans] == [("beneficiary", "ever", 3)]
    assert set(rules.once_only_for("heping/十七/person")[0].measures) == {"heping/十七/person", "heping/十七/priority_founder"}
    from jiuye.catalogue import load_catalogue
    from jiuye.catalogue import shared_dir
    for rule in rules.once_only:                          # every quote is the document's own words
        measure = load_catalogue().measures[rule.measures[0]]
        text = (shared_dir() / "policies" / load_catalogue().documents[measure.document].file).read_text(encoding="utf-8")
        assert rule.quote and rule.quote in text, rule.id


def test_at_most_three_loans_per_firm(ledger, people):
    """heping/十七 “可最多申请3次贷款”: a fourth loan of the same firm (another loan date: another
    entitlement) is refused once three are approved — even when the claim says no loan came before
    (`heping_17_firm_previous_loans` is only an input fact)."""
    from jiuye.ids import make_uscc
    firm = ledger.register_applicant(people.cw, "organisation", make_uscc("91", "120101", "MA0HP1700"), "和平设计工作室").id
    approved = []
    for n, start in enumerate(["2024-05-06", "2024-08-06", "2024-11-06", "2025-02-06"]):
        situation = example("heping_十七_loan.json")
        org = situation["organisations"]["heping_design_studio"]
        org["heping_17_firm_loan_start_date"] = start
        org["heping_17_firm_previous_loans"] = 0       # an input fact: the ledger counts for itself
        org["heping_17_firm_marked_job_creation"] = True
        on = start
        if n < 3:
            claim = ledger.submit(people.cw, measure_id="heping/十七/firm", beneficiary_id=firm, situation=situation, on=on)
            assert claim.result_status == "eligible", claim
            approved.append(ledger.approve(people.rv, claim.id, on=on).id)
        else:
            with pytest.raises(Refused) as error:
                ledger.submit(people.cw, measure_id="heping/十七/firm", beneficiary_id=firm, situation=situation, on=on)
            assert error.value.code == "count_limit" and "最多3次" in error.value.message
            assert error.value.details["applications"] == approved
