"""The duties as data (jiuye/model/policies/<key>/duties.yaml) against the documents and the model:
every quote an exact substring of its clause's text, every clause of its own document, every
condition a boolean variable of the system, the evaluation without a strict fallback."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jiuye.catalogue import CatalogueError, condition_names, load_catalogue
from jiuye.model.system import get_system
from jiuye.registry.duties import _check, load_duties


@pytest.fixture(scope="module")
def duties():
    return load_duties()


def test_every_document_with_service_duties_declares_them(duties):
    assert {d.document for d in duties} == {"heping", "xicheng", "beijing", "haidian"}
    assert {d.clause for d in duties} >= {"heping/二十二", "heping/二十六", "heping/十二", "xicheng/8", "beijing/8",
                                          "beijing/13", "haidian/二是"}


def test_quotes_are_exact_substrings_of_their_clause(duties):
    catalogue = load_catalogue()
    for duty in duties:
        document = catalogue.documents[duty.document]
        assert duty.quote in document.text, f"{duty.id}: quote not in {document.file}"
        clause_text = document.clause_text(duty.clause)
        if clause_text is not None:
            assert duty.quote in clause_text, f"{duty.id}: quote outside {duty.clause}"


def test_conditions_are_boolean_variables_of_the_system(duties):
    system = get_system()
    for duty in duties:
        for name in condition_names(duty.conditions):
            assert name in system.variables, f"{duty.id}: unknown condition {name}"
            assert system.variables[name].value_type is bool


def test_validity_is_the_documents(duties):
    catalogue = load_catalogue()
    for duty in duties:
        assert (duty.valid_from, duty.valid_to) == (catalogue.documents[duty.document].valid_from,
                                                    catalogue.documents[duty.document].valid_to)
    assert {d.valid_to for d in duties if d.document == "heping"} == {"2025-06-29"}


def test_each_reading_of_an_unstated_period_is_written_down(duties):
    for duty in duties:
        assert duty.interpretation.strip()
        if duty.kind == "monthly":
            assert "自然月" in duty.interpretation, duty.id
        else:
            assert duty.deadline_days > 0 and "日" in duty.interpretation, duty.id


def test_bad_records_are_refused_with_the_field():
    good = {"id": "x/1/a", "clause": "x/1", "title": "t", "requires": "r", "quote": "q", "interpretation": "i",
            "conditions": [], "moment": {}, "recurrence": {"kind": "monthly"}, "settled_by": ["contact"]}
    _check(good, "duties.yaml")
    for change, words in [({"recurrence": {"kind": "weekly"}}, "recurrence"),
                          ({"recurrence": {"kind": "once"}}, "deadline_days"),
                          ({"settled_by": ["letter"]}, "settled_by")]:
        with pytest.raises(CatalogueError, match=words):
            _check({**good, **change}, "duties.yaml")
    with pytest.raises(CatalogueError, match="quote"):
        _check({k: v for k, v in good.items() if k != "quote"}, "duties.yaml")


def test_the_duties_evaluate_without_strict_fallback(duties):
    """Every duty's tree runs on interval arrays (no formula falls back to strict evaluation)."""
    from jiuye.registry.due import Days
    from jiuye.registry.facts import snapshot
    from jiuye.ids import make_id_number
    persons = [(1, make_id_number("110102", dt.date(1990, 1, 1), 11), "甲", 1, -1, "xicheng", None,
                dt.date(2026, 1, 1)),
               (2, make_id_number("120101", dt.date(1966, 1, 1), 13), "乙", 2, 7, None, None, dt.date(2026, 1, 1))]
    statuses = [(1, "graduate", dt.date(2026, 7, 1), None, '{"graduation_date": "2026-06-30"}'),
                (2, "hard_to_employ", dt.date(2020, 7, 1), None, '{"category": "单亲家庭"}'),
                (2, "unemployed", dt.date(2020, 7, 1), None, "{}")]
    snap = snapshot(persons, statuses, [], {}, {1: "xicheng", 2: "heping"})
    days = Days(snap, get_system())
    for duty in duties:
        days.condition(duty, dt.date(2025, 6, 1))
    _, ev, _ = days.get(dt.date(2025, 6, 1))
    assert ev.strict_formulas == set()
    assert np.asarray(days.condition(duties[0], dt.date(2025, 6, 1))[0]).shape == (2,)
