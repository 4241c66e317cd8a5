"""The folder where jiuye keeps what it can compute again (the traced dependency map, the parsed
catalogue): `$JIUYE_CACHE_DIR`, else `$XDG_CACHE_HOME/jiuye`, else `~/.cache/jiuye`;
`JIUYE_CACHE_DIR=off` disables it. Every entry is keyed by a hash of what it was computed from, so
a changed clause never meets a stale entry; a folder that cannot be written is simply not used."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
import threading
import weakref
from pathlib import Path


def cache_dir() -> Path | None:
    configured = os.environ.get("JIUYE_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jiuye"


# -- parsed YAML, by the hash of the file's bytes ----------------------------------------------------
_YAML: dict = {}


def _yaml_store() -> dict:
    if not _YAML:
        folder = cache_dir()
        path = folder / "yaml.json" if folder else None
        files = {}
        if path is not None and path.exists():
            try:
                files = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                files = {}
        _YAML.update(path=path, files=files, dirty=False, used=set())
    return _YAML


def _date_tag(value):
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    raise TypeError(type(value).__name__)


def _undate(obj: dict):
    if len(obj) == 1 and "__date__" in obj:
        return dt.date.fromisoformat(obj["__date__"])
    return obj


def cached_yaml(path: Path, parse):
    """`parse(text)` of a YAML file, or the same data from the cache when the file's bytes are the
    ones it was parsed from (data JSON can hold: dicts, lists, strings, numbers, dates)."""
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:24]
    store = _yaml_store()
    store["used"].add(digest)
    text = store["files"].get(digest)
    if text is not None:
        return json.loads(text, object_hook=_undate)
    data = parse(raw.decode("utf-8"))
    try:
        store["files"][digest] = json.dumps(data, default=_date_tag, ensure_ascii=False)
        store["dirty"] = True
    except (TypeError, ValueError):
        pass
    return data


def save_yaml() -> None:
    """Write the parsed files used by this process (and only those) when anything was new."""
    store = _YAML
    if not store or not store.get("dirty") or store.get("path") is None:
        return
    path = store["path"]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
            json.dump({k: v for k, v in store["files"].items() if k in store["used"]}, handle, ensure_ascii=False)
        os.replace(handle.name, path)
        store["dirty"] = False
    except OSError:
        pass


# -- in memory, per tax-benefit system ---------------------------------------------------------------
def per_system(compute):
    """`compute(system)` once per system, kept while the system lives: weakly keyed, so a reform
    system that is dropped is collected, and its entry with it (functools.cache would keep every
    system it was given alive forever). The value must not hold its system strongly (it would keep
    its own key alive): a weak reference. Not an attribute of the system either: an OpenFisca
    Reform reads the attributes it lacks from its baseline (`Reform.__getattr__`), so a reform
    would find its baseline's value. The standard system lives as long as the process
    (`get_system`), and so does its entry."""
    table: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    @functools.wraps(compute)
    def cached(system):
        found = table.get(system)
        if found is None:
            found = compute(system)
            with lock:                            # two threads computing it at once keep the first
                found = table.setdefault(system, found)
        return found
    cached.table = table
    return cached
