"""Ledger throughput: applications submitted + approved per second, on SQLite and PostgreSQL.

    .venv/bin/python bench/ledger.py [--bulk 2000] [--single 300] [--pg-url URL] [--write]
    make bench-ledger        # PostgreSQL from .ci/with-postgres with durability on (PG_DURABLE=1)

For each backend (SQLite: a fresh file in a temporary directory, WAL, synchronous=NORMAL;
PostgreSQL: --pg-url or JIUYE_TEST_PG_URL, a fresh database):

* single — ``Ledger.submit`` then ``Ledger.approve``, one claim at a time, each in its own
  transaction (what a case worker's page does);
* bulk — ``Ledger.submit_many`` then ``Ledger.approve_many`` (an import, a batch decision):
  situations computed together per measure and date, 200 claims per transaction, still one audit
  entry per claim; "pairs/s" is claims submitted and approved per second of both phases;
* pay — ``Ledger.pay`` of each first installment, one transaction each;
* race — 16 threads at once: 16 reviewers approving one claim, 16 payers paying one installment
  (distinct keys), 16 reviewers approving 16 xicheng/15 claims under its 100000 cap; the counts.

Every claim is a 西城 岗位补贴 (xicheng/6/employer, 3 installments) computed with the rules
(``jiuye.explain.calculate``). Wall clock (time.perf_counter); the audit chain is verified at the end.
Prints a Markdown block; --write puts it in bench/RESULTS.md between <!-- ledger:begin/end -->.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from jiuye.ledger.demo import XICHENG_6, XICHENG_15, demo_situation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import command_line, machine, machine_markdown, write_block  # noqa: E402


def situation(n: int) -> dict:
    """Claim n: its own contract start (so the schedules differ)."""
    s = demo_situation(XICHENG_6)
    start = dt.date(2024, 1, 1) + dt.timedelta(days=n % 300)
    s["persons"]["zhang_san"]["contract_start_date"] = start.isoformat()
    return s


def setup(ledger):
    from jiuye.ids import make_id_number, make_uscc
    admin = ledger.create_user(None, "admin", "admin").id
    cw = ledger.create_user(admin, "cw", "case_worker").id
    rv = ledger.create_user(admin, "rv", "reviewer").id
    org = ledger.register_applicant(cw, "organisation", make_uscc("91", "110102", "MA01BENC0"), "基准公司").id
    person = ledger.register_applicant(cw, "person", make_id_number("110102", dt.date(1995, 5, 1), 7), "基准人员").id
    startup = ledger.register_applicant(cw, "organisation", make_uscc("91", "110102", "MA02BENC1"), "基准初创").id
    return {"admin": admin, "cw": cw, "rv": rv, "org": org, "person": person, "startup": startup}


def race(fn, n=16):
    barrier = threading.Barrier(n)
    out = [None] * n

    def run(i):
        barrier.wait()
        try:
            out[i] = fn(i)
        except Exception as error:  # noqa: BLE001
            out[i] = error
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(getattr(o, "code", "ok") if isinstance(o, Exception) else "ok" for o in out)


def run_backend(name: str, url: str, n_single: int, n_bulk: int) -> dict:
    from jiuye.ledger import Ledger
    from jiuye.ledger.db import wipe
    ledger = Ledger(url, pool_size=20)
    wipe(ledger.db.engine)
    ids = setup(ledger)
    cw, rv = ids["cw"], ids["rv"]
    base = dict(measure_id="xicheng/6/employer", beneficiary_id=ids["org"], person_id=ids["person"], on="2024-12-01")
    ledger.approve(rv, ledger.submit(cw, situation=situation(0), **base).id, on="2024-12-02")    # warm-up
    out: dict = {"backend": name}

    t0 = time.perf_counter()
    single_ids = []
    for n in range(n_single):
        app = ledger.submit(cw, situation=situation(n), **base)
        ledger.approve(rv, app.id, on="2024-12-02")
        single_ids.append(app.id)
    out["single_pairs_s"] = n_single / (time.perf_counter() - t0)

    items = [dict(base, situation=situation(n)) for n in range(n_bulk)]
    t0 = time.perf_counter()
    submitted = ledger.submit_many(cw, items)
    t1 = time.perf_counter()
    approved = ledger.approve_many(rv, [a.id for a in submitted], on="2024-12-02")
    t2 = time.perf_counter()
    assert all(getattr(a, "status", None) == "approved" for a in approved), approved[:3]
    out.update(bulk_submit_s=n_bulk / (t1 - t0), bulk_approve_s=n_bulk / (t2 - t1), bulk_pairs_s=n_bulk / (t2 - t0))

    payable = [a.installments[0] for a in approved[:n_single]]
    t0 = time.perf_counter()
    for inst in payable:
        ledger.pay(cw, inst.id, on="2026-12-31", idempotency_key=f"bench-{inst.id}")
    out["pay_s"] = len(payable) / (time.perf_counter() - t0)

    # the races of tests/ledger/test_concurrency.py, 16 threads
    reviewers = [ledger.create_user(ids["admin"], f"race{i}", "reviewer").id for i in range(16)]
    claim = ledger.submit(cw, situation=situation(1), **base)
    out["race_approve"] = race(lambda i: ledger.approve(reviewers[i], claim.id, on="2024-12-02"))
    inst = ledger.application(cw, claim.id).installments[0]
    out["race_pay"] = race(lambda i: ledger.pay(reviewers[i], inst.id, on="2026-12-31", idempotency_key=f"race-{i}"))
    caps = [ledger.submit(cw, measure_id="xicheng/15", beneficiary_id=ids["startup"], situation=demo_situation(XICHENG_15),
                          on="2026-11-23").id for _ in range(16)]
    out["race_cap"] = race(lambda i: ledger.approve(reviewers[i], caps[i], on="2026-11-24"))
    t0 = time.perf_counter()
    report = ledger.verify()
    out["verify_s"] = time.perf_counter() - t0
    out["verify_ok"] = report.ok
    out["entries"] = report.entries
    out["claims"] = ledger.counts()["applications"]
    ledger.close()
    return out


def markdown(rows: list[dict], args) -> str:
    lines = [
        "## Ledger (bench/ledger.py)",
        "",
        "Claims submitted + approved per second (`bench/ledger.py`: 西城 岗位补贴 xicheng/6/employer claims, each "
        "computed by the rules, frozen with its explanation, 3 installments, one hash-chained audit entry per write). "
        "Target ≥ 200 claims/s on SQLite.",
        "",
        "| backend | single: submit+approve /s | bulk: submit /s | bulk: approve /s | bulk: submit+approve /s | pay /s | verify |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['single_pairs_s']:.0f} | {r['bulk_submit_s']:.0f} | {r['bulk_approve_s']:.0f} | "
                     f"**{r['bulk_pairs_s']:.0f}** | {r['pay_s']:.0f} | {r['entries']} entries, {r['claims']} claims "
                     f"in {r['verify_s']:.1f} s: {'intact' if r['verify_ok'] else 'PROBLEMS'} |")
    lines += ["", "16 threads at once (the races of `tests/ledger/test_concurrency.py`):", "",
              "| backend | 16 reviewers, one claim | 16 payers, one installment | 16 reviewers, 16 xicheng/15 claims under the 100000 cap |",
              "|---|---|---|---|"]
    for r in rows:
        fmt = lambda c: ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: kv[0] != "ok"))  # noqa: E731
        lines.append(f"| {r['backend']} | {fmt(r['race_approve'])} | {fmt(r['race_pay'])} | {fmt(r['race_cap'])} |")
    lines += ["",
              f"- run: `{command_line()}`; single: {args.single} claims, bulk: {args.bulk} claims "
              "(`submit_many`/`approve_many`, 200 per transaction)",
              "- SQLite: file in a temporary directory, WAL, synchronous=NORMAL (a commit survives a killed process); "
              f"PostgreSQL: {os.environ.get('JIUYE_BENCH_PG_NOTE', 'a throwaway server from .ci/with-postgres')}",
              "- single is bound by computing each claim alone (about 5 ms of `calculate`) and by one transaction per "
              "step; bulk computes the claims of one measure and date in one simulation (identical results, tested in "
              "tests/ledger/test_bulk.py)",
              machine_markdown(machine())]
    if os.nice(0) != 0:
        lines.insert(-1, f"- process niceness {os.nice(0)} (the machine was shared with other runs: see the load average)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--bulk", type=int, default=2000)
    parser.add_argument("--pg-url", default=os.environ.get("JIUYE_TEST_PG_URL"))
    parser.add_argument("--write", action="store_true", help="write the block into bench/RESULTS.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-") as tmp:
        rows.append(run_backend("SQLite", f"sqlite:///{tmp}/ledger.db", args.single, args.bulk))
        print(rows[-1], flush=True)
    if args.pg_url:
        import psycopg
        admin = args.pg_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute('DROP DATABASE IF EXISTS "jiuye_bench" WITH (FORCE)')
            connection.execute('CREATE DATABASE "jiuye_bench"')
            settings = {k: connection.execute(f"SHOW {k}").fetchone()[0] for k in ("fsync", "synchronous_commit")}
            version = connection.execute("SHOW server_version").fetchone()[0]
        os.environ.setdefault("JIUYE_BENCH_PG_NOTE", f"{version.split()[0]} on 127.0.0.1 (a throwaway server from "
                              f".ci/with-postgres), fsync={settings['fsync']}, "
                              f"synchronous_commit={settings['synchronous_commit']}")
        rows.append(run_backend("PostgreSQL", args.pg_url.rsplit("/", 1)[0] + "/jiuye_bench", args.single, args.bulk))
        print(rows[-1], flush=True)
    else:
        print("no PostgreSQL (--pg-url or JIUYE_TEST_PG_URL; `make bench-ledger` starts one)", file=sys.stderr)
    block = markdown(rows, args)
    print(block)
    if args.write:
        write_block("ledger", block)


if __name__ == "__main__":
    main()
