"""`jiuye ledger …`: the claims ledger from the command line (for operators and scripts).

The CLI operator has the database, so actions are attributed with ``--as USERNAME`` (no password);
the web pages authenticate users instead. Exit codes: 0 done, 2 bad input, 3 refused (the reason is
printed), 1 verify found problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import typer

from ..money import display

ledger_app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                         help="经办台账: the claims ledger (applications, approvals, installments, payments, audit).")

_state: dict[str, Any] = {"url": None}


@ledger_app.callback()
def _options(database: Optional[str] = typer.Option(None, "--database", envvar="JIUYE_DATABASE_URL",
                                                    help="SQLAlchemy URL (default: sqlite file ./var/jiuye.db)")) -> None:
    _state["url"] = database


def _ledger():
    """One Ledger per database URL for the process (the schema is migrated when first opened)."""
    from .config import database_url
    from .service import Ledger
    url = database_url(_state["url"])
    opened = _state.setdefault("ledgers", {})
    if url not in opened:
        opened[url] = Ledger(url)
    return opened[url]


def _fail(code: int, message: str) -> None:
    typer.echo(f"错误 error: {message}", err=True)
    raise typer.Exit(code)


def _run(fn):
    """Run fn(), turning ledger errors into one line and an exit code."""
    from .errors import InvalidInput, LedgerError
    try:
        return fn()
    except InvalidInput as error:
        _fail(2, f"{error.field}: {error.message}")
    except LedgerError as error:
        _fail(3, f"{error.code}: {error.message}")


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    raise TypeError(type(value).__name__)


def _echo_json(value) -> None:
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    elif isinstance(value, list):
        value = [dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v for v in value]
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=_json_default))


def _user_id(ledger, username: str) -> int:
    return _run(lambda: ledger.user_by_name(username)).id


def _date(value: str, option: str) -> dt.date:
    from ..day import DayError, parse_day
    try:
        return parse_day(value)
    except DayError as error:
        _fail(2, f"{option}: {error}")


def _situation(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        _fail(2, f"SITUATION: 无法读取{path}：{error.strerror}")
    except json.JSONDecodeError as error:
        _fail(2, f"SITUATION: 不是有效的JSON（第{error.lineno}行第{error.colno}列：{error.msg}）")


def _print_application(app, full: bool = False) -> None:
    person = f"（人员 {app.person.name} {app.person.id_number_masked}）" if app.person else ""
    typer.echo(f"申请#{app.id} {app.measure_id} {app.title}  [{app.status_label}·{app.result_label}]")
    typer.echo(f"  受益方：{app.beneficiary.name} {app.beneficiary.id_number_masked}{person}")
    typer.echo(f"  申请日：{app.submitted_on}  经办：{app.submitted_by}  合计：{display(app.total)}  已付：{display(app.paid)}")
    for inst in app.installments:
        paid = f"  支付#{inst.payment.id} {inst.payment.paid_on}" if inst.payment else ""
        note = f"  （{inst.note}）" if inst.note else ""
        typer.echo(f"    分期#{inst.id} 第{inst.seq}期 {inst.due} {display(inst.amount)} {inst.status_label}{paid}{note}")
    if full:
        for d in app.decisions:
            typer.echo(f"  {d.kind_label}：{d.decided_on} {d.decided_by}：{d.reason}")
        typer.echo(f"  规则版本：{app.code_version}  规则哈希：{app.rules_hash[:16]}…")
        if app.result and app.result.get("failed"):
            typer.echo("  未满足：" + "；".join(f"{f['label']}（{f['clause']}）" for f in app.result["failed"]))
        if app.result and app.result.get("missing"):
            typer.echo("  尚缺：" + "、".join(m["label"] for m in app.result["missing"]))


# -- schema ---------------------------------------------------------------------------------------
@ledger_app.command()
def init() -> None:
    """Create the database (or bring its schema to the newest migration)."""
    from .db import current_revision
    ledger = _run(_ledger)
    typer.echo(f"台账数据库 {ledger.db.url}：结构版本 {current_revision(ledger.db.engine)}")


@ledger_app.command()
def migrate(revision: str = typer.Option("head", "--revision", help="target revision")) -> None:
    """Run the Alembic migrations up to REVISION (default: the newest)."""
    from .db import Database, migrate as run
    db = Database(_state["url"])
    typer.echo(f"台账数据库 {db.url}：结构版本 {run(db.engine, revision)}")


@ledger_app.command("seed-demo")
def seed_demo() -> None:
    """Demo users (one per role) and sample claims; only in demo mode (JIUYE_DEMO=1)."""
    from .demo import seed_demo as seed
    ledger = _run(_ledger)
    out = _run(lambda: seed(ledger))
    typer.echo("演示数据已写入 demo data written (demo mode only: these accounts are refused without JIUYE_DEMO=1)")
    for username, role, password in out["users"]:
        typer.echo(f"  {role:12} {username:10} 密码 password: {password}")
    typer.echo(f"  申请 applications: {', '.join(f'#{i}' for i in out['applications'])}; "
               f"支付 payments: {', '.join(f'#{i}' for i in out['payments'])}")


# -- records --------------------------------------------------------------------------------------
@ledger_app.command("add-user")
def add_user(username: str = typer.Argument(...), role: str = typer.Option(..., "--role",
             help="applicant | case_worker | reviewer | admin"),
             display_name: Optional[str] = typer.Option(None, "--name"),
             applicant: Optional[int] = typer.Option(None, "--applicant", help="applicant id (applicant users)"),
             password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from stdin")) -> None:
    """Create a user (as the operator). Without --password-stdin the user cannot log in."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    ledger = _run(_ledger)
    user = _run(lambda: ledger.create_user(None, username, role, password=password, display_name=display_name,
                                           applicant_id=applicant))
    typer.echo(f"用户#{user.id} {user.username}（{user.role_label}）")


@ledger_app.command("add-applicant")
def add_applicant(kind: str = typer.Option(..., "--kind", help="person | organisation"),
                  id_number: str = typer.Option(..., "--id-number", help="身份证号 or 统一社会信用代码"),
                  name: str = typer.Option(..., "--name")) -> None:
    """Register a person or organisation (numbers validated); prints its id."""
    ledger = _run(_ledger)
    a = _run(lambda: ledger.register_applicant(None, kind, id_number, name))
    typer.echo(f"申请人#{a.id} {a.kind_label} {a.name} {a.id_number_masked}")


# -- workflow -------------------------------------------------------------------------------------
AS = typer.Option(..., "--as", help="username of the acting user")


@ledger_app.command()
def submit(situation: Path = typer.Argument(..., help="OpenFisca situation JSON"),
           measure: str = typer.Option(..., "--measure"), beneficiary: int = typer.Option(..., "--beneficiary",
           help="applicant id of the beneficiary"),
           person: Optional[int] = typer.Option(None, "--person", help="applicant id of the person (per-person measures)"),
           on: str = typer.Option(..., "--on", help="submission (assessment) date"),
           beneficiary_key: Optional[str] = typer.Option(None, "--beneficiary-key", help="its id in the situation"),
           person_key: Optional[str] = typer.Option(None, "--person-key"),
           key: Optional[str] = typer.Option(None, "--key", help="idempotency key"),
           actor: str = AS, as_json: bool = typer.Option(False, "--json")) -> None:
    """Record a claim: compute it on the submission date and freeze the result and installments."""
    ledger = _run(_ledger)
    facts = _situation(situation)
    app = _run(lambda: ledger.submit(_user_id(ledger, actor), measure_id=measure, beneficiary_id=beneficiary,
                                     person_id=person, situation=facts, on=_date(on, "--on"),
                                     beneficiary_key=beneficiary_key, person_key=person_key, idempotency_key=key))
    _echo_json(app) if as_json else _print_application(app)


@ledger_app.command()
def approve(application: int = typer.Argument(...), on: str = typer.Option(..., "--on"),
            reason: str = typer.Option("", "--reason"), actor: str = AS,
            as_json: bool = typer.Option(False, "--json")) -> None:
    """Approve a submitted claim (a reviewer who did not submit it)."""
    ledger = _run(_ledger)
    app = _run(lambda: ledger.approve(_user_id(ledger, actor), application, on=_date(on, "--on"), reason=reason))
    _echo_json(app) if as_json else _print_application(app)


@ledger_app.command()
def reject(application: int = typer.Argument(...), on: str = typer.Option(..., "--on"),
           reason: str = typer.Option(..., "--reason"), actor: str = AS) -> None:
    """Reject a submitted claim, with the reason."""
    ledger = _run(_ledger)
    app = _run(lambda: ledger.reject(_user_id(ledger, actor), application, on=_date(on, "--on"), reason=reason))
    _print_application(app)


@ledger_app.command()
def pay(installment: int = typer.Argument(..., help="installment id"), on: str = typer.Option(..., "--on"),
        key: str = typer.Option(..., "--key", help="idempotency key (e.g. the bank transfer id)"),
        amount: Optional[str] = typer.Option(None, "--amount", help="default: the approved amount"),
        reference: Optional[str] = typer.Option(None, "--reference"), actor: str = AS,
        as_json: bool = typer.Option(False, "--json")) -> None:
    """Record the payment of one installment (once; a replayed key returns the first payment)."""
    ledger = _run(_ledger)
    payment = _run(lambda: ledger.pay(_user_id(ledger, actor), installment, on=_date(on, "--on"), idempotency_key=key,
                                      amount=amount, reference=reference))
    if as_json:
        _echo_json(payment)
    else:
        replay = "（重放：返回已登记的支付）" if payment.replayed else ""
        typer.echo(f"支付#{payment.id} 分期#{payment.installment_id} {display(payment.amount)} {payment.paid_on}{replay}")


@ledger_app.command()
def payable(on: str = typer.Option(..., "--on"), as_json: bool = typer.Option(False, "--json")) -> None:
    """Approved installments due on or before --on and not yet paid."""
    ledger = _run(_ledger)
    items = _run(lambda: ledger.payable(None, on=_date(on, "--on")))
    if as_json:
        _echo_json(items)
        return
    for i in items:
        typer.echo(f"分期#{i.id} 申请#{i.application_id} 第{i.seq}期 {i.due} {display(i.amount)}")
    typer.echo(f"共{len(items)}期")


@ledger_app.command()
def reassess(application: int = typer.Argument(...), situation: Path = typer.Argument(..., help="changed facts"),
             on: str = typer.Option(..., "--on"), reason: str = typer.Option(..., "--reason"), actor: str = AS,
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute an approved claim with changed facts; cancel or keep its remaining installments."""
    ledger = _run(_ledger)
    facts = _situation(situation)
    app = _run(lambda: ledger.reassess(_user_id(ledger, actor), application, on=_date(on, "--on"), situation=facts,
                                       reason=reason))
    _echo_json(app) if as_json else _print_application(app, full=True)


@ledger_app.command("list")
def list_(status: Optional[str] = typer.Option(None, "--status", help="submitted | approved | rejected"),
          measure: Optional[str] = typer.Option(None, "--measure"), limit: int = typer.Option(100, "--limit"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Claims, newest first (ID numbers masked)."""
    ledger = _run(_ledger)
    apps = _run(lambda: ledger.list_applications(None, status=status, measure_id=measure, limit=limit))
    if as_json:
        _echo_json(apps)
        return
    for app in apps:
        who = app.beneficiary.name + (f"/{app.person.name}" if app.person else "")
        typer.echo(f"#{app.id:<6} {app.submitted_on} {app.measure_id:22} {app.status_label:4} {app.result_label:6} "
                   f"{display(app.total):>14}  {who} {app.beneficiary.id_number_masked}")
    typer.echo(f"共{len(apps)}条")


@ledger_app.command()
def show(application: int = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """One claim: installments, payments, decisions, rules version."""
    ledger = _run(_ledger)
    app = _run(lambda: ledger.application(None, application))
    _echo_json(app) if as_json else _print_application(app, full=True)


@ledger_app.command()
def log(after: int = typer.Option(0, "--after", help="entries after this sequence number"),
        limit: int = typer.Option(50, "--limit"), as_json: bool = typer.Option(False, "--json")) -> None:
    """The audit log (ID numbers masked)."""
    ledger = _run(_ledger)
    entries = _run(lambda: ledger.audit_entries(None, after_seq=after, limit=limit))
    if as_json:
        _echo_json(entries)
        return
    for e in entries:
        typer.echo(f"{e['seq']:>6} {e['at']} {e['actor']:10} {e['action']:18} {e['entity']}#{e['entity_id']} "
                   f"{json.dumps(e['payload']['summary'], ensure_ascii=False)}  {e['hash'][:12]}")


@ledger_app.command()
def verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """Check the audit chain and every row against its last logged write; exit 1 on any problem."""
    ledger = _run(_ledger)
    report = ledger.verify()
    if as_json:
        _echo_json(report.to_dict())
    else:
        state = "完好 intact" if report.ok else f"发现{len(report.problems)}处问题 TAMPERING FOUND"
        typer.echo(f"审计链：{report.entries}条，链头#{report.head_seq} {report.head_hash}；核对{report.rows_checked}行：{state}")
        for problem in report.problems:
            typer.echo(f"  ✗ {problem['message']}")
    if not report.ok:
        raise typer.Exit(1)


@ledger_app.command()
def backup(file: Path = typer.Argument(..., help="backup file (.json or .json.gz)")) -> None:
    """Write every table to FILE (a consistent snapshot)."""
    from .backup import backup as run
    ledger = _run(_ledger)
    out = _run(lambda: run(ledger.db, file))
    typer.echo(f"已备份到 {out['file']}：" + "，".join(f"{k} {v}" for k, v in out["rows"].items()) + f"；sha256 {out['sha256']}")


@ledger_app.command()
def restore(file: Path = typer.Argument(...), replace: bool = typer.Option(False, "--replace",
            help="empty the database first (otherwise it must hold no ledger rows)")) -> None:
    """Load FILE into the database, then verify it."""
    from .backup import restore as run
    from .db import Database
    db = Database(_state["url"])
    out = _run(lambda: run(db, file, replace=replace))
    typer.echo(f"已从 {out['file']} 恢复：" + "，".join(f"{k} {v}" for k, v in out["rows"].items()))
    report = out["verify"]
    typer.echo(f"核对：{'完好' if report['ok'] else '发现问题'}（审计链{report['entries']}条）")
    if not report["ok"]:
        for problem in report["problems"]:
            typer.echo(f"  ✗ {problem['message']}")
        raise typer.Exit(1)


@ledger_app.command()
def rules() -> None:
    """The cross-claim rules in force (caps, count limits, stacking scopes), as the clauses' catalogue
    records declare them (``limits:``, ``stacking.period``)."""
    from .rules import rules as load
    r = load()
    for cap in r.caps:
        typer.echo(f"上限 {cap.id}: {', '.join(cap.measures)} 每{'人' if cap.per == 'person' else '受益方'}"
                   f"{'每年' if cap.period == 'year' else '累计'} ≤ {cap.parameter or cap.amount}（{cap.clause}“{cap.quote}”）")
    for once in r.once_only:
        typer.echo(f"限{once.count}次 {once.id}: {', '.join(once.measures)} 每{'人' if once.per == 'person' else '受益方'}"
                   f"{'每年' if once.period == 'year' else ''}（{once.clause}“{once.quote}”）")
    for group, scope in r.stacking_scope.items():
        typer.echo(f"叠加范围 {group}: {'同一年度' if scope.period == 'year' else '累计'}（{scope.clause}“{scope.quote}”）")
