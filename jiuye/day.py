"""The one reader of a day given as input (a form, a JSON field, an import's cell, a CLI option, a
reform file): ``YYYY-MM-DD`` in the digits 0–9 (full-width ``２０２５－０３－１４`` read as them, any
other digit refused: `jiuye.numerals`), of a day that exists, within the days the rules and the
ledger's calendar arithmetic hold. Every layer names the field and wraps the reason, which is Chinese.

`datetime.date.fromisoformat` alone is not the check: since Python 3.11 it also takes ``20250203``,
``2025-W05-1`` and ``2025-034``, none of them the documented format, and a ``datetime`` is a ``date``.
"""

from __future__ import annotations

import datetime as dt
import re

from .numerals import ForeignDigit, ascii_digits

__all__ = ["FIRST_DAY", "LAST_DAY", "DayError", "parse_day", "FORMAT_HINT"]

FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
FORMAT_HINT = "YYYY-MM-DD（如2025-03-14）"
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DayError(ValueError):
    """Why a value is not a day, in Chinese (without the field: the caller names it)."""


def _shown(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def parse_day(value, *, midnight: bool = False, bounded: bool = True) -> dt.date:
    """`value` as a day: a `datetime.date`, or its ISO text (surrounding blanks ignored).

    `midnight`: a `datetime` at 00:00 is taken as its day (a spreadsheet's date cell); otherwise
    any `datetime` is refused (a time is not a day). `bounded`: the day must lie within
    FIRST_DAY..LAST_DAY. Raises DayError with the reason in Chinese."""
    if isinstance(value, dt.datetime):
        if not midnight or value.time() != dt.time(0) or value.tzinfo is not None:
            raise DayError("应为日期（YYYY-MM-DD），不是时间")
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif value is None or (isinstance(value, str) and not value.strip()):
        raise DayError(f"请填写日期，格式为{FORMAT_HINT}")
    elif not isinstance(value, str):
        raise DayError(f"日期格式应为{FORMAT_HINT}，而不是{_shown(value)}")
    else:
        try:
            text = ascii_digits(value.strip())
        except ForeignDigit as error:
            raise DayError(f"日期{error}") from None
        if not _ISO_DAY.fullmatch(text):
            raise DayError(f"日期格式应为{FORMAT_HINT}，而不是{_shown(value)}")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise DayError(f"“{text}”不是存在的日期") from None
    if bounded and not FIRST_DAY <= day <= LAST_DAY:
        raise DayError(f"日期超出允许范围（{FIRST_DAY}至{LAST_DAY}）：{day.isoformat()}")
    return day
