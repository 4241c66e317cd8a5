"""Where the ledger lives and which switches are on (environment variables).

* ``JIUYE_DATABASE_URL`` — SQLAlchemy URL. Unset: a SQLite file ``./var/jiuye.db`` (relative to the
  working directory). ``postgresql://…`` and ``postgres://…`` are read as psycopg 3
  (``postgresql+psycopg://…``).
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


def demo_mode() -> bool:
    return os.environ.get("JIUYE_DEMO", "").strip().lower() in ("1", "true", "yes", "on")
