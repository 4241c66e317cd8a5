"""Start-up of the CLI: `jiuye calc xicheng/6` (a clause's demo, its date inside) as a new process,
timed whole, several runs (target: ≤ 0.5 s).

    .venv/bin/python bench/cli_startup.py [--runs 10] [--write]

The first run writes the modules' bytecode and fills the dependency cache (`jiuye.assess.dependencies`: the traced map of what each
formula reads, kept under a hash of the model's sources) and is reported apart; the others are
warm, as every run after the first on a machine is. Wall time and the process's CPU time (user +
system, from the kernel's accounting of the child) are both given: on a shared machine the CPU time
is the steadier figure. `--write` replaces the `cli_startup` block of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import command_line, machine, machine_markdown, write_block  # noqa: E402

TARGET_S = 0.5
COMMAND = [str(Path(sys.executable).parent / "jiuye"), "calc", "xicheng/6"]


def run_once(env) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(COMMAND, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        # as installed: bytecode written on the first run (this machine's shell sets
        # PYTHONDONTWRITEBYTECODE, which would compile every module on every start)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(JIUYE_CACHE_DIR=cache, PYTHONPYCACHEPREFIX=str(Path(cache) / "pycache"))
        cold = run_once(env)
        warm = [run_once(env) for _ in range(args.runs)]
    wall = statistics.median(w for w, _ in warm)
    cpu = statistics.median(c for _, c in warm)
    verdict = "meets" if cpu <= TARGET_S else "misses"
    text = "\n".join([
        "## CLI start-up (bench/cli_startup.py)", "",
        f"`{command_line()}` — `{' '.join(['jiuye'] + COMMAND[1:])}` as a new process, {args.runs} warm runs "
        "after one cold run (empty dependency cache).", "",
        machine_markdown(machine()), "",
        "| run | wall p50 | CPU p50 (user + sys) |", "|---|---|---|",
        f"| cold (compiles the modules, traces the dependency map, writes the caches) | {cold[0]:.2f} s | {cold[1]:.2f} s |",
        f"| warm | {wall:.2f} s | {cpu:.2f} s |", "",
        f"Warm CPU {cpu:.2f} s — {verdict} the target of ≤ {TARGET_S:g} s (CPU: wall time on this shared "
        "machine includes waiting for the other processes' cores).",
    ])
    print(text)
    if args.write:
        write_block("cli_startup", text)


if __name__ == "__main__":
    main()
