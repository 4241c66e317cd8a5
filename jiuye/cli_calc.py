"""`jiuye calc` without typer: its arguments, the calculation and the readable output. The `jiuye`
script (jiuye/cli.py) runs a well-formed call here directly; the typer app's `calc` command
(jiuye/cli_app.py) calls the same `run_calc`, so the output is the same either way."""

from __future__ import annotations

import json
import sys
from pathlib import Path



def echo(message: str = "", err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{message}\n")
    stream.flush()


def fail(message: str) -> None:
    """One line naming the field on stderr, exit 2 (under typer too: its runner reports the code)."""
    echo(f"错误 error: {message}", err=True)
    raise SystemExit(2)


def _read_situation(path: Path) -> dict:
    """A situation file, or a clause's example by clause id (`xicheng/6`) or example name."""
    if not path.exists():
        from .examples import example_path
        try:
            path = example_path(str(path))
        except FileNotFoundError:
            fail(f"SITUATION：找不到文件或条款示例“{path}”")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"SITUATION：无法读取 {path}：{error.strerror}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"SITUATION：不是有效的 JSON（第{error.lineno}行第{error.colno}列）")
    if isinstance(data, dict) and "on" not in data:
        from .examples import LEGACY, example_date
        if path.resolve().parent == LEGACY.resolve():      # a demo of examples/: its date is listed there
            data["on"] = example_date(path)
    return data


def _money(value) -> str:
    if value is None:
        return "待定"
    return f"{value:,.2f}元".replace(".00元", "元")


def _mark(result) -> str:
    return {True: "✓", False: "✗", None: "?"}[result]


def _print_conditions(conditions, indent: int = 4) -> None:
    for node in conditions:
        clause = f"（{node['clause']}）" if node.get("clause") else ""
        echo(" " * indent + f"{_mark(node['result'])} {node['label']}{clause}")
        if "group" in node:
            _print_conditions(node["conditions"], indent + 2)
        elif node.get("result") is None and node.get("missing"):
            labels = "、".join(m["label"] for m in node["missing"])
            echo(" " * (indent + 2) + f"缺少：{labels}")


def print_results(report: dict) -> None:
    from .explain import STATUS_LABELS, near_misses
    results = report["results"]
    echo(f"评估日期：{report['on']}")
    for status in ("eligible", "undetermined"):
        chosen = [r for r in results if r["status"] == status]
        if not chosen:
            continue
        echo(f"\n== {STATUS_LABELS[status]}（{len(chosen)}项）==")
        for r in chosen:
            who = r["beneficiary"] + (f"（为{r['person']}）" if r.get("person") else "")
            echo(f"\n■ {r['title']}  [{r['measure']}]  受益方：{who}")
            if status == "eligible":
                echo(f"  截至评估日应得：{_money(r['amount_to_date'])}")
                if r.get("amount_note"):
                    echo(f"  金额说明：{r['amount_note']}")
                if r.get("stacking"):
                    echo(f"  叠加规则：{r['stacking']['reason']}")
            if r["installments"]:
                label = "发放计划" if status == "eligible" else "如条件满足，发放计划"
                parts = [f"{i['due']} {_money(i['amount'])}{'（最高）' if i['ceiling'] else ''}" for i in r["installments"]]
                echo(f"  {label}：" + "；".join(parts))
            if status == "undetermined":
                echo("  还需提供：" + "、".join(f"{m['label']}（{m['id']}）" for m in r["missing"]))
            echo("  条件：")
            _print_conditions(r["conditions"])
            for p in r["parameters"]:
                flag = "（未经核实）" if p.get("unconfirmed") else ""
                value = p["value"] if not isinstance(p["value"], list) else "/".join(str(b["amount"]) for b in p["value"])
                echo(f"  参数：{p['description']} = {value}，自{p.get('effective_from')}起，来源：{p.get('source')}{flag}")
            if r.get("interpretation"):
                echo(f"  解读：{r['interpretation']}")
    misses = near_misses(results)
    if misses:
        echo(f"\n== {STATUS_LABELS['ineligible']}（{len(misses)}项，按差距从小到大）==")
        for r in misses:
            needs = "；".join(f"{f['label']}（{f['clause']}）" for f in r["failed"])
            echo(f"  {r['title']} [{r['measure']}] 受益方 {r['beneficiary']}：还需满足 {needs}")


def run_calc(situation: Path, on: str | None, as_json: bool, measure: list[str] | None,
             document: list[str] | None) -> None:
    """`jiuye calc`: every measure the situation's persons and organisations qualify for, how much,
    when and why."""
    from .assess.situation import InputError, parse_date
    from .catalogue import CatalogueError, load_catalogue
    from .explain import calculate
    catalogue = load_catalogue()
    for key in document or []:
        if key not in catalogue.documents:
            fail(f"--document: unknown document {key!r}; known: {', '.join(sorted(catalogue.documents))}")
    if document:
        measure = (measure or []) + [m.id for m in catalogue.executable() if m.document in document]
    try:
        date = parse_date(on, "--on") if on else None
        report = calculate(_read_situation(situation), date, measure)
    except InputError as error:
        fail(f"{error.field}: {error.message}")
    except CatalogueError as error:
        fail(f"--measure: {error}")
    if as_json:
        echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_results(report)


CALC_OPTIONS = ("--on", "--measure", "--document")


def calc_arguments(args: list[str]) -> dict | None:
    """`jiuye calc`'s arguments when `args` (after `calc`) is a call typer would accept as they are
    (one SITUATION; --on, --measure, --document with a value, `--opt value` or `--opt=value`; --json),
    else None: typer then parses it (--help, an unknown option, a missing value …) and answers as it
    always has."""
    found: dict = {"situation": None, "on": None, "as_json": False, "measure": [], "document": []}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if arg == "--json":
            found["as_json"] = True
            continue
        if name in CALC_OPTIONS:
            if not equals:
                if not rest or rest[0].startswith("-"):
                    return None
                value = rest.pop(0)
            key = name[2:]
            if key == "on":
                found["on"] = value
            else:
                found[key].append(value)
            continue
        if arg.startswith("-") or found["situation"] is not None:
            return None
        found["situation"] = Path(arg)
    if found["situation"] is None:
        return None
    found["measure"] = found["measure"] or None
    found["document"] = found["document"] or None
    return found
