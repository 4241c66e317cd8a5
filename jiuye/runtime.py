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
"""

from __future__ import annotations

import os

ENVIRONMENT = {"NUMPY_MADVISE_HUGEPAGE": "0"}


def configure() -> None:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
