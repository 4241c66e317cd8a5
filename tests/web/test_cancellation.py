"""A public request's computation stops when its client goes away, and on SIGTERM (issue 11, bounded
work): the calculator API is unauthenticated, so nobody may keep the server busy for an answer nobody
waits for, and a deployment's stop must not wait for it.

Both tests slow every formula down (a sleep before each, in the served process only), so that a
request would take minutes; they then check that the work ends without it: no test here measures a
speed, a wait only bounds how long a broken server is waited for.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import load_example

ROOT = Path(__file__).resolve().parents[2]
SLOW = 0.3                          # seconds slept before each formula: a request takes minutes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _situation(persons: int) -> dict:
    """One person (micro-batched) or 25 (evaluated alone, with its own budget)."""
    if persons == 1:
        return load_example("xicheng_6_stable_employment.json")
    people = {f"p{i}": {"hukou_district": "xicheng", "birth_date": "1995-05-01", "contract_start_date": "2024-03-15",
                        "monthly_wage": 5000} for i in range(persons)}
    return {"persons": people, "organisations": {"o": {"employees": list(people), "org_type": "limited_company"}}}


def _body(persons: int) -> bytes:
    return json.dumps({"situation": _situation(persons), "on": "2026-11-23"}).encode()


def _wait_until(condition, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"not within {seconds:g} s: {what}")
        time.sleep(0.05)


SERVE = """
import sys, time
from pathlib import Path
import jiuye.assess.views as views
started = Path(sys.argv[2])
run = views.View._run
def slow(self, formula, period):
    started.touch()
    time.sleep({slow})
    return run(self, formula, period)
views.View._run = slow
from jiuye.cli import app
app(["serve", "--port", sys.argv[1]])
"""


def test_sigterm_stops_a_long_request_and_the_server_exits(tmp_path):
    """`jiuye serve` with two requests running (a micro-batched one and one evaluated alone): SIGTERM
    answers both 503 naming the request and the process exits (without it, uvicorn's graceful
    shutdown waited for the running work: minutes here, 294 s in the issue)."""
    port, started = _free_port(), tmp_path / "started"
    script = tmp_path / "serve.py"
    script.write_text(SERVE.replace("{slow}", str(SLOW)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JIUYE_SECRET_KEY": "test-secret"}
    server = subprocess.Popen([sys.executable, str(script), str(port), str(started)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            if server.poll() is not None:
                pytest.fail(f"the server exited: {server.stderr.read().decode()[-2000:]}")
            try:
                return httpx.get(f"{url}/api/v1/districts", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False
        _wait_until(ready, 180, "the server answers")
        answers: dict = {}

        def post(persons: int) -> None:
            try:
                answers[persons] = httpx.post(f"{url}/api/v1/calculate", content=_body(persons), timeout=300,
                                              headers={"content-type": "application/json"})
            except httpx.HTTPError as error:
                answers[persons] = error
        clients = [threading.Thread(target=post, args=(n,)) for n in (1, 25)]
        for client in clients:
            client.start()
        _wait_until(started.exists, 120, "the evaluation started")
        time.sleep(2 * SLOW)                      # both requests are in the server by now
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=90)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not exit on SIGTERM while requests were running")
        for client in clients:
            client.join(timeout=30)
        assert set(answers) == {1, 25}
        for persons, answer in answers.items():
            assert isinstance(answer, httpx.Response), (persons, answer)
            assert answer.status_code == 503, (persons, answer.status_code, answer.text[:300])
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["field"] == "request" and "服务正在停止" in answer.json()["detail"]
        errors = server.stderr.read().decode()
        assert "Traceback" not in errors, errors[-2000:]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.parametrize("persons", [1, 25], ids=["micro-batched", "alone"])
def test_a_client_that_goes_away_cancels_its_computation(monkeypatch, persons):
    """The client sends a calculation and closes its connection: the evaluation stops at its next
    check with 请求已取消 (it would otherwise run on for minutes)."""
    import uvicorn
    import jiuye.assess.views as views
    from jiuye.web.app import create_app
    from jiuye.web.routes import calculator_api
    started, ended, outcome = threading.Event(), threading.Event(), []
    run = views.View._run

    def slow(self, formula, period):
        started.set()
        time.sleep(SLOW)
        return run(self, formula, period)
    monkeypatch.setattr(views.View, "_run", slow)
    import jiuye.explain as explain
    real = explain._explain_all            # the computation, alone or as a micro-batch

    def watched(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        except Exception as error:
            outcome.append(error)
            raise
        finally:
            ended.set()
    monkeypatch.setattr(explain, "_explain_all", watched)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(with_openfisca=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_until(lambda: server.started, 60, "the server started")
        body = _body(persons)
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(b"POST /api/v1/calculate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                               + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            assert started.wait(60), "the evaluation did not start"
        # the connection is closed: the computation must end, cancelled
        assert ended.wait(60), "the computation went on after its client disconnected"
        assert len(outcome) == 1 and isinstance(outcome[0], calculator_api.BudgetExceeded), outcome
        assert outcome[0].field == "request" and "已取消" in outcome[0].message
    finally:
        server.should_exit = True
        thread.join(timeout=30)
