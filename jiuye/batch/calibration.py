"""Calibration: weights per person and per organisation so that the population's weighted counts
equal the counts a drafter knows (registered unemployed, 离校未就业 graduates, enterprises by size …),
by raking (iterative proportional fitting, the `ipfn` package) — `jiuye simulate --calibrate FILE`.

    title: 西城区（示意）
    totals:                                   # optional: the whole population's size
      organisation: {label: 单位总数, value: 60000, unit: 户, source: "", illustrative: true}
    margins:
      - key: registered_unemployed
        label: 西城区登记失业人员
        entity: person                        # person | organisation
        where: {registered_unemployed: true, unemployment_registration_district: xicheng}
        value: 6500
        unit: 人
        source: ""                            # where the number comes from (empty: none)
        illustrative: true                    # true: an invented number, not an official one
      - key: enterprises_by_size
        label: 在本区注册的企业（按人数）
        entity: organisation
        where: {registration_district: xicheng, org_type: [limited_company, joint_stock_company]}
        unit: 户
        source: ""
        illustrative: true
        counts:                               # several categories of one margin (they must not overlap)
          - {label: 1–19人, where: {members: {max: 19}}, value: 21000}
          - {label: 20人及以上, where: {members: {min: 20}}, value: 3000}

A margin is a set of disjoint categories (one category when `value` is given at the margin) and
"the rest" of its entity; every row is in exactly one cell of the margins' cross-classification and
every row of a cell gets the same factor, so the raking runs on the table of cell totals (small)
and not on the rows. The rest's target is the entity's total minus the margin's counts: the total
given in `totals`, else derived (the weighted size of the population times the geometric mean of
the factors the margins' counts imply, i.e. the synthetic shares of the counted groups are taken as
right on average) — the report says which.

Organisations are raked first; a person starts from the weight of their organisation (persons in
no organisation from the mean), so persons follow their employers; then persons are raked to the
persons' margins. Every cost and head-count of the report is a weighted sum of units.

Conditions (`where`), on the margin's entity (`organisation.<fact>` for a person's organisation):
a boolean fact `true`/`false`; an enumeration member key or a list of keys, or `{not: [...]}`;
numbers `{min: a, max: b}` (inclusive) or a value; dates `{from: YYYY-MM-DD, to: YYYY-MM-DD}` or
`{within_days: N}` (the N days up to the population's reference date); `members` (an
organisation's member count) and `age` (a person's age in whole years on the reference date).
A blank cell matches no condition.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import math
from pathlib import Path

import numpy as np
import yaml
from .calibration_conditions import (COUNT_KEYS, CalibrationError, Condition, ENTITY_KEYS, ENTITY_LABELS, Frame,
                                     MARGIN_KEYS, MAX_CELLS, PSEUDO, PSEUDO_READS, TOLERANCE, TOP_KEYS, TOTAL_KEYS,
                                     _date, _number, _numeric_test, _parse_condition, _suggest, _within,
                                     parse_condition)  # noqa: F401

# -- the file -----------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Count:
    label: str
    value: float
    unit: str
    source: str
    illustrative: bool
    conditions: list
    where: str                  # its place in the file

    def describe(self) -> str:
        return "；".join(c.text for c in self.conditions) or "全部"


@dataclasses.dataclass
class Margin:
    key: str
    label: str
    entity: str
    counts: list
    where: str

    def facts(self) -> set:
        """{(fact, path)} the margin reads (pseudo-facts as the fact they are computed from)."""
        out = set()
        for count in self.counts:
            for c in count.conditions:
                fact = PSEUDO_READS.get(c.fact, c.fact)
                if fact:
                    out.add((fact, c.path))
        return out


@dataclasses.dataclass
class Calibration:
    title: str
    description: str
    district: str | None
    margins: list
    totals: dict                # entity -> Count (no conditions)
    source_file: str
    data: dict                  # the file as data (kept in synth.json)

    def counts(self):
        for entity, total in self.totals.items():
            yield None, total
        for margin in self.margins:
            for count in margin.counts:
                yield margin, count

    @property
    def illustrative(self) -> bool:
        return any(count.illustrative for _, count in self.counts())

    def margins_of(self, entity: str) -> list:
        return [m for m in self.margins if m.entity == entity]

    def calibrated_facts(self) -> dict:
        """{fact: [margin label, …]}: the facts some margin's conditions read."""
        out: dict = {}
        for margin in self.margins:
            for fact, _ in margin.facts():
                out.setdefault(fact, []).append(margin.label)
        return out

    def set_reference_date(self, on: dt.date) -> None:
        for _, count in self.counts():
            for c in count.conditions:
                if isinstance(c.test, _within):
                    c.test.on = on


def _text(data: dict, key: str, where: str, required: bool = True, default: str = "") -> str:
    value = data.get(key, None)
    if value is None:
        if required:
            raise CalibrationError(f"{where}.{key}", "必填")
        return default
    if not isinstance(value, str):
        raise CalibrationError(f"{where}.{key}", f"应为文字，而不是 {value!r}")
    return value.strip()


def _keys(data, allowed: set, where: str) -> None:
    if not isinstance(data, dict):
        raise CalibrationError(where, f"应为键值表（mapping），而不是 {type(data).__name__}")
    unknown = sorted(set(map(str, data)) - allowed)
    if unknown:
        raise CalibrationError(f"{where}.{unknown[0]}", f"未知字段{_suggest(unknown[0], allowed)}；可用：{'、'.join(sorted(allowed))}")


def _count(data: dict, defaults: dict, where: str, *, conditions: list, label_default: str = "") -> Count:
    merged = {**defaults, **{k: v for k, v in data.items() if v is not None}}
    label = _text(merged, "label", where, required=not label_default, default=label_default) or label_default
    if "value" not in merged:
        raise CalibrationError(f"{where}.value", "必填：已知的数量")
    value = merged["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise CalibrationError(f"{where}.value", f"应为非负数字，而不是 {value!r}")
    unit = _text(merged, "unit", where)
    if not unit:
        raise CalibrationError(f"{where}.unit", "必填：单位（人、户 …）")
    if "source" not in merged:
        raise CalibrationError(f"{where}.source", "必填：数据来源（统计年鉴、人社局台账 …；没有来源时写空字符串并标为示意）")
    source = _text(merged, "source", where, required=False)
    illustrative = merged.get("illustrative")
    if not isinstance(illustrative, bool):
        raise CalibrationError(f"{where}.illustrative", "必填：true（示意数值）或 false（有来源的数值）")
    if not illustrative and not source:
        raise CalibrationError(f"{where}.source", "标为非示意（illustrative: false）的数值必须注明来源")
    return Count(label, float(value), unit, source, illustrative, conditions, where)


def _conditions(where_data, entity: str, system, where: str) -> list:
    if where_data is None:
        return []
    if not isinstance(where_data, dict) or not where_data:
        raise CalibrationError(where, "应为条件表，如 {registered_unemployed: true}")
    return [parse_condition(k, v, entity, system, f"{where}.{k}") for k, v in where_data.items()]


def parse_calibration(data, system, source_file: str = "") -> Calibration:
    _keys(data, TOP_KEYS, "calibration")
    title = _text(data, "title", "calibration")
    totals = {}
    raw_totals = data.get("totals") or {}
    _keys(raw_totals, {"person", "organisation", "人员", "单位"}, "totals")
    for key, value in raw_totals.items():
        entity = ENTITY_KEYS[key]
        _keys(value, TOTAL_KEYS, f"totals.{key}")
        totals[entity] = _count(value, {}, f"totals.{key}", conditions=[],
                                label_default=f"{ENTITY_LABELS[entity]}总数")
    margins_data = data.get("margins")
    if not isinstance(margins_data, list) or not margins_data:
        if not totals:
            raise CalibrationError("margins", "应为非空列表（每项一个已知数量）")
        margins_data = []
    margins, seen = [], set()
    for i, m in enumerate(margins_data):
        where = f"margins[{i}]"
        _keys(m, MARGIN_KEYS, where)
        entity_key = m.get("entity")
        if entity_key not in ENTITY_KEYS:
            raise CalibrationError(f"{where}.entity", f"应为 person（人员）或 organisation（单位），而不是 {entity_key!r}")
        entity = ENTITY_KEYS[entity_key]
        key = _text(m, "key", where, required=False) or f"margin_{i}"
        if key in seen:
            raise CalibrationError(f"{where}.key", f"重复的 key {key!r}")
        seen.add(key)
        label = _text(m, "label", where)
        common = _conditions(m.get("where"), entity, system, f"{where}.where")
        defaults = {k: m[k] for k in ("unit", "source", "illustrative") if k in m}
        if "counts" in m:
            if "value" in m:
                raise CalibrationError(f"{where}.value", "给出 counts 时，数量写在每个类别中")
            if not isinstance(m["counts"], list) or not m["counts"]:
                raise CalibrationError(f"{where}.counts", "应为非空列表")
            counts = []
            for j, c in enumerate(m["counts"]):
                cw = f"{where}.counts[{j}]"
                _keys(c, COUNT_KEYS, cw)
                conditions = common + _conditions(c.get("where"), entity, system, f"{cw}.where")
                counts.append(_count(c, defaults, cw, conditions=conditions))
        else:
            counts = [_count({"label": label, **m}, defaults, where, conditions=common)]
        margins.append(Margin(key, label, entity, counts, where))
    district = data.get("district")
    return Calibration(title, _text(data, "description", "calibration", required=False), district, margins, totals,
                       source_file, data)


def load_calibration(path: Path, system) -> Calibration:
    path = Path(path)
    if not path.exists():
        raise CalibrationError(str(path), "文件不存在")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CalibrationError(str(path), f"不是有效的 YAML（UTF-8）：{error}") from None
    return parse_calibration(data, system, str(path))


# -- raking ----------------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class CountResult:
    margin: str
    label: str
    entity: str
    target: float
    achieved: float
    rows: int                   # units of the population in the category
    unit: str
    source: str
    illustrative: bool
    derived: bool = False       # a total derived from the margins (not given)
    conditions: str = ""        # Chinese: the count's conditions

    @property
    def error(self) -> float:
        return abs(self.achieved - self.target) / self.target if self.target else abs(self.achieved)


class Plan:
    """One entity's margins over its rows: the cell of each row in their cross-classification."""

    def __init__(self, entity: str, margins: list, total: Count | None, frame: Frame) -> None:
        self.entity, self.margins, self.total = entity, margins, total
        n = frame.n(entity)
        shape, cats = [], []
        for margin in margins:
            cat = np.full(n, len(margin.counts), np.int64)         # the rest
            for k, count in enumerate(margin.counts):
                mask = np.ones(n, bool)
                for condition in count.conditions:
                    mask &= condition.mask(frame, entity)
                overlap = mask & (cat != len(margin.counts))
                if overlap.any():
                    other = margin.counts[int(cat[np.flatnonzero(overlap)[0]])].label
                    raise CalibrationError(count.where, f"与“{other}”重叠（{int(overlap.sum()):,} 个{ENTITY_LABELS[entity]}"
                                                        f"同时属于两类）：同一校准项的类别不能重叠")
                cat[mask] = k
            cats.append(cat)
            shape.append(len(margin.counts) + 1)
        self.shape = tuple(shape)
        if math.prod(self.shape) > MAX_CELLS:
            raise CalibrationError(f"margins（{ENTITY_LABELS[entity]}）", f"校准项的交叉分类有 {math.prod(self.shape):,} 格，"
                                                                        f"超过 {MAX_CELLS:,}：请减少类别")
        self.cell = np.ravel_multi_index(cats, self.shape) if margins else np.zeros(n, np.int64)
        self.rows = [np.bincount(c, minlength=s) for c, s in zip(cats, self.shape)]

    def _margin_sums(self, table: np.ndarray, j: int) -> np.ndarray:
        axes = tuple(a for a in range(len(self.shape)) if a != j)
        return table.sum(axis=axes) if axes else table

    def targets(self, seed: np.ndarray, base_total: float, check: bool = True) -> tuple[float, list]:
        """The total and each margin's target vector (its counts, then the rest)."""
        listed = [np.array([c.value for c in m.counts]) for m in self.margins]
        seeds = [self._margin_sums(seed, j)[:-1] for j in range(len(self.margins))]
        for margin, t, s in zip(self.margins, listed, seeds):
            for count, target, have in zip(margin.counts, t, s):
                if check and target > 0 and have <= 0:
                    raise CalibrationError(count.where, f"人口中没有{ENTITY_LABELS[self.entity]}符合“{count.label}”"
                                                        f"（{count.describe()}），无法校准到 {target:,.0f}：请增大合成人口或检查条件")
        if self.total is not None:
            total = self.total.value
        else:
            scales = [t.sum() / s.sum() for t, s in zip(listed, seeds) if t.sum() > 0 and s.sum() > 0]
            total = base_total * math.exp(sum(map(math.log, scales)) / len(scales)) if scales else base_total
        aggregates = []
        for margin, t in zip(self.margins, listed):
            rest = total - t.sum()
            if rest < -TOLERANCE * total:
                where = self.total.where if self.total is not None else margin.where
                raise CalibrationError(where, f"{ENTITY_LABELS[self.entity]}总数 {total:,.0f}"
                                              f"{'' if self.total is not None else '（由各校准项推算）'}小于“{margin.label}”"
                                              f"各类之和 {t.sum():,.0f}：请在 totals.{self.entity} 给出总数")
            aggregates.append(np.append(t, max(rest, 0.0)))
        return total, aggregates

    def rake(self, base: np.ndarray, check: bool = True) -> tuple[np.ndarray, float]:
        """Weights: `base` times the factor of each row's cell; and the entity's total."""
        from ipfn import ipfn
        size = math.prod(self.shape)
        seed = np.bincount(self.cell, weights=base, minlength=size).reshape(self.shape)
        total, aggregates = self.targets(seed, float(base.sum()), check)
        if not self.margins:
            return base * (total / base.sum() if base.sum() > 0 else 0.0), total
        for j, (agg, have) in enumerate(zip(aggregates, (self._margin_sums(seed, j) for j in range(len(self.margins))))):
            if check and agg[-1] > 0 and have[-1] <= 0:
                raise CalibrationError(self.margins[j].where, f"除所列类别外已没有{ENTITY_LABELS[self.entity]}，"
                                                              f"无法把其余部分校准到 {agg[-1]:,.0f}")
        if len(self.margins) == 1:        # one margin: the factors are the ratios
            have = seed.astype(float)
            factor = np.divide(aggregates[0], have, out=np.zeros_like(have), where=have > 0)
        else:
            with contextlib.redirect_stdout(io.StringIO()), np.errstate(divide="ignore", invalid="ignore"):
                raked, converged = ipfn.ipfn(seed.astype(float), [a.astype(float) for a in aggregates],
                                             [[j] for j in range(len(self.margins))], convergence_rate=1e-7,
                                             max_iteration=5000, rate_tolerance=0.0, verbose=1).iteration()
            factor = np.divide(raked, seed, out=np.zeros(seed.shape), where=seed > 0)
        return base * factor.reshape(-1)[self.cell], total

    def results(self, weights: np.ndarray, total: float) -> list[CountResult]:
        out = []
        if self.total is not None or not self.margins:
            t = self.total
            out.append(CountResult("总数", t.label if t else f"{ENTITY_LABELS[self.entity]}总数", self.entity,
                                   t.value if t else total, float(weights.sum()), len(weights),
                                   t.unit if t else "", t.source if t else "", t.illustrative if t else False))
        else:
            out.append(CountResult("总数", f"{ENTITY_LABELS[self.entity]}总数（由各校准项推算，未校准）", self.entity, total,
                                   float(weights.sum()), len(weights), "", "", True, derived=True))
        cells = np.bincount(self.cell, weights=weights, minlength=math.prod(self.shape)).reshape(self.shape)
        for j, margin in enumerate(self.margins):
            sums = self._margin_sums(cells, j)
            for k, count in enumerate(margin.counts):
                out.append(CountResult(margin.label, count.label, self.entity, count.value, float(sums[k]),
                                       int(self.rows[j][k]), count.unit, count.source, count.illustrative,
                                       conditions=count.describe()))
        return out


@dataclasses.dataclass
class Weights:
    person: np.ndarray
    org: np.ndarray
    results: list               # [CountResult]

    def of(self, entity: str) -> np.ndarray:
        return self.person if entity == "person" else self.org


class Calibrator:
    """The raking plans of a calibration over a population; `weights()` for any starting tilt."""

    def __init__(self, calibration: Calibration, frame: Frame) -> None:
        calibration.set_reference_date(frame.on)
        self.calibration, self.frame = calibration, frame
        self.plans = {}
        for entity in ("organisation", "person"):
            margins = calibration.margins_of(entity)
            if margins or entity in calibration.totals:
                self.plans[entity] = Plan(entity, margins, calibration.totals.get(entity), frame)

    def weights(self, org_tilt: np.ndarray | None = None, person_tilt: np.ndarray | None = None,
                check: bool = True) -> Weights:
        """Organisations raked from exp(org_tilt), persons from their organisation's weight times
        exp(person_tilt); `check` verifies every margin within 0.1 %."""
        frame = self.frame
        org = np.exp(org_tilt) if org_tilt is not None else np.ones(frame.n("organisation"))
        results = []
        if "organisation" in self.plans:
            org, total = self.plans["organisation"].rake(org, check)
            if check:
                results += self.plans["organisation"].results(org, total)
        mean = org.mean() if len(org) else 1.0
        person = frame.to_persons(org, mean).astype(float)
        if person_tilt is not None:
            person = person * np.exp(person_tilt)
        if "person" in self.plans:
            person, total = self.plans["person"].rake(person, check)
            if check:
                results += self.plans["person"].results(person, total)
        if check:
            bad = [r for r in results if not r.derived and r.error > TOLERANCE]
            if bad:
                worst = max(bad, key=lambda r: r.error)
                raise CalibrationError(f"margins（{worst.margin}）", f"“{worst.label}”只能达到 {worst.achieved:,.1f}（目标 "
                                                                     f"{worst.target:,.0f}）：各校准项互相矛盾或人口中缺少相应的组合")
        return Weights(person, org, results)


def calibrate(calibration: Calibration, population, system, on: dt.date) -> Weights:
    return Calibrator(calibration, Frame(population, system, on)).weights()
