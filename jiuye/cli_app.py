"""The `jiuye` command line (typer): every command but the start of a well-formed `jiuye calc`, which
jiuye/cli.py runs without loading typer (start-up)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from .catalogue import BENEFICIARIES, KINDS, CatalogueError, load_catalogue
from .assess.situation import InputError, parse_date
from .cli_calc import print_results, run_calc  # noqa: F401  (print_results: kept importable from here)

# Sub-command groups imported only when used (`jiuye calc` need not load the ledger's database
# layer): name -> (module, typer app).
LAZY_GROUPS = {"ledger": ("jiuye.ledger.cli", "ledger_app"), "registry": ("jiuye.registry.cli", "registry_app"), "tasks": ("jiuye.supervision.cli", "tasks_app"), "report": ("jiuye.supervision.cli", "report_app")}


class LazyGroup(TyperGroup):
    def list_commands(self, ctx):
        names = list(super().list_commands(ctx))
        return names + [name for name in LAZY_GROUPS if name not in names]

    def get_command(self, ctx, name):
        if name in LAZY_GROUPS and name not in self.commands:
            module, attribute = LAZY_GROUPS[name]
            command = typer.main.get_command(getattr(importlib.import_module(module), attribute))
            command.name = name
            self.add_command(command, name)
        return super().get_command(ctx, name)


app = typer.Typer(cls=LazyGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="jiuye 就业政策引擎: policies as executable, cited rules.")


def fail(message: str) -> None:
    typer.echo(f"错误 error: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def calc(situation: Path = typer.Argument(..., help="OpenFisca situation JSON"),
         on: Optional[str] = typer.Option(None, "--on", help="assessment date YYYY-MM-DD (default: the file's own \"on\")"),
         as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
         measure: Optional[list[str]] = typer.Option(None, "--measure", help="only these measures"),
         document: Optional[list[str]] = typer.Option(None, "--document", help="only these documents")) -> None:
    """Every measure the situation's persons and organisations qualify for, how much, when and why."""
    run_calc(situation, on, as_json, measure, document)     # jiuye/cli_calc.py (the jiuye script starts a well-formed call there, without typer)


MEASURE_FIELDS = ("id", "clause", "document", "title", "quote", "beneficiary", "kind", "executable",
                  "valid_from", "valid_to")


@app.command()
def measures(as_json: bool = typer.Option(False, "--json"),
             document: Optional[str] = typer.Option(None, "--document", help="only this document key")) -> None:
    """The catalogue: every clause's measures."""
    catalogue = load_catalogue()
    if document and document not in catalogue.documents:
        fail(f"--document: unknown document {document!r}; known: {', '.join(sorted(catalogue.documents))}")
    items = [m for m in catalogue.measures.values() if not document or m.document == document]
    if as_json:
        rows = []
        for m in items:
            row = {key: getattr(m, key) for key in MEASURE_FIELDS}
            row.update({"clause_title": m.clause_title, "interpretation": m.interpretation,
                        "stacking": m.stacking, "responsible_units": list(m.responsible_units)})
            rows.append(row)
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for m in items:
        flag = "可计算" if m.executable else KINDS.get(m.kind, m.kind)
        typer.echo(f"{m.id:28} {m.title}  [{BENEFICIARIES.get(m.beneficiary, m.beneficiary)}·{KINDS.get(m.kind, m.kind)}·{flag}]")


@app.command()
def explain(measure_id: str = typer.Argument(..., help="measure id, e.g. xicheng/6/employer")) -> None:
    """One measure: its clause text, conditions, parameters and interpretation."""
    from .model.system import get_system
    try:
        m = load_catalogue().measure(measure_id)
    except CatalogueError as error:
        fail(f"MEASURE_ID: {error}")
    typer.echo(f"{m.id}  {m.title}")
    typer.echo(f"条款：{m.clause} {m.clause_title}")
    typer.echo(f"原文：{m.quote}")
    typer.echo(f"受益方：{BENEFICIARIES.get(m.beneficiary, m.beneficiary)}  类型：{KINDS.get(m.kind, m.kind)}"
               f"  有效期：{m.valid_from or '发布之日'}至{m.valid_to or '无截止'}")
    if m.responsible_units:
        typer.echo("责任单位：" + "、".join(m.responsible_units))
    if m.executable:
        system = get_system()
        typer.echo("条件：")

        def show(nodes, indent=2):
            for node in nodes:
                if isinstance(node, str):
                    v = system.variables[node]
                    typer.echo(" " * indent + f"- {v.label}（{v.reference[0] if isinstance(v.reference, list) else v.reference}）")
                elif "not" in node:
                    typer.echo(" " * indent + f"- {node['label']}（{node.get('clause') or m.clause}）")
                else:
                    kind = "all_of" if "all_of" in node else "any_of"
                    typer.echo(" " * indent + f"- {node.get('label') or ('全部满足' if kind == 'all_of' else '满足其一')}：")
                    show(node[kind], indent + 2)
        show(m.conditions)
        from .params import describe_parameter
        import datetime as dt
        for path in m.parameters:
            p = describe_parameter(system, path, dt.date.today())
            typer.echo(f"参数：{path} — {p['description']}：{p['value']}")
    if m.stacking:
        typer.echo(f"叠加规则：{m.stacking}")
    if m.interpretation:
        typer.echo(f"解读：{m.interpretation}")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port"),
          workers: int = typer.Option(1, "--workers")) -> None:
    """Start the web calculator and the HTTP API. SIGTERM (or Ctrl-C) stops running computations at
    their next check (answered 503; jiuye/web/budget.py) and the server exits; a request still
    running 10 s later is cancelled."""
    import uvicorn
    typer.echo(f"jiuye 就业政策计算器: http://{host}:{port}/  (API: /docs, /api/v1, /openapi.json; "
               f"OpenFisca: /openfisca)  Ctrl-C stops it.")
    options = dict(host=host, port=port, log_level="warning", timeout_graceful_shutdown=10)
    if workers > 1:
        uvicorn.run("jiuye.web.app:create_app", factory=True, workers=workers, **options)
    else:
        from .web.app import create_app
        uvicorn.run(create_app(), **options)


@app.command()
def coverage(as_json: bool = typer.Option(False, "--json")) -> None:
    """Each document's clauses: executable, referenced (amount set elsewhere) or qualitative."""
    from .coverage import STATUS_LABELS, coverage as compute
    report = compute()
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for doc in report["documents"]:
            totals = "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in doc["totals"].items() if v)
            typer.echo(f"\n{doc['document']}  {doc['title']}（共{doc['count']}条：{totals}）")
            for row in doc["clauses"]:
                extra = "、".join(row["measures"]) if row["measures"] else "、".join(row["responsible_units"])
                typer.echo(f"  {row['clause']:18} {STATUS_LABELS[row['status']]:8} {row['title']}  {extra}")
    if not report["complete"]:
        raise typer.Exit(1)


@app.command()
def audit(as_json: bool = typer.Option(False, "--json"),
          document: Optional[str] = typer.Option(None, "--document", help="only this document key")) -> None:
    """Trace every number of every clause to a parameter, a validity date or a stated waiver."""
    from .audit import audit as run_audit
    from .model.system import get_system
    if document and document not in load_catalogue().documents:
        fail(f"--document: unknown document {document!r}")
    report = run_audit(get_system(), document=document)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        counts: dict[str, int] = {}
        for row in report["rows"]:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        typer.echo("数字核对：" + "，".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for row in report["untraced"]:
            typer.echo(f"  未追溯 {row['clause']}: {row.get('text') or row['status']}（{row['number']}）")
    if not report["ok"]:
        raise typer.Exit(1)


# 经办台账: `jiuye ledger …` (LAZY_GROUPS above)


# -- batch: 免申即享 matching and 财政测算 costing (jiuye/batch) -----------------------------------------
def _batch(call):
    """Run a jiuye.batch command; bad input exits 2 with the option or file named."""
    from .batch.claims import ClaimsError
    from .batch.commands import BatchInputError
    from .batch.reform import ReformError
    from .batch.report import ReportError
    from .batch.roster import RosterError
    try:
        return call()
    except BatchInputError as error:
        fail(f"{error.option}: {error.message}")
    except ReformError as error:
        fail(f"--reform: {error}")
    except (RosterError, ClaimsError, ReportError) as error:
        fail(str(error))
    except InputError as error:
        fail(f"{error.field}: {error.message}")


_CHUNK = typer.Option(1_000_000, "--chunk", help="persons per chunk (chunks keep organisations whole)")
_WORKERS = typer.Option(None, "--workers", help="Dask LocalCluster of N worker processes")
_SCHEDULER = typer.Option(None, "--scheduler", help="address of a Dask scheduler (tcp://host:8786)")
_PROGRESS = typer.Option(None, "--progress/--no-progress", help="progress bar (default: when stderr is a terminal)")
_NO_ID_CHECK = typer.Option(False, "--no-id-check", help="accept any non-empty id (no 身份证号 / 统一社会信用代码 check)")
_QUIET = typer.Option(False, "--quiet", "-q", help="no progress bar and no messages (errors only)")
_CALIBRATE = typer.Option(None, "--calibrate", help="calibration YAML: counts to rake the population to "
                                                   "(examples/calibration/, docs/synthetic-population.md)")


@app.command()
def synth(district: str = typer.Option("xicheng", "--district", help="home district (District key or document key)"),
          persons: int = typer.Option(10_000, "--persons", min=1),
          orgs: int = typer.Option(1_000, "--orgs", min=1),
          seed: int = typer.Option(20250615, "--seed"),
          on: str = typer.Option("2025-06-30", "--on", help="reference date of the population (YYYY-MM-DD)"),
          out: Path = typer.Option(..., "--out", help="a folder (Parquet, + CSV when small) or FILE.xlsx"),
          csv: Optional[bool] = typer.Option(None, "--csv/--no-csv", help="CSV beside Parquet (default: up to 200,000 persons)"),
          calibrate: Optional[Path] = _CALIBRATE, progress: Optional[bool] = _PROGRESS, quiet: bool = _QUIET) -> None:
    """A seeded synthetic population in the roster format (docs/synthetic-population.md)."""
    from .batch import commands
    commands.quiet(quiet)
    date = _batch(lambda: parse_date(on, "--on"))
    _batch(lambda: commands.synth(district=district, persons=persons, orgs=orgs, seed=seed, on=date, out=out, csv=csv,
                                  calibrate=calibrate, progress=progress))


@app.command()
def match(roster: Path = typer.Argument(..., help="roster: folder, .xlsx, .csv or .parquet (docs/roster.md)"),
          on: str = typer.Option(..., "--on", help="assessment date YYYY-MM-DD (its month is assessed)"),
          out: Path = typer.Option(..., "--out", help="FILE.xlsx or FILE.csv"),
          ledger: Optional[str] = typer.Option(None, "--ledger", help="ledger database URL or SQLite file: skip existing claims"),
          measure: Optional[list[str]] = typer.Option(None, "--measure", help="only these measures"),
          document: Optional[str] = typer.Option(None, "--document", help="only this document's measures"),
          no_id_check: bool = _NO_ID_CHECK, chunk: int = _CHUNK, workers: Optional[int] = _WORKERS,
          scheduler: Optional[str] = _SCHEDULER, progress: Optional[bool] = _PROGRESS,
          strict: bool = typer.Option(False, "--strict", help="exit 3 when any roster row was rejected"),
          quiet: bool = _QUIET) -> None:
    """免申即享: everyone eligible or undetermined for each measure, with missing facts and amounts."""
    from .batch import commands
    commands.quiet(quiet)
    date = _batch(lambda: parse_date(on, "--on"))
    measures = _batch(lambda: commands.select_measures(measure, document))
    code = _batch(lambda: commands.match(roster_path=roster, on=date, out=out, ledger=ledger, measures=measures,
                                         check_ids=not no_id_check, chunk=chunk, workers=workers, scheduler=scheduler,
                                         progress=progress, strict=strict))
    raise typer.Exit(code or 0)


@app.command()
def simulate(population: Path = typer.Argument(..., help="population in the roster format (e.g. from `jiuye synth`)"),
             year: int = typer.Option(..., "--year", min=1900, max=2100),
             reform: Optional[Path] = typer.Option(None, "--reform", help="reform YAML (examples/reforms/)"),
             out: Path = typer.Option(..., "--out", help="report folder (report.html, report.md, report.xlsx, charts/)"),
             measure: Optional[list[str]] = typer.Option(None, "--measure"),
             document: Optional[str] = typer.Option(None, "--document"),
             no_id_check: bool = _NO_ID_CHECK, chunk: int = _CHUNK, workers: Optional[int] = _WORKERS,
             scheduler: Optional[str] = _SCHEDULER, progress: Optional[bool] = _PROGRESS,
             calibrate: Optional[Path] = _CALIBRATE,
             draws: int = typer.Option(200, "--draws", min=0, help="Monte Carlo draws over the assumed ranges (0: none)"),
             seed: int = typer.Option(20250615, "--seed", help="seed of the Monte Carlo draws"),
             quiet: bool = _QUIET) -> None:
    """财政测算: cost and head-count per measure, document and beneficiary type, baseline and reform;
    with --calibrate weighted to known counts; central value and P10–P90 over the assumed ranges."""
    from .batch import commands
    commands.quiet(quiet)
    measures = _batch(lambda: commands.select_measures(measure, document))
    _batch(lambda: commands.simulate(population_path=population, year=year, reform_path=reform, out=out,
                                     measures=measures, check_ids=not no_id_check, chunk=chunk, workers=workers,
                                     scheduler=scheduler, progress=progress, calibrate=calibrate, draws=draws,
                                     seed=seed))


@app.command("roster-columns")
def roster_columns() -> None:
    """Every column header a roster may use, and the fact it gives (jiuye/batch/roster.yaml)."""
    from .batch.commands import roster_columns as lines
    for line in lines():
        typer.echo(line)
