"""What `jiuye synth`, `jiuye match`, `jiuye simulate` and `jiuye roster-columns` do (the typer
wrappers are in jiuye/cli_app.py). Messages go to stderr through `say` (none with --quiet); progress bars
on stderr when it is a terminal (never with --quiet); bad input raises BatchInputError naming the
option."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

from ..catalogue import load_catalogue

CSV_LIMIT = 200_000          # `jiuye synth` writes CSV beside Parquet up to this many persons


class BatchInputError(ValueError):
    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option, self.message = option, message


_quiet = False


def quiet(on: bool) -> None:
    """--quiet: no messages and no progress bars (errors still go to stderr)."""
    global _quiet
    _quiet = bool(on)


def say(text: str = "") -> None:
    if not _quiet:
        print(text, file=sys.stderr, flush=True)


def _progress(progress: bool | None) -> bool | None:
    return False if _quiet else progress


@contextmanager
def bar(total: int, description: str, progress: bool | None):
    """A progress bar on stderr (rich; off when stderr is not a terminal or with --quiet): `advance(n)`."""
    from .partition import progress_bar
    bar = progress_bar(total, description, _progress(progress))
    with bar:
        job = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(job, n)


def select_measures(measure_ids: list[str] | None, document: str | None) -> list:
    catalogue = load_catalogue()
    if document and document not in catalogue.documents:
        raise BatchInputError("--document", f"没有名为{document!r}的文件；可用：{'、'.join(sorted(catalogue.documents))}")
    measures = catalogue.executable()
    if document:
        measures = [m for m in measures if m.document == document]
    if measure_ids:
        known = {m.id for m in catalogue.executable()}
        for mid in measure_ids:
            if mid not in known:
                raise BatchInputError("--measure", f"{mid!r}不是可计算的措施（见`jiuye measures`）")
        measures = [m for m in measures if m.id in set(measure_ids)]
    return measures


def _client(scheduler: str | None, workers: int | None):
    if scheduler or (workers and workers > 1):
        from .partition import dask_client
        return dask_client(scheduler, workers)
    return nullcontext(None)


def _where(scheduler, workers) -> str:
    return f"Dask {scheduler}" if scheduler else (f"Dask LocalCluster {workers} 个进程" if workers and workers > 1 else "本进程")


def read(path: Path, *, on: dt.date | None, check_ids: bool):
    from .roster import read_roster
    started = time.perf_counter()
    roster = read_roster(path, on=on, check_ids=check_ids)
    for line in roster.report.lines():
        say(line)
    say(f"  读取用时 {time.perf_counter() - started:.1f} s")
    return roster


# -- synth --------------------------------------------------------------------------------------------------
def district_key(key: str) -> str:
    from .synth import CITIES
    known = sorted(d for members in CITIES.values() for d in members)
    catalogue = load_catalogue()
    if key in catalogue.documents:
        jurisdiction = catalogue.documents[key].jurisdiction or {}
        if not jurisdiction.get("district"):
            raise BatchInputError("--district", f"{key!r}是全市文件，请给出其中一个区，如"
                                                f"{'、'.join(d for d in known if d in CITIES.get(jurisdiction.get('city'), ()))[:60]}")
        key = jurisdiction["district"]
    if key not in known:
        raise BatchInputError("--district", f"没有名为{key!r}的区；可用：{'、'.join(known)}")
    return key


def load_calibration_file(path: Path, system):
    from .calibration import CalibrationError, load_calibration
    try:
        return load_calibration(path, system)
    except CalibrationError as error:
        raise BatchInputError("--calibrate", str(error)) from None


def _calibrate(calibration, population, system, on: dt.date):
    from .calibration import CalibrationError, calibrate
    try:
        return calibrate(calibration, population, system, on)
    except CalibrationError as error:
        raise BatchInputError("--calibrate", str(error)) from None


def say_calibration(results: list, illustrative: bool) -> None:
    if illustrative:
        say("校准：示意数据，非官方统计（校准文件中有标为 illustrative 的数值）")
    for r in results:
        say(f"  {r.margin} · {r.label}：目标 {r.target:,.0f}，加权后 {r.achieved:,.1f}（合成单位 {r.rows:,}）")


def synth(*, district: str, persons: int, orgs: int, seed: int, on: dt.date, out: Path, csv: bool | None,
          calibrate: Path | None = None, progress: bool | None = None) -> list[Path]:
    from ..model.system import get_system
    from .roster import write_roster
    from .synth import for_roster, generate_population, generation_steps
    district = district_key(district)
    if orgs < 1 or persons < orgs:
        raise BatchInputError("--orgs", "应满足1 ≤ --orgs ≤ --persons（每个单位至少有一名成员）")
    if out.suffix.lower() == ".xlsx" and persons > 1_048_575:
        raise BatchInputError("--out", "一张Excel工作表最多1,048,575行：请输出到文件夹（Parquet）")
    if out.suffix.lower() in (".parquet", ".csv"):
        raise BatchInputError("--out", "名单由三张表组成：请给出文件夹（Parquet，人数少时另附CSV）"
                                       "或.xlsx工作簿")
    if calibrate is not None and out.suffix.lower() == ".xlsx":
        raise BatchInputError("--calibrate", "权重写在名单文件夹中（weights.parquet、synth.json）："
                                             "--out请给出文件夹")
    system = get_system()
    calibration = load_calibration_file(calibrate, system) if calibrate is not None else None
    started = time.perf_counter()
    csv_too = csv if csv is not None else persons <= CSV_LIMIT
    steps = generation_steps(system) + 3
    with bar(steps, f"生成 {persons:,} 人", progress) as advance:
        population = generate_population(persons, orgs, seed=seed, on=on, system=system, district=district,
                                         progress=advance)
        population = for_roster(population, system)
        advance()
        weights = _calibrate(calibration, population, system, on) if calibration is not None else None
        advance()
        files = write_roster(population, system, out, csv_too=csv_too)
        advance()
    say(f"生成 {persons:,} 人、{orgs:,} 个单位（本区 {district}，种子 {seed}，基准日 {on}）："
        f"{time.perf_counter() - started:.1f} s")
    if out.suffix.lower() != ".xlsx":
        manifest = {"generator": "jiuye.batch.synth", "district": district, "persons": persons, "organisations": orgs,
                    "seed": seed, "on": on.isoformat(), "generic_facts": population.generic_facts}
        if weights is not None:
            files.append(write_weights(out / "weights.parquet", weights))
            manifest.update(calibration=calibration.data, calibration_file=str(calibrate),
                            calibration_sha256=sha256(calibrate), calibration_illustrative=calibration.illustrative)
            say_calibration(weights.results, calibration.illustrative)
        manifest.update(files={f.name: sha256(f) for f in files}, documentation="docs/synthetic-population.md")
        path = out / "synth.json"
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        files.append(path)
    for f in files:
        say(f"  {f}  sha256 {sha256(f)[:16]}…")
    return files


def write_weights(path: Path, weights) -> Path:
    """weights.parquet: the calibration's weight of every row of persons and organisations (row = its
    0-based position in persons.parquet / organisations.parquet)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    entity = ["person"] * len(weights.person) + ["organisation"] * len(weights.org)
    rows = np.concatenate([np.arange(len(weights.person)), np.arange(len(weights.org))])
    table = pa.table({"entity": pa.array(entity, pa.string()), "row": pa.array(rows, pa.int64()),
                      "weight": pa.array(np.concatenate([weights.person, weights.org]), pa.float64())})
    pq.write_table(table, path, compression="zstd")
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- match --------------------------------------------------------------------------------------------------
def ledger_url(value: str) -> str:
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).resolve()}"


def match(*, roster_path: Path, on: dt.date, out: Path, ledger: str | None, measures: list, check_ids: bool,
          chunk: int, workers: int | None, scheduler: str | None, progress: bool | None, strict: bool) -> int:
    from ..model.system import get_system
    from .claims import claimed
    from .match import build_rows, write_output
    from .partition import MatchTask, chunks_of, merge_match, run
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise BatchInputError("--out", f"{out.name}：请用.xlsx或.csv")
    claims = None
    if ledger:                                   # before the long part: a bad --ledger fails fast
        claims = claimed(ledger_url(ledger))
        say(f"台账 ledger: {len(claims):,} 项已有申请（待审核或已批准）")
    roster = read(roster_path, on=on, check_ids=check_ids)
    population = roster.population
    population.on = on
    sources = chunks_of(population, chunk)
    started = time.perf_counter()
    with _client(scheduler, workers) as client:
        parts = run(MatchTask(on, tuple(m.id for m in measures)), sources, client=client, progress=_progress(progress),
                    description=f"匹配 {len(measures)} 项措施")
    results = merge_match(parts)
    say(f"匹配 {len(measures)} 项措施 × {population.n_persons:,} 人 / {population.n_orgs:,} 个单位："
        f"{time.perf_counter() - started:.1f} s（{len(sources)} 块，{_where(scheduler, workers)}）")
    report = build_rows(population, results, measures, get_system(), claimed=claims)
    eligible = sum(1 for r in report.rows if r[9] == "符合条件")
    info = [["花名册", str(roster_path)], ["评估日期", on.isoformat()], ["措施数", str(len(measures))],
            ["人员", f"{population.n_persons:,}"], ["单位", f"{population.n_orgs:,}"],
            ["被拒绝的行", f"{roster.report.rejected:,}（见“导入错误”）"],
            ["台账", ledger or "未使用（未跳过已有申请）"],
            ["已有申请而跳过", f"{sum(report.skipped.values()):,}"],
            ["口径", "列出评估月份符合条件或尚需补充信息的个人和单位；缺少的事实从不按“否”或0处理。"
                     "本月应发为评估月份内到期的分期；截至评估日应得为评估日及以前到期的分期之和。"]]
    files = write_output(report, out, import_report=roster.report, info=info)
    say(f"名单 outreach list: {len(report.rows):,} 行（符合条件 {eligible:,}，尚需补充信息 {len(report.rows) - eligible:,}"
        + (f"，已有申请跳过 {sum(report.skipped.values()):,}" if claims is not None else "") + "）")
    for f in files:
        say(f"  → {f}")
    return 3 if strict and roster.report.rejected else 0


# -- simulate -----------------------------------------------------------------------------------------------
def simulate(*, population_path: Path, year: int, reform_path: Path | None, out: Path, measures: list,
             check_ids: bool, chunk: int, workers: int | None, scheduler: str | None, progress: bool | None,
             calibrate: Path | None = None, draws: int = 200, seed: int = 20250615) -> int:
    from ..model.system import get_system
    from .costing import placeholder_measures, read_manifest, reweigh, simulate as run_costing
    from .partition import chunks_of
    from .reform import build_reform, describe_changes, load_reform
    from .report import cjk_font, info_rows, write_report
    if draws < 0:
        raise BatchInputError("--draws", "应为非负整数（0：不做蒙特卡洛）")
    system = get_system()
    spec = None
    if reform_path is not None:                  # check the reform before the long part
        spec = load_reform(reform_path, system)
        build_reform(system, spec)
    calibration = load_calibration_file(calibrate, system) if calibrate is not None else None   # and the calibration
    cjk_font()                                   # and that charts can be drawn
    roster = read(population_path, on=None, check_ids=check_ids)
    population = roster.population
    manifest = read_manifest(population_path)
    if calibration is None and manifest.get("calibration"):
        from .calibration import CalibrationError, parse_calibration
        try:
            calibration = parse_calibration(manifest["calibration"], system, manifest.get("calibration_file", ""))
        except CalibrationError as error:
            raise BatchInputError("synth.json", f"校准方案：{error}") from None
        say(f"校准：{calibration.title}（synth.json，{manifest.get('calibration_file', '')}）")
    placeholder = placeholder_measures(system, measures, manifest.get("generic_facts") or [])
    sources = chunks_of(population, chunk)
    started = time.perf_counter()
    with _client(scheduler, workers) as client:
        baseline, reformed = run_costing(sources, year, measures=measures, reform=spec, client=client,
                                         progress=_progress(progress), placeholder=placeholder)
    say(f"测算 {year} 年 {len(measures)} 项措施：{time.perf_counter() - started:.1f} s"
        f"（{len(sources)} 块，{_where(scheduler, workers)}）")
    uncertainty = ranges(population, system, measures, baseline, reformed, manifest=manifest, calibration=calibration,
                         year=year, draws=draws, seed=seed, progress=progress)
    if uncertainty is not None and calibration is not None:
        baseline = reweigh(baseline, measures, uncertainty.weights, placeholder)
        reformed = reweigh(reformed, measures, uncertainty.weights, placeholder) if reformed else None
    changes = describe_changes(system, build_reform(system, spec), spec, dt.date(year, 1, 1)) if spec else None
    info = info_rows(population=str(population_path), persons=population.n_persons, orgs=population.n_orgs,
                     year=year, measures=len(measures), reform=spec, manifest=manifest, chunks=len(sources),
                     workers=_where(scheduler, workers), uncertainty=uncertainty)
    files = write_report(baseline, reformed, out, info=info, changes=changes, reform_spec=spec, uncertainty=uncertainty)
    say(f"现行政策：{baseline.total_cents() / 100:,.2f} 元"
        + (f"；{reformed.label}：{reformed.total_cents() / 100:,.2f} 元，差额 "
           f"{(reformed.total_cents() - baseline.total_cents()) / 100:+,.2f} 元" if reformed else ""))
    if uncertainty is not None and uncertainty.draws:
        t = uncertainty.total
        say(f"  P10–P90：{t.p10:,.0f} – {t.p90:,.0f} 元（{uncertainty.draws} 次抽样，种子 {uncertainty.seed}）")
    for f in files:
        say(f"  → {f}")
    return 0


def reference_date(manifest: dict, year: int) -> dt.date:
    """The synthetic population's reference date; for other rosters the last day before the year."""
    if manifest.get("on"):
        return dt.date.fromisoformat(manifest["on"])
    return dt.date(year - 1, 12, 31)


def ranges(population, system, measures: list, baseline, reformed, *, manifest: dict, calibration, year: int,
           draws: int, seed: int, progress: bool | None):
    """The calibration's weights and the Monte Carlo ranges (None: neither applies)."""
    from .assumptions import assumptions_for
    from .calibration import CalibrationError, Frame
    from .uncertainty import analyse
    on = reference_date(manifest, year)
    synthetic = manifest.get("generator") == "jiuye.batch.synth"
    assumptions = []
    if synthetic:
        assumptions = assumptions_for(system, Frame(population, system, on), manifest.get("district", "xicheng"),
                                      manifest.get("generic_facts") or [])
    if calibration is None and not assumptions:
        return None
    n = draws if assumptions else 0
    started = time.perf_counter()
    try:
        with bar(n, f"蒙特卡洛 {n} 次", progress) as advance:
            result = analyse(population, system, measures, baseline.results, reformed.results if reformed else None,
                             on=on, calibration=calibration, assumptions=assumptions, draws=n, seed=seed,
                             progress=advance)
    except CalibrationError as error:
        raise BatchInputError("--calibrate", str(error)) from None
    if calibration is not None:
        say_calibration(result.weights.results, calibration.illustrative)
    if n:
        say(f"蒙特卡洛 {n} 次（{len(result.assumptions)} 个假设分布，种子 {seed}）：{time.perf_counter() - started:.1f} s")
    return result


def roster_columns() -> list[str]:
    from ..model.system import get_system
    from .roster import mapping_for
    mapping = mapping_for(get_system())
    lines = []
    for entity, target, label, headers in mapping.accepted_headers():
        lines.append(f"{entity:12} {target:40} {label}  ←  {' | '.join(headers)}")
    return lines
