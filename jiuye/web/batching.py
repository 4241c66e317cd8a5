"""Micro-batching: calculator requests that arrive together are evaluated as one vectorised
evaluation (`jiuye.explain.calculate_many`), so the server's throughput grows with its load.

One worker thread takes the first waiting request, gathers those that arrive within `wait`
seconds (default 3 ms; at most `max_batch`), evaluates them together and answers each. While a
batch is being computed, new requests queue up and form the next batch, so under load batches grow
by themselves. The wait adapts to the load: it ends as soon as as many requests as the previous
batch had are there, and is skipped when the previous batch was a lone request (one client waits
for nothing). A request asks for the full or the compact answer (`compact`: the API's default,
made by the explainer itself in the batch's thread, so a batch's answers are sent together and its
clients' next requests arrive together; the two kinds are evaluated apart). Each answer equals the request's own `calculate(...)` exactly (tests/test_batching.py);
a request with bad input gets its own error, and when a merged evaluation fails as a whole its
requests are evaluated again one by one, so that only the one that fails gets the error. `JIUYE_MICROBATCH=0` turns batching off (every request evaluated alone,
in its own thread).

A request's budget (jiuye/web/budget.py) goes with it: its caller stops waiting once it is cancelled
(the client went away) or the server is stopping; the batch runs under a ``BatchBudget`` that stops
it when every member was cancelled, on shutdown, or past the members' CPU time together.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field


@dataclass
class _Request:
    situation: dict
    on: object
    measures: list | None
    limits: dict | None
    budget: object = None
    compact: bool = False
    future: Future = field(default_factory=Future)


class MicroBatcher:
    def __init__(self, wait: float = 0.003, max_batch: int = 32) -> None:
        self.wait = wait
        self.max_batch = max_batch
        self._last: int | None = None            # the previous batch's size (None: no batch yet)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0              # batches evaluated (for benchmarks)
        self.requests = 0

    def calculate(self, situation: dict, on, measures=None, limits=None, budget=None, compact: bool = False) -> dict:
        """The answer of `jiuye.explain.calculate(situation, on, measures, compact=compact)`; raises
        what it raises (and ``BudgetExceeded`` once ``budget`` is cancelled or the server stops)."""
        from concurrent.futures import TimeoutError as Pending
        future = self.submit(situation, on, measures, limits, budget, compact)
        while True:
            try:
                return future.result(timeout=0.1 if budget is not None else None)
            except Pending:
                budget.check_cancelled()

    def submit(self, situation: dict, on, measures=None, limits=None, budget=None, compact: bool = False) -> Future:
        """The request queued for the next batch: its future (what `calculate` waits for; the API
        awaits it on the event loop instead, holding no thread while it waits)."""
        request = _Request(situation, on, measures, limits, budget, bool(compact))
        self._start()
        self._queue.put(request)
        return request.future

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="jiuye-microbatch", daemon=True)
                    self._thread.start()

    def _gather(self) -> list[_Request]:
        batch = [self._queue.get()]
        deadline = time.monotonic() + (0.0 if self._last == 1 else self.wait)
        expected = self.max_batch if self._last is None else max(self._last, 1)
        while len(batch) < self.max_batch:
            if len(batch) >= expected and self._queue.empty():
                break
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _loop(self) -> None:
        from ..explain import calculate_many
        from .budget import BatchBudget
        while True:
            batch = self._gather()
            groups: dict = {}
            for request in batch:
                groups.setdefault((repr(sorted((request.limits or {}).items())), request.compact), []).append(request)
            for members in groups.values():
                try:
                    answers = calculate_many([(r.situation, r.on, r.measures) for r in members],
                                             limits=members[0].limits, compact=members[0].compact,
                                             budget=BatchBudget([r.budget for r in members]))
                except BaseException as error:          # noqa: BLE001 — every waiting request hears of it
                    answers = _alone(calculate_many, members, error)
                for request, answer in zip(members, answers):
                    if isinstance(answer, BaseException):
                        request.future.set_exception(answer)
                    else:
                        request.future.set_result(answer)
                self.batches += 1
                self.requests += len(members)
            self._last = len(batch)


def _alone(calculate_many, members: list[_Request], error: BaseException) -> list:
    """A merged evaluation failed as a whole (an error raised outside any one request's input
    checks, or the batch's CPU time, the members' together): each member evaluated alone under its
    own budget, so that only the request that fails gets an error and the others their answers.
    Not retried: a lone request, the server stopping, every member cancelled (nobody waits)."""
    from .budget import ShuttingDown
    if len(members) == 1 or isinstance(error, (ShuttingDown, KeyboardInterrupt, SystemExit)) or \
            all(r.budget is not None and r.budget.cancelled.is_set() for r in members):
        return [error] * len(members)
    answers: list = []
    for r in members:
        try:
            answers += calculate_many([(r.situation, r.on, r.measures)], limits=r.limits, compact=r.compact,
                                      budget=r.budget)
        except BaseException as own:              # noqa: BLE001 — this request's own error
            answers.append(own)
    return answers


_BATCHER: MicroBatcher | None = None


def batcher() -> MicroBatcher | None:
    """The process's batcher (None when JIUYE_MICROBATCH=0)."""
    global _BATCHER
    if os.environ.get("JIUYE_MICROBATCH", "1") == "0":
        return None
    if _BATCHER is None:
        _BATCHER = MicroBatcher(wait=float(os.environ.get("JIUYE_MICROBATCH_WAIT_MS", "3")) / 1000)
    return _BATCHER
