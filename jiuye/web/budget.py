"""What one public request's computation may spend, and how it is stopped.

A ``Budget`` is handed to the evaluation (``Evaluation(budget=)``, checked before each formula, and
by ``jiuye.explain`` between measures). ``check()`` raises

* ``BudgetExceeded`` (422, field ``situation``) once the thread's CPU time since the first check
  exceeds ``cpu_seconds``;
* ``BudgetExceeded`` (field ``request``) once ``cancel()`` was called: the client disconnected
  (``bounded`` polls for it while the work runs in a worker thread);
* ``ShuttingDown`` (503) once ``stop_all()`` was called: the server received SIGTERM/SIGINT. The
  calculator router's lifespan (``stop_on_signals``) puts ``stop_all`` before the server's own
  signal handler, so uvicorn's graceful shutdown, which waits for running requests, waits only
  until their next check (however the app is served: ``jiuye serve``, ``--workers``, uvicorn).

The micro-batcher (``batching.py``) gives each batch a budget of its own that stops when every
request in it was cancelled, on shutdown, or past the batch's CPU time.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time

from ..assess.situation import InputError

CPU_SECONDS = 20.0                 # CPU time of one request's evaluation

_STOPPING = threading.Event()


class BudgetExceeded(InputError):
    """The evaluation went past its CPU time, or its client went away: it stops (422 naming the limit)."""


class ShuttingDown(BudgetExceeded):
    """The server is stopping: running work ends at its next check (503, Retry-After)."""


def stop_all() -> None:
    """Stop every computation at its next check (the server is shutting down)."""
    _STOPPING.set()


def stopping() -> bool:
    return _STOPPING.is_set()


def resume() -> None:
    """Undo ``stop_all`` (a server started again in the same process: tests)."""
    _STOPPING.clear()


def check_stopping() -> None:
    if _STOPPING.is_set():
        raise ShuttingDown("request", "服务正在停止，计算已中止，请稍后重试")


class Budget:
    """Checked by the evaluation before each formula and between measures: raises once the thread's
    CPU time since the first check exceeds ``cpu_seconds``, once ``cancel()`` was called (the client
    disconnected) or once the server is stopping."""

    def __init__(self, cpu_seconds: float | None = None) -> None:
        self.cpu_seconds = CPU_SECONDS if cpu_seconds is None else cpu_seconds
        self.started: float | None = None
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()

    def check_cancelled(self) -> None:
        """Only the cancellations (no CPU time): for a thread that waits for another's work."""
        check_stopping()
        if self.cancelled.is_set():
            raise BudgetExceeded("request", "请求已取消（客户端已断开）")

    def check(self) -> None:
        now = time.thread_time()
        if self.started is None:
            self.started = now
        self.check_cancelled()
        if now - self.started > self.cpu_seconds:
            raise BudgetExceeded("situation", f"计算超出每次请求的CPU时间上限（{self.cpu_seconds:g}秒）："
                                              "请减少人员、单位或措施")


class BatchBudget(Budget):
    """A micro-batch's budget: cancelled when every member's own budget is (nobody waits for the
    answer any more); CPU time: the members' budgets together."""

    def __init__(self, members: list[Budget | None]) -> None:
        self.members = members
        super().__init__(sum((m.cpu_seconds if m is not None else CPU_SECONDS) for m in members))

    def check(self) -> None:
        if self.members and all(m is not None and m.cancelled.is_set() for m in self.members):
            self.cancel()
        super().check()


@contextlib.asynccontextmanager
async def stop_on_signals(app):
    """Lifespan: SIGTERM and SIGINT call ``stop_all()`` first, then the handler that was there (the
    server's). Installed only from the main thread (where a server runs its loop); restored after."""
    resume()
    installed = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)
            installed[sig] = previous
            signal.signal(sig, _chained(previous))
    try:
        yield
    finally:
        for sig, previous in installed.items():
            signal.signal(sig, previous)


def _chained(previous):
    def handler(sig, frame):
        stop_all()
        if callable(previous):
            previous(sig, frame)
        elif previous == signal.SIG_DFL:
            signal.signal(sig, signal.SIG_DFL)
            signal.raise_signal(sig)
    return handler


async def bounded(http, fn, *args, cpu_seconds: float = CPU_SECONDS):
    """``fn(*args, budget=…)`` in a worker thread with this request's budget: cancelled when the
    client disconnects (the request's next ASGI message is ``http.disconnect``;
    ``Request.is_disconnected()`` never sees it behind an ``@app.middleware`` one); stopped when the
    server is shutting down. The event loop is not held while the work runs. Used by the calculator's
    API and its pages (questionnaire, results, 对标)."""
    budget = Budget(cpu_seconds)
    future = asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, budget=budget))
    gone = asyncio.ensure_future(_disconnected(http))
    try:
        await asyncio.wait({future, gone}, return_when=asyncio.FIRST_COMPLETED)
        if not future.done():
            budget.cancel()                  # nobody waits for the answer: the work stops at its next check
        return await future
    finally:
        gone.cancel()


async def bounded_future(http, start, cpu_seconds: float = CPU_SECONDS):
    """``start(budget)``'s future (a micro-batch's answer, jiuye/web/batching.py) awaited on the event
    loop, no thread held while it waits: this request's budget is cancelled when the client
    disconnects — it then stops waiting (``BudgetExceeded``) and the batch stops once nobody waits
    for any of its answers; on shutdown the batch stops at its next check."""
    budget = Budget(cpu_seconds)
    future = asyncio.wrap_future(start(budget))
    gone = asyncio.ensure_future(_disconnected(http))
    try:
        await asyncio.wait({future, gone}, return_when=asyncio.FIRST_COMPLETED)
        if not future.done():
            budget.cancel()
            future.add_done_callback(lambda f: f.exception() if not f.cancelled() else None)  # not "never retrieved"
            budget.check_cancelled()                 # raises: nobody waits for the answer
        return await future
    finally:
        gone.cancel()


async def _disconnected(http) -> None:
    """Returns once the client has gone (the body was read: nothing else arrives before that)."""
    while (await http.receive()).get("type") != "http.disconnect":
        pass
