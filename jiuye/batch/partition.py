"""Large populations in chunks partitioned by organisation (groups stay whole: an organisation and
all its members are in one chunk), each chunk one vectorised simulation — run one after the other
in this process, or on Dask workers (a LocalCluster, or a real cluster at `--scheduler ADDRESS`).

Results are merged in the order of the global indices, and money is summed in integer cents, so a
partitioned or distributed run equals a single-process run exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import sys
from contextlib import contextmanager

import numpy as np

from .population import Population

DEFAULT_CHUNK = 1_000_000           # persons per chunk


def partitions(population: Population, max_persons: int = DEFAULT_CHUNK) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(organisation indices, person indices)]: whole organisations in order, cut when a chunk
    reaches `max_persons`; persons in no organisation spread over the chunks."""
    n_orgs = population.n_orgs
    org = np.asarray(population.org_of_person, np.int64)
    sizes = np.bincount(org[org >= 0], minlength=n_orgs) if n_orgs else np.zeros(0, np.int64)
    total = population.n_persons
    n_chunks = max(1, -(-total // max_persons))
    if n_chunks == 1:
        return [(np.arange(n_orgs), np.arange(total))]
    # cut the organisations where the running member count crosses each chunk's share
    alone = np.flatnonzero(org < 0)
    cumulative = np.cumsum(sizes)
    share = cumulative[-1] / n_chunks if n_orgs else 0
    chunk_of_org = np.minimum((cumulative - sizes) // max(share, 1), n_chunks - 1).astype(np.int64) \
        if n_orgs else np.zeros(0, np.int64)
    chunk_of_person = np.where(org >= 0, chunk_of_org[np.maximum(org, 0)] if n_orgs else 0, -1)
    chunk_of_person[alone] = np.arange(len(alone)) % n_chunks
    out = []
    for c in range(n_chunks):
        orgs = np.flatnonzero(chunk_of_org == c)
        persons = np.flatnonzero(chunk_of_person == c)
        if len(persons) or len(orgs):
            out.append((orgs, persons))
    return out


# -- sources: a chunk of a population in memory, or generated where it runs --------------------------------
@dataclasses.dataclass
class SynthChunk:
    """A synthetic chunk generated on the worker (no data sent): persons and organisations get global
    indices after the chunks before it."""

    n_persons: int
    n_orgs: int
    seed: int
    on: dt.date
    district: str = "xicheng"
    person_offset: int = 0
    org_offset: int = 0

    def load(self, system) -> Population:
        from .synth import generate_population
        population = generate_population(self.n_persons, self.n_orgs, seed=self.seed, on=self.on, system=system,
                                         district=self.district)
        population.person_index = np.arange(self.n_persons) + self.person_offset
        population.org_index = np.arange(self.n_orgs) + self.org_offset
        return population


def synth_chunks(n_persons: int, n_orgs: int, chunks: int, seed: int, on: dt.date, district: str = "xicheng"):
    per_p, per_o = n_persons // chunks, n_orgs // chunks
    out = []
    for i in range(chunks):
        p = per_p if i < chunks - 1 else n_persons - per_p * (chunks - 1)
        o = per_o if i < chunks - 1 else n_orgs - per_o * (chunks - 1)
        out.append(SynthChunk(p, o, seed * 1000 + i, on, district, per_p * i, per_o * i))
    return out


def _load(source, system) -> Population:
    return source.load(system) if hasattr(source, "load") else source


# -- tasks (picklable: they run on workers) ----------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _reformed(reform_text: str | None):
    from ..model.system import get_system
    system = get_system()
    if not reform_text:
        return system
    from .reform import build_reform, parse_reform
    return build_reform(system, parse_reform(json.loads(reform_text), system))


@dataclasses.dataclass
class MatchTask:
    on: dt.date
    measures: tuple

    @property
    def steps(self) -> int:
        return 2 * len(self.measures)

    def __call__(self, source, progress=None):
        from ..catalogue import load_catalogue
        from .evaluate import Evaluator
        system = _reformed(None)
        population = _load(source, system)
        catalogue = load_catalogue()
        measures = [catalogue.measure(m) for m in self.measures]
        return Evaluator(population, system).match(measures, self.on, progress=progress)


@dataclasses.dataclass
class CostTask:
    year: int
    measures: tuple
    reform: str | None = None      # the reform as JSON text (parsed and checked on each worker)

    @property
    def steps(self) -> int:
        return 12

    def __call__(self, source, progress=None):
        from ..catalogue import load_catalogue
        from ..model.system import get_system
        from .evaluate import Evaluator
        system = _reformed(self.reform)
        population = _load(source, get_system())
        catalogue = load_catalogue()
        measures = [catalogue.measure(m) for m in self.measures]
        return Evaluator(population, system, base_system=get_system()).cost(measures, self.year, progress=progress)


def reform_key(reform) -> str | None:
    return None if reform is None else json.dumps(reform, ensure_ascii=False, sort_keys=True, default=str)


def _run_on(task, source):
    return task(source)


# -- running ---------------------------------------------------------------------------------------------
@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None):
    """A Dask client: of the cluster at `scheduler`, or of a LocalCluster of `workers` processes."""
    from dask.distributed import Client, LocalCluster
    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                           dashboard_address=None, memory_limit=0)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def progress_bar(total: int, description: str, enabled: bool | None = None):
    """A rich progress bar on stderr; by default only when stderr is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    if enabled is None:
        enabled = sys.stderr.isatty()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        disable=not enabled, transient=False, console=Console(file=sys.stderr))
    return progress


def run(task, sources: list, *, client=None, progress: bool | None = None, description: str = "计算中") -> list:
    """Run `task` on every source (a Population chunk or a SynthChunk); results in source order."""
    steps = getattr(task, "steps", 1)
    bar = progress_bar(len(sources) * steps, description, progress)
    with bar:
        job = bar.add_task(description, total=len(sources) * steps)
        if client is None:
            results = []
            for source in sources:
                results.append(task(source, progress=lambda: bar.advance(job)))
            return results
        from dask.distributed import as_completed
        futures = []
        for source in sources:
            if isinstance(source, Population):
                source = client.scatter(source, direct=True)
            futures.append(client.submit(_run_on, task, source, pure=False))
        for _ in as_completed(futures):
            bar.advance(job, steps)
        return client.gather(futures)


def chunks_of(population: Population, max_persons: int = DEFAULT_CHUNK) -> list[Population]:
    return [population.take(orgs, persons) for orgs, persons in partitions(population, max_persons)]


def merge_match(parts: list[dict]) -> dict:
    from .results import MatchRows
    return {mid: MatchRows.concat([p[mid] for p in parts]) for mid in parts[0]}


def merge_cost(parts: list[dict]) -> dict:
    from .results import CostRows
    return {mid: CostRows.concat([p[mid] for p in parts]) for mid in parts[0]}


def fingerprint(results: dict) -> str:
    """A digest of merged results (ids and cents), to compare two runs."""
    digest = hashlib.sha256()
    for mid in sorted(results):
        r = results[mid]
        digest.update(mid.encode())
        for name in ("unit", "cents", "eligible_units", "month_cents", "status", "month", "to_date"):
            value = getattr(r, name, None)
            if value is not None:
                digest.update(np.ascontiguousarray(value).tobytes())
    return digest.hexdigest()
