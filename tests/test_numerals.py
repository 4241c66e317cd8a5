"""Digits typed by users (`jiuye.numerals`): full-width ０–９ (and ．－＋), as a Chinese input method's
全角 mode types them, are the same number as 0–9; any other digit (Arabic-Indic ٣, Devanagari ३,
superscript ², circled ①), which Python's \\d, int(), float() and Decimal take, is refused with a Chinese
reason naming the field — in every reader of typed numbers (a ledger form or cell, a calculator
answer, an amount paid, a roster or registry cell, a date anywhere)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from jiuye.ledger.errors import InvalidInput
from jiuye.numerals import ForeignDigit, ascii_digits, whole_number

OTHER = ["٤٠٠٠", "4٠00", "४०००", "4000²", "①"]          # Arabic-Indic, mixed, Devanagari, superscript, circled
REASON = "含有无法识别的数字"


def test_the_rule():
    assert ascii_digits("１２３４．５") == "1234.5" and ascii_digits("－３") == "-3" and ascii_digits("＋７") == "+7"
    assert ascii_digits("4000元") == "4000元"                  # other characters are the reader's business
    for text in OTHER:
        with pytest.raises(ForeignDigit, match=REASON):
            ascii_digits(text)
    assert whole_number(" １２ ") == 12 and whole_number("12a") is None and whole_number("") is None
    with pytest.raises(ForeignDigit):
        whole_number("١٢")


# -- a ledger form field or an imported cell (fact_values) ------------------------------------------------
def _field(kind):
    from jiuye.web.fact_fields import FactField
    if kind == "float":
        return FactField("monthly_wage", "person", "月工资（元）", "float", "月工资", unit="元", bounds=(0, 1e10))
    return FactField("contract_term_months", "person", "劳动合同期限（月）", "int", "劳动合同期限", bounds=(0, 10_000_000))


@pytest.mark.parametrize("kind, full, ascii_", [
    ("float", "４０００", "4000"), ("float", "４，０００", None), ("float", "４０００．５", "4000.5"),
    ("float", "4,０00", "4,000"), ("int", "３６", "36"), ("int", "＋３６", "+36"),
])
def test_a_fact_value_in_full_width_digits_is_the_ascii_value(kind, full, ascii_):
    from jiuye.web.fact_values import parse_value
    f = _field(kind)
    if ascii_ is None:                       # the full-width comma ， is not a thousands separator: refused
        with pytest.raises(InvalidInput):
            parse_value(f, full)
        return
    assert parse_value(f, full) == parse_value(f, ascii_)
    assert type(parse_value(f, full)) is type(parse_value(f, ascii_))


@pytest.mark.parametrize("kind", ["float", "int"])
@pytest.mark.parametrize("text", OTHER)
def test_a_fact_value_in_other_digits_is_refused_naming_the_fact(kind, text):
    from jiuye.web.fact_values import parse_value
    f = _field(kind)
    with pytest.raises(InvalidInput) as error:
        parse_value(f, text)
    assert error.value.field == f.form_name
    assert error.value.message.startswith(f"“{f.label}”：{REASON}")


def test_a_fact_date_in_full_width_digits_and_in_others():
    from jiuye.web.fact_fields import FactField
    from jiuye.web.fact_values import parse_value
    f = FactField("contract_start_date", "person", "劳动合同起始日期", "date", "劳动合同起始日期",
                  bounds=(dt.date(1900, 1, 1), dt.date(2199, 12, 31)))
    assert parse_value(f, "２０２６－０５－１０") == "2026-05-10"
    with pytest.raises(InvalidInput) as error:
        parse_value(f, "٢٠٢٦-05-10")
    assert error.value.message.startswith("“劳动合同起始日期”：日期含有无法识别的数字“٢٠٦”：数字请用0–9填写")


# -- the calculator's questionnaire answers (answer_sheet) ------------------------------------------------
def test_a_questionnaire_answer_in_full_width_digits_and_in_others():
    from jiuye.assess.situation import InputError
    from jiuye.model.system import get_system
    from jiuye.web.answer_sheet import convert
    system = get_system()
    wage, term = system.variables["monthly_wage"], system.variables["contract_term_months"]
    assert convert(wage, "４０００．５", "k") == 4000.5 and convert(term, "３６", "k") == 36
    assert convert(system.variables["contract_start_date"], "２０２６－０５－１０", "k") == "2026-05-10"
    for variable, text in ((wage, "٤٠٠٠"), (term, "३६"), (system.variables["contract_start_date"], "٢٠٢٦-05-10")):
        with pytest.raises(InputError) as error:
            convert(variable, text, "person:p:x")
        assert error.value.field == "person:p:x" and f"“{variable.label}”" in error.value.message
        assert REASON in error.value.message
    # the reasons of their own, no longer swallowed into 无法识别的值 (InputError is a ValueError)
    with pytest.raises(InputError, match="不能为负数"):
        convert(term, "-3", "k")
    with pytest.raises(InputError, match="不是存在的日期"):
        convert(system.variables["contract_start_date"], "2026-02-30", "k")
    for text in ("1_000", "1e5", "inf", "٣"):
        with pytest.raises(InputError):
            convert(wage, text, "k")


# -- an amount paid (money.to_cents) ---------------------------------------------------------------------
def test_an_amount_in_full_width_digits_and_in_others():
    from jiuye.money import InvalidAmount, to_cents
    assert to_cents("６０００．５０") == to_cents("6000.50") == 600050
    for text in ("٦٠٠٠", "6000²"):
        with pytest.raises(InvalidAmount) as error:
            to_cents(text, "amount")
        assert error.value.field == "amount" and error.value.message.startswith(f"金额{REASON}")
    assert to_cents(Decimal("12.30")) == 1230


# -- a roster or registry cell (batch.roster.conversion) -------------------------------------------------
def test_a_roster_cell_in_full_width_digits_and_in_others():
    from jiuye.batch.roster.conversion import convert
    from jiuye.batch.roster.mapping import mapping_for
    from jiuye.model.system import get_system
    system = get_system()
    mapping = mapping_for(system)
    cells = pa.array(["４０００", "4000", "٤٠٠٠", "४०००", "4000²", "１，２００元", None])
    wage = convert(cells, system.variables["monthly_wage"], mapping)
    assert wage.values[0] == wage.values[1] == 4000.0
    assert list(wage.bad) == [False, False, True, True, True, False, False]
    assert "数字请用0–9" in wage.reason
    ascii_only = convert(pa.array(["4000", "x"]), system.variables["monthly_wage"], mapping)
    assert "数字请用0–9" not in ascii_only.reason                  # said only where another digit was seen
    term = convert(pa.array(["３６", "٣٦"]), system.variables["contract_term_months"], mapping)
    assert term.values[0] == 36 and list(term.bad) == [False, True]
    days = convert(pa.array(["２０２６－０５－１０", "２０２６年５月１０日", "٢٠٢٦-05-10", "2026-05-1٠"]),
                   system.variables["contract_start_date"], mapping)
    assert list(days.values[:2]) == [np.datetime64("2026-05-10")] * 2 and list(days.bad) == [False, False, True, True]


# -- the HTTP API: its strings are dates ------------------------------------------------------------------
@pytest.fixture(scope="module")
def client():
    from jiuye.web.app import create_app
    return TestClient(create_app())


def _person(**facts):
    return {"persons": {"p": {"hukou_district": "xicheng", **facts}}, "organisations": {"o": {"employees": ["p"]}}}


def test_the_api_reads_full_width_dates_as_ascii(client):
    ascii_ = client.post("/api/v1/calculate", json={"situation": _person(contract_start_date="2024-03-15"),
                                                    "on": "2026-11-23", "measures": ["xicheng/6/person"]})
    full = client.post("/api/v1/calculate", json={"situation": _person(contract_start_date="２０２４－０３－１５"),
                                                  "on": "２０２６-１１-２３", "measures": ["xicheng/6/person"]})
    assert ascii_.status_code == full.status_code == 200
    assert full.json() == ascii_.json()


@pytest.mark.parametrize("body, field, label", [
    ({"situation": _person(), "on": "٢٠٢٦-11-23"}, "on", "评估日期"),
    ({"situation": _person(contract_start_date="2024-0٣-15"), "on": "2026-11-23"},
     "situation.persons.p.contract_start_date", "劳动合同起始日期"),
])
def test_the_api_refuses_other_digits_naming_the_field(client, body, field, label):
    response = client.post("/api/v1/calculate", json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == field
    assert label in problem["detail"] and REASON in problem["detail"], problem


def test_the_api_still_wants_numbers_as_json_numbers(client):
    response = client.post("/api/v1/calculate", json={"situation": _person(monthly_wage="４０００"), "on": "2026-11-23"})
    assert response.status_code == 422 and response.json()["field"] == "situation.persons.p.monthly_wage"
