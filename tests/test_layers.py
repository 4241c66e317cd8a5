"""The layers' imports: the engine-independent layers import no district, and no two modules or
packages import each other.

* Districts: the model's policy folders (``jiuye.model.policies.<key>``) are imported by one loader,
  ``jiuye.model.system.policy_modules`` (called by ``JiuyeSystem`` when a system is built); nothing
  else may import them, so a layer that reads the catalogue and the system works for any district.
  Checked in a fresh interpreter by an import hook that records, for every district module
  imported, whether the loader is on the call stack.
* Mutual imports: read from the source (every ``import`` statement, at module level or inside a
  function), at every level of the package tree: two modules of a package, or two subpackages.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "jiuye"
ENGINE_INDEPENDENT = ["jiuye.catalogue", "jiuye.explain", "jiuye.assess", "jiuye.web", "jiuye.ledger", "jiuye.batch",
                      "jiuye.ids", "jiuye.money"]
LOADERS = [("jiuye.model.system", "policy_modules")]     # (module, function): the only way in
NOT_IMPORTABLE = ("jiuye.ledger.migrations",)            # Alembic's scripts: run by Alembic, not imported

WATCH = textwrap.dedent('''
    import importlib, json, pkgutil, sys
    LOADERS = {tuple(x) for x in json.loads(sys.argv[1])}
    ROOTS, SKIP = json.loads(sys.argv[2]), tuple(json.loads(sys.argv[3]))
    bypass = []

    class Watch:
        """Records each district module imported without the loader on the call stack."""
        def find_spec(self, name, path=None, target=None):
            if name.startswith("jiuye.model.policies."):
                frame = sys._getframe(1)
                while frame is not None and (frame.f_globals.get("__name__"), frame.f_code.co_name) not in LOADERS:
                    frame = frame.f_back
                if frame is None:
                    bypass.append(name)
            return None

    sys.meta_path.insert(0, Watch())
    imported = []
    for root in ROOTS:
        module = importlib.import_module(root)
        imported.append(root)
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), root + "."):
            if not info.name.startswith(SKIP):
                importlib.import_module(info.name)
                imported.append(info.name)
    out = {"imported": imported, "bypass": list(bypass),
           "districts": sorted(m for m in sys.modules if m.startswith("jiuye.model.policies."))}
    # the control: a direct import is recorded; the loader brings the other districts in, unrecorded
    importlib.import_module("jiuye.model.policies.xicheng")
    out["bypass_direct"] = list(bypass)
    from jiuye.model.system import get_system
    get_system()
    out["after_loader"] = sorted(m for m in sys.modules if m.startswith("jiuye.model.policies."))
    out["bypass_after_loader"] = list(bypass)
    print(json.dumps(out))
''')


@pytest.fixture(scope="module")
def watched() -> dict:
    done = subprocess.run([sys.executable, "-c", WATCH, json.dumps(LOADERS), json.dumps(ENGINE_INDEPENDENT),
                           json.dumps(NOT_IMPORTABLE)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_engine_independent_layers_import_no_district(watched):
    """Importing every module of the engine-independent layers imports no district module except
    through the loader (here: none at all, since no module builds a system when imported)."""
    assert len(watched["imported"]) > 40 and "jiuye.web.routes.ledger_files" in watched["imported"]
    assert watched["bypass"] == []
    assert watched["districts"] == []


def test_the_watch_sees_districts_through_the_loader_and_around_it(watched):
    """The check can fail: a direct import of a district is recorded; building the system then
    imports every district's modules through the loader, which are not."""
    assert watched["bypass_direct"] == ["jiuye.model.policies.xicheng"]
    assert {"jiuye.model.policies.heping", "jiuye.model.policies.xicheng.c06_stable_employment.rules"} <= set(watched["after_loader"])
    assert watched["bypass_after_loader"] == ["jiuye.model.policies.xicheng"]


# -- mutual imports ------------------------------------------------------------------------------------------
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def import_graph() -> dict[str, set[str]]:
    """module -> the jiuye modules it imports (a ``from X import y`` of a submodule y counts as X.y)."""
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target.startswith("jiuye") and target != name:
                    graph[name].add(target)
    return graph


def mutual_imports(graph: dict[str, set[str]], packages: set[str]) -> set[tuple[str, str]]:
    """Pairs of siblings (two modules of one package, or two subpackages) that import each other,
    a package standing for every module inside it."""
    pairs = set()
    for package in packages:
        def child(module: str) -> str | None:
            if not module.startswith(package + "."):
                return None
            return package + "." + module[len(package) + 1:].split(".")[0]
        edges = {(child(a), child(b)) for a, targets in graph.items() for b in targets}
        edges = {(a, b) for a, b in edges if a and b and a != b}
        pairs |= {tuple(sorted((a, b))) for a, b in edges if (b, a) in edges}
    return pairs


def test_no_two_modules_or_packages_import_each_other():
    packages = {m for m, p in _modules().items() if p.name == "__init__.py"}
    assert mutual_imports(import_graph(), packages) == set()


def test_mutual_imports_are_found_between_modules_and_between_packages():
    graph = {"jiuye.a.x": {"jiuye.b.y"}, "jiuye.b.z": {"jiuye.a"}, "jiuye.c": {"jiuye.d"}, "jiuye.d": {"jiuye.c"},
             "jiuye.a.x.deep": {"jiuye.a.w"}, "jiuye.a.w": {"jiuye.a.x"}, "jiuye.e": {"jiuye.a.x"}}
    packages = {"jiuye", "jiuye.a", "jiuye.b", "jiuye.a.x"}
    assert mutual_imports(graph, packages) == {("jiuye.a", "jiuye.b"), ("jiuye.c", "jiuye.d"),
                                               ("jiuye.a.w", "jiuye.a.x")}


def test_the_graph_sees_imports_inside_functions():
    """The graph is read from every import statement: a lazy import inside a function counts (the
    old jiuye.web ↔ jiuye.ledger_web pair was two of those)."""
    graph = import_graph()
    assert "jiuye.model.system" in graph["jiuye.web.templating"]          # inside fact_value's helper
    assert "jiuye.web.routes.ledger_files" in graph["jiuye.web.app"]       # from .routes import ledger_files
    assert "jiuye.ids" in graph["jiuye.ledger.users"]                       # from .. import ids
