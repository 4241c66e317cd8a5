"""``jiuye registry …``: import rosters, the due list, recording a contact or service, figures.

The CLI operator has the database, so actions are attributed with ``--as USERNAME`` (a ledger
user with a registry role); ``import`` and ``due`` without ``--as`` act as the system (everything).
Errors: one line in Chinese naming the field, exit code 2 (bad input) or 3 (refused)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer

from ..ledger.cli import _fail, _run   # one line per error, exit 2 (bad input) or 3 (refused)

registry_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                           help="实名制就业帮扶台账: persons, duties owed, service records, figures.")
_state: dict = {}


@registry_app.callback()
def _options(database: Optional[str] = typer.Option(None, "--database", envvar="JIUYE_DATABASE_URL",
                                                    help="SQLAlchemy URL (default: sqlite file ./var/jiuye.db)")) -> None:
    _state["url"] = database


def _registry():
    from ..ledger.config import database_url
    from .service import Registry
    url = database_url(_state.get("url"))
    if url not in _state.setdefault("opened", {}):
        _state["opened"][url] = Registry(url)
    return _state["opened"][url]


def _user(registry, username: Optional[str]) -> Optional[int]:
    if not username:
        return None
    return _run(lambda: registry.claims_ledger().user_by_name(username).id)


def _date(text: str, field: str) -> dt.date:
    from ..day import DayError, parse_day
    try:
        return parse_day(text)
    except DayError as error:
        _fail(2, f"{field}: {error}")


def _echo_json(value) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@registry_app.command("import")
def import_command(file: Path = typer.Argument(..., help="roster: .csv (UTF-8 or GBK) or .xlsx"),
                   as_user: Optional[str] = typer.Option(None, "--as", help="username of the acting 专员"),
                   on: Optional[str] = typer.Option(None, "--on", help="import date (default: today)"),
                   as_json: bool = typer.Option(False, "--json"),
                   quiet: bool = typer.Option(False, "--quiet", help="no progress bar")) -> None:
    """Import a roster: upsert by 身份证号; bad rows reported by row and column."""
    from rich.progress import Progress
    from .importer import import_file
    registry = _registry()
    actor = _user(registry, as_user)
    day = _date(on, "on") if on else dt.date.today()
    with Progress(transient=True, disable=quiet) as bar:
        task = bar.add_task("导入", total=None)
        result = _run(lambda: import_file(registry, actor, file, on=day, progress=lambda n: bar.advance(task, n)))
    if as_json:
        _echo_json(result.to_dict())
        return
    typer.echo(f"读取{result.rows}行：新增{result.created}人，更新{result.updated}人，无变化{result.unchanged}人，"
               f"拒绝{len(result.rejected)}行，重复{len(result.duplicates)}行，冲突{len(result.conflicts)}行")
    for r in result.rejected:
        typer.echo(f"  第{r['row']}行 {r['column']}：{r['reason']}（{r['value']}）")
    for r in result.conflicts:
        typer.echo(f"  第{r['row']}行 冲突：{r['reason']}")
    for r in result.notes:
        typer.echo(f"  第{r['row']}行 {r['column']}（已导入，请核实）：{r['reason']}")
    for r in result.duplicates:
        typer.echo(f"  第{r['row']}行 与第{r['first_row']}行重复，已跳过")
    if result.ignored_columns:
        typer.echo(f"  未使用的列：{'、'.join(result.ignored_columns)}")


@registry_app.command("due")
def due_command(on: str = typer.Option(..., "--on", help="the day (YYYY-MM-DD)"),
                community: Optional[str] = typer.Option(None, "--community", help="community name"),
                as_user: Optional[str] = typer.Option(None, "--as"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """The duties owed on a day, most urgent first, each saying which clause requires what by when."""
    registry = _registry()
    actor = _user(registry, as_user)
    day = _date(on, "on")
    community_id = _run(lambda: registry.find_area(community, "community")["id"]) if community else None
    lines = _run(lambda: registry.due(actor, on=day, community_id=community_id))
    if as_json:
        _echo_json(lines)
        return
    if not lines:
        typer.echo("没有待办事项")
    for x in lines:
        missing = f"；待核实：{'、'.join(m['label'] for m in x['missing'])}" if x["missing"] else ""
        note = f"；{x['note']}" if x["note"] else ""
        typer.echo(f"[{x['state_label']}] #{x['person_id']} {x['name']} {x['id_number']} {x['community']}："
                   f"{x['says']}{missing}{note}")


@registry_app.command("record")
def record_command(person_id: int = typer.Argument(...),
                   kind: str = typer.Option(..., "--kind", help="phone visit online walk_in guidance job_referral "
                                                                 "training_referral internship_referral startup "
                                                                 "agency_referral placement outreach"),
                   on: str = typer.Option(..., "--on"),
                   as_user: str = typer.Option(..., "--as", help="username of the acting 专员"),
                   outcome: str = typer.Option("", "--outcome"),
                   next_contact: Optional[str] = typer.Option(None, "--next"),
                   employer: Optional[str] = typer.Option(None, "--employer"),
                   post: Optional[str] = typer.Option(None, "--post"),
                   agency: Optional[str] = typer.Option(None, "--agency"),
                   as_json: bool = typer.Option(False, "--json")) -> None:
    """Record a contact or a service; it settles the duties it fulfils."""
    registry = _registry()
    actor = _user(registry, as_user)
    row = _run(lambda: registry.record(actor, person_id, kind, on=on, outcome=outcome, next_contact_on=next_contact,
                                       employer=employer, post=post, agency=agency))
    if as_json:
        _echo_json(row)
    else:
        settled = "、".join(row["settles"]) or "无"
        typer.echo(f"已记录 #{row['id']} {row['label']} {row['on']}；办结义务：{settled}")


@registry_app.command("figures")
def figures_command(month: str = typer.Option(..., "--month", help="YYYY-MM"),
                    as_user: Optional[str] = typer.Option(None, "--as"),
                    excel: Optional[Path] = typer.Option(None, "--excel", help="also write this .xlsx"),
                    as_json: bool = typer.Option(False, "--json")) -> None:
    """回访 coverage, 一生一策 coverage, 零就业家庭, referrals on time, contacts, 就业率 vs 95%."""
    from .figures import to_excel
    registry = _registry()
    actor = _user(registry, as_user)
    report = _run(lambda: registry.figures(actor, month=month))
    if excel:
        to_excel(report, excel)
    if as_json:
        _echo_json(report)
        return

    def rate(r, key):
        value = r[f"{key}_rate"]
        return f"{r[f'{key}_done']}/{r[f'{key}_due']}" + (f"（{value:.0%}）" if value is not None else "")
    typer.echo(f"{report['month']} 实名制就业帮扶台账（目标：北京生源高校毕业生就业率≥95%，{report['target_clause']}）")
    for r in report["rows"]:
        typer.echo(f"{r['area']}：回访{rate(r, 'visit')} 一生一策{rate(r, 'plan')} 零就业家庭未清零{r['zero_households']}户 "
                   f"按时转介{rate(r, 'referral')} 本月已联系登记失业人员{rate(r, 'contacted')} "
                   f"北京生源毕业生就业{rate(r, 'graduate')}")


@registry_app.command("escalate")
def escalate_command(on: str = typer.Option(..., "--on"), as_user: Optional[str] = typer.Option(None, "--as")) -> None:
    """Overdue plan steps to the supervisor; plans of employed persons closed."""
    registry = _registry()
    out = _run(lambda: registry.escalate(_user(registry, as_user), on=on))
    typer.echo(f"上报逾期步骤{len(out['escalated'])}个，关闭计划{len(out['closed'])}个")
