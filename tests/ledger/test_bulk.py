"""Bulk submission and approval (imports, batch decisions): the same results as one by one, per-item
refusals, one transaction per chunk with one audit entry per claim."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jiuye.ledger import InvalidInput, Refused
from jiuye.ledger.compute import Submission, allocated, compute, compute_merged, merge, unprefix

from .conftest import EXAMPLES, example, registered, x15


def _situations():
    from jiuye.examples import example_files, load_example
    for path in example_files():
        situation = load_example(path)[0]
        if isinstance(situation.get("persons"), dict) and allocated(situation):
            yield path.name, situation


def test_merged_computation_gives_the_same_results_as_one_by_one():
    """Every example situation whose persons belong to given organisations, computed in one
    simulation between two others (ids prefixed, then restored), gives exactly the results it gives
    alone: every measure, every row, every condition, fact, parameter and installment."""
    from jiuye.catalogue import load_catalogue
    from jiuye.explain import calculate
    every = [m.id for m in load_catalogue().executable()]     # the same measures alone and merged
    situations = list(_situations())
    assert len(situations) >= 10
    compared = 0
    for on in (dt.date(2026, 11, 23),):
        for n, (name, situation) in enumerate(situations):
            neighbours = [situations[(n + 1) % len(situations)][1], situations[(n + 5) % len(situations)][1]]
            merged, back = merge([neighbours[0], situation, neighbours[1]])
            rows = [unprefix(r, back) for r in calculate(merged, on, every)["results"]
                    if r["beneficiary"].startswith("k1:")]
            alone = calculate(situation, on, every)["results"]
            assert rows == alone, name
            compared += len(alone)
    assert compared > 500


def test_compute_merged_picks_each_submissions_row():
    from jiuye.catalogue import load_catalogue
    measure = load_catalogue().measure("xicheng/15")
    on = dt.date(2026, 11, 23)
    subs = [Submission(measure, 0, None, x15(h), on, "new_tech_co", None, None) for h in (12, 49, 50, 120)]
    merged = compute_merged(subs)
    assert [r["installments"][0]["amount"] for r in merged] == [9600, 39200, 50000, 100000]
    assert merged == [compute(measure, sub.situation, on, "new_tech_co", None) for sub in subs]


def test_submit_many_and_approve_many(ledger, people):
    good = dict(measure_id="xicheng/15", beneficiary_id=people.startup, situation=x15(20), on="2026-11-23")
    items = [
        good,
        dict(good, situation=x15(30, registered(1)), idempotency_key="row-2"),
        dict(good, measure_id="xicheng/6/employer"),                      # needs person_id
        dict(good, on="2020-01-01"),                                      # before the window
        dict(good, situation=x15(40, registered(1)), idempotency_key="row-2"),           # same key again in the batch
        dict(good, situation={"persons": {"p": {}}, "organisations": {"new_tech_co": {"founders": ["p"],
                                                                                       "org_type": "bad"}}}),
        dict(good, situation=x15(50, registered(2))),
    ]
    out = ledger.submit_many(people.cw, items, chunk=3)
    assert [type(o).__name__ for o in out] == ["ApplicationInfo", "ApplicationInfo", "InvalidInput", "Refused",
                                               "ApplicationInfo", "InvalidInput", "ApplicationInfo"]
    assert out[2].field == "person_id" and out[3].code == "outside_validity"
    assert out[4].id == out[1].id                                       # the key replayed
    assert out[5].field.startswith("situation.organisations.new_tech_co.org_type")
    assert [o.total for o in (out[0], out[1], out[6])] == [16000, 24000, 50000]
    again = ledger.submit_many(people.cw, [dict(good, situation=x15(30, registered(1)), idempotency_key="row-2")])
    assert again[0].id == out[1].id
    conflict = ledger.submit_many(people.cw, [dict(good, beneficiary_id=people.company, idempotency_key="row-2")])
    assert isinstance(conflict[0], Refused) and conflict[0].code == "idempotency_conflict"

    ids = [out[0].id, out[1].id, out[6].id, out[0].id, 999999]
    decided = ledger.approve_many(people.rv, ids, on="2026-11-24", chunk=2)
    assert [getattr(o, "code", "ok") for o in decided] == ["ok", "ok", "ok", "already_decided", "not_found"]
    # 16000 + 24000 + 50000 = 90000 ≤ 100000: no cap reached; all payable on 2026-06-30
    assert [o.installments[0].amount for o in decided[:3]] == [16000, 24000, 50000]
    report = ledger.verify()
    assert report.ok
    entries = ledger.audit_entries(people.cw, limit=1000)
    assert sum(e["action"] == "submit" for e in entries) == 3
    assert sum(e["action"] == "approve" for e in entries) == 3


def test_approve_many_applies_caps_between_claims_of_one_batch(ledger, people):
    items = [dict(measure_id="xicheng/15", beneficiary_id=people.startup, situation=x15(56, registered(n)),
                  on="2026-11-23") for n in range(3)]
    ids = [o.id for o in ledger.submit_many(people.cw, items)]
    decided = ledger.approve_many(people.rv, ids, on="2026-11-24")
    assert [getattr(o, "code", "ok") for o in decided] == ["ok", "ok", "cap_reached"]
    assert [o.installments[0].amount for o in decided[:2]] == [56000, 44000]
    assert ledger.verify().ok


def test_submit_many_once_only_against_approved(ledger, people):
    situation = example("xicheng_9_internship.json")
    first = ledger.submit(people.cw, measure_id="xicheng/9", beneficiary_id=people.intern, situation=situation,
                          on="2026-11-23")
    ledger.approve(people.rv, first.id, on="2026-11-24")
    other = json.loads(json.dumps(situation))
    other["persons"][next(iter(other["persons"]))]["internship_start_date"] = "2026-04-01"
    out = ledger.submit_many(people.cw, [dict(measure_id="xicheng/9", beneficiary_id=people.intern,
                                              situation=other, on="2026-11-25"),
                                         dict(measure_id="xicheng/9", beneficiary_id=people.intern,
                                              situation=situation, on="2026-11-25")])
    assert isinstance(out[0], Refused) and out[0].code == "once_only"       # another internship
    assert isinstance(out[1], Refused) and out[1].code == "duplicate_claim"  # the same one
    with pytest.raises(Refused):
        ledger.submit(people.cw, measure_id="xicheng/9", beneficiary_id=people.intern, situation=other,
                      on="2026-11-25")


def test_submit_many_refuses_a_second_claim_for_one_entitlement_in_one_batch(ledger, people):
    """Two rows of one import for the same contract: the first is recorded, the second refused."""
    row = dict(measure_id="xicheng/6/employer", beneficiary_id=people.company, person_id=people.zhang,
               situation=example("xicheng_6_stable_employment.json"), on="2024-03-20")
    out = ledger.submit_many(people.cw, [row, dict(row, idempotency_key="second-row")])
    assert type(out[0]).__name__ == "ApplicationInfo"
    assert isinstance(out[1], Refused) and out[1].code == "duplicate_claim"
    assert ledger.counts()["applications"] == 1
