"""Coverage of every clause, and the amount audit (numbers of the text traced to parameters)."""

import json

import pytest
from typer.testing import CliRunner

from jiuye.audit import extract_numbers
from jiuye.cli import app


def keys(text):
    return [n.key for n in extract_numbers("x/1", text)]


@pytest.mark.parametrize("text, expected", [
    ("依次按照每人每年6000元、9000元、1.2万元标准", ["6000元", "9000元", "12000元"]),
    ("平均工资的75%", ["75%"]),
    ("最低缴费标准的2/3给予补贴", ["0.666667fraction"]),
    ("最长不超过三年", ["3年"]),
    ("16周岁至24周岁", ["16岁", "24岁"]),
    ("不低于40课时（1800分钟）", ["40课时", "1800分钟"]),
    ("稳定就业6个月以上", ["6月"]),
    ("最低工资标准1.2倍", ["1.2倍"]),
    ("有效期至2020年12月31日", ["2020年12月31日"]),
    ("每满一年，按照一次性奖励", []),          # periodicity and 一次性 are not quantities
    ("第134次常务会议", []),
])
def test_numbers_with_units_are_extracted(text, expected):
    assert keys(text) == expected


def test_every_clause_of_every_document_is_accounted_for():
    out = CliRunner().invoke(app, ["coverage", "--json"])
    report = json.loads(out.stdout)
    missing = [row["clause"] for doc in report["documents"] for row in doc["clauses"] if row["status"] == "missing"]
    assert not missing, f"clauses with no catalogue record: {missing}"
    assert out.exit_code == 0


def test_the_amount_audit_finds_no_untraced_number():
    out = CliRunner().invoke(app, ["audit", "--json"])
    report = json.loads(out.stdout)
    untraced = [(r["clause"], r.get("text") or r["status"]) for r in report["untraced"]]
    assert not untraced, f"untraced numbers: {untraced}"
    assert out.exit_code == 0


def test_waivers_state_a_reason(catalogue):
    for measure in catalogue.measures.values():
        for waiver in measure.audit_waivers:
            assert waiver.get("reason"), f"{measure.id}: waiver of {waiver['number']} without a reason"


def test_every_clause_has_an_anchor_and_quotes_sit_in_their_clause(catalogue):
    for key, document in catalogue.documents.items():
        for clause, _ in document.clauses:
            assert document.clause_text(clause) is not None, f"{clause}: no anchor"
    for measure in catalogue.measures.values():
        text = catalogue.documents[measure.document].clause_text(measure.clause)
        assert measure.quote in text, f"{measure.id}: quote is not in the text of {measure.clause}"


@pytest.mark.parametrize("text, value, unit", [
    ("帮助2000余名就业困难人员", 2000, "人"),       # 余名: a count of persons ("more than 2000")
    ("每月开展不少于2场招聘活动", 2, "场"),
    ("投放50台智能设备", 50, "台"),
    ("新增5万名就业农村劳动力", 50000, "人"),
    ("选拔三名技能大师", 3, "人"),
])
def test_counts_are_extracted_with_every_unit_the_documents_use(text, value, unit):
    from jiuye.audit import extract_numbers
    [number] = [n for n in extract_numbers("x/1", text) if n.unit not in ("date",)]
    assert (number.value, number.unit) == (value, unit)


def test_no_waiver_is_left_for_a_target_the_tasks_measure(system):
    """A number a task's target states is traced to its parameter: no clause keeps a waiver for it."""
    from jiuye.audit import audit
    assert audit(system)["redundant_waivers"] == []
