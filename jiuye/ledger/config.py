"""Where the ledger lives and which switches are on (environment variables).

* ``JIUYE_DATABASE_URL`` — SQLAlchemy URL. Unset: a SQLite file ``./var/jiuye.db`` (relative to the
  working directory). ``postgresql://…`` and ``postgres://…`` are read as psycopg 3
  (``postgresql+psycopg://…``).
* ``JIUYE_AUDIT_KEY`` — the key of the audit chain's HMACs (kept outside the database). Unset: a random
  key kept in ``JIUYE_AUDIT_KEY_FILE`` (default ``./var/audit.key``, made 0600 on first use).
* ``JIUYE_AUDIT_ANCHORS`` — the file of signed checkpoints of the chain's head (default
  ``./var/audit-anchors.jsonl``; keep it on other storage than the database).
* ``JIUYE_DEMO=1`` — demo mode: ``jiuye ledger seed-demo`` may create the demo users, and demo users
  may log in. Outside demo mode both are refused.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SQLITE = Path("var") / "jiuye.db"


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get("JIUYE_DATABASE_URL") or ""
    if not url:
        return f"sqlite:///{DEFAULT_SQLITE}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def audit_key() -> bytes:
    configured = os.environ.get("JIUYE_AUDIT_KEY", "").strip()
    if configured:
        return configured.encode("utf-8")
    return _key_file(Path(os.environ.get("JIUYE_AUDIT_KEY_FILE") or Path("var") / "audit.key"))


_KEYS: dict[str, bytes] = {}


def _key_file(path: Path) -> bytes:
    import secrets
    cached = _KEYS.get(str(path))
    if cached is not None:
        return cached
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:
            pass                                   # another process made it first
    key = path.read_text(encoding="ascii").strip().encode("ascii")
    _KEYS[str(path)] = key
    return key


def anchors_file() -> Path:
    return Path(os.environ.get("JIUYE_AUDIT_ANCHORS") or Path("var") / "audit-anchors.jsonl")


def demo_mode() -> bool:
    return os.environ.get("JIUYE_DEMO", "").strip().lower() in ("1", "true", "yes", "on")
