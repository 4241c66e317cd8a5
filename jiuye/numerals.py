"""The one rule for digits in what users type (a form, a spreadsheet cell, a JSON date, an amount):
ASCII ``0``–``9``, and the full-width ``０``–``９`` with ``．`` ``－`` ``＋`` that a Chinese (全角) input
method types, read as their ASCII characters. Any other decimal digit (Arabic-Indic ``٣``, Devanagari
``३``, superscript ``²``, circled ``①`` …) is refused, although Python's ``\\d``, ``int``, ``float`` and
``Decimal`` would take most of them: nobody types them for an amount or a date here, and one that
does reach a reader is a copy from elsewhere to be checked, not silently read.

The readers (``jiuye.day.parse_day``, ``jiuye.web.fact_values``, ``jiuye.web.answer_sheet``,
``jiuye.money.to_cents``, the roster's ``batch.roster.conversion``) call `ascii_digits` before their own
check and match ``[0-9]``, never ``\\d``. 身份证号 and 统一社会信用代码 are not read here: they are
ASCII-only (``jiuye.ids`` refuses full-width characters in them with its own message).
"""

from __future__ import annotations

import re

__all__ = ["FULL_WIDTH", "INTEGER", "DECIMAL", "ForeignDigit", "ascii_digits", "whole_number", "ascii_whole_number"]

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
INTEGER = re.compile(r"[+-]?[0-9]+")
DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


class ForeignDigit(ValueError):
    """A digit other than 0–9 (ASCII or full-width): the reason in Chinese, without the field (the
    caller names it)."""


def ascii_digits(text: str) -> str:
    """``text`` with its full-width digits, ``．``, ``－`` and ``＋`` as ASCII; ForeignDigit when any
    other decimal digit is in it."""
    out = text.translate(FULL_WIDTH)
    if out.isascii():
        return out
    foreign = "".join(dict.fromkeys(c for c in out if c.isdigit() and not c.isascii()))
    if foreign:
        raise ForeignDigit(f"含有无法识别的数字“{foreign[:10]}”：数字请用0–9填写（全角０–９亦可）")
    return out


def whole_number(text: str) -> int | None:
    """A number written with the digits alone (an application's 编号 typed in a cell or a form), as
    `ascii_digits` reads them; None when the text is not one; ForeignDigit when it holds another
    digit."""
    text = ascii_digits(text.strip())
    return int(text) if text.isascii() and text.isdigit() else None


def ascii_whole_number(text: str) -> int | None:
    """A number in ASCII digits alone (a header, a query parameter, a hidden field: nothing a person
    types, so no full-width reading), else None — ``str.isdigit`` alone also takes ``²``, which ``int``
    then refuses."""
    return int(text) if text.isascii() and text.isdigit() else None
