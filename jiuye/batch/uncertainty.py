"""Every measure's cost with a central value and a p10–p90 range: the calibration's weights
(jiuye.batch.calibration) and a seeded Monte Carlo over the ranges of the assumed distributions
(jiuye.batch.assumptions).

The population is costed once (jiuye.batch.evaluate: cents per unit paid, the units eligible);
a draw does not generate or evaluate anything again. It draws every assumption's parameters in
their ranges (each parameter's median is its central value), turns them into weights of the same
rows (importance ratios, see jiuye.batch.assumptions), rakes the weights back to the calibration's
margins (on the table of cell totals, so a draw costs one pass over the rows), and sums
weight × cents per measure. A measure is weighted only by the assumptions on facts it reads (and
by those that move the calibration's weights); the others leave its cost unchanged in expectation.

Sensitivity: for each measure, the share of the draws' variation that one assumption explains
alone — the adjusted R² of a regression of the cost's ranks on the ranks of that assumption's
parameters (first-order, one assumption at a time; the parameters are drawn independently).

The range is the spread from the assumptions' ranges only: the synthetic sample's own noise (few
units behind a measure) is not in it, which is why the number of synthetic units is reported.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .calibration import Calibrator, Frame, Weights

DEFAULT_DRAWS = 200
BATCH = 16                       # draws whose row weights are held at once
SMALL_SAMPLE = 30                # fewer synthetic units than this: the range lacks the sampling noise


@dataclasses.dataclass
class Range:
    central: float
    p10: float
    p90: float

    @classmethod
    def of(cls, central: float, draws: np.ndarray) -> "Range":
        if draws.size == 0:
            return cls(central, central, central)
        p10, p90 = np.percentile(draws, [10, 90])
        return cls(float(central), float(p10), float(p90))


@dataclasses.dataclass
class MeasureRange:
    id: str
    cost: Range                  # yuan
    paid: Range                  # weighted units paid
    units: int                   # synthetic units paid
    drivers: list                # [(assumption label, adjusted R²)], largest first
    assumed: list                # [(assumption label, range text or "", placeholder?)]: "" for several parameters
    calibrated: list             # [fact label（margin labels）]
    fixed: list                  # fact labels read, with neither a range nor a margin
    draws: np.ndarray            # cost of each draw (yuan)
    reform: Range | None = None
    difference: Range | None = None

    @property
    def small_sample(self) -> bool:
        return 0 < self.units < SMALL_SAMPLE


@dataclasses.dataclass
class Uncertainty:
    draws: int
    seed: int
    assumptions: list            # [Assumption] used by at least one measure
    used_by: dict                # assumption key -> number of measures it weights
    measures: dict               # measure id -> MeasureRange
    total: Range
    reform_total: Range | None
    difference_total: Range | None
    weights: Weights             # central weights
    calibration: object | None   # Calibration
    synthetic: bool              # assumed distributions exist (a synthetic population)
    seconds: dict                # raking, monte_carlo, per_draw


def _end_entity(entity: str, path: tuple) -> str:
    for step in path:
        entity = "organisation" if step == "org" else "person"
    return entity


def _normalise(path: tuple) -> tuple:
    """An organisation's members' organisation is the organisation itself."""
    out: list = []
    for step in path:
        if out and out[-1] == "members" and step == "org":
            out.pop()
        else:
            out.append(step)
    return tuple(out)


class _Features:
    """Each assumption's features, carried along a path to another entity (cached)."""

    def __init__(self, frame: Frame, assumptions: dict) -> None:
        self.frame, self.assumptions, self._cache = frame, assumptions, {}

    def get(self, key: str, path: tuple) -> np.ndarray:
        if (key, path) in self._cache:
            return self._cache[(key, path)]
        if not path:
            value = self.assumptions[key].features(self.frame)
        else:
            inner = self.get(key, path[1:])
            org = self.frame.org_of_person
            if path[0] == "org":          # a person's organisation's value
                value = np.where((org >= 0)[:, None], inner[np.maximum(org, 0)], 0.0) if len(inner) else \
                    np.zeros((len(org), inner.shape[1]))
            else:                         # the sum over an organisation's members
                n_orgs = self.frame.n("organisation")
                inside = org >= 0
                value = np.column_stack([np.bincount(org[inside], weights=inner[inside, j], minlength=n_orgs)
                                         for j in range(inner.shape[1])])
        self._cache[(key, path)] = value
        return value


def relevant(entity: str, reads, by_fact: dict) -> set:
    """{(assumption key, path)} of the (fact, path) pairs a measure or margin reads."""
    pairs = set()
    for fact, path in reads:
        path = _normalise(tuple(path))
        end = _end_entity(entity, path)
        for a in by_fact.get(fact, ()):
            if a.entity == end:
                pairs.add((a.key, path))
    if entity == "person":             # own facts are among the co-workers' sums
        pairs = {(k, p) for k, p in pairs if not (p == () and (k, ("org", "members")) in pairs)}
    return pairs


def _ranks(x: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(x, axis=0, kind="stable"), axis=0).astype(float)


def adjusted_r2(y: np.ndarray, x: np.ndarray) -> float:
    """Adjusted R² of a least-squares fit of rank(y) on the ranks of the columns of x."""
    n, k = x.shape
    if n <= k + 2 or np.ptp(y) == 0:
        return 0.0
    ry = _ranks(y)
    design = np.column_stack([np.ones(n), _ranks(x)])
    coef, *_ = np.linalg.lstsq(design, ry, rcond=None)
    residual = ry - design @ coef
    total = ((ry - ry.mean()) ** 2).sum()
    r2 = 1 - (residual ** 2).sum() / total
    return float(max(0.0, 1 - (1 - r2) * (n - 1) / (n - k - 1)))


@dataclasses.dataclass
class _Plan:
    """One measure's costed rows and the weights' extra tilts on them."""

    entity: str
    units: np.ndarray
    paid: np.ndarray             # positions of the paid units in `units`
    cents: np.ndarray            # yuan per paid unit
    pairs: list                  # [(key, path)] not already in the entity's weights
    features: np.ndarray | None  # (units, k) of the pairs
    columns: list                # [(key, slice)] into features

    @classmethod
    def build(cls, rows, entity: str, pairs: list, features: _Features) -> "_Plan":
        units = np.union1d(rows.unit, rows.eligible_units).astype(np.int64)
        paid = np.searchsorted(units, rows.unit)
        blocks, columns, start = [], [], 0
        for key, path in pairs:
            block = features.get(key, path)[units]
            blocks.append(block)
            columns.append((key, slice(start, start + block.shape[1])))
            start += block.shape[1]
        return cls(entity, units, paid, rows.cents.astype(np.float64) / 100, pairs,
                   np.hstack(blocks) if blocks else None, columns)

    def costs(self, weights: np.ndarray, coefs: dict, batch: slice) -> np.ndarray:
        """Cost of each draw of the batch; `weights` (draws, rows of the entity)."""
        w = weights[:, self.units[self.paid]]
        if self.features is not None:
            logs = sum(self.features[self.paid][:, cols] @ coefs[key][batch].T for key, cols in self.columns)
            w = w * np.exp(logs.T)
        return w @ self.cents, w.sum(axis=1)


def analyse(population, system, measures: list, base: dict, reformed: dict | None, *, on, calibration=None,
            assumptions: list | None = None, draws: int = DEFAULT_DRAWS, seed: int = 20250615,
            progress=None) -> Uncertainty:
    """Central values (the calibration's weights) and p10–p90 (Monte Carlo) of every measure."""
    from .reads import fact_paths
    frame = Frame(population, system, on)
    assumptions = assumptions or []
    by_key = {a.key: a for a in assumptions}
    by_fact: dict = {}
    for a in assumptions:
        for f in a.facts:
            by_fact.setdefault(f, []).append(a)
    features = _Features(frame, by_key)

    started = time.perf_counter()
    calibrator = Calibrator(calibration, frame) if calibration is not None else None
    central = calibrator.weights() if calibrator else \
        Weights(np.ones(frame.n("person")), np.ones(frame.n("organisation")), [])
    rake_seconds = time.perf_counter() - started

    # what the calibration's weights already carry, per entity
    org_in, person_in = set(), set()
    if calibrator:
        for m in calibration.margins_of("organisation"):
            org_in |= relevant("organisation", m.facts(), by_fact)
        for m in calibration.margins_of("person"):
            person_in |= relevant("person", m.facts(), by_fact)
    inherited = {(k, ("org",) + p) for k, p in org_in}
    in_weights = {"organisation": org_in, "person": person_in | inherited}

    paths = fact_paths(system)
    plans, reform_plans, reads, pairs_of = {}, {}, {}, {}
    for m in measures:
        read = paths.of_measure(m)
        reads[m.id] = read
        pairs = relevant(m.entity, read, by_fact)
        pairs_of[m.id] = pairs
        extra = sorted(pairs - in_weights[m.entity])
        plans[m.id] = _Plan.build(base[m.id], m.entity, extra, features)
        if reformed is not None:
            reform_plans[m.id] = _Plan.build(reformed[m.id], m.entity, extra, features)

    # draws of every parameter (each assumption its own columns), and their coefficients
    rng = np.random.default_rng([seed, 15])
    used = sorted({k for pairs in pairs_of.values() for k, _ in pairs} | {k for k, _ in org_in | person_in})
    thetas, coefs = {}, {}
    n = max(int(draws), 0)
    for key in used:                                   # sorted: a seed means the same draws whatever the order
        a = by_key[key]
        u = rng.random((n, len(a.params)))
        thetas[key] = np.column_stack([p.draw(u[:, i]) for i, p in enumerate(a.params)]) if n else \
            np.zeros((0, len(a.params)))
        coefs[key] = a.coef(thetas[key]) if n else np.zeros((0, 0))

    cost = {mid: np.zeros(n) for mid in plans}
    paid = {mid: np.zeros(n) for mid in plans}
    reform_cost = {mid: np.zeros(n) for mid in reform_plans}
    started = time.perf_counter()
    moving = bool(org_in or person_in)
    for start in range(0, n, BATCH):
        batch = slice(start, min(start + BATCH, n))
        size = batch.stop - batch.start
        if calibrator and moving:
            tilt = {e: _tilt(in_weights_own(e, org_in, person_in), features, coefs, batch, frame.n(e))
                    for e in ("organisation", "person")}
            w_org, w_person = np.empty((size, frame.n("organisation"))), np.empty((size, frame.n("person")))
            for d in range(size):
                w = calibrator.weights(tilt["organisation"][:, d], tilt["person"][:, d], check=False)
                w_org[d], w_person[d] = w.org, w.person
        else:
            w_org = np.broadcast_to(central.org, (size, frame.n("organisation")))
            w_person = np.broadcast_to(central.person, (size, frame.n("person")))
        weights = {"organisation": w_org, "person": w_person}
        for mid, plan in plans.items():
            cost[mid][batch], paid[mid][batch] = plan.costs(weights[plan.entity], coefs, batch)
        for mid, plan in reform_plans.items():
            reform_cost[mid][batch], _ = plan.costs(weights[plan.entity], coefs, batch)
        if progress:
            progress(size)
    mc_seconds = time.perf_counter() - started

    calibrated_facts = calibration.calibrated_facts() if calibration is not None else {}
    out = {}
    for m in measures:
        plan = plans[m.id]
        w = central.of(m.entity)
        central_cost = float(w[plan.units[plan.paid]] @ plan.cents)
        central_paid = float(w[plan.units[plan.paid]].sum())
        candidates = sorted({k for k, _ in pairs_of[m.id]} | {k for k, _ in in_weights[m.entity]})
        drivers = []
        if n:
            for key in candidates:
                r2 = adjusted_r2(cost[m.id], thetas[key])
                if r2 >= 0.05:
                    drivers.append((by_key[key].label, r2))
            drivers.sort(key=lambda x: -x[1])
        facts = sorted({f for f, _ in reads[m.id]})
        assumed_keys = sorted({k for k, _ in pairs_of[m.id]})
        covered = {by_key[k].facts[0] for k in assumed_keys}         # facts whose own distribution has a range
        label = lambda f: system.variables[f].label or f                          # noqa: E731
        result = MeasureRange(
            m.id, Range.of(central_cost, cost[m.id]), Range.of(central_paid, paid[m.id]), int(len(plan.paid)),
            drivers[:3], [(by_key[k].label, by_key[k].range_text() if len(by_key[k].params) == 1 else "",
                           by_key[k].placeholder) for k in assumed_keys],
            [f"{label(f)}（{'、'.join(dict.fromkeys(calibrated_facts[f]))}）" for f in facts if f in calibrated_facts],
            [label(f) for f in facts if f not in calibrated_facts and f not in covered], cost[m.id])
        if reformed is not None:
            rp = reform_plans[m.id]
            reform_central = float(w[rp.units[rp.paid]] @ rp.cents)
            result.reform = Range.of(reform_central, reform_cost[m.id])
            result.difference = Range.of(reform_central - central_cost, reform_cost[m.id] - cost[m.id])
        out[m.id] = result

    def total_of(get, draws_of) -> Range:
        return Range.of(sum(get(r) for r in out.values()), sum(draws_of(mid) for mid in out) if out else np.zeros(n))
    total = total_of(lambda r: r.cost.central, lambda mid: cost[mid])
    reform_total = difference_total = None
    if reformed is not None:
        reform_total = total_of(lambda r: r.reform.central, lambda mid: reform_cost[mid])
        difference_total = total_of(lambda r: r.difference.central, lambda mid: reform_cost[mid] - cost[mid])
    used_by = {k: sum(1 for pairs in pairs_of.values() if k in {p[0] for p in pairs}) for k in used}
    return Uncertainty(n, seed, [by_key[k] for k in used], used_by, out, total, reform_total, difference_total,
                       central, calibration, bool(assumptions),
                       {"raking": rake_seconds, "monte_carlo": mc_seconds, "per_draw": mc_seconds / n if n else 0.0})


def in_weights_own(entity: str, org_in: set, person_in: set) -> set:
    """The tilts an entity's raking starts from (persons inherit their organisation's weight)."""
    return org_in if entity == "organisation" else person_in


def _tilt(pairs: set, features: _Features, coefs: dict, batch: slice, rows: int) -> np.ndarray:
    size = batch.stop - batch.start
    out = np.zeros((rows, size))
    for key, path in sorted(pairs):
        out += features.get(key, path) @ coefs[key][batch].T
    return out
