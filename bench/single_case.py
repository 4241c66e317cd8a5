"""Latency of one situation through every executable measure, with explanations.

    .venv/bin/python bench/single_case.py [--runs 1000] [--warmup 50] [--on 2025-06-15]
                                          [--situation examples/X.json] [--no-combined]
                                          [--profile] [--write]

Cases (each timed in the same run, interleaved with its bare OpenFisca counterpart):

* `single`: one realistic case, a person employed by an organisation
  (default examples/xicheng_6_stable_employment.json, `--situation` to change);
* `all examples`: every examples/*.json merged into one situation (ids prefixed by file name),
  so every measure meets the facts its own example gives. It grows as examples are added.

For each case: `explain` = `jiuye.explain.calculate(situation, on)` (build + every executable
measure + explanations); `bare` = `jiuye.engine.build_case` + `simulation.calculate` of the
monthly variable `<variable>` of every executable measure (as bench/batch.py does; it pulls
`__eligible`, `__kept` and stacking `__total`s), no explanation. Target: explain p50 <= 10 ms
for the single case. Below target or not, `--profile` profiles it with cProfile; the profile runs
by itself when the target is missed.

Prints a Markdown block for bench/RESULTS.md (`--write` puts it there) and returns the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (ROOT, command_line, machine, machine_markdown, percentiles_ms,  # noqa: E402
                           write_block)

TARGET_MS = 10.0
DEFAULT_SITUATION = ROOT / "examples" / "xicheng_6_stable_employment.json"


def load_situation(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def combined_situation(paths: list[Path]) -> dict:
    """All situations as one: entity ids prefixed with the file stem, role lists renamed.

    A person in no organisation gets an explicit organisation of its own (id = the person's,
    in the first role, as OpenFisca does implicitly): OpenFisca 46 cannot mix implicit
    organisations with several explicit ones that carry facts (see RESULTS.md, side findings)."""
    from jiuye.engine import ENTITY_PLURALS
    from jiuye.model.system import get_system
    roles = get_system().entities_by_singular()["organisation"].roles
    role_plurals = {r.key for r in roles} | {r.plural for r in roles}
    merged: dict = {plural: {} for plural in ENTITY_PLURALS}
    for path in paths:
        situation = load_situation(path)
        prefix = path.stem + "."
        attached = set()
        for plural in ENTITY_PLURALS:
            for entity_id, body in (situation.get(plural) or {}).items():
                body = dict(body)
                for key in role_plurals & set(body):
                    members = body[key] if isinstance(body[key], list) else [body[key]]
                    attached.update(str(m) for m in members)
                    body[key] = [prefix + str(m) for m in members]
                merged[plural][prefix + str(entity_id)] = body
        for person_id in situation.get("persons") or {}:
            if str(person_id) not in attached:
                merged["organisations"][prefix + str(person_id)] = {roles[0].plural: [prefix + str(person_id)]}
    return {k: v for k, v in merged.items() if v}


def bare(situation: dict, on: dt.date, names: list[str]):
    """Build the simulation and calculate every generated measure variable, no explanation."""
    from jiuye.engine import build_case
    case = build_case(situation, on)
    period = case.period
    for name in names:
        case.simulation.calculate(name, period)
    return case


def measure_variable_names(measures) -> list[str]:
    """The monthly amount variable of every measure (it pulls `__eligible`, `__kept` and, in a
    stacking group, the group's `__total`s), as the batch computes."""
    return [m.variable for m in measures]


def time_case(situation: dict, on: dt.date, runs: int, warmup: int, fixes=()) -> dict:
    """Time `explain` and `bare` (and, with `fixes`, both again with the engine fixes applied),
    interleaved: each iteration runs every variant once, in a rotating order, so drift and noise
    hit all variants alike."""
    from jiuye.catalogue import load_catalogue
    from jiuye.explain import calculate
    from jiuye.model.system import get_system
    system = get_system()
    names = measure_variable_names(load_catalogue().executable())
    variants = [("explain", lambda: calculate(situation, on), False),
                ("bare", lambda: bare(situation, on, names), False)]
    if fixes:
        variants += [("explain_fixed", lambda: calculate(situation, on), True),
                     ("bare_fixed", lambda: bare(situation, on, names), True)]

    def run(variant) -> tuple[float, object]:
        _, function, patched = variant
        if patched:
            for fix in fixes:
                fix.apply(system)
        try:
            t0 = time.perf_counter()
            value = function()
            return time.perf_counter() - t0, value
        finally:
            if patched:
                for fix in reversed(fixes):
                    fix.revert()

    outputs = {}
    for _ in range(warmup):
        for variant in variants:
            outputs[variant[0]] = run(variant)[1]
    if fixes and _strip(outputs["explain"]) != _strip(outputs["explain_fixed"]):
        raise AssertionError("the engine fixes change the explanation")
    gc.collect()
    times: dict[str, list[float]] = {v[0]: [] for v in variants}
    for i in range(runs):
        k = i % len(variants)
        for variant in variants[k:] + variants[:k]:
            times[variant[0]].append(run(variant)[0])
    stats = {name: percentiles_ms(t) for name, t in times.items()}
    results = outputs["explain"]["results"]
    out = {**stats,
           "ratio_p50": stats["explain"]["p50"] / stats["bare"]["p50"],
           "persons": len(situation.get("persons") or {}),
           "organisations": len(situation.get("organisations") or {}),
           "result_rows": len(results),
           "status": _count(r["status"] for r in results)}
    return out


def per_measure(situation: dict, on: dt.date, runs: int) -> dict[str, float]:
    """Mean ms per measure of the explanation rows of the situation (case built outside the timing)."""
    from jiuye.catalogue import load_catalogue
    from jiuye.engine import build_case
    from jiuye.explain import Explainer
    measures = load_catalogue().executable()
    totals = dict.fromkeys((m.id for m in measures), 0.0)
    for _ in range(runs):
        explainer = Explainer(build_case(situation, on))
        for m in measures:
            t0 = time.perf_counter()
            for entity_key, index in explainer.units(m):
                explainer.result(m, entity_key, index)
            totals[m.id] += time.perf_counter() - t0
    return {k: v / runs * 1000 for k, v in totals.items()}


def _strip(report: dict) -> str:
    return json.dumps(report, sort_keys=True, default=str)


def _by_document(ids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for mid in ids:
        out[mid.split("/")[0]] = out.get(mid.split("/")[0], 0) + 1
    return out


def _count(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


# -- profile ------------------------------------------------------------------------------------------
# (label, module file suffix, function name): cumulative time, so buckets overlap (nested calls)
BUCKETS = [
    ("explain.calculate (total)", "jiuye/explain.py", "calculate"),
    ("  engine.build_case (SimulationBuilder.build_from_entities)", "jiuye/engine.py", "build_case"),
    ("    json round-trip of the situation", "json/__init__.py", "dumps"),
    ("  Explainer.__init__ (Knowledge)", "jiuye/explain.py", "__init__"),
    ("  Explainer.result (all rows)", "jiuye/explain.py", "result"),
    ("    Explainer.condition (condition trees)", "jiuye/explain.py", "condition"),
    ("      Knowledge.missing", "jiuye/engine.py", "missing"),
    ("      Knowledge.facts_read", "jiuye/engine.py", "facts_read"),
    ("      Explainer.fact", "jiuye/explain.py", "fact"),
    ("    Knowledge.parameters_read", "jiuye/engine.py", "parameters_read"),
    ("    params.describe_parameter", "jiuye/params.py", "describe_parameter"),
    ("    Explainer._stacking", "jiuye/explain.py", "_stacking"),
    ("  Simulation.calculate (all OpenFisca formulas)", "simulations/simulation.py", "calculate"),
    ("    JiuyeSystem.installments_for", "jiuye/model/system.py", "installments_for"),
    ("  Explainer.units", "jiuye/explain.py", "units"),
]


def profile(situation: dict, on: dt.date, runs: int) -> tuple[str, list[tuple[str, float, float]]]:
    from jiuye.explain import calculate
    for _ in range(20):
        calculate(situation, on)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        calculate(situation, on)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = None
    rows = []
    for label, file_suffix, function in BUCKETS:
        cum = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if name == function and filename.replace("\\", "/").endswith(file_suffix):
                cum = max(cum, ct)    # recursive functions: the outermost cumulative time
        if total is None:
            total = cum or 1.0
        rows.append((label, cum / runs * 1000, 100 * cum / total))
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(25)
    buffer.write("\n")
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(30)
    return buffer.getvalue(), rows


# -- report -------------------------------------------------------------------------------------------
def markdown(figures: dict) -> str:
    lines = ["## Single case (bench/single_case.py)", "",
             f"- command: `{figures['command']}`",
             machine_markdown(figures["machine"]),
             f"- executable measures included: {figures['measures']} ("
             + ", ".join(f"{d} {n}" for d, n in _by_document(figures["measure_ids"]).items()) + ")",
             f"- assessment date {figures['on']}; timed runs: "
             + ", ".join(f"{n} {c['runs']}" for n, c in figures["cases"].items())
             + f", after warm-up runs ({figures['warmup']} max); all variants interleaved in rotating order; "
             "GC enabled",
             "",
             "| case | persons / orgs | result rows | explain p50 | p95 | mean | bare p50 | p95 | mean "
             "| explain ÷ bare (p50) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, c in figures["cases"].items():
        e, b = c["explain"], c["bare"]
        lines.append(f"| {name} | {c['persons']} / {c['organisations']} | {c['result_rows']} | "
                     f"{e['p50']:.2f} ms | {e['p95']:.2f} ms | {e['mean']:.2f} ms | "
                     f"{b['p50']:.2f} ms | {b['p95']:.2f} ms | {b['mean']:.2f} ms | {c['ratio_p50']:.2f} |")
    if figures.get("fixes"):
        lines += ["", f"With the proposed engine fixes `{figures['fixes']}` (bench/engine_fixes.py, monkeypatched, "
                      "timed in the same loop; explanations checked identical):", "",
                  "| case | explain p50 | with fixes | ratio | bare p50 | with fixes | ratio |",
                  "|---|---|---|---|---|---|---|"]
        for name, c in figures["cases"].items():
            e, ef, b, bf = (c[k]["p50"] for k in ("explain", "explain_fixed", "bare", "bare_fixed"))
            lines.append(f"| {name} | {e:.2f} ms | {ef:.2f} ms | {e / ef:.2f}× | {b:.2f} ms | {bf:.2f} ms | "
                         f"{b / bf:.2f}× |")
    single = figures["cases"]["single"]["explain"]["p50"]
    verdict = "met" if single <= TARGET_MS else "MISSED"
    lines += ["", f"Target p50 ≤ {TARGET_MS:g} ms for the single case: **{verdict}** ({single:.2f} ms)."]
    if figures.get("per_measure"):
        pm = figures["per_measure"]
        by_doc: dict[str, list] = {}
        for mid, ms in pm.items():
            by_doc.setdefault(mid.split("/")[0], []).append(ms)
        lines += ["", f"Explanation time of the single case by document and by measure (mean of "
                      f"{figures['per_measure_runs']} runs, case built outside the timing; sum "
                      f"{sum(pm.values()):.2f} ms):", "",
                  "| document | measures | ms | ms per measure |", "|---|---|---|---|"]
        for doc, values in sorted(by_doc.items(), key=lambda kv: -sum(kv[1])):
            lines.append(f"| {doc} | {len(values)} | {sum(values):.2f} | {sum(values) / len(values):.3f} |")
        top = sorted(pm.items(), key=lambda kv: -kv[1])[:10]
        lines += ["", "Ten most expensive measures: " + ", ".join(f"{k} {v:.2f} ms" for k, v in top) + "."]
    if figures.get("profile_rows"):
        lines += ["", f"Profile of the single case (cProfile, {figures['profile_runs']} runs; cumulative "
                      "times per run, nested rows are included in their parent; cProfile inflates "
                      "Python-heavy code):", "",
                  "| where | ms / run | % of explain.calculate |", "|---|---|---|"]
        for label, ms, pct in figures["profile_rows"]:
            lines.append(f"| {label.strip()} {'(nested)' if label.startswith('    ') else ''} | "
                         f"{ms:.2f} | {pct:.0f} % |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--on", default="2025-06-15", help="assessment date (default 2025-06-15)")
    parser.add_argument("--situation", type=Path, default=DEFAULT_SITUATION)
    parser.add_argument("--no-combined", action="store_true", help="skip the all-examples case")
    parser.add_argument("--combined-runs", type=int, default=20,
                        help="timed runs of the all-examples case (default 20; it is much slower)")
    parser.add_argument("--profile", action="store_true", help="profile even when the target is met")
    parser.add_argument("--profile-runs", type=int, default=300)
    parser.add_argument("--print-profile", action="store_true", help="also print the raw pstats tables")
    parser.add_argument("--fixes", default=None,
                        help="also time the proposed engine fixes (bench/engine_fixes.py), interleaved: comma "
                             "list of params,subset,months or 'all'")
    parser.add_argument("--per-measure-runs", type=int, default=100,
                        help="runs of the per-measure breakdown of the single case (0: skip)")
    parser.add_argument("--write", action="store_true", help="update the single-case block of bench/RESULTS.md")
    args = parser.parse_args(argv)
    from bench import engine_fixes
    fixes = engine_fixes.parse(args.fixes)
    on = dt.date.fromisoformat(args.on)

    from jiuye.catalogue import load_catalogue
    from jiuye.model.system import get_system
    t0 = time.perf_counter()
    get_system()
    system_s = time.perf_counter() - t0
    measures = load_catalogue().executable()

    cases = {"single": load_situation(args.situation)}
    examples = sorted((ROOT / "examples").glob("*.json"))
    if not args.no_combined and examples:
        cases[f"all examples ({len(examples)} files)"] = combined_situation(examples)

    figures: dict = {"command": command_line(), "machine": machine(), "on": args.on, "runs": args.runs,
                     "warmup": args.warmup, "measures": len(measures), "measure_ids": [m.id for m in measures],
                     "system_build_s": system_s, "situation": str(args.situation), "cases": {},
                     "fixes": args.fixes}
    for name, situation in cases.items():
        runs = args.runs if name == "single" else min(args.runs, args.combined_runs)
        figures["cases"][name] = time_case(situation, on, runs, min(args.warmup, runs), fixes)
        figures["cases"][name]["runs"] = runs
        c = figures["cases"][name]
        if fixes:
            print(f"{name}: with fixes {args.fixes}: explain p50 {c['explain_fixed']['p50']:.2f} ms "
                  f"bare p50 {c['bare_fixed']['p50']:.2f} ms", file=sys.stderr)
        print(f"{name}: explain p50 {c['explain']['p50']:.2f} ms p95 {c['explain']['p95']:.2f} ms "
              f"mean {c['explain']['mean']:.2f} ms | bare p50 {c['bare']['p50']:.2f} ms "
              f"p95 {c['bare']['p95']:.2f} ms mean {c['bare']['mean']:.2f} ms | ratio {c['ratio_p50']:.2f} "
              f"| rows {c['result_rows']} {c['status']}", file=sys.stderr)

    if args.per_measure_runs:
        figures["per_measure"] = per_measure(cases["single"], on, args.per_measure_runs)
        figures["per_measure_runs"] = args.per_measure_runs
    single = figures["cases"]["single"]["explain"]["p50"]
    if args.profile or (single > TARGET_MS and args.profile_runs):
        text, rows = profile(cases["single"], on, args.profile_runs)
        figures["profile_rows"], figures["profile_runs"] = rows, args.profile_runs
        if args.print_profile:
            print(text, file=sys.stderr)

    block = markdown(figures)
    print(block)
    if args.write:
        write_block("single_case", block)
        print("bench/RESULTS.md updated (single_case block)", file=sys.stderr)
    return figures


if __name__ == "__main__":
    main()
