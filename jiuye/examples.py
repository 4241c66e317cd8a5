"""The demo situations: each clause's `example*.json` in its folder (`policies/<key>/<clause>/`),
with its assessment date inside (`"on": "YYYY-MM-DD"`), found by clause id or by its name.

    path = example_path("xicheng/6")                          # the clause's first example
    path = example_path("xicheng_6_stable_employment.json")   # the name the example had in examples/
    situation, on = load_example(path)

A clause folder `c06_stable_employment` of document `xicheng` whose records are of clause
`xicheng/6` names its `example.json` `xicheng_6_stable_employment.json` and an `example_flexible.json`
`xicheng_6_flexible.json`. Examples not yet moved into a clause folder are read from `examples/`
(their dates from `examples/assessment-dates.json`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import yaml

from .catalogue import SAFE_LOADER, _read_yaml

ROOT = Path(__file__).resolve().parents[1]
LEGACY = ROOT / "examples"
POLICIES = Path(__file__).resolve().parent / "model" / "policies"
DEFAULT_DATE = "2026-11-23"


@functools.cache
def _index() -> dict[str, Path]:
    """name -> path of every example."""
    out: dict[str, Path] = {}
    for clause_file in sorted(POLICIES.glob("*/*/clause.yaml")):
        folder = clause_file.parent
        records = _read_yaml(clause_file).get("measures") or []        # parsed once, kept in the cache
        if not records:
            continue
        clause = records[0]["clause"]
        key, number = clause.split("/", 1)
        slug = folder.name.split("_", 1)[1] if "_" in folder.name else folder.name
        for path in sorted(folder.glob("example*.json")):
            suffix = path.stem[len("example_"):] if path.stem.startswith("example_") else slug
            out[f"{key}_{number.replace('/', '_')}_{suffix}.json"] = path
            out.setdefault(clause, path)
    for path in sorted(LEGACY.glob("*_*.json")):
        if path.name not in out and path.name != "assessment-dates.json":
            out[path.name] = path
            key, number = path.stem.split("_")[:2]
            out.setdefault(f"{key}/{number}", path)
    return out


def example_files() -> list[Path]:
    """Every example situation (clause folders first), each once."""
    seen, files = set(), []
    for name, path in _index().items():
        if path not in seen and name.endswith(".json"):
            seen.add(path)
            files.append(path)
    return files


def example_name(path: Path) -> str:
    for name, found in _index().items():
        if found == Path(path) and name.endswith(".json"):
            return name
    return Path(path).name


def example_path(name: str) -> Path:
    """An example by clause id (`xicheng/6`), by name (`xicheng_6_stable_employment.json`) or by path."""
    index = _index()
    if name in index:
        return index[name]
    path = Path(name)
    if path.exists():
        return path
    if path.name in index:       # examples/<name>.json of an example since moved into its clause folder
        return index[path.name]
    raise FileNotFoundError(f"没有示例“{name}”")


@functools.cache
def _legacy_dates() -> dict:
    path = LEGACY / "assessment-dates.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def example_date(path_or_name) -> str:
    """The assessment date an example is meant for: its `"on"`, else (a legacy example) its entry in
    examples/assessment-dates.json, else its document's default there, else 2026-11-23."""
    path = example_path(str(path_or_name)) if not isinstance(path_or_name, Path) else path_or_name
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("on"), str):
        return data["on"]
    dates = _legacy_dates()
    name = example_name(path)
    if name in dates:
        return dates[name]
    return (dates.get("_default_by_document") or {}).get(name.split("_")[0], DEFAULT_DATE)


def load_example(path_or_name) -> tuple[dict, dt.date]:
    """(situation, assessment date) of an example; the situation without its `"on"`."""
    path = example_path(str(path_or_name)) if not isinstance(path_or_name, Path) else path_or_name
    data = json.loads(path.read_text(encoding="utf-8"))
    on = example_date(path)
    data.pop("on", None)
    return data, dt.date.fromisoformat(on)
