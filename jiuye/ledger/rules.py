"""Cross-claim rules, read from the catalogue's records, and the version of the rules a result was
computed with.

Every rule rests on its clause's words and is declared in that clause's record
(``jiuye/model/policies/<key>/<clause>/clause.yaml``):

* ``limits:`` — ``[{per: person|beneficiary, period: year|ever, quote: "…", measures: [counted
  together; default the record's own]}]`` with either ``count: n`` (at most n approved claims; the
  default, 1, is once-only: xicheng/9, xicheng/18's 每人每年一次, heping/十七's 最多申请3次) or
  ``parameter: <path>`` / ``amount: <yuan>`` (an amount cap: what the approved claims give, per
  calendar year of each installment's due date or over all time, may not exceed it: xicheng/15,
  binjiang/四).
* ``stacking: {group, policy, period: year|ever, quote}`` — a stacking group applies across claims
  of the same beneficiary (and person); ``period: year`` limits it to claims whose first installment
  falls in the same calendar year (xicheng/30).

Engine-generic: reads the catalogue and parameter values by path; imports no district.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..catalogue import load_catalogue

MODEL_DIR = Path(__file__).resolve().parents[1] / "model"
REPO_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cap:
    """An amount cap across claims: what the approved claims of ``measures`` give one beneficiary or
    person, per calendar year of each installment's due date (``period: year``) or ever."""
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
    ever`` is once-only."""
    id: str
    measures: tuple[str, ...]
    per: str                       # person | beneficiary
    clause: str
    quote: str = ""
    count: int = 1
    period: str = "ever"           # year | ever


@dataclass(frozen=True)
class StackingScope:
    group: str
    period: str                    # year | ever
    clause: str
    quote: str = ""


@dataclass(frozen=True)
class Rules:
    caps: tuple[Cap, ...] = ()
    once_only: tuple[OnceOnly, ...] = ()
    stacking_scope: dict = field(default_factory=dict)     # group -> StackingScope

    def caps_for(self, measure_id: str) -> list[Cap]:
        return [c for c in self.caps if measure_id in c.measures]

    def once_only_for(self, measure_id: str) -> list[OnceOnly]:
        return [o for o in self.once_only if measure_id in o.measures]

    def stacking_period(self, group: str) -> str:
        scope = self.stacking_scope.get(group)
        return scope.period if scope is not None else "ever"


class RulesError(ValueError):
    pass


def load_rules(measures: dict | None = None) -> Rules:
    """The rules the records of ``measures`` (default: the whole catalogue) declare."""
    measures = load_catalogue().measures if measures is None else measures
    caps, once = catalogue_limits(measures)
    return Rules(tuple(caps), tuple(once), stacking_scopes(measures))


def catalogue_limits(measures: dict) -> tuple[list[Cap], list[OnceOnly]]:
    """The ``limits:`` of the records: amount caps (``parameter`` or ``amount``) and count limits
    (``count``, default 1). A limit several records declare alike (heping/十七's two loans counted
    together) is one rule."""
    caps: dict[tuple, Cap] = {}
    counts: dict[tuple, OnceOnly] = {}
    for measure in measures.values():
        for n, raw in enumerate(getattr(measure, "limits", None) or ()):
            where = f"{measure.id}: limits[{n}]"
            raw = dict(raw)
            unknown = set(raw) - {"per", "period", "count", "measures", "quote", "clause", "parameter", "amount"}
            if unknown:
                raise RulesError(f"{where}: unknown keys {sorted(unknown)}")
            per, period = raw.get("per", "person"), raw.get("period", "ever")
            if per not in ("person", "beneficiary") or period not in ("year", "ever"):
                raise RulesError(f"{where}: per must be person|beneficiary, period year|ever")
            if not raw.get("quote"):
                raise RulesError(f"{where}: a limit cites the words it rests on (quote)")
            together = tuple(sorted(m for m in (raw.get("measures") or [measure.id]) if m in measures)) or (measure.id,)
            clause, quote = raw.get("clause", measure.clause), raw["quote"]
            if "parameter" in raw or "amount" in raw:
                if ("parameter" in raw) == ("amount" in raw) or "count" in raw:
                    raise RulesError(f"{where}: an amount cap gives exactly one of parameter and amount, no count")
                try:
                    amount = Decimal(str(raw["amount"])) if "amount" in raw else None
                except InvalidOperation:
                    raise RulesError(f"{where}: amount {raw['amount']!r} is not a number") from None
                key = (together, per, period, raw.get("parameter"), amount)
                caps.setdefault(key, Cap(id=f"{measure.id}/limits/{n}", measures=together, per=per, period=period,
                                         clause=clause, quote=quote, parameter=raw.get("parameter"), amount=amount))
                continue
            count = raw.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise RulesError(f"{where}: count must be a whole number ≥ 1")
            counts.setdefault((together, per, period, count),
                              OnceOnly(id=f"{measure.id}/limits/{n}", measures=together, per=per, clause=clause,
                                       quote=quote, count=count, period=period))
    return list(caps.values()), list(counts.values())


def stacking_scopes(measures: dict) -> dict[str, StackingScope]:
    """Each stacking group's scope across claims (``stacking: {period: year, quote}`` of its records)."""
    scopes: dict[str, StackingScope] = {}
    for measure in measures.values():
        stacking = measure.stacking or {}
        if "period" not in stacking:
            continue
        if stacking["period"] not in ("year", "ever") or not stacking.get("quote"):
            raise RulesError(f"{measure.id}: stacking.period must be year|ever, with the quote it rests on")
        scope = StackingScope(stacking["group"], stacking["period"], measure.clause, stacking["quote"])
        if scopes.setdefault(scope.group, scope).period != scope.period:
            raise RulesError(f"{measure.id}: stacking group {scope.group} has two periods")
    return scopes


@functools.cache
def rules() -> Rules:
    return load_rules()


# -- the version of the rules a result was computed with --------------------------------------------
@functools.cache
def rules_hash() -> str:
    """sha256 over every file of the model (catalogues with their cross-claim limits, parameters,
    rule modules)."""
    digest = hashlib.sha256()
    files = sorted(p for p in MODEL_DIR.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".py"))
    for path in files:
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
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "jiuye/model"],
                                   cwd=REPO_DIR, capture_output=True, text=True, timeout=10).stdout.strip()
            if head:
                return f"git:{head}{'+dirty' if dirty else ''}"
        except (OSError, subprocess.SubprocessError):
            pass
    return f"jiuye {__version__}"
