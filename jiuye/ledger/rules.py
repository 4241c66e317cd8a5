"""Cross-claim rules as data (``rules.yaml``) and the version of the rules a result was computed with.

Engine-generic: reads the catalogue and parameter values by path; imports no district.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from ..catalogue import load_catalogue

RULES_FILE = Path(__file__).with_name("rules.yaml")
MODEL_DIR = Path(__file__).resolve().parents[1] / "model"
REPO_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cap:
    id: str
    measures: tuple[str, ...]
    per: str                       # beneficiary | person
    period: str                    # year | ever
    clause: str
    quote: str = ""
    parameter: str | None = None
    amount: Decimal | None = None

    def limit_cents(self, on: dt.date) -> int | None:
        """The cap in cents in force on ``on`` (None: no value in force)."""
        if self.amount is not None:
            return int(self.amount * 100)
        from ..model.system import get_system
        from ..params import describe_parameter
        value = describe_parameter(get_system(), self.parameter, on).get("value")
        return None if value is None else int(round(float(value) * 100))


@dataclass(frozen=True)
class OnceOnly:
    """A count limit across claims: at most ``count`` approved claims of ``measures`` per person or
    beneficiary, per calendar year of each claim (``period: year``) or ever. ``count: 1, period:
    ever`` is once-only. Declared in each measure's catalogue record (``limits:``)."""
    id: str
    measures: tuple[str, ...]
    per: str                       # person | beneficiary
    clause: str
    quote: str = ""
    count: int = 1
    period: str = "ever"           # year | ever


@dataclass(frozen=True)
class Rules:
    caps: tuple[Cap, ...] = ()
    once_only: tuple[OnceOnly, ...] = ()
    stacking_scope: dict = field(default_factory=dict)     # group -> {"period": "year" | "ever", ...}
    ignored: tuple[str, ...] = ()                           # entries naming measures the catalogue lacks

    def caps_for(self, measure_id: str) -> list[Cap]:
        return [c for c in self.caps if measure_id in c.measures]

    def once_only_for(self, measure_id: str) -> list[OnceOnly]:
        return [o for o in self.once_only if measure_id in o.measures]

    def stacking_period(self, group: str) -> str:
        return (self.stacking_scope.get(group) or {}).get("period", "ever")


class RulesError(ValueError):
    pass


def load_rules(path: Path = RULES_FILE) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    known = load_catalogue().measures
    ignored: list[str] = []
    caps, once = [], []
    for raw in data.get("caps") or []:
        _check(raw, ("id", "measures", "per", "period", "clause"), path)
        if raw["per"] not in ("beneficiary", "person") or raw["period"] not in ("year", "ever"):
            raise RulesError(f"{path}: cap {raw['id']}: per must be beneficiary|person, period year|ever")
        if ("parameter" in raw) == ("amount" in raw):
            raise RulesError(f"{path}: cap {raw['id']}: give exactly one of parameter and amount")
        measures = tuple(m for m in raw["measures"] if m in known)
        if not measures:
            ignored.append(raw["id"])
            continue
        caps.append(Cap(id=raw["id"], measures=measures, per=raw["per"], period=raw["period"],
                        clause=raw["clause"], quote=raw.get("quote", ""), parameter=raw.get("parameter"),
                        amount=Decimal(str(raw["amount"])) if "amount" in raw else None))
    for raw in data.get("once_only") or []:
        _check(raw, ("id", "measures", "per", "clause"), path)
        measures = tuple(m for m in raw["measures"] if m in known)
        if not measures:
            ignored.append(raw["id"])
            continue
        once.append(OnceOnly(id=raw["id"], measures=measures, per=raw["per"], clause=raw["clause"],
                             quote=raw.get("quote", "")))
    once.extend(catalogue_limits(known))
    return Rules(tuple(caps), tuple(once), dict(data.get("stacking") or {}), tuple(ignored))


def catalogue_limits(measures: dict) -> list[OnceOnly]:
    """The ``limits:`` of the catalogue's records: ``[{per: person|beneficiary, period: year|ever,
    count: n, measures: [ids counted together; default the record's own], quote: "…"}]``."""
    found = []
    for measure in measures.values():
        for n, raw in enumerate(getattr(measure, "limits", None) or ()):
            raw = dict(raw)
            per, period, count = raw.get("per", "person"), raw.get("period", "ever"), raw.get("count", 1)
            if per not in ("person", "beneficiary") or period not in ("year", "ever") \
                    or not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise RulesError(f"{measure.id}: limits[{n}]: per person|beneficiary, period year|ever, count ≥ 1")
            together = tuple(m for m in (raw.get("measures") or [measure.id]) if m in measures) or (measure.id,)
            found.append(OnceOnly(id=f"{measure.id}/limits/{n}", measures=together, per=per,
                                  clause=raw.get("clause", measure.clause), quote=raw.get("quote", ""),
                                  count=count, period=period))
    return found


def _check(raw: dict, keys: tuple[str, ...], path: Path) -> None:
    missing = [k for k in keys if k not in raw]
    if missing:
        raise RulesError(f"{path}: entry {raw.get('id', raw)} lacks {', '.join(missing)}")


@functools.cache
def rules() -> Rules:
    return load_rules()


# -- the version of the rules a result was computed with --------------------------------------------
@functools.cache
def rules_hash() -> str:
    """sha256 over every file of the model (catalogues, parameters, rule modules) and rules.yaml."""
    digest = hashlib.sha256()
    files = sorted(p for p in MODEL_DIR.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".py"))
    for path in files + [RULES_FILE]:
        digest.update(str(path.relative_to(MODEL_DIR.parent)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def code_version() -> str:
    """``git:<commit>`` (``+dirty`` when the rules differ from it) in a checkout, else the package
    version (``JIUYE_CODE_VERSION`` overrides both, e.g. for a deployment)."""
    configured = os.environ.get("JIUYE_CODE_VERSION")
    if configured:
        return configured[:120]
    from .. import __version__
    if (REPO_DIR / ".git").exists():
        try:
            head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_DIR, capture_output=True, text=True,
                                  timeout=5).stdout.strip()
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "jiuye/model", "jiuye/ledger/rules.yaml"],
                                   cwd=REPO_DIR, capture_output=True, text=True, timeout=10).stdout.strip()
            if head:
                return f"git:{head}{'+dirty' if dirty else ''}"
        except (OSError, subprocess.SubprocessError):
            pass
    return f"jiuye {__version__}"
