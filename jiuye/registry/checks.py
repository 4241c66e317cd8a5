"""Checks of the registry's input (dates, texts, choices), naming the field in Chinese."""

from __future__ import annotations

from typing import Any

from ..ids import mask_id
from ..ledger import audit
from ..ledger.base import as_date  # noqa: F401  (the one date check of every store)
from ..ledger.errors import InvalidInput


def as_text(value: Any, field: str, *, required: bool = True, limit: int = 2000) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, "不能为空")
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"应为文字，而不是{type(value).__name__}")
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(field, f"最多{limit}字")
    return value


def choice(value: Any, options: dict, field: str) -> str:
    if value not in options:
        raise InvalidInput(field, f"应为{'、'.join(f'{k}（{v}）' for k, v in options.items())}之一，而不是{str(value)[:30]!r}")
    return value


def _record(obj) -> dict:
    """What the audit log keeps of a row: ``audit.row_record`` with the 身份证号 masked."""
    record = audit.row_record(obj)
    if "id_number" in record["values"]:
        record["values"]["id_number"] = mask_id(record["values"]["id_number"])
    return record
