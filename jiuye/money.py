"""Money: whole cents in storage, exact ``Decimal`` yuan in results, one display everywhere.

* Storage and arithmetic: integer cents (the ledger's columns, caps, sums).
* Results handed out: ``Decimal`` yuan with two places (``yuan(600000) == Decimal("6000.00")``);
  ``to_cents`` reads an amount someone typed, exactly (no float on the way), refusing more than two
  decimals, in the digits 0–9 (full-width read as them: `jiuye.numerals`); ``cents_of`` rounds an
  engine amount (a float in yuan) half up to the cent.
* Display — pages, flash messages, refusal reasons, installment notes, audit summaries, CLI output:
  ``display`` gives thousands separators and the unit, without decimals when the amount is whole
  yuan and with exactly two when it has cents: ``6,000元``, ``6,000.50元`` (never ``6,000.5元``
  nor ``6,000.00元``); ``待定`` for an amount not determined (None, NaN). Policy amounts are almost
  always whole yuan, so the usual display is the one the policy texts use (“6000元”, with a
  separator for reading); cents show only when there are some, and then both digits, as on a
  payment slip. The Jinja filter ``money`` of the web pages is ``display``.
* Data — CSV cells, JSON, the details of a decision: ``plain`` gives the amount in yuan with two
  decimals and nothing else (``6000.00``), which spreadsheets and programs read as a number;
  the column header carries the unit (``核定金额（元）``). Excel cells hold the number itself.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .numerals import ForeignDigit, ascii_digits

CENT = Decimal("0.01")
UNDETERMINED = "待定"


class InvalidAmount(ValueError):
    """An amount that cannot be read: ``field`` and the reason in Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def yuan(cents: int | None) -> Decimal | None:
    """Cents as exact yuan with two places."""
    return None if cents is None else (Decimal(cents) / 100).quantize(CENT)


MAX_AMOUNT = 1_000_000_000_000      # yuan: no payment of the ledger comes near it; its cents fit a BIGINT


def to_cents(amount: Any, field: str = "amount") -> int:
    """A positive amount in yuan (text, int or Decimal) as whole cents, exactly."""
    try:
        value = Decimal(ascii_digits(str(amount).strip()))      # full-width ６０００: 6000 (jiuye.numerals)
    except ForeignDigit as error:
        raise InvalidAmount(field, f"金额{error}") from None
    except (InvalidOperation, ValueError):
        raise InvalidAmount(field, f"金额应为数字，而不是“{amount}”") from None
    if not value.is_finite() or value <= 0:
        raise InvalidAmount(field, f"金额应为正数，而不是“{amount}”")
    if value > MAX_AMOUNT:            # 1e26 overflowed the decimal context and the BIGINT of cents
        raise InvalidAmount(field, f"金额超出上限（{MAX_AMOUNT:,}元）")
    if value != value.quantize(CENT):
        raise InvalidAmount(field, "金额最多两位小数（分）")
    return int(value * 100)


def cents_of(amount: float | int | Decimal | None) -> int | None:
    """An engine amount in yuan (float) as whole cents, rounded half up; None stays None."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return None
    return int(Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def _decimal(amount: Any) -> Decimal | None:
    if amount is None or (isinstance(amount, float) and not math.isfinite(amount)):
        return None
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    return value.quantize(CENT, rounding=ROUND_HALF_UP) if value.is_finite() else None


def display(amount: Any) -> str:
    """``6,000元`` / ``6,000.50元`` / ``待定``, from an amount in yuan (Decimal, int, float or text)."""
    value = _decimal(amount)
    if value is None:
        return UNDETERMINED
    if value == value.to_integral_value():
        return f"{value:,.0f}元"
    return f"{value:,.2f}元"


def display_cents(cents: int | None) -> str:
    """``display`` of an amount in cents."""
    return display(yuan(cents))


def plain(amount: Any) -> str:
    """``6000.00``: the amount in yuan for data cells and JSON ("" when not determined)."""
    value = _decimal(amount)
    return "" if value is None else f"{value:.2f}"


def plain_cents(cents: int | None) -> str:
    """``plain`` of an amount in cents."""
    return plain(yuan(cents))
