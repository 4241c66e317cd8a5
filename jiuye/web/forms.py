"""What the ledger's pages and imports read from a form or a cell besides plain text: a situation as
JSON, with the line and column of a syntax error; a refusal shown beside its field."""

from __future__ import annotations

import json

from ..ledger.errors import InvalidInput, LedgerError


def situation_from_text(text: str, field: str = "situation") -> dict:
    """The situation a form or cell holds as JSON text, or InvalidInput naming ``field``."""
    if not (text or "").strip():
        raise InvalidInput(field, "请填写情形JSON（persons、organisations）")
    try:
        situation = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(field, f"不是有效的JSON（第{error.lineno}行第{error.colno}列：{error.msg}）") from None
    if not isinstance(situation, dict) or not isinstance(situation.get("persons"), dict):
        raise InvalidInput(field, "应为含 persons（及 organisations）的JSON对象")
    return situation


def form_error(error: LedgerError) -> dict:
    """A refusal as the pages show it beside its field."""
    return {"field": error.field, "message": error.message, "code": error.code}
