"""The catalogue against the documents: every clause recorded, every quote exact, every citation
and parameter real."""

import re

import pytest

from jiuye.catalogue import KINDS, condition_names
from jiuye.params import get_parameter

from .conftest import example_files

XICHENG_QUANTIFIED = [4, 6, 7, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 25, 26, 27, 29, 30]


def test_every_clause_of_every_document_has_a_record(catalogue):
    for key, document in catalogue.documents.items():
        recorded = {m.clause for m in catalogue.of_document(key)}
        listed = [clause for clause, _ in document.clauses]
        missing = [c for c in listed if c not in recorded]
        assert not missing, f"{key}: clauses without a catalogue record: {missing}"
        unknown = recorded - set(listed)
        assert not unknown, f"{key}: records citing clauses not in the header: {unknown}"


def test_xicheng_has_thirty_clauses_and_the_supplementary_provisions(catalogue):
    clauses = [c for c, _ in catalogue.documents["xicheng"].clauses]
    assert clauses[:30] == [f"xicheng/{n}" for n in range(1, 31)]
    assert clauses[30:] == [f"xicheng/附则/{n}" for n in "一二三四五六"]


def test_quotes_are_exact_substrings_of_the_document(catalogue):
    for measure in catalogue.measures.values():
        text = catalogue.documents[measure.document].text
        assert measure.quote, f"{measure.id}: no quote"
        assert measure.quote in text, f"{measure.id}: quote not found verbatim in {measure.document}"


def test_parameter_quotes_are_exact(system, catalogue):
    def walk(node, path):
        meta = getattr(node, "metadata", None) or {}
        if meta.get("quote"):
            key = path.split(".")[0]
            assert meta["quote"] in catalogue.documents[key].text, f"{path}: quote not in document"
        for name, child in (getattr(node, "children", None) or {}).items():
            walk(child, f"{path}.{name}" if path else name)
    for key in catalogue.documents:
        if key in system.parameters.children:
            walk(system.parameters.children[key], key)


def test_measure_fields(catalogue):
    for m in catalogue.measures.values():
        assert m.kind in KINDS, m.id
        assert m.beneficiary in ("person", "organisation"), m.id
        assert m.id.startswith(m.clause), f"{m.id} is not under its clause {m.clause}"
        assert re.fullmatch(r"[a-z]+/[^/]+(/.+)?", m.id), m.id
        if m.executable:
            assert m.variable and re.fullmatch(r"[a-z0-9_]+", m.variable), m.id
            assert m.conditions, f"{m.id}: executable without conditions"
            assert m.kind not in ("qualitative", "definition"), m.id


def test_conditions_are_labelled_cited_booleans(system, catalogue):
    for m in catalogue.executable():
        for name in condition_names(m.conditions):
            variable = system.variables.get(name)
            assert variable is not None, f"{m.id}: unknown condition {name}"
            assert variable.value_type is bool, f"{name} is not boolean"
            assert variable.label and re.search(r"[\u4e00-\u9fff]", variable.label), f"{name}: no Chinese label"
            reference = variable.reference[0] if isinstance(variable.reference, list) else variable.reference
            assert reference, f"{name}: no clause reference"
            assert reference.split("/")[0] in catalogue.documents or "法" in reference, f"{name}: {reference}"


def test_measure_parameters_exist(system, catalogue):
    for m in catalogue.executable():
        for path in m.parameters:
            assert get_parameter(system, path) is not None, f"{m.id}: {path}"


def test_every_quantified_xicheng_clause_is_executable(catalogue):
    executable = {m.clause for m in catalogue.executable() if m.document == "xicheng"}
    missing = [n for n in XICHENG_QUANTIFIED if f"xicheng/{n}" not in executable]
    assert not missing, f"quantified clauses not executable: {missing}"


def test_every_quantified_clause_has_an_example(catalogue):
    from jiuye.examples import example_name
    names = [example_name(p) for p in example_files()]
    for clause in sorted({m.clause for m in catalogue.executable()}):
        key, number = clause.split("/", 1)
        prefix = f"{key}_{number.replace('/', '_')}_"
        assert any(n.startswith(prefix) for n in names), f"no example for {clause} (examples/{prefix}*.json)"


def test_interpretations_are_prose_without_folding_spaces(catalogue):
    for m in catalogue.measures.values():
        if m.interpretation:
            assert not re.search(r"[\u4e00-\u9fff，。；] [\u4e00-\u9fff]", m.interpretation), m.id
