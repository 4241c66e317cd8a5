"""Settings of the process jiuye's commands run in, applied before numpy is first imported (each
only where the environment does not set it already: an operator's choice wins).

* `NUMPY_MADVISE_HUGEPAGE=0`: numpy asks the kernel for transparent huge pages on every large array
  it allocates. jiuye's batch work allocates many short-lived million-row arrays, each touched once,
  so the cost is the kernel zeroing 2 MB pages on the first touch, not the TLB misses huge pages
  save: on a kernel whose huge pages are "madvise" (the development machine's), 1M persons + 100k
  organisations went from 1.61 to 1.15 s CPU (`jiuye match`'s path) and the plain OpenFisca path
  from 2.49 to 1.64 s, with the same results (bench/batch.py, one run each way). A kernel with huge
  pages "always" or "never" is not affected.

`jiuye.cli.main` applies them for every command (their Dask workers and server processes inherit
them); the benchmarks do the same, so that they time what the commands run.

`settle_heap()` is applied once the model is built (`jiuye.model.system.get_system`, once per
process, whatever started it: a command, a server worker, a test): the model's ~270,000 objects
(variables, formulas, parameters, catalogue) live as long as the process, yet Python's cyclic
collector traversed them all on every full collection — 130 ms each, three times per 100 xicheng/6
answers — and one case's ~30,000 short-lived dicts and arrays triggered three or four young
collections. `gc.freeze()` moves what exists then out of the collector's generations (reference
counting still frees it), and the young generation's threshold goes from 700 to 50,000 allocations
(unless the process set another): a case leaves ~9,000 tracked objects alive until it ends, and
each young collection traverses them again; the garbage left between collections is a few cases'
cycles. One situation with explanations (`bench/single_case.py`'s case): freezing, 200 runs in
separate processes, alternated: mean CPU 20.0 / 22.8 / 24.4 ms → 18.5 / 23.3 / 18.7 ms, slowest
run 72 / 167 / 145 → 39 / 54 / 37 ms; then the threshold, alternated in one process (6 runs per
setting, 60 rounds, load ~2): mean CPU 28.6 ms at 700, 27.8 at 10,000, 26.4 at 50,000, 26.5 at
100,000.
"""

from __future__ import annotations

import gc
import os

ENVIRONMENT = {"NUMPY_MADVISE_HUGEPAGE": "0"}


def configure() -> None:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


YOUNG_THRESHOLD = 50_000       # allocations between young collections (CPython's default: 700)


def settle_heap() -> None:
    """The objects that exist now frozen out of the cyclic collector, and fewer young collections."""
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    if young == 700:           # CPython's default: not a setting of the process's own
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
