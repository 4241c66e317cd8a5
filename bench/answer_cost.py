"""What a compact answer costs, paired against another tree (e.g. a detached worktree of main):

    .venv/bin/python bench/answer_cost.py --other /tmp/main-tree [--rounds 5] [--http 15]

Each round runs one process in each tree, alternately (the machine's load changes: compare the
ratios within a round). A process times, in CPU ms (process_time, medians), on the xicheng/6 demo
(jiuye/model/policies/xicheng/c06_stable_employment/example.json on its date, 64 results):

* `compact_fn` — jiuye.answers.compact of its full answer;
* `full` — calculate(); `compact_answer` — the API's default answer: calculate(compact=True) where
  the tree has it, else compact(calculate());
* `batch20_full`, `batch20_compact` — calculate_many of 20 copies (what one micro-batch of 20 costs),
  full, and compact (direct, else + 20 compact()), with the garbage collections per pair of them;
* each full/compact pair is timed alternately in the process, with the median of their ratio
  (`…/full`: what the compact answer costs beyond the full one, measured against the same process's
  full answer) and the compact batch's extra CPU per request.

`--http N`: also, per tree and round, one `jiuye serve` worker answering 20 keep-alive clients x N
compact POSTs: req/s, p95, and the server's CPU ms per request. Prints the medians and the median of the per-round ratios (this tree / other).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]

ONE = r'''
import gc, inspect, json, statistics, time
from jiuye.answers import compact
from jiuye.examples import load_example
from jiuye.explain import calculate, calculate_many
from jiuye.model.system import get_system
direct = "compact" in inspect.signature(calculate).parameters
system = get_system()
situation, on = load_example("xicheng/6")
batch = [(situation, on, None)] * 20
calculate_many(batch); full = calculate(situation, on); compact(full, system)
def collections(): return sum(s["collections"] for s in gc.get_stats())
def timed(f):
    t = time.process_time(); f(); return (time.process_time() - t) * 1e3
def paired(f, g, n):
    """f and g alternated n times: their medians and the median of g/f (the load changes less within a pair)."""
    a, b = [], []
    for _ in range(n):
        a.append(timed(f)); b.append(timed(g))
    return statistics.median(a), statistics.median(b), statistics.median(y / x for x, y in zip(a, b))
answer = (lambda: calculate(situation, on, compact=True)) if direct else (lambda: compact(calculate(situation, on), system))
many = (lambda: calculate_many(batch, compact=True)) if direct else (lambda: [compact(a, system) for a in calculate_many(batch)])
out = {"compact_fn": statistics.median(timed(lambda: compact(full, system)) for _ in range(60))}
out["full"], out["compact_answer"], out["compact_answer/full"] = paired(lambda: calculate(situation, on), answer, 15)
before = collections()
out["batch20_full"], out["batch20_compact"], out["batch20_compact/full"] = paired(lambda: calculate_many(batch), many, 7)
out["gc_per_batch20_pair"] = (collections() - before) / 7
out["batch20_extra_ms_per_request"] = (out["batch20_compact"] - out["batch20_full"]) / 20
print(json.dumps(out))
'''

HTTP = r'''
import http.client, json, os, socket, subprocess, sys, threading, time
tree, each = sys.argv[1], int(sys.argv[2])
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
server = subprocess.Popen([sys.executable, "-m", "jiuye.cli", "serve", "--port", str(port)], cwd=tree,
                          env=dict(os.environ, PYTHONPATH=tree), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    example = json.load(open(os.path.join(tree, "jiuye/model/policies/xicheng/c06_stable_employment/example.json")))
    body = json.dumps({"on": example.pop("on"), "situation": example}).encode()
    def post(c):
        c.request("POST", "/api/v1/calculate", body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read(); assert r.status == 200, r.status
    for _ in range(1200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60); post(c); break
        except OSError:
            time.sleep(0.1)
    for _ in range(30): post(c)
    def cpu():
        f = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    times, lock = [], threading.Lock()
    def client():
        c, mine = http.client.HTTPConnection("127.0.0.1", port, timeout=60), []
        for _ in range(each):
            t = time.perf_counter(); post(c); mine.append(time.perf_counter() - t)
        with lock: times.extend(mine)
    threads = [threading.Thread(target=client) for _ in range(20)]
    c0, t0 = cpu(), time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    wall, c1 = time.perf_counter() - t0, cpu()
    times.sort()
    print(json.dumps({"http_req_s": len(times) / wall, "http_p95_ms": times[int(len(times) * 0.95)] * 1e3,
                      "http_server_cpu_ms": (c1 - c0) / len(times) * 1e3}))
finally:
    server.terminate(); server.wait(timeout=60)
'''


def run(tree: Path, code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, str(tree), *args], cwd=tree, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(tree)), timeout=1800)
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--other", type=Path, required=True, help="the tree to compare with (e.g. main's)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http", type=int, default=0, help="POSTs per client (0: no HTTP run)")
    args = parser.parse_args()
    trees = {"other": args.other.resolve(), "this": ROOT}
    rows: dict = {"other": [], "this": []}
    print("load:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for _ in range(args.rounds):
        for name, tree in trees.items():
            row = run(tree, ONE)
            if args.http:
                row.update(run(tree, HTTP, str(args.http)))
            rows[name].append(row)
            print(name, json.dumps({k: round(v, 2) for k, v in row.items()}), flush=True)
    print("load:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"| measure | {args.other} | this tree | ratio (median of {args.rounds} rounds) |\n|---|---|---|---|")
    for key in rows["this"][0]:
        other = [r[key] for r in rows["other"]]
        this = [r[key] for r in rows["this"]]
        ratio = statistics.median(b / a for a, b in zip(other, this))
        print(f"| {key} | {statistics.median(other):.2f} | {statistics.median(this):.2f} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
