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
process, whatever started it: a command, a server worker, a test): the model's ~90,000 tracked
objects (variables, formulas, parameters, catalogue) live as long as the process, yet Python's cyclic
collector traversed them all on every full collection — 130 ms each, three times per 100 xicheng/6
answers, 35 ms per micro-batch of 20 of them. `gc.freeze()` moves what exists then out of the
collector's generations (reference counting still frees it). One situation with explanations
(`bench/single_case.py`'s case), 200 runs in separate processes, alternated three times: mean CPU
20.0 / 22.8 / 24.4 ms → 20.5 / 21.2 / 21.0 ms, slowest run 72 / 167 / 145 → 43 / 93 / 40 ms; a
batch of 20 of them: the collector's time per batch 43.6 → 12.3 ms. Raising the young generation's threshold as
well (5,000 to 50,000) made no difference beyond the noise once the model was frozen, so it is
left at CPython's default.
"""

from __future__ import annotations

import gc
import os

ENVIRONMENT = {"NUMPY_MADVISE_HUGEPAGE": "0"}


def configure() -> None:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def settle_heap() -> None:
    """The objects that exist now (the loaded model) frozen out of the cyclic collector. Not
    collected first: just after the model is built a full collection frees nothing (0 of ~93,000
    objects) and would add ~60 ms to every command's start-up."""
    gc.freeze()
