"""Throughput: a synthetic population through every executable measure's monthly variable.

    .venv/bin/python bench/batch.py [--persons 1000000] [--orgs 100000] [--seed 20250615]
                                    [--on 2025-06-15] [--repeat 1] [--profile] [--write]

Phases, timed separately (wall clock, `time.perf_counter`):

* system   — `get_system()` (imports, parameters, catalogue; once per process, not counted);
* generate — the seeded facts (`bench.population.generate_population`; stands in for reading the
             data, not counted in the target);
* build    — `bench.population.build_simulation`: SimulationBuilder declare_person_entity /
             declare_entity / join_with_persons, `simulation.set_input` of every fact;
* compute  — `simulation.calculate(<variable>, month)` for every executable measure of the
             catalogue (each pulls its `__eligible`, `__kept` and stacking `__total`s).

Memory: peak RSS of the process (`resource.getrusage(...).ru_maxrss`), tracemalloc off, plus the
resident set before generation (interpreter + system) and what the simulation's caches hold at
the end. Targets for 1M persons + 100k organisations: build + compute <= 5 s, peak RSS <= 4 GB.

`--profile` runs the compute phase under cProfile (slower) and prints where the time goes.
Prints a Markdown block for bench/RESULTS.md (`--write` puts it there) and returns the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import pstats
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from openfisca_core import periods  # noqa: E402

from bench._common import (command_line, current_rss_bytes, gib, machine, machine_markdown,  # noqa: E402
                           maxrss_bytes, write_block)

TARGET_S = 5.0
TOP = 20          # measures listed in the Markdown tables
TARGET_BYTES = 4 * 1024 ** 3


def simulation_cache_bytes(simulation) -> dict:
    """Bytes held by the simulation: OpenFisca holders (inputs and cached results) and the
    installments cache of `JiuyeSystem.installments_for`."""
    holders = 0
    for population in simulation.populations.values():
        for holder in population._holders.values():
            for period in holder.get_known_periods():
                array = holder.get_array(period)
                if array is not None:
                    holders += array.nbytes
    installments = 0
    for inst in simulation.__dict__.get("_jiuye_installments", {}).values():
        installments += inst.due.nbytes + inst.amount.nbytes + inst.ceiling.nbytes
    for index, inst in simulation.__dict__.get("_jiuye_installments_eligible", {}).values():   # engine_fixes
        installments += index.nbytes + (inst.due.nbytes + inst.amount.nbytes + inst.ceiling.nbytes if inst else 0)
    return {"holders": holders, "installments": installments}


def installment_slots(simulation) -> dict:
    return {key[0]: int(inst.due.shape[1]) for key, inst in simulation.__dict__.get("_jiuye_installments", {}).items()}


def _usage():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime, u.ru_stime, u.ru_minflt


class OutOfMemory(Exception):
    def __init__(self, measure_id: str, rows: list) -> None:
        super().__init__(measure_id)
        self.measure_id, self.rows = measure_id, rows


def compute(simulation, measures, period) -> list[dict]:
    rows = []
    for measure in measures:
        t0 = time.perf_counter()
        try:
            amount = simulation.calculate(measure.variable, period)
        except MemoryError:
            raise OutOfMemory(measure.id, rows) from None
        seconds = time.perf_counter() - t0
        eligible = simulation.calculate(f"{measure.variable}__eligible", period)     # cached
        rows.append({"id": measure.id, "variable": measure.variable, "entity": measure.entity,
                     "seconds": seconds, "eligible": int(np.count_nonzero(eligible)),
                     "paid": int(np.count_nonzero(amount > 0)), "amount": float(amount.sum(dtype=np.float64)),
                     "rss_after": current_rss_bytes()})
    return rows


# (label, module file suffix, function name) for the profile summary; cumulative times overlap
BUCKETS = [
    ("Simulation.calculate (all formulas)", "simulations/simulation.py", "calculate"),
    ("JiuyeSystem.installments_for (installment functions)", "jiuye/model/system.py", "installments_for"),
    ("TaxBenefitSystem.parameters(instant) rebuilt per call", "parameters/at_instant_like.py", "__call__"),
    ("Installments.stack", "jiuye/model/base.py", "stack"),
    ("Installments.due_between", "jiuye/model/base.py", "due_between"),
    ("Installments.total", "jiuye/model/base.py", "total"),
    ("dates.add_months", "jiuye/model/dates.py", "add_months"),
    ("JiuyeSystem.stacking_kept", "jiuye/model/system.py", "stacking_kept"),
    ("evaluate_tree (eligibility)", "jiuye/model/system.py", "evaluate_tree"),
    ("Population.has_role (object array ==)", "populations/population.py", "has_role"),
    ("Population.__call__ via organisation (projection)", "projectors/projector.py", "__call__"),
]


def profile_compute(simulation, measures, period) -> tuple[str, list]:
    profiler = cProfile.Profile()
    profiler.enable()
    for measure in measures:
        simulation.calculate(measure.variable, period)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values()) or 1.0   # total internal time = profiled wall
    rows = []
    for label, suffix, function in BUCKETS:
        cum = 0.0
        for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if name == function and filename.replace("\\", "/").endswith(suffix):
                cum = max(cum, ct) if function in ("calculate", "evaluate_tree") else cum + ct
        rows.append((label, cum, 100 * cum / total))
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(25)
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(40)
    return buffer.getvalue(), rows


def run_variant(system, measures, population, period, profile: bool = False) -> dict:
    """Build a simulation of `population`, compute every measure; the figures and the results."""
    from bench.population import build_simulation
    gc.collect()
    rss_before = current_rss_bytes()
    u0 = _usage()
    t1 = time.perf_counter()
    simulation = build_simulation(population, system)
    t2 = time.perf_counter()
    try:
        rows = compute(simulation, measures, period)
    except OutOfMemory as error:
        t3 = time.perf_counter()
        high = max([rss_before] + [r["rss_after"] for r in error.rows])
        simulation = None     # free the partial simulation before the next variant
        gc.collect()
        return {"build_s": t2 - t1, "compute_s": t3 - t2, "rows": error.rows, "oom": error.measure_id,
                "rss_high": high, "rss_before": rss_before, "user_s": _usage()[0] - u0[0],
                "sys_s": _usage()[1] - u0[1], "minor_faults": _usage()[2] - u0[2],
                "cache_bytes": {"holders": 0, "installments": 0}, "slots": {}}, None
    t3 = time.perf_counter()
    u1 = _usage()
    out = {"build_s": t2 - t1, "compute_s": t3 - t2, "rows": rows, "maxrss_computed": maxrss_bytes(),
           "user_s": u1[0] - u0[0], "sys_s": u1[1] - u0[1], "minor_faults": u1[2] - u0[2],
           "rss_before": rss_before, "rss_after": current_rss_bytes(),
           "rss_high": max([rss_before] + [r["rss_after"] for r in rows]),
           "cache_bytes": simulation_cache_bytes(simulation), "slots": installment_slots(simulation)}
    # for the with/without-fixes comparison: every monthly amount, and the `__total`s the compute
    # already needed (stacking groups); computing the others here would allocate every schedule
    results = {}
    for m in measures:
        results[m.variable] = np.array(simulation.calculate(m.variable, period), copy=True)
        name = f"{m.variable}__total"
        holder = simulation.get_holder(name)
        cached = holder.get_array(periods.period(period))
        if cached is not None:
            results[name] = np.array(cached, copy=True)
    del simulation
    if profile:
        profiled = build_simulation(population, system)
        text, prows = profile_compute(profiled, measures, period)
        out["profile_rows"], out["profile_text"] = prows, text
        del profiled
    gc.collect()
    return out, results


def run_once(system, measures, args, on, period, fixes) -> dict:
    from bench.population import generate_population
    gc.collect()
    t0 = time.perf_counter()
    population = generate_population(args.persons, args.orgs, seed=args.seed, on=on, system=system)
    generate_s = time.perf_counter() - t0
    if fixes and args.fixes_only:
        for fix in fixes:
            fix.apply(system)
    maxrss_generated = maxrss_bytes()
    out, results = run_variant(system, measures, population, period, profile=args.profile)
    out.update({"generate_s": generate_s, "maxrss": maxrss_bytes(), "population_bytes": population.nbytes(),
                "maxrss_generated": maxrss_generated,
                "generic_facts": population.generic_facts, "n_person_facts": len(population.person_facts),
                "n_org_facts": len(population.org_facts)})
    if fixes and not args.fixes_only:
        for fix in fixes:
            fix.apply(system)
        try:
            fixed, fixed_results = run_variant(system, measures, population, period)
        finally:
            for fix in reversed(fixes):
                fix.revert()
        if results is None or fixed_results is None:
            fixed["identical"], fixed["differ"] = None, []
        else:
            differ = [name for name, a in results.items() if name in fixed_results
                      and not np.allclose(a, fixed_results[name], rtol=0, atol=1e-6, equal_nan=True)]
            fixed["compared"] = sum(1 for name in results if name in fixed_results)
            fixed["identical"] = not differ
            fixed["differ"] = differ
        out["fixed"] = fixed
    del population
    gc.collect()
    return out


def _by_document(ids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for mid in ids:
        out[mid.split("/")[0]] = out.get(mid.split("/")[0], 0) + 1
    return out


def _compute_cell(r: dict) -> str:
    if r.get("oom"):
        return (f"out of memory (limit {r.get('limit_gb', '?')} GB address space) in {r['oom']} after "
                f"{r['compute_s']:.1f} s, {len(r['rows'])} measures done")
    return f"{r['compute_s']:.2f} s"


def markdown(f: dict) -> str:
    best = f["best"]
    total = best["build_s"] + best["compute_s"]
    time_ok = "met" if total <= TARGET_S and not best.get("oom") else "MISSED"
    peak = best.get("maxrss_computed", f["maxrss"])      # process peak up to the end of compute
    mem_ok = "met" if peak <= TARGET_BYTES and not best.get("oom") else "MISSED"
    lines = [
        "## Batch (bench/batch.py)" + (f" — engine fixes `{f['fixes']}` applied" if f.get("fixes_only") else ""), "",
        f"- command: `{f['command']}`",
        machine_markdown(f["machine"]),
        f"- population: {f['persons']:,} persons, {f['orgs']:,} organisations, seed {f['seed']}; "
        f"{best['n_person_facts']} person facts + {best['n_org_facts']} organisation facts set "
        f"({len(best['generic_facts'])} of them by the generic type/name-based generator"
        + (f", e.g. {', '.join(best['generic_facts'][:8])}…" if best["generic_facts"] else "") + ")",
        f"- executable measures included: {len(f['measures'])} ("
        + ", ".join(f"{doc} {n}" for doc, n in _by_document(f["measures"]).items()) + f"); month {f['period']}",
        f"- repeats: {f['repeat']} (figures of the fastest build + compute; all: "
        + "; ".join(f"{r['build_s']:.2f} + {r['compute_s']:.2f} s" for r in f["runs"]) + ")",
        "",
        "| phase | wall time |", "|---|---|",
        f"| system load (`get_system()`, once per process) | {f['system_s']:.2f} s |",
        f"| generate facts (numpy RNG; stands in for reading data) | {best['generate_s']:.2f} s |",
        f"| build simulation (declare entities, join, set_input) | {best['build_s']:.2f} s |",
        f"| compute all measures' monthly variables | {_compute_cell(best)} |",
        f"| **build + compute** | **{total:.2f} s**{' (incomplete)' if best.get('oom') else ''} |",
        f"| compute: CPU user / system, minor page faults | {best['user_s']:.1f} s / {best['sys_s']:.1f} s, "
        f"{best['minor_faults']:,} |",
        "",
        "| memory | |", "|---|---|",
        f"| peak RSS of the process (ru_maxrss, tracemalloc off) | **{gib(f['maxrss'])}** |",
        f"| peak RSS by then: after generating / after build + compute | {gib(best['maxrss_generated'])} / "
        f"{gib(best['maxrss_computed']) if 'maxrss_computed' in best else '—'} |",
        f"| RSS before generating (interpreter + system) | {gib(best['rss_before'])} |",
        f"| RSS high-water during build + compute (sampled after each measure) | {gib(best['rss_high'])} |",
        f"| fact arrays of the population | {gib(best['population_bytes'])} |",
        f"| OpenFisca holders at the end (inputs + cached variables) | "
        f"{'— (run stopped)' if best.get('oom') else gib(best['cache_bytes']['holders'])} |",
        f"| installments cache (`_jiuye_installments`) at the end | "
        f"{'— (run stopped)' if best.get('oom') else gib(best['cache_bytes']['installments'])} |",
        "",
        f"Targets (1M persons + 100k organisations): build + compute ≤ {TARGET_S:g} s: **{time_ok}** "
        f"({total:.2f} s); peak RSS through build + compute ≤ 4 GB: **{mem_ok}** ({gib(peak)}; the process peak "
        "above also covers what runs after the timed compute: the comparison with the fixes, the profile)."
        + (f" (Engine fixes `{f['fixes']}` applied to this whole run.)" if f.get("fixes_only") else ""),
        "",
        "| measure | unit | installment slots | compute (first touch) | RSS after | eligible | paid this month | amount this month |",
        "|---|---|---|---|---|---|---|---|",
    ]
    top = sorted(best["rows"], key=lambda r: -r["seconds"])[:TOP]
    for r in top:
        lines.append(f"| {r['id']} | {r['entity']} | {best['slots'].get(r['id'], '—')} | {r['seconds']:.2f} s | "
                     f"{gib(r['rss_after'])} | {r['eligible']:,} | {r['paid']:,} | {r['amount']:,.0f} |")
    rest = best["rows"][:]
    shown = {r["id"] for r in top}
    others = [r for r in rest if r["id"] not in shown]
    if others:
        lines.append(f"| {len(others)} other measures | | | {sum(r['seconds'] for r in others):.2f} s in all | | "
                     f"{sum(r['eligible'] for r in others):,} | {sum(r['paid'] for r in others):,} | "
                     f"{sum(r['amount'] for r in others):,.0f} |")
    lines.append("")
    lines.append(f"The {TOP} slowest measures (all of them on stderr). Per-measure times are first-touch: a "
                 "condition shared by several measures is charged to the first one computed.")
    fixed = best.get("fixed")
    if fixed:
        lines += ["", f"With the proposed engine fixes `{f['fixes']}` (bench/engine_fixes.py, monkeypatched; same "
                      "population, same process, run after the baseline):", "",
                  "| | baseline | with fixes | ratio |", "|---|---|---|---|",
                  f"| build | {best['build_s']:.2f} s | {fixed['build_s']:.2f} s | "
                  f"{best['build_s'] / max(fixed['build_s'], 1e-9):.1f}× |",
                  f"| compute | {_compute_cell(best)} | {_compute_cell(fixed)} | "
                  f"{'≥ ' if best.get('oom') else ''}{best['compute_s'] / max(fixed['compute_s'], 1e-9):.1f}× |",
                  f"| compute CPU system time | {best['sys_s']:.1f} s | {fixed['sys_s']:.1f} s | |",
                  f"| RSS high-water during build + compute (sampled) | {gib(best['rss_high'])} | "
                  f"{gib(fixed['rss_high'])} | |",
                  f"| installments cache at the end | {gib(best['cache_bytes']['installments'])} | "
                  f"{gib(fixed['cache_bytes']['installments'])} (eligible rows only) | |",
                  "",
                  f"Results identical ({fixed.get('compared', 0)} arrays: every `<variable>` and the `__total`s "
                  "both runs computed, all rows): "
                  + ("not compared (a run did not finish)" if fixed["identical"] is None else
                     "**yes**" if fixed["identical"] else f"**NO** — differ: {', '.join(fixed['differ'])}"),
                  "", "| measure | baseline | with fixes |", "|---|---|---|"]
        after = {r["id"]: r["seconds"] for r in fixed["rows"]}
        ranked = sorted(best["rows"], key=lambda r: -r["seconds"])
        for a in ranked[:TOP]:
            b = f"{after[a['id']]:.3f} s" if a["id"] in after else "—"
            lines.append(f"| {a['id']} | {a['seconds']:.2f} s | {b} |")
        if len(ranked) > TOP:
            lines.append(f"| {len(ranked) - TOP} other measures | {sum(r['seconds'] for r in ranked[TOP:]):.2f} s | "
                         f"{sum(after.get(r['id'], 0.0) for r in ranked[TOP:]):.3f} s |")
    if best.get("profile_rows"):
        lines += ["", "Profile of the compute phase (cProfile, separate simulation; seconds under the profiler, "
                      "cumulative, rows overlap):", "", "| where | s | % |", "|---|---|---|"]
        for label, s, pct in best["profile_rows"]:
            lines.append(f"| {label} | {s:.2f} | {pct:.0f} % |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20250615)
    parser.add_argument("--on", default="2025-06-15", help="assessment date; the month computed is its month")
    parser.add_argument("--repeat", type=int, default=1, help="fresh population + simulation each time")
    parser.add_argument("--profile", action="store_true", help="also profile the compute phase (cProfile)")
    parser.add_argument("--print-profile", action="store_true", help="print the raw pstats tables")
    parser.add_argument("--fixes", default=None,
                        help="also time the proposed engine fixes (bench/engine_fixes.py): comma list of "
                             "params,subset,months or 'all'; run after the baseline on the same population")
    parser.add_argument("--fixes-only", action="store_true",
                        help="apply --fixes to the whole run instead (no baseline; clean peak RSS)")
    parser.add_argument("--memory-limit-gb", type=float, default=12.0,
                        help="address-space limit (RLIMIT_AS) so that a run too big for the machine stops with "
                             "MemoryError instead of swapping or taking the machine down; 0 = none (default 12)")
    parser.add_argument("--write", action="store_true", help="update the batch block of bench/RESULTS.md")
    parser.add_argument("--block", default=None,
                        help="name of the RESULTS.md block to write (default: batch, or batch_fixes_only)")
    args = parser.parse_args(argv)
    if args.memory_limit_gb:
        limit = int(args.memory_limit_gb * 1024 ** 3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    from bench import engine_fixes
    fixes = engine_fixes.parse(args.fixes)
    on = dt.date.fromisoformat(args.on)
    period = on.strftime("%Y-%m")

    t0 = time.perf_counter()
    from jiuye.catalogue import load_catalogue
    from jiuye.model.system import get_system
    system = get_system()
    system_s = time.perf_counter() - t0
    measures = load_catalogue().executable()

    runs = []
    for i in range(args.repeat):
        runs.append(run_once(system, measures, args, on, period, fixes))
        r = runs[-1]
        for variant in (r, r.get("fixed") or {}):
            variant["limit_gb"] = args.memory_limit_gb
        print(f"run {i + 1}/{args.repeat}: generate {r['generate_s']:.2f} s, build {r['build_s']:.2f} s, "
              f"compute {_compute_cell(r)}, peak RSS {gib(r['maxrss'])}", file=sys.stderr)
        for row in r["rows"]:
            print(f"  {row['id']:<24} {row['seconds']:6.2f} s  RSS {gib(row['rss_after'])}  "
                  f"eligible {row['eligible']:>8,}  paid {row['paid']:>8,}", file=sys.stderr)
        if r.get("fixed"):
            x = r["fixed"]
            print(f"  with fixes {args.fixes}: build {x['build_s']:.2f} s, compute {_compute_cell(x)}, "
                  f"identical {x['identical']} {x['differ']}", file=sys.stderr)
        if args.print_profile and r.get("profile_text"):
            print(r["profile_text"], file=sys.stderr)
    best = min(runs, key=lambda r: r["build_s"] + r["compute_s"])
    figures = {"command": command_line(), "machine": machine(), "persons": args.persons, "orgs": args.orgs,
               "seed": args.seed, "period": period, "repeat": args.repeat, "system_s": system_s,
               "measures": [m.id for m in measures], "runs": runs, "best": best, "maxrss": maxrss_bytes(),
               "fixes": args.fixes, "fixes_only": bool(args.fixes and args.fixes_only)}
    block = markdown(figures)
    print(block)
    if args.write:
        name = args.block or ("batch_fixes_only" if figures["fixes_only"] else "batch")
        write_block(name, block)
        print(f"bench/RESULTS.md updated ({name} block)", file=sys.stderr)
    for r in runs:
        r.pop("profile_text", None)
    return figures


if __name__ == "__main__":
    main()
