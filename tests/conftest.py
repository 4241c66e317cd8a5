import datetime as dt
import json
import os
from pathlib import Path

import pytest

# The `jiuye` script's warm calc server (jiuye/calc_server.py) is off for every test (and for the
# commands they start) but the tests of the server itself, which turn it on with a cache folder of
# their own and stop what they start.
os.environ["JIUYE_CALC_SERVER"] = "off"

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def system():
    from jiuye.model.system import get_system
    return get_system()


@pytest.fixture(scope="session")
def catalogue():
    from jiuye.catalogue import load_catalogue
    return load_catalogue()


def load_example(name: str) -> dict:
    """An example situation (by clause id or name; see jiuye.examples), without its date."""
    from jiuye.examples import load_example as load
    return load(name)[0]


def example_file(name: str) -> Path:
    from jiuye.examples import example_path
    return example_path(name)


def example_files() -> list[Path]:
    from jiuye.examples import example_files as files
    return files()


def run(situation: dict, on: str, measures=None) -> dict:
    from jiuye.explain import calculate
    return calculate(situation, dt.date.fromisoformat(on), measures)


def result_for(report: dict, measure: str, beneficiary: str | None = None) -> dict:
    found = [r for r in report["results"] if r["measure"] == measure
             and (beneficiary is None or r["beneficiary"] == beneficiary)]
    assert len(found) == 1, f"{measure}/{beneficiary}: {len(found)} results"
    return found[0]


def example_date(name) -> str:
    """The assessment date an example is meant for (its "on", or examples/assessment-dates.json)."""
    from jiuye.examples import example_date as date
    return date(name)


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@__import__("contextlib").contextmanager
def running_server(cwd, env=None, ready_path: str = "/"):
    """`jiuye serve` on a free loopback port, until it answers `ready_path`; stopped afterwards."""
    import os
    import subprocess
    import sys
    import time

    import httpx
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "jiuye.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=cwd, env=env or dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("jiuye serve exited:\n" + process.stdout.read().decode(errors="replace"))
            try:
                if httpx.get(base + ready_path, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("jiuye serve did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
