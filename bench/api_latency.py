"""HTTP latency of POST /api/v1/calculate, against `openfisca serve` on the same model.

    .venv/bin/python bench/api_latency.py [--requests-1 100] [--requests-20 200] [--workers 2]
                                          [--situation examples/X.json] [--on 2025-03-15]
                                          [--no-profile] [--write]

Both servers run here, on loopback ports, with the same number of worker processes (default 2 on
this 2-core machine):

* jiuye: `jiuye serve --workers N` (uvicorn), POST /api/v1/calculate {situation, on}: every
  executable measure with its explanation (conditions, facts read, parameters, schedule);
* OpenFisca: `openfisca serve --country-package jiuye.model --workers N` (gunicorn sync workers),
  POST /calculate with the same situation (facts given for ETERNITY, other inputs for the month)
  asking for the monthly amount variable of every executable measure for that month: the same
  computations, without explanations.

Clients: 1 and 20 concurrent threads on keep-alive connections, a bounded number of requests
each, the two servers measured in alternating halves. Targets: p95 <= 50 ms at 20 concurrent
clients, 0 errors, <= 0.25x `openfisca serve`'s p95 on the same situation; 1 client p50 <= 8 ms.
jiuye's server micro-batches the requests that arrive together (jiuye/web/batching.py) and answers
compactly (jiuye/answers.py; `?expand=texts` gives the full answer). When a target is missed the script profiles one request's
work in process (cProfile of `jiuye.explain.calculate`, and the HTTP layer timed apart) to show
where the time goes. Loopback traffic only; every loop is bounded.

Prints a Markdown block for bench/RESULTS.md (`--write` replaces its "API latency" section).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import ROOT, command_line, machine, machine_markdown, percentiles_ms, write_block  # noqa: E402

TARGET_P95_MS = 50.0
TARGET_RATIO = 0.25
TARGET_SINGLE_MS = 8.0
DEFAULT_SITUATION = ROOT / "jiuye/model/policies/xicheng/c06_stable_employment/example.json"
BIN = Path(sys.executable).parent


# -- servers --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, argv: list[str], ready_path: str, port: int) -> None:
        self.name, self.argv, self.port, self.ready_path = name, argv, port, ready_path
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"jiuye-bench-{name}-{port}.log"

    def __enter__(self) -> "Server":
        import httpx
        self.process = subprocess.Popen(self.argv, cwd=ROOT, stdout=self.log.open("wb"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.base + self.ready_path, timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.__exit__()
        raise RuntimeError(f"{self.name} did not answer within 120 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


# -- payloads -------------------------------------------------------------------------------------
def openfisca_payload(situation: dict, on: dt.date) -> tuple[dict, list[str]]:
    """The situation in OpenFisca's web-API form (every input with its period) plus every
    executable measure's monthly variable requested for the month (null = compute it)."""
    from jiuye.catalogue import load_catalogue
    ENTITY_PLURALS = ("persons", "organisations")
    from jiuye.model.system import get_system
    system = get_system()
    month = on.strftime("%Y-%m")
    roles = {r.key for r in system.entities_by_singular()["organisation"].roles} | \
            {r.plural for r in system.entities_by_singular()["organisation"].roles}
    out: dict = {}
    for plural in ENTITY_PLURALS:
        out[plural] = {}
        for entity_id, body in (situation.get(plural) or {}).items():
            converted = {}
            for name, value in body.items():
                if name in roles or isinstance(value, dict):
                    converted[name] = value
                else:
                    eternal = str(system.variables[name].definition_period).lower() == "eternity"
                    converted[name] = {"ETERNITY" if eternal else month: value}
            out[plural][entity_id] = converted
    names = [m.variable for m in load_catalogue().executable()]
    for name in names:
        plural = "persons" if system.variables[name].entity.key == "person" else "organisations"
        for body in out[plural].values():
            body[name] = {month: None}
    return {k: v for k, v in out.items() if v}, names


# -- load -----------------------------------------------------------------------------------------
def run_load(url: str, payload: dict, clients: int, requests: int) -> tuple[list[float], float, int]:
    """`requests` POSTs spread over `clients` threads (keep-alive). Returns latencies (s), wall
    time (s) and the number of non-200 answers."""
    import httpx
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"content-type": "application/json"}
    per_client = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        mine = []
        bad = 0
        with httpx.Client(timeout=60) as session:
            start_gate.wait()
            for _ in range(n):
                t0 = time.perf_counter()
                response = session.post(url, content=body, headers=headers)
                response.read()
                mine.append(time.perf_counter() - t0)
                bad += response.status_code != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    for t in threads:
        t.start()
    start_gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=600)
    return latencies, time.perf_counter() - t0, errors[0]


def measure(servers: dict, payloads: dict, clients: int, requests: int, halves: int = 2) -> dict:
    """Alternate the servers in `halves` slices of the request budget; pool the latencies."""
    pooled = {name: {"lat": [], "wall": 0.0, "errors": 0, "n": 0} for name in servers}
    for _ in range(halves):
        for name, (server, path) in servers.items():
            lat, wall, errors = run_load(server.base + path, payloads[name], clients, requests // halves)
            p = pooled[name]
            p["lat"] += lat
            p["wall"] += wall
            p["errors"] += errors
            p["n"] += len(lat)
    return {name: {**percentiles_ms(p["lat"]), "rps": p["n"] / p["wall"], "errors": p["errors"]}
            for name, p in pooled.items()}


# -- profile --------------------------------------------------------------------------------------
BUCKETS = [  # (label, file suffix, function): outermost cumulative time inside jiuye.explain.calculate
    ("strict parsing of the situation (`assess.situation.parse_situation`)", "jiuye/assess/situation.py",
     "parse_situation"),
    ("three-valued formulas (`assess.views.View._compute`)", "jiuye/assess/views.py", "_compute"),
    ("schedules (`Explainer._schedule`)", "jiuye/explain.py", "_schedule"),
    ("condition trees explained (`Explainer.condition`)", "jiuye/explain.py", "condition"),
    ("parameter descriptions (`params.describe_parameter`)", "jiuye/params.py", "describe_parameter"),
]


def profile_request(situation: dict, on: dt.date, names: list[str], runs: int = 30) -> dict:
    """Where one request's time goes, in process: the HTTP layer (TestClient round trip minus the
    computation), `jiuye.explain.calculate` (split into buckets by cProfile, and by document), and
    the bare computation OpenFisca's endpoint does (build the simulation + the measure variables)."""
    from fastapi.testclient import TestClient
    from jiuye.catalogue import load_catalogue
    from jiuye.assess.openfisca_case import build_openfisca_case
    from jiuye.explain import calculate
    from jiuye.web.app import create_app
    month = on.strftime("%Y-%m")

    def bare():
        case = build_openfisca_case(situation, on)
        for name in names:
            case.simulation.calculate(name, month)

    client = TestClient(create_app(with_openfisca=False, with_pages=False))
    body = {"situation": situation, "on": on.isoformat()}
    for _ in range(5):
        client.post("/api/v1/calculate", json=body)
        calculate(situation, on)
        bare()

    def timed(fn) -> float:
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
        return percentiles_ms(samples)["p50"]

    http = timed(lambda: client.post("/api/v1/calculate", json=body))
    explain = timed(lambda: calculate(situation, on))
    bare_ms = timed(bare)
    report = calculate(situation, on)
    size = len(json.dumps(report, ensure_ascii=False).encode())
    t0 = time.perf_counter()
    for _ in range(runs):
        json.dumps(report, ensure_ascii=False)
    serialise = (time.perf_counter() - t0) / runs * 1000
    by_document = []
    catalogue = load_catalogue()
    for key in catalogue.documents:
        ids = [m.id for m in catalogue.executable() if m.document == key]
        if ids:
            rows = len(calculate(situation, on, ids)["results"])
            by_document.append((key, len(ids), rows, timed(lambda: calculate(situation, on, ids))))

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        calculate(situation, on)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max((ct for (f, _l, n), (_c, _n, _t, ct, _) in stats.stats.items()
                 if n == "calculate" and f.replace("\\", "/").endswith("jiuye/explain.py")), default=0.0) or 1.0
    buckets = []
    for label, suffix, function in BUCKETS:
        cum = max((ct for (f, _l, n), (_c, _n, _t, ct, _) in stats.stats.items()
                   if n == function and f.replace("\\", "/").endswith(suffix)), default=0.0)
        buckets.append((label, cum / runs * 1000, 100 * cum / total))
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(18)
    cumulative = buffer.getvalue()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(12)
    return {"http_p50": http, "explain_p50": explain, "bare_p50": bare_ms, "response_bytes": size,
            "json_dumps_ms": serialise, "results": len(report["results"]), "runs": runs,
            "buckets": buckets, "by_document": by_document, "profiled_ms": total / runs * 1000,
            "cumulative": _trim(cumulative), "tottime": _trim(buffer.getvalue())}


def _trim(text: str) -> str:
    lines = [line.replace(str(ROOT) + "/", "").replace(str(Path(sys.prefix)) + "/", ".venv/")
             for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:])


# -- report ---------------------------------------------------------------------------------------
def markdown(f: dict) -> str:
    rows = []
    for clients in (1, 20):
        r = f["levels"][clients]
        j, o = r["jiuye"], r["openfisca"]
        rows.append(f"| {clients} | {j['n']} | {j['p50']:.1f} | {j['p95']:.1f} | {j['rps']:.1f} | "
                    f"{o['p50']:.1f} | {o['p95']:.1f} | {o['rps']:.1f} | {j['p50'] / o['p50']:.2f} | "
                    f"{j['p95'] / o['p95']:.2f} |")
    j20 = f["levels"][20]["jiuye"]
    ratio20 = j20["p95"] / f["levels"][20]["openfisca"]["p95"]
    ratio1 = f["levels"][1]["jiuye"]["p50"] / f["levels"][1]["openfisca"]["p50"]
    verdict_latency = "met" if j20["p95"] <= TARGET_P95_MS else "**missed**"
    verdict_ratio = "met" if ratio20 <= TARGET_RATIO else "**missed**"
    single = f["levels"][1]["jiuye"]["p50"]
    verdict_single = "met" if single <= TARGET_SINGLE_MS else "**missed**"
    errors = sum(f["levels"][c]["jiuye"]["errors"] for c in (1, 20))
    lines = [
        "## API latency (bench/api_latency.py)", "",
        f"- command: `{f['command']}`",
        machine_markdown(f["machine"]),
        f"- servers: jiuye = `jiuye serve --workers {f['workers']}` (uvicorn, {f['workers']} processes), "
        f"POST /api/v1/calculate with explanations; OpenFisca = `openfisca serve --country-package jiuye.model "
        f"--workers {f['workers']}` (gunicorn sync workers), POST /calculate of the {f['variables']} executable "
        f"measures' monthly variables for {f['month']}, no explanations",
        f"- situation: `{f['situation']}` on {f['on']} ({f['results']} result rows in jiuye's answer, "
        f"{f['response_bytes'] / 1024:.0f} KiB of JSON); loopback; keep-alive clients (httpx, one thread "
        "each, on the same 2 cores as the servers); servers alternated in halves; warm-up excluded",
        "- the machine is shared: the load average above counts other work running beside the benchmark, "
        "and latencies under load vary by ×2 or more between runs; compare the two servers within one run",
        "- errors (non-200): " + ", ".join(f"{c} clients: jiuye {f['levels'][c]['jiuye']['errors']}, "
                                           f"OpenFisca {f['levels'][c]['openfisca']['errors']}" for c in (1, 20)),
        "",
        "| clients | requests each | jiuye p50 ms | p95 ms | req/s | OpenFisca p50 ms | p95 ms | req/s "
        "| jiuye ÷ OpenFisca p50 | p95 |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows, "",
        f"Targets: p95 ≤ {TARGET_P95_MS:.0f} ms at 20 clients — {verdict_latency} ({j20['p95']:.0f} ms); "
        f"p95 ≤ {TARGET_RATIO:.2f}× OpenFisca's at 20 clients — {verdict_ratio} ({ratio20:.2f}×; at 1 client p50 "
        f"{ratio1:.2f}×); 1 client p50 ≤ {TARGET_SINGLE_MS:.0f} ms — {verdict_single} ({single:.1f} ms); "
        f"errors: {errors}.",
    ]
    p = f.get("profile")
    if p:
        http_overhead = p["http_p50"] - p["explain_p50"]
        lines += [
            "", "### Where the time goes (one request, in process, p50 of "
            f"{p['runs']} runs)", "",
            "| step | ms |", "|---|---|",
            f"| whole request through the ASGI app (TestClient, no network) | {p['http_p50']:.1f} |",
            f"| `jiuye.explain.calculate` (simulation + explanations) | {p['explain_p50']:.1f} |",
            *[f"| &nbsp;&nbsp;of which {label} | {ms:.1f} ({share:.0f} %) |" for label, ms, share in p["buckets"]],
            f"| HTTP layer: validation, JSON encode of {p['response_bytes'] / 1024:.0f} KiB, transport "
            f"| {http_overhead:.1f} |",
            f"| &nbsp;&nbsp;of which `json.dumps` of the report | {p['json_dumps_ms']:.1f} |",
            f"| bare computation (what OpenFisca's endpoint computes: build + {f['variables']} variables) "
            f"| {p['bare_p50']:.1f} |",
            "",
            "Per document (`measures` limited to one document's executable measures): " +
            "; ".join(f"{key}: {n} measures, {rows} rows, {ms:.1f} ms" for key, n, rows, ms in p["by_document"]) + ".",
            "",

            f"At 20 clients on 2 workers a request waits for about {20 / 2:.0f} others: p95 ≈ "
            f"{20 / 2:.0f} × the service time, so p95 ≤ 50 ms needs a service time of about 5 ms per request. "
            "Throughput is what counts there: req/s ≈ 2 cores ÷ CPU time per request.",
            "",
            "<details><summary>cProfile of jiuye.explain.calculate (cumulative, top)</summary>", "",
            "```", p["cumulative"], "```", "", "</details>", "",
            "<details><summary>cProfile (own time, top)</summary>", "", "```", p["tottime"], "```", "",
            "</details>",
        ]
    return "\n".join(lines)




def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests-1", type=int, default=100, help="requests per server at 1 client")
    parser.add_argument("--requests-20", type=int, default=200, help="requests per server at 20 clients")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--situation", type=Path, default=DEFAULT_SITUATION)
    parser.add_argument("--on", default="2025-03-15",
                        help="assessment date; the default lies inside every document's validity window, so both "
                             "servers evaluate every measure")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--write", action="store_true", help="update the API latency section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    for n in (args.requests_1, args.requests_20):
        if not 1 <= n <= 5000:
            parser.error("request counts must be between 1 and 5000")

    on = dt.date.fromisoformat(args.on)
    situation = json.loads(args.situation.read_text(encoding="utf-8"))
    situation.pop("on", None)        # a clause folder's example carries its date
    of_payload, names = openfisca_payload(situation, on)
    payloads = {"jiuye": {"situation": situation, "on": on.isoformat()}, "openfisca": of_payload}

    port, of_port = free_port(), free_port()
    ours = Server("jiuye", [str(BIN / "jiuye"), "serve", "--host", "127.0.0.1", "--port", str(port),
                            "--workers", str(args.workers)], "/api/v1/districts", port)
    theirs = Server("openfisca", [str(BIN / "openfisca"), "serve", "--country-package", "jiuye.model",
                                  "--port", str(of_port), "--workers", str(args.workers)], "/spec", of_port)
    figures: dict = {"machine": machine(), "command": command_line(), "workers": args.workers,
                     "situation": str(args.situation.resolve().relative_to(ROOT)) if args.situation.resolve()
                     .is_relative_to(ROOT) else str(args.situation), "on": on.isoformat(),
                     "month": on.strftime("%Y-%m"), "variables": len(names), "levels": {}}
    with ours, theirs:
        servers = {"jiuye": (ours, "/api/v1/calculate"), "openfisca": (theirs, "/calculate")}
        # sanity: both answer 200 with what was asked
        import httpx
        answer = httpx.post(ours.base + "/api/v1/calculate", json=payloads["jiuye"], timeout=120)
        answer.raise_for_status()
        figures["results"] = len(answer.json()["results"])
        figures["response_bytes"] = len(answer.content)
        of_answer = httpx.post(theirs.base + "/calculate", json=of_payload, timeout=120)
        if of_answer.status_code != 200:
            raise RuntimeError(f"openfisca serve answered {of_answer.status_code}: {of_answer.text[:1000]}")
        # warm-up: every worker of both servers loads the model and traces the dependencies
        for name, (server, path) in servers.items():
            run_load(server.base + path, payloads[name], clients=4, requests=8 * args.workers)
        print(f"1 client: {args.requests_1} requests per server …", file=sys.stderr)
        figures["levels"][1] = measure(servers, payloads, 1, args.requests_1)
        print(f"20 clients: {args.requests_20} requests per server …", file=sys.stderr)
        figures["levels"][20] = measure(servers, payloads, 20, args.requests_20)

    j20 = figures["levels"][20]["jiuye"]
    ratio = j20["p95"] / figures["levels"][20]["openfisca"]["p95"]
    missed = j20["p95"] > TARGET_P95_MS or ratio > TARGET_RATIO or \
        figures["levels"][1]["jiuye"]["p50"] > TARGET_SINGLE_MS
    if missed and not args.no_profile:
        print("target missed: profiling one request in process …", file=sys.stderr)
        figures["profile"] = profile_request(situation, on, names)
    text = markdown(figures)
    print(text)
    if args.write:
        write_block("api-latency", text)
    return figures


if __name__ == "__main__":
    main()
