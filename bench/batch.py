"""The plain OpenFisca variables at scale, against the batch path, on one synthetic population.

    .venv/bin/python bench/batch.py [--persons 1000000] [--orgs 100000] [--seed 20250615]
                                    [--on 2025-06-15] [--write]

Two parts, each in a fresh subprocess (so that its peak RSS is its own), on the same seeded
population (jiuye.batch.synth, Xicheng home district; generation is timed apart — it stands in for
reading the data):

* `plain` — what `openfisca serve`, the YAML tests and `simulation.calculate` use: the population as
  an OpenFisca Simulation (`jiuye.batch.population.build_simulation`), then
  `simulation.calculate(<variable>, month)` for every executable measure (each pulls its
  `__eligible`, its in-force window, stacking; schedules are computed for eligible rows only);
* `batch` — `jiuye match`'s path: `jiuye.batch.evaluate.Evaluator(population).match(measures, on)`
  (three-valued eligibility, amounts, the undetermined cases with their missing facts).

Targets (issue 9): plain <= 2x the batch path's CPU, peak RSS <= 4 GB; batch build + match <= 3 s CPU
(issue 15: <= 2.5 s and <= 2 GB). `--write` replaces the `batch` block of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (command_line, cpu_seconds, gib, machine, machine_markdown, maxrss_bytes,  # noqa: E402
                           write_block)

PLAIN_RATIO, PLAIN_BYTES, BATCH_CPU = 2.0, 4 * 1024 ** 3, 3.0


def part(args) -> dict:
    import numpy as np
    from jiuye.batch.synth import generate_population
    from jiuye.catalogue import load_catalogue
    from jiuye.model.system import get_system
    system = get_system()
    measures = load_catalogue().executable()
    on = dt.date.fromisoformat(args.on)
    t = time.perf_counter()
    population = generate_population(args.persons, args.orgs, seed=args.seed, on=on, system=system)
    generate_s = time.perf_counter() - t
    rss_before = maxrss_bytes()
    c0, t0 = cpu_seconds(), time.perf_counter()
    with np.errstate(all="ignore"):
        if args.part == "plain":
            from jiuye.batch.population import build_simulation
            simulation = build_simulation(population, system)
            built = time.perf_counter()
            period = on.strftime("%Y-%m")
            total = 0.0
            for measure in measures:
                total += float(np.nansum(simulation.calculate(measure.variable, period), dtype=np.float64))
        else:
            from jiuye.batch.evaluate import Evaluator
            evaluator = Evaluator(population, system)
            built = time.perf_counter()
            results = evaluator.match(measures, on)
            total = sum(float(np.nansum(r.month)) for r in results.values())
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {"part": args.part, "generate_s": generate_s, "build_s": built - t0, "wall_s": wall, "cpu_s": cpu,
            "peak_rss": maxrss_bytes(), "rss_before": rss_before, "measures": len(measures), "month_total": total}


def run_part(name: str, args) -> dict:
    command = [sys.executable, __file__, "--part", name, "--persons", str(args.persons), "--orgs",
               str(args.orgs), "--seed", str(args.seed), "--on", args.on]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def markdown(f: dict) -> str:
    plain, batch = f["plain"], f["batch"]
    ratio = plain["cpu_s"] / batch["cpu_s"]
    ok = lambda good: "meets" if good else "misses"  # noqa: E731
    return "\n".join([
        "## Plain OpenFisca variables against the batch path (bench/batch.py)", "",
        f"`{f['command']}` — each part in its own process, the same seeded population "
        f"({f['persons']:,} persons, {f['orgs']:,} organisations, month of {f['on']}; generation "
        f"{batch['generate_s']:.1f} s, not counted).", "",
        machine_markdown(f["machine"]), "",
        "| path | build | build + compute wall | CPU | peak RSS | month's total (元) |",
        "|---|---|---|---|---|---|",
        f"| plain OpenFisca: `build_simulation` + `simulation.calculate` of {plain['measures']} measures | "
        f"{plain['build_s']:.2f} s | {plain['wall_s']:.2f} s | {plain['cpu_s']:.2f} s | {gib(plain['peak_rss'])} | "
        f"{plain['month_total']:,.0f} |",
        f"| batch: `Evaluator` + `match` (three-valued, missing facts) | {batch['build_s']:.2f} s | "
        f"{batch['wall_s']:.2f} s | {batch['cpu_s']:.2f} s | {gib(batch['peak_rss'])} | {batch['month_total']:,.0f} |",
        "",
        f"Plain / batch CPU: **{ratio:.2f}** — {ok(ratio <= PLAIN_RATIO)} the target of ≤ {PLAIN_RATIO:g}×; "
        f"plain peak RSS {gib(plain['peak_rss'])} — {ok(plain['peak_rss'] <= PLAIN_BYTES)} ≤ 4 GB; batch build + "
        f"match {batch['cpu_s']:.2f} s CPU — {ok(batch['cpu_s'] <= BATCH_CPU)} ≤ {BATCH_CPU:g} s. The two totals "
        "differ where the batch path leaves a case undetermined (it counts only decided amounts) and the plain "
        "path reads a missing fact's default.",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20250615)
    parser.add_argument("--on", default="2025-06-15")
    parser.add_argument("--part", choices=["plain", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.part:
        print(json.dumps(part(args)))
        return
    figures = {"command": command_line(), "machine": machine(), "persons": args.persons, "orgs": args.orgs,
               "on": args.on, "batch": run_part("batch", args), "plain": run_part("plain", args)}
    text = markdown(figures)
    print(text)
    if args.write:
        write_block("batch", text)


if __name__ == "__main__":
    main()
