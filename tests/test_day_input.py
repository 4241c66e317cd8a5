"""`jiuye.day.parse_day`, the one reader of a day given as input, and the layers that used to read
days their own way (Python 3.11's `date.fromisoformat` also takes 20250203, 2025-W05-1, 2025-034)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jiuye.day import DayError, parse_day

NOT_THE_FORMAT = ["20250203", "2025-W05-1", "2025-034", "2025-2-3", "２０２５０２０３", "2025-02-03T00:00",
                  "2025/02/03", "5", "否"]
OTHER_DIGITS = ["٢٠٢٥-٠٢-٠٣", "2025-0٢-03", "२०२५-०२-०३", "2025-02-0³"]     # Arabic-Indic, Devanagari, superscript


@pytest.mark.parametrize("text", NOT_THE_FORMAT)
def test_only_yyyy_mm_dd_in_ascii_digits_is_a_day(text):
    with pytest.raises(DayError, match="日期格式应为YYYY-MM-DD"):
        parse_day(text)


@pytest.mark.parametrize("text", ["２０２５-０２-０３", "２０２５－０２－０３", "2025－02－0３", " ２０２５-０２-０３　"])
def test_full_width_digits_and_hyphens_read_as_ascii(text):
    """全角 input (`jiuye.numerals`): the same day as 2025-02-03."""
    assert parse_day(text) == dt.date(2025, 2, 3)


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_other_digits_are_refused_with_their_own_reason(text):
    with pytest.raises(DayError, match="日期含有无法识别的数字“.+”：数字请用0–9填写"):
        parse_day(text)


def test_a_day_its_impossible_days_and_its_bounds():
    assert parse_day("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_day(" 2025-03-14 ") == dt.date(2025, 3, 14)
    assert parse_day(dt.date(2025, 3, 14)) == dt.date(2025, 3, 14)
    with pytest.raises(DayError, match="“2025-02-29”不是存在的日期"):
        parse_day("2025-02-29")
    for edge in ("1900-01-01", "2199-12-31"):            # 至 includes both ends
        assert parse_day(edge).isoformat() == edge
    for outside in ("1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"):
        with pytest.raises(DayError, match="日期超出允许范围"):
            parse_day(outside)
    assert parse_day("9999-12-31", bounded=False) == dt.date(9999, 12, 31)


def test_a_time_is_not_a_day_unless_a_spreadsheet_cell_at_midnight():
    with pytest.raises(DayError, match="不是时间"):
        parse_day(dt.datetime(2025, 3, 14))
    assert parse_day(dt.datetime(2025, 3, 14), midnight=True) == dt.date(2025, 3, 14)
    with pytest.raises(DayError, match="不是时间"):
        parse_day(dt.datetime(2025, 3, 14, 9, 30), midnight=True)
    for blank in (None, "", "   "):
        with pytest.raises(DayError, match="请填写日期"):
            parse_day(blank)


def test_every_reason_is_chinese():
    for value in NOT_THE_FORMAT + OTHER_DIGITS + ["2025-02-30", "0001-01-01", None, dt.datetime(2025, 1, 1, 8)]:
        with pytest.raises(DayError) as error:
            parse_day(value)
        words = re.sub(r"“.*”|YYYY-MM-DD|[0-9-]+", "", str(error.value))
        assert not re.search(r"[A-Za-z]", words), str(error.value)


def test_the_stores_the_calculator_and_reforms_refuse_a_compact_date():
    from jiuye.assess.situation import InputError, parse_date
    from jiuye.batch.reform import ReformError, parse_reform
    from jiuye.ledger.base import as_date
    from jiuye.ledger.errors import InvalidInput
    from jiuye.model.system import get_system
    from jiuye.registry.checks import as_date as registry_as_date
    from jiuye.registry.hukou import move_date
    from jiuye.web.fact_values import parse_date as cell_date
    for check in (as_date, registry_as_date):
        with pytest.raises(InvalidInput) as error:
            check("20250203", "start_on")
        assert error.value.field == "start_on" and "日期格式应为YYYY-MM-DD" in str(error.value)
    with pytest.raises(InvalidInput, match="户籍迁入日期：日期格式应为"):
        move_date("20250203")
    with pytest.raises(InputError, match="评估日期：日期格式应为"):
        parse_date("2025-W05-1", "on")
    with pytest.raises(ValueError, match="日期格式应为"):
        cell_date("20250203")
    assert cell_date(dt.datetime(2025, 3, 14)) == dt.date(2025, 3, 14)
    reform = {"changes": [{"parameter": "xicheng.c06.max_years", "value": 4, "from": "20260101"}]}
    with pytest.raises(ReformError) as error:
        parse_reform(reform, get_system())
    assert error.value.where == "changes[0].from" and "日期格式应为YYYY-MM-DD" in error.value.message
