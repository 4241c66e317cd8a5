"""A fact's value, strictly, as a form field or a spreadsheet cell gives it and as it is shown.

* 是/否 (nothing else) for yes/no; a choice by its Chinese label or its key; dates ``YYYY-MM-DD``
  (an Excel date cell too); numbers finite and within the fact's declared range, in the digits 0–9
  (full-width ０–９ read as them, any other digit refused: `jiuye.numerals`). A blank cell is
  *not given*. A bad value raises ``InvalidInput`` whose field is the fact's form name and whose
  message names the fact by its label.
* The measure a page, a template or an imported row names is checked by ``executable_measure``.
"""

from __future__ import annotations

import datetime as dt
import math

from ..day import parse_day
from ..ledger.errors import InvalidInput
from ..numerals import DECIMAL, INTEGER, ForeignDigit, ascii_digits
from .fact_fields import FactField
from .measure_facts import measure_fields

NO_SUCH_DATE = "9999-12-31"
YES, NO = "是", "否"


def _bad(f: FactField, reason: str, where: str | None = None) -> InvalidInput:
    return InvalidInput(where or f.form_name, f"“{f.label}”：{reason}")


def parse_date(raw) -> dt.date:
    """A date cell or form value: an Excel date (no time of day), or ``YYYY-MM-DD`` text of a day
    that exists (`jiuye.day`); ValueError with the reason in Chinese else. (Facts' dates and an
    import's claim dates are read by this one converter; their bounds are the fact's.)"""
    return parse_day(raw, midnight=True, bounded=False)


def executable_measure(measure_id: str, field: str, then: str = ""):
    """The catalogue's measure of that id, if its amounts can be computed; InvalidInput on ``field``
    else (``then``: what cannot be done, after the reason: “，不能记录申请”). The one check of a
    measure a page, a template or an imported row names."""
    from ..catalogue import KINDS, CatalogueError, load_catalogue
    if not measure_id:
        raise InvalidInput(field, "不能为空")
    try:
        measure = load_catalogue().measure(measure_id)
    except CatalogueError:
        raise InvalidInput(field, f"措施编号“{str(measure_id)[:80]}”不在政策目录中，请从措施列表中选择") from None
    if not measure.executable:
        raise InvalidInput(field, f"{measure.title}（{measure.id}）是{KINDS.get(measure.kind, measure.kind)}类措施，"
                                  f"不能计算金额{then}")
    return measure


def parse_value(f: FactField, raw, where: str | None = None):
    """A form value or a spreadsheet cell as the fact's value (None: not given); InvalidInput else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) and f.kind != "bool":
        raise _bad(f, f"无法识别的值“{raw}”", where)
    if f.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip()
        if text in (YES, NO):
            return text == YES
        raise _bad(f, f"应填“是”或“否”，而不是“{text[:40]}”", where)
    if f.kind == "enum":
        text = str(raw).strip()
        for key, label in f.options:
            if text in (key, label):
                return key
        choices = "、".join(label for key, label in f.options if key != "unknown")
        raise _bad(f, f"应为以下之一：{choices}（而不是“{text[:40]}”）", where)
    if f.kind == "date":
        try:
            day = parse_date(raw)
        except ValueError as error:
            raise _bad(f, str(error), where) from None
        if day.isoformat() != NO_SUCH_DATE and not (f.bounds[0] <= day <= f.bounds[1]):
            raise _bad(f, f"日期应在{f.bounds[0]}至{f.bounds[1]}之间（无此日期时填{NO_SUCH_DATE}）", where)
        return day.isoformat()
    if f.kind in ("int", "float"):
        if isinstance(raw, (int, float)):
            number = raw
        else:
            try:
                text = ascii_digits(str(raw).strip()).replace(",", "")      # full-width １２: 12 (jiuye.numerals)
            except ForeignDigit as error:
                raise _bad(f, str(error), where) from None
            if not (INTEGER if f.kind == "int" else DECIMAL).fullmatch(text):
                raise _bad(f, f"应为{'整数' if f.kind == 'int' else '数字'}，而不是“{str(raw).strip()[:40]}”", where)
            number = int(text) if f.kind == "int" else float(text)
        if isinstance(number, float) and not math.isfinite(number):
            raise _bad(f, "应为有限的数", where)
        if f.kind == "int":
            if isinstance(number, float):
                if not number.is_integer():
                    raise _bad(f, f"应为整数，而不是{number:g}", where)
                number = int(number)
        if f.kind == "float":
            number = float(number)          # 4000 typed in Excel and "4000" in a CSV: the same fact
        lo, hi = f.bounds
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise _bad(f, f"应在{lo:g}至{hi:g}之间" if lo is not None and hi is not None else "超出允许的范围", where)
        return number
    text = str(raw).strip()
    if len(text) > 200:
        raise _bad(f, "最多200字", where)
    return text


def cell_value(f: FactField, value):
    """A fact's value as a cell (export) or a form shows it: 是/否, a choice's label, an ISO date,
    a number (4000, not 4000.0); None when not given."""
    if value is None:
        return None
    if f.kind == "bool":
        return YES if value else NO
    if f.kind == "enum":
        return dict(f.options).get(value, value)
    if f.kind == "date":
        return str(value)[:10]
    if f.kind in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    return value


def form_value(f: FactField, value) -> str:
    """The value a form field is prefilled with (a choice by its key)."""
    if value is None:
        return ""
    if f.kind == "enum":
        return str(value)
    shown = cell_value(f, value)
    return "" if shown is None else str(shown)


def canonical(f: FactField, value):
    """A stored value as its cell reads back (so 4000 and 4000.0 compare equal); the value itself
    when it does not read back."""
    try:
        return parse_value(f, cell_value(f, value))
    except InvalidInput:
        return value


def shown(f: FactField, value) -> str:
    if value is None:
        return "未填"
    if f.kind == "date" and str(value).startswith(NO_SUCH_DATE):
        return "无"
    text = cell_value(f, value)
    return f"{text}{f.unit}" if f.kind in ("int", "float") else str(text)


def parse_form(measure_id: str, form) -> dict[FactField, object]:
    """The measure's facts from a form (``fact:<entity>:<name>`` fields); the first bad one raises."""
    return {f: parse_value(f, form.get(f.form_name)) for f in measure_fields(measure_id)}
