"""`jiuye tasks …` and `jiuye report …`: 督办与调度 from the command line.

    jiuye tasks list [--unit 区人社局] [--document heping] [--json]
    jiuye tasks report heping/附件1/54 --period 2024-05 --status on_track --as renshe \\
        --figure job_fairs=2 --progress "开展招聘活动2场" [--draft] [--on 2024-06-03]
    jiuye report monthly --month 2024-05 --out 月调度.xlsx|月调度.pdf [--document heping] [--as bangongshi]

Like `jiuye ledger`, the operator has the database: actions are attributed with ``--as USERNAME``.
Exit codes: 0 done, 2 bad input, 3 refused or forbidden.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Optional

import typer

from ..ledger.cli import _fail, _run   # one line per error, exit 2 (bad input) or 3 (refused)

tasks_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                        help="督办与调度: the documents' tasks, their units and targets; units' monthly reports.")
report_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                         help="月调度: the monthly report (Excel or PDF).")
_state: dict = {"url": None}


def _database(database: Optional[str] = typer.Option(None, "--database", envvar="JIUYE_DATABASE_URL",
                                                     help="SQLAlchemy URL (default: sqlite file ./var/jiuye.db)")) -> None:
    _state["url"] = database


tasks_app.callback()(_database)
report_app.callback()(_database)


def _open():
    from ..ledger import Ledger
    from ..ledger.config import database_url
    from .service import Supervision
    ledger = Ledger(database_url(_state["url"]))
    return ledger, Supervision(ledger)


def _user(ledger, username: Optional[str]) -> int | None:
    if not username:
        return None
    return _run(lambda: ledger.user_by_name(username)).id


@tasks_app.command("list")
def list_tasks(unit: Optional[str] = typer.Option(None, "--unit", help="责任单位名称（如 区人社局）"),
               document: Optional[str] = typer.Option(None, "--document", help="文件（heping、beijing …）"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Every task the documents assign, with its units (lead first) and targets."""
    from .tasks import all_tasks
    tasks = [t for t in all_tasks() if (not document or t.document == document) and (not unit or unit in t.units)]
    if document and not any(t.document == document for t in all_tasks()):
        _fail(2, f"--document: 没有文件{document!r}的任务")
    if as_json:
        typer.echo(json.dumps([t.to_dict() for t in tasks], ensure_ascii=False, indent=1, default=str))
        return
    for t in tasks:
        units = "、".join(t.units) or "（文件未写明，由领导小组办公室指定）"
        typer.echo(f"{t.id}\t{t.title}\t{units}")
        for target in t.targets:
            typer.echo(f"    目标 {target.label}（{target.parameter}，来源：{target.source}）")
    typer.echo(f"共{len(tasks)}项任务")


@tasks_app.command("report")
def report_task(task: str = typer.Argument(..., help="任务编号（如 heping/附件1/54）"),
                period: str = typer.Option(..., "--period", help="月份 YYYY-MM"),
                status: str = typer.Option(..., "--status", help="not_started | on_track | delayed | completed"),
                as_user: str = typer.Option(..., "--as", help="填报人（用户名）"),
                unit: Optional[str] = typer.Option(None, "--unit", help="填报单位（本人属多个单位时）"),
                figure: list[str] = typer.Option([], "--figure", help="目标名=数值（可重复）"),
                progress: str = typer.Option("", "--progress", help="工作进展"),
                effects: str = typer.Option("", "--effects", help="政策成效"),
                difficulties: str = typer.Option("", "--difficulties", help="困难问题"),
                next_steps: str = typer.Option("", "--next-steps", help="下步举措"),
                suggestions: str = typer.Option("", "--suggestions", help="意见建议"),
                draft: bool = typer.Option(False, "--draft", help="只保存，不报送"),
                on: Optional[str] = typer.Option(None, "--on", help="报送日期（默认今天）")) -> None:
    """A unit's monthly report on one of its tasks (submitted unless --draft)."""
    ledger, sup = _open()
    actor = _user(ledger, as_user)
    figures = {}
    for item in figure:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(2, f"--figure: 应为 目标名=数值，而不是{item!r}")
        figures[key.strip()] = value.strip()
    unit_id = None
    if unit:
        from .tasks import get_task
        scope = _run(lambda: get_task(task)).document
        unit_id = _run(lambda: sup.unit(scope, unit)).id
    saved = _run(lambda: sup.save_report(actor, task, period, unit_id=unit_id, status=status, figures=figures,
                                         on=on or dt.date.today().isoformat(), submit=not draft, progress=progress,
                                         effects=effects, difficulties=difficulties, next_steps=next_steps,
                                         suggestions=suggestions))
    typer.echo(f"{saved.task_id} {saved.period} {saved.unit.name}：{saved.status_label}，{saved.state_label}"
               f"（截止{saved.due.isoformat()}）")


@report_app.command("monthly")
def monthly_report(month: str = typer.Option(..., "--month", help="月份 YYYY-MM"),
                   out: Path = typer.Option(..., "--out", help="输出文件 .xlsx 或 .pdf"),
                   document: str = typer.Option("heping", "--document", help="文件（heping、xicheng …）"),
                   as_user: Optional[str] = typer.Option(None, "--as", help="以此用户的可见范围生成（默认：全部）"),
                   today: Optional[str] = typer.Option(None, "--today", help="判断逾期的日期（默认今天）")) -> None:
    """The month's report (月调度) under the five headings, as Excel or PDF."""
    from .report import monthly, write
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        _fail(2, f"--out: 输出文件应为 .xlsx 或 .pdf，而不是{out}")
    ledger, sup = _open()
    actor = _user(ledger, as_user)
    data = _run(lambda: monthly(sup, actor, document, month, today=today or dt.date.today().isoformat()))
    path = write(data, out)
    summary = data["summary"]
    typer.echo(f"{path}：{data['title']}，任务×单位{summary['rows']}项，已报送{summary['submitted']}项")
