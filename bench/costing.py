"""Calibrated costing with ranges (`jiuye simulate --calibrate`): raking time and Monte Carlo time per
draw, at a stated population size, in one run.

    .venv/bin/python bench/costing.py [--persons 1000000] [--orgs 100000] [--draws 200]
                                      [--calibration examples/calibration/xicheng.yaml] [--write]

One process: generate the synthetic population (Xicheng home district), cost every executable
measure for 2026 once (jiuye.batch.evaluate: not the subject, timed for scale), then
* raking: the calibration's weights at the central assumptions (building the margins' cells from
  the facts, raking organisations then persons, checking every margin);
* Monte Carlo: `--draws` draws of every assumed distribution in its range, each re-weighting the
  same rows, re-raking to the margins and summing every measure (jiuye.batch.uncertainty.analyse),
  reported per draw.
`--write` replaces the `costing` block of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import (command_line, cpu_seconds, gib, machine, machine_markdown, maxrss_bytes,  # noqa: E402
                           write_block)

ROOT = Path(__file__).resolve().parents[1]


def _timed(call):
    wall, cpu = time.perf_counter(), cpu_seconds()
    result = call()
    return result, time.perf_counter() - wall, cpu_seconds() - cpu


def run(args) -> dict:
    from jiuye.batch.assumptions import assumptions_for
    from jiuye.batch.calibration import Calibrator, Frame, load_calibration
    from jiuye.batch.evaluate import Evaluator
    from jiuye.batch.synth import generate_population
    from jiuye.batch.uncertainty import analyse
    from jiuye.catalogue import load_catalogue
    from jiuye.model.system import get_system
    import ipfn  # noqa: F401  (imports pandas: once per process, not part of a raking)
    on = dt.date.fromisoformat(args.on)
    system = get_system()
    measures = load_catalogue().executable()
    figures = {"persons": args.persons, "orgs": args.orgs, "draws": args.draws, "measures": len(measures)}
    population, figures["generate_s"], _ = _timed(
        lambda: generate_population(args.persons, args.orgs, seed=args.seed, on=on, system=system))
    base, figures["cost_s"], figures["cost_cpu"] = _timed(lambda: Evaluator(population, system).cost(measures, 2026))
    calibration = load_calibration(Path(args.calibration), system)
    frame = Frame(population, system, on)
    figures["margins"] = sum(len(m.counts) for m in calibration.margins)
    calibrator, figures["cells_s"], _ = _timed(lambda: Calibrator(calibration, frame))
    weights, figures["rake_s"], figures["rake_cpu"] = _timed(lambda: calibrator.weights())
    figures["worst_margin"] = max(r.error for r in weights.results if not r.derived)
    assumptions, figures["assumptions_s"], _ = _timed(
        lambda: assumptions_for(system, frame, "xicheng", population.generic_facts))
    result, figures["analyse_s"], figures["analyse_cpu"] = _timed(
        lambda: analyse(population, system, measures, base, None, on=on, calibration=calibration,
                        assumptions=assumptions, draws=args.draws, seed=args.seed))
    figures["assumptions"] = len(result.assumptions)
    figures["mc_s"] = result.seconds["monte_carlo"]
    figures["per_draw_ms"] = result.seconds["per_draw"] * 1000
    figures["total"] = result.total
    figures["costed"] = sum(1 for r in result.measures.values() if r.cost.central > 0)
    figures["rss"] = maxrss_bytes()
    return figures


def markdown(f: dict, info: dict) -> str:
    t = f["total"]
    lines = ["## Calibrated costing with ranges (bench/costing.py)", "",
             f"- command: `{f['command']}`", machine_markdown(info),
             f"- population: synthetic, {f['persons']:,} persons + {f['orgs']:,} organisations (Xicheng, seed "
             f"{f['seed']}, reference date {f['on']}); {f['measures']} executable measures costed for 2026; calibration "
             f"`{f['calibration']}` ({f['margins']} counts, every one illustrative); {f['assumptions']} assumed "
             f"distributions reach some measure or margin", "",
             "| phase | wall | CPU |", "|---|---|---|",
             f"| generate the population (not the subject) | {f['generate_s']:.2f} s | |",
             f"| cost every measure once (jiuye.batch.evaluate; not the subject) | {f['cost_s']:.2f} s | "
             f"{f['cost_cpu']:.2f} s |",
             f"| calibration: the margins' cells of every row | {f['cells_s']:.3f} s | |",
             f"| **raking** (organisations then persons, every margin checked) | **{f['rake_s'] * 1000:.1f} ms** | "
             f"{f['rake_cpu'] * 1000:.1f} ms |",
             f"| the assumed distributions' features | {f['assumptions_s']:.2f} s | |",
             f"| Monte Carlo, {f['draws']} draws (re-weight, re-rake, sum every measure) | {f['mc_s']:.2f} s | |",
             f"| **per draw** | **{f['per_draw_ms']:.1f} ms** | |",
             f"| analyse in all (central weights, features, draws, ranges, sensitivities) | {f['analyse_s']:.2f} s | "
             f"{f['analyse_cpu']:.2f} s |", "",
             f"Margins met within {f['worst_margin'] * 100:.1e} % (target 0.1 %). Peak RSS {gib(f['rss'])}. "
             f"{f['costed']} measures have a cost; all of them together: central {t.central / 1e4:,.0f} 万元, "
             f"P10–P90 {t.p10 / 1e4:,.0f}–{t.p90 / 1e4:,.0f} 万元 (illustrative counts: the figures show the method).",
             "",
             "A draw does not generate or evaluate the population again: it draws every assumption's parameters, "
             "turns them into importance weights of the same rows (features computed once, one matrix product per "
             "draw), rakes organisations and persons on the table of the margins' cell totals (a bincount over the "
             "rows, then ipfn on a few dozen cells) and sums weight × cents over each measure's paid units. "
             "A measure is weighted only by the assumptions on the facts it reads, so the cost of a draw grows "
             "with the rows of the margins and the measures' paid units, not with the number of assumptions."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20250615)
    parser.add_argument("--on", default="2025-06-30")
    parser.add_argument("--calibration", default=str(ROOT / "examples" / "calibration" / "xicheng.yaml"))
    parser.add_argument("--write", action="store_true", help="update the costing block of bench/RESULTS.md")
    args = parser.parse_args(argv)
    info = machine()
    figures = run(args)
    calibration = Path(args.calibration)
    try:
        calibration = calibration.resolve().relative_to(ROOT)
    except ValueError:
        pass
    figures.update(command=command_line(), seed=args.seed, on=args.on, calibration=str(calibration))
    block = markdown(figures, info)
    print(block)
    if args.write:
        write_block("costing", block)
        print("bench/RESULTS.md updated (costing block)", file=sys.stderr)
    return figures


if __name__ == "__main__":
    main()
