"""What `jiuye synth`, `jiuye match`, `jiuye simulate` and `jiuye roster-columns` do (the typer
wrappers are in jiuye/cli.py). Messages go to stderr through `say`; bad input raises BatchInputError
naming the option."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from ..catalogue import load_catalogue

CSV_LIMIT = 200_000          # `jiuye synth` writes CSV beside Parquet up to this many persons


class BatchInputError(ValueError):
    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option, self.message = option, message


def say(text: str = "") -> None:
    print(text, file=sys.stderr, flush=True)


def select_measures(measure_ids: list[str] | None, document: str | None) -> list:
    catalogue = load_catalogue()
    if document and document not in catalogue.documents:
        raise BatchInputError("--document", f"unknown document {document!r}; known: {', '.join(sorted(catalogue.documents))}")
    measures = catalogue.executable()
    if document:
        measures = [m for m in measures if m.document == document]
    if measure_ids:
        known = {m.id for m in catalogue.executable()}
        for mid in measure_ids:
            if mid not in known:
                raise BatchInputError("--measure", f"{mid!r} is not an executable measure (see `jiuye measures`)")
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
            raise BatchInputError("--district", f"{key!r} is a city-wide document; give one of its districts, e.g. "
                                                f"{', '.join(d for d in known if d in CITIES.get(jurisdiction.get('city'), ()))[:60]}")
        key = jurisdiction["district"]
    if key not in known:
        raise BatchInputError("--district", f"unknown district {key!r}; known: {', '.join(known)}")
    return key


def synth(*, district: str, persons: int, orgs: int, seed: int, on: dt.date, out: Path, csv: bool | None) -> list[Path]:
    from ..model.system import get_system
    from .roster import write_roster
    from .synth import for_roster, generate_population
    district = district_key(district)
    if orgs < 1 or persons < orgs:
        raise BatchInputError("--orgs", "need 1 <= --orgs <= --persons (every organisation has a member)")
    system = get_system()
    started = time.perf_counter()
    population = for_roster(generate_population(persons, orgs, seed=seed, on=on, system=system, district=district),
                            system)
    say(f"生成 {persons:,} 人、{orgs:,} 个单位（本区 {district}，种子 {seed}，基准日 {on}）："
        f"{time.perf_counter() - started:.1f} s")
    if out.suffix.lower() == ".xlsx" and persons > 1_048_575:
        raise BatchInputError("--out", "an Excel sheet holds at most 1,048,575 rows: write a folder (Parquet)")
    if out.suffix.lower() in (".parquet", ".csv"):
        raise BatchInputError("--out", "a roster is three tables: give a folder (Parquet, and CSV for small "
                                       "populations) or an .xlsx workbook")
    csv_too = csv if csv is not None else persons <= CSV_LIMIT
    files = write_roster(population, system, out, csv_too=csv_too)
    if out.suffix.lower() != ".xlsx":
        manifest = {"generator": "jiuye.batch.synth", "district": district, "persons": persons, "organisations": orgs,
                    "seed": seed, "on": on.isoformat(), "generic_facts": population.generic_facts,
                    "files": {f.name: sha256(f) for f in files},
                    "documentation": "docs/synthetic-population.md"}
        path = out / "synth.json"
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        files.append(path)
    for f in files:
        say(f"  {f}  sha256 {sha256(f)[:16]}…")
    return files


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
        raise BatchInputError("--out", f"{out.name}: use .xlsx or .csv")
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
        parts = run(MatchTask(on, tuple(m.id for m in measures)), sources, client=client, progress=progress,
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
             check_ids: bool, chunk: int, workers: int | None, scheduler: str | None, progress: bool | None) -> int:
    from ..model.system import get_system
    from .costing import placeholder_measures, read_manifest, simulate as run_costing
    from .partition import chunks_of
    from .reform import build_reform, describe_changes, load_reform
    from .report import cjk_font, info_rows, write_report
    system = get_system()
    spec = None
    if reform_path is not None:                  # check the reform before the long part
        spec = load_reform(reform_path, system)
        build_reform(system, spec)
    cjk_font()                                   # and that charts can be drawn
    roster = read(population_path, on=None, check_ids=check_ids)
    population = roster.population
    manifest = read_manifest(population_path)
    placeholder = placeholder_measures(system, measures, manifest.get("generic_facts") or [])
    sources = chunks_of(population, chunk)
    started = time.perf_counter()
    with _client(scheduler, workers) as client:
        baseline, reformed = run_costing(sources, year, measures=measures, reform=spec, client=client,
                                         progress=progress, placeholder=placeholder)
    say(f"测算 {year} 年 {len(measures)} 项措施：{time.perf_counter() - started:.1f} s"
        f"（{len(sources)} 块，{_where(scheduler, workers)}）")
    changes = describe_changes(system, build_reform(system, spec), spec, dt.date(year, 1, 1)) if spec else None
    info = info_rows(population=str(population_path), persons=population.n_persons, orgs=population.n_orgs,
                     year=year, measures=len(measures), reform=spec, manifest=manifest, chunks=len(sources),
                     workers=_where(scheduler, workers))
    files = write_report(baseline, reformed, out, info=info, changes=changes, reform_spec=spec)
    say(f"现行政策：{baseline.total_cents() / 100:,.2f} 元"
        + (f"；{reformed.label}：{reformed.total_cents() / 100:,.2f} 元，差额 "
           f"{(reformed.total_cents() - baseline.total_cents()) / 100:+,.2f} 元" if reformed else ""))
    for f in files:
        say(f"  → {f}")
    return 0


def roster_columns() -> list[str]:
    from ..model.system import get_system
    from .roster import mapping_for
    mapping = mapping_for(get_system())
    lines = []
    for entity, target, label, headers in mapping.accepted_headers():
        lines.append(f"{entity:12} {target:40} {label}  ←  {' | '.join(headers)}")
    return lines
