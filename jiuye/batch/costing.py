"""财政测算: the cost and head-count of every executable measure over a year — the sum of the
installments due in each month of the year while eligible (the generated monthly `<variable>`,
month by month, as `simulation.calculate_add` would add them) — for the baseline and, when given,
a reform; per measure, per document and beneficiary type, and month by month.

Money is summed in integer cents (exact, independent of the partitioning). An amount "set
elsewhere" (按市级标准执行, NaN installments) is not costed: such measures report who is eligible.

With a calibration (jiuye.batch.calibration) every unit has a weight, and costs and head-counts are
weighted sums of the units (rounded to the cent and to whole units). The months keep the year's
unweighted profile: the evaluator gives each unit's cents for the year, not per month, so a
measure's weighted year is spread over the months in proportion to its unweighted months.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from ..catalogue import BENEFICIARIES, load_catalogue
from .results import CostRows
from .partition import CostTask, merge_cost, reform_key, run


@dataclasses.dataclass
class MeasureCost:
    id: str
    title: str
    clause: str
    document: str
    beneficiary: str
    kind: str
    amount_basis: str                   # computed | referenced
    cents: int
    paid: int                           # units with an amount due in the year
    organisations: int                  # distinct beneficiary organisations paid (per-employee measures)
    eligible: int                       # units eligible in at least one month
    referenced: int                     # eligible units whose amount is set elsewhere
    month_cents: list
    placeholder: bool = False           # reads a synthetic fact drawn from a placeholder distribution

    @property
    def yuan(self) -> float:
        return self.cents / 100


@dataclasses.dataclass
class Costing:
    year: int
    label: str
    measures: list                      # [MeasureCost] in catalogue order
    results: dict                       # measure id -> CostRows (for equality checks)

    def total_cents(self) -> int:
        return sum(m.cents for m in self.measures)

    def by(self, key) -> dict:
        out: dict = {}
        for m in self.measures:
            k = key(m)
            item = out.setdefault(k, {"cents": 0, "paid": 0, "eligible": 0, "month_cents": np.zeros(12, np.int64)})
            item["cents"] += m.cents
            item["paid"] += m.paid
            item["eligible"] += m.eligible
            item["month_cents"] = item["month_cents"] + np.asarray(m.month_cents)
        return out

    def month_cents(self) -> np.ndarray:
        return np.sum([np.asarray(m.month_cents) for m in self.measures], axis=0) if self.measures else np.zeros(12)


def summarise(results: dict, measures: list, year: int, label: str, placeholder: set | None = None,
              weights=None) -> Costing:
    """Per measure totals; with `weights` (jiuye.batch.calibration.Weights) weighted sums of the units."""
    rows = []
    for measure in measures:
        r: CostRows = results[measure.id]
        orgs = np.unique(r.org[r.org >= 0]) if measure.beneficiary == "organisation" else np.zeros(0, np.int64)
        if weights is None:
            cents, paid, eligible, organisations = int(r.cents.sum()), len(r.unit), len(r.eligible_units), len(orgs)
            referenced, months = r.referenced_units, [int(c) for c in r.month_cents]
        else:
            w = weights.of(measure.entity)
            cents = int(round(float(w[r.unit] @ r.cents.astype(np.float64))))
            paid, eligible = w[r.unit].sum(), w[r.eligible_units].sum()
            organisations = weights.org[orgs].sum()
            referenced = r.referenced_units * (eligible / len(r.eligible_units)) if len(r.eligible_units) else 0
            plain = int(r.cents.sum())
            months = [int(round(c * cents / plain)) if plain else 0 for c in r.month_cents]
        rows.append(MeasureCost(
            measure.id, measure.title, measure.clause, measure.document, measure.beneficiary, measure.kind,
            measure.amount, cents, int(round(paid)), int(round(organisations)), int(round(eligible)),
            int(round(referenced)), months, measure.id in (placeholder or set())))
    return Costing(year, label, rows, results)


def simulate(sources: list, year: int, *, measures: list | None = None, reform=None, client=None,
             progress: bool | None = None, placeholder: set | None = None) -> tuple[Costing, Costing | None]:
    """Baseline and (with `reform`, a ReformSpec) reformed costings of the population chunks
    (unweighted; `reweigh` applies a calibration's weights to them)."""
    measures = measures or load_catalogue().executable()
    ids = tuple(m.id for m in measures)
    base = merge_cost(run(CostTask(year, ids, None), sources, client=client, progress=progress,
                          description=f"测算 {year}（现行）"))
    baseline = summarise(base, measures, year, "现行政策", placeholder)
    reformed = None
    if reform is not None:
        text = reform_key(reform.to_data())
        ref = merge_cost(run(CostTask(year, ids, text), sources, client=client, progress=progress,
                             description=f"测算 {year}（{reform.title}）"))
        reformed = summarise(ref, measures, year, reform.title, placeholder)
    return baseline, reformed


def reweigh(costing: Costing, measures: list, weights, placeholder: set | None = None) -> Costing:
    """The same costing, every sum weighted by the calibration's weights."""
    return summarise(costing.results, measures, costing.year, costing.label, placeholder, weights)


def placeholder_measures(system, measures: list, generic_facts: list) -> set:
    """Measures whose conditions or schedule read a fact the synthetic generator fills from a
    placeholder (type and name based) distribution: their synthetic costs are not estimates."""
    if not generic_facts:
        return set()
    from .reads import fact_paths
    paths = fact_paths(system)
    generic = set(generic_facts)
    out = set()
    for m in measures:
        facts = {f for f, _ in paths.of_measure(m)}
        if facts & generic:
            out.add(m.id)
    return out


def read_manifest(path: Path) -> dict:
    """`synth.json` beside a synthetic roster (seed, district, generic facts …), if any."""
    path = Path(path)
    manifest = (path if path.is_dir() else path.parent) / "synth.json"
    if manifest.exists():
        return json.loads(manifest.read_text(encoding="utf-8"))
    return {}


def beneficiary_label(key: str) -> str:
    return BENEFICIARIES.get(key, key)
