"""Every error a user can get names the problem in Chinese: a message written into an error raised
for bad input, a missing record or a refused action (the classes below) has Chinese words, or only
forwards another message. (Command, option and file names such as --out, .xlsx or YYYY-MM-DD are
kept as they are typed.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from jiuye.ledger.errors import NOT_FOUND_LABELS

ROOT = Path(__file__).resolve().parents[1] / "jiuye"
ERRORS = {"InvalidInput", "InputError", "Refused", "Forbidden", "BatchInputError", "ReformError", "_fail",
          "CalibrationError", "RosterError"}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z]{3,}")
KEPT = re.compile(r"--[a-z-]+|\.[a-z]{3,5}\b|YYYY-MM-DD|JIUYE_[A-Z_]+|`[^`]*`|[a-z_]+\.(json|yaml|parquet)")


def _literal_text(node) -> str | None:
    """The literal parts of a message argument (an f-string's text without its placeholders)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return "".join(p for p in parts if p) if any(p is not None for p in parts) else None
    return None


def _calls():
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
                yield path, node, name


def test_error_messages_are_chinese():
    english = []
    for path, node, name in _calls():
        if name not in ERRORS:
            continue
        for arg in node.args[1:2] if name != "Forbidden" else node.args[:1]:
            text = _literal_text(arg)
            if text is None:
                continue
            words = WORD.findall(KEPT.sub("", text))
            if words and not CJK.search(text):
                english.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {text[:80]}")
    assert not english, "\n".join(english)


def test_every_record_kind_not_found_is_named_in_chinese():
    kinds = set()
    for _, node, name in _calls():
        if name == "NotFound" and node.args and isinstance(node.args[0], ast.Constant):
            kinds.add(node.args[0].value)
    kinds |= {"status", "spell"}            # jiuye/registry/service.py `_latest(..., "status" | "spell")`
    assert kinds and kinds <= set(NOT_FOUND_LABELS), kinds - set(NOT_FOUND_LABELS)
    assert all(CJK.search(label) for label in NOT_FOUND_LABELS.values())
    from jiuye.ledger.errors import NotFound
    assert NotFound("application", 12).message == "申请（12）不存在"
