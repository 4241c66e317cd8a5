"""Shared helpers of the benchmark scripts: machine description, statistics, RESULTS.md blocks."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import resource
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from jiuye.runtime import configure

configure()           # the process settings jiuye's commands run with, before numpy is imported

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> dict:
    info = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": _cpu_model(),
        "ram_gb": _meminfo_gb("MemTotal"),
        "ram_available_gb": _meminfo_gb("MemAvailable"),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "openfisca_core": _version("OpenFisca-Core"),
        "numpy": np.__version__,
        "git": _git(),
    }
    return info


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _meminfo_gb(key: str) -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return f"{head}{' (working tree modified)' if dirty else ''}" if head else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine_markdown(info: dict) -> str:
    return (f"- machine: {info['nproc']} CPUs ({info['cpus_usable']} usable), {info['cpu']}, "
            f"RAM {info['ram_gb']} GB ({info['ram_available_gb']} GB available), load average {info['loadavg']}\n"
            f"- software: Python {info['python']}, openfisca-core {info['openfisca_core']}, numpy {info['numpy']}, "
            f"{info['platform']}\n"
            f"- code: git {info['git']}; run {info['date']}")


def command_line() -> str:
    script = Path(sys.argv[0])
    try:
        script = script.resolve().relative_to(ROOT)
    except ValueError:
        pass
    return " ".join([".venv/bin/python", str(script), *sys.argv[1:]])


def percentiles_ms(seconds: list[float] | np.ndarray) -> dict:
    a = np.asarray(seconds, dtype=float) * 1000.0
    return {"n": int(a.size), "p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "mean": float(a.mean()), "min": float(a.min()), "max": float(a.max())}


def maxrss_bytes() -> int:
    """Peak resident set size of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def current_rss_bytes() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def gib(n: float) -> str:
    return f"{n / 1024 ** 3:.2f} GiB"


def write_block(name: str, markdown: str, path: Path = RESULTS) -> None:
    """Replace the block `<!-- name:begin -->…<!-- name:end -->` of RESULTS.md (append it if absent)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{markdown.rstrip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def setup_path() -> None:
    """Make `import bench.…` and `import jiuye` work when a script is run as `python bench/x.py`."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
