"""One situation through its documents, in process: the calculator's path with explanations.

    .venv/bin/python bench/single_case.py [--runs 200] [--warmup 20] [--all] [--write]

* `explain` — `jiuye.explain.calculate(situation, on)`: parse the situation strictly, evaluate every
  executable measure of the documents of the situation's cities three-valued (jiuye.assess), and
  explain each (conditions ✓/✗/?, missing facts, schedule, parameters);
* `plain`   — the same measures' monthly variables through plain OpenFisca
  (`jiuye.assess.openfisca_case.build_openfisca_case` + `simulation.calculate`), no explanations:
  what `openfisca serve` computes for the situation.

The headline case is the xicheng/6 demo (`xicheng_6_stable_employment.json`, target p50 <= 8 ms for
`explain`); `--all` times every example. The two paths are interleaved run by run, so their ratio
is measured under the same conditions. `--write` replaces the `single_case` block of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import command_line, machine, machine_markdown, percentiles_ms, write_block  # noqa: E402

HEADLINE = "xicheng_6_stable_employment.json"
TARGET_MS = 8.0


def _plain(situation, on, measures):
    from jiuye.assess.openfisca_case import build_openfisca_case
    case = build_openfisca_case(situation, on)
    period = on.strftime("%Y-%m")
    for measure in measures:
        case.simulation.calculate(measure.variable, period)


def time_case(name: str, runs: int, warmup: int) -> dict:
    import numpy as np
    from jiuye.assess.jurisdiction import documents_for
    from jiuye.catalogue import load_catalogue
    from jiuye.examples import load_example
    from jiuye.explain import calculate
    from jiuye.model.system import get_system
    situation, on = load_example(name)
    system = get_system()
    documents = documents_for({k: v for k, v in situation.items() if k != "on"}, system)
    measures = [m for m in load_catalogue().executable() if m.document in documents]
    explain_s, plain_s, explain_cpu, plain_cpu = [], [], [], []
    gc.collect()
    with np.errstate(all="ignore"):
        for i in range(runs + warmup):
            t, c = time.perf_counter(), time.process_time()
            out = calculate(situation, on)
            a, a_cpu = time.perf_counter() - t, time.process_time() - c
            t, c = time.perf_counter(), time.process_time()
            _plain(situation, on, measures)
            b, b_cpu = time.perf_counter() - t, time.process_time() - c
            if i >= warmup:
                explain_s.append(a)
                plain_s.append(b)
                explain_cpu.append(a_cpu)
                plain_cpu.append(b_cpu)
    return {"name": name, "on": on.isoformat(), "documents": documents, "measures": len(measures),
            "results": len(out["results"]), "explain": percentiles_ms(explain_s), "plain": percentiles_ms(plain_s),
            "ratio": statistics.median(explain_s) / statistics.median(plain_s),
            "explain_cpu": percentiles_ms(explain_cpu), "plain_cpu": percentiles_ms(plain_cpu),
            "ratio_cpu": statistics.median(explain_cpu) / statistics.median(plain_cpu)}


def markdown(figures: dict) -> str:
    head = figures["cases"][0]
    verdict = "meets" if head["explain"]["p50"] <= TARGET_MS else "misses"
    lines = [
        "## Single case (bench/single_case.py)", "",
        f"`{figures['command']}` — {figures['runs']} runs after {figures['warmup']} warm-up, the two paths "
        "interleaved run by run.", "",
        machine_markdown(figures["machine"]), "",
        f"Headline: `{head['name']}` (documents {', '.join(head['documents'])}, {head['measures']} measures, "
        f"{head['results']} results): `explain` p50 **{head['explain']['p50']:.1f} ms** — {verdict} the target "
        f"of {TARGET_MS:g} ms; plain OpenFisca (no explanations, no three-valued logic) p50 "
        f"{head['plain']['p50']:.1f} ms; ratio explain / plain {head['ratio']:.2f}. CPU time per run (the "
        f"process's, which load from other work inflates less than wall time): explain p50 "
        f"{head['explain_cpu']['p50']:.1f} ms, plain {head['plain_cpu']['p50']:.1f} ms, ratio {head['ratio_cpu']:.2f}.", "",
        "| case | measures | results | explain p50 | p95 | plain p50 | p95 | explain / plain | CPU p50: explain | plain "
        "| explain / plain |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in figures["cases"]:
        lines.append(f"| {c['name']} | {c['measures']} | {c['results']} | {c['explain']['p50']:.1f} ms | "
                     f"{c['explain']['p95']:.1f} ms | {c['plain']['p50']:.1f} ms | {c['plain']['p95']:.1f} ms | "
                     f"{c['ratio']:.2f} | {c['explain_cpu']['p50']:.1f} ms | {c['plain_cpu']['p50']:.1f} ms | "
                     f"{c['ratio_cpu']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--all", action="store_true", help="every example, not only the headline case")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from jiuye.examples import example_files, example_name
    names = [HEADLINE] + ([example_name(p) for p in example_files() if example_name(p) != HEADLINE]
                          if args.all else [])
    figures = {"command": command_line(), "machine": machine(), "runs": args.runs, "warmup": args.warmup,
               "cases": []}
    for name in names:
        runs = args.runs if name == HEADLINE else max(10, args.runs // 10)
        case = time_case(name, runs, min(args.warmup, runs))
        figures["cases"].append(case)
        print(f"{name}: explain p50 {case['explain']['p50']:.2f} ms, plain p50 {case['plain']['p50']:.2f} ms",
              file=sys.stderr)
    text = markdown(figures)
    print(text)
    if args.write:
        write_block("single_case", text)


if __name__ == "__main__":
    main()
