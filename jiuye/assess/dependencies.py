"""What each variable's formula reads (variables and parameters), traced once per system.

Formulas are vectorised, so one trace on a probe situation (one organisation with a member in each
role) shows everything a formula may read. Explanations use it to list the facts a condition reads
and the parameters a measure reads; the evaluator itself does not need it (what a value depends
on, case by case, comes with the value).

The trace costs about a second, so it is kept on disk, keyed by a hash of every source file of the
model (jiuye/model: formulas, parameters, catalogue records) and of openfisca-core's version: a
changed clause gives a new key, never a stale map. The cache folder is `$JIUYE_CACHE_DIR`, else
`$XDG_CACHE_HOME/jiuye`, else `~/.cache/jiuye`; `JIUYE_CACHE_DIR=off` disables it, and a folder
that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import cache_dir, per_system

MODEL_DIR = Path(__file__).resolve().parents[1] / "model"


@dataclass
class Dependencies:
    variables: dict      # variable -> set of variables its formula read
    parameters: dict     # variable -> set of parameter names its formula read
    facts_cache: dict = field(default_factory=dict)
    params_cache: dict = field(default_factory=dict)


SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".json")


def _model_files() -> list[tuple[str, str]]:
    """(path relative to MODEL_DIR, absolute path) of every source file of the model, in name order."""
    found = []
    for folder, subfolders, names in os.walk(MODEL_DIR):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        relative = os.path.relpath(folder, MODEL_DIR)
        for name in names:
            if name.endswith(SOURCE_SUFFIXES):
                found.append((name if relative == "." else os.path.join(relative, name), os.path.join(folder, name)))
    return sorted(found)


def engine_version() -> str:
    """openfisca-core's installed version, from the name of its `.dist-info` folder beside the
    package (one directory listing); `importlib.metadata` (which scans every installed distribution:
    ~35 ms, a tenth of a calculation's start-up) only when that folder is not found."""
    import openfisca_core
    site = Path(openfisca_core.__file__).resolve().parents[1]
    try:
        names = [n for n in os.listdir(site) if n.startswith("openfisca_core-") and n.endswith(".dist-info")]
    except OSError:
        names = []
    if len(names) == 1:
        return names[0][len("openfisca_core-"):-len(".dist-info")]
    from importlib.metadata import version
    return version("openfisca-core")


def model_fingerprint() -> str:
    """A hash of every source file of the model and of the engine's version. The files are read
    only when some file's size or modification time differs from a previous computation's (whose
    result is kept in the cache folder under a hash of those): a start-up does not read and hash
    the whole model again (the parsed-YAML cache hashes the files it reads anyway)."""
    engine = engine_version()
    files = _model_files()
    stamp = hashlib.sha256(engine.encode())
    for relative, path in files:
        info = os.stat(path)
        stamp.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    folder = cache_dir()
    memo = folder / f"fingerprint-{stamp.hexdigest()[:24]}" if folder else None
    if memo is not None:
        try:
            known = memo.read_text(encoding="ascii").strip()
            if len(known) == 24:
                return known
        except (OSError, UnicodeDecodeError):
            pass
    digest = hashlib.sha256(engine.encode())
    for relative, path in files:
        digest.update(relative.replace(os.sep, "/").encode())
        with open(path, "rb") as handle:
            digest.update(handle.read())
    fingerprint = digest.hexdigest()[:24]
    if memo is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            memo.write_text(fingerprint, encoding="ascii")
            for old in sorted(folder.glob("fingerprint-*"), key=lambda p: p.stat().st_mtime)[:-8]:
                old.unlink(missing_ok=True)            # the newest eight states of the model are kept
        except OSError:
            pass
    return fingerprint


def dependencies(system=None) -> Dependencies:
    """The map of `system` (the standard system's where None), traced once per system and kept while
    the system lives (`jiuye.cache.per_system`: a reform system dropped is collected)."""
    if system is None:
        from ..model.system import get_system
        system = get_system()
    return _dependencies(system)


@per_system
def _dependencies(system) -> Dependencies:
    from ..model.system import get_system
    folder = cache_dir() if system is get_system() else None    # the standard system only
    path = folder / f"dependencies-{model_fingerprint()}.json" if folder else None
    if path is not None and path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            variables = {k: set(v) for k, v in data["variables"].items()}
            parameters = {k: set(v) for k, v in data["parameters"].items()}
            if set(variables) <= set(system.variables):
                return Dependencies(variables, parameters)
        except Exception:      # a damaged or foreign file: trace again
            pass
    result = _trace(system)
    if path is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            data = {"variables": {k: sorted(v) for k, v in result.variables.items()},
                    "parameters": {k: sorted(v) for k, v in result.parameters.items()}}
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False) as handle:
                json.dump(data, handle)
            os.replace(handle.name, path)
            for old in sorted(folder.glob("dependencies-*.json"), key=lambda p: p.stat().st_mtime)[:-4]:
                old.unlink(missing_ok=True)            # the newest four models' maps are kept
        except OSError:
            pass
    return result


def _trace(system) -> Dependencies:
    from openfisca_core.simulation_builder import SimulationBuilder
    roles = system.entities_by_singular()["organisation"].roles
    persons = {f"probe_{role.key}": {} for role in roles}
    situation = {"persons": persons,
                 "organisations": {"probe": {role.plural: [f"probe_{role.key}"] for role in roles}}}
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    simulation = builder.build_from_entities(system, situation)
    simulation.trace = True
    for name, variable in system.variables.items():
        if variable.formulas:
            simulation.calculate(name, "2025-01")
    deps: dict[str, set] = {}
    params: dict[str, set] = {}
    for node in simulation.tracer.browse_trace():
        deps.setdefault(node.name, set()).update(child.name for child in node.children)
        params.setdefault(node.name, set()).update(p.name for p in node.parameters)
    return Dependencies(deps, params)


def facts_read(deps: Dependencies, system, name: str) -> list[str]:
    """Input facts (variables without formula) a variable reads, transitively, in a stable order."""
    cache = deps.facts_cache
    if name not in cache:
        seen, leaves = set(), []

        def walk(var: str) -> None:
            for dep in sorted(deps.variables.get(var, ())):
                if dep in seen:
                    continue
                seen.add(dep)
                if system.variables[dep].formulas:
                    walk(dep)
                leaves.append(dep)           # once: `seen` keeps it from coming back
        walk(name)
        cache[name] = leaves
    return cache[name]


def parameters_read(deps: Dependencies, names: Iterable[str]) -> list[str]:
    """Parameters the formulas of `names` read, transitively, in a stable order."""
    key = tuple(names)
    if key in deps.params_cache:
        return deps.params_cache[key]
    found: list[str] = []
    seen = set()

    def walk(var: str) -> None:
        if var in seen:
            return
        seen.add(var)
        for p in sorted(deps.parameters.get(var, ())):
            if p not in found:
                found.append(p)
        for dep in sorted(deps.variables.get(var, ())):
            walk(dep)
    for name in key:
        walk(name)
    deps.params_cache[key] = found
    return found
