"""The folder where jiuye keeps what it can compute again (the traced dependency map, the parsed
catalogue): `$JIUYE_CACHE_DIR`, else `$XDG_CACHE_HOME/jiuye`, else `~/.cache/jiuye`;
`JIUYE_CACHE_DIR=off` disables it. Every entry is keyed by a hash of what it was computed from, so
a changed clause never meets a stale entry; a folder that cannot be written is simply not used."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    configured = os.environ.get("JIUYE_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jiuye"
