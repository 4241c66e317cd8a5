"""Partitions by organisation, run on Dask workers, equal the single-process run exactly."""

import datetime as dt

import numpy as np
import pytest

from jiuye.batch.partition import (CostTask, MatchTask, chunks_of, dask_client, merge_cost, merge_match, partitions,
                                   run)




def test_partitions_keep_organisations_whole(small_population):
    parts = partitions(small_population, 150)
    assert len(parts) >= 4
    persons = np.concatenate([p for _, p in parts])
    orgs = np.concatenate([o for o, _ in parts])
    assert sorted(persons) == list(range(small_population.n_persons))
    assert sorted(orgs) == list(range(small_population.n_orgs))
    for org_index, person_index in parts:
        of = small_population.org_of_person[person_index]
        assert set(of[of >= 0]) <= set(org_index)


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as c:
        yield c


def test_dask_equals_single_process_to_the_cent(synth_roster, catalogue, client):
    from jiuye.batch.roster import read_roster
    out, _ = synth_roster
    population = read_roster(out).population
    ids = tuple(m.id for m in catalogue.executable())
    chunks = chunks_of(population, 800)
    assert len(chunks) >= 3
    single = merge_cost(run(CostTask(2026, ids), [population], progress=False))
    distributed = merge_cost(run(CostTask(2026, ids), chunks, client=client, progress=False))
    paid = 0
    for mid in ids:
        a, b = single[mid], distributed[mid]
        assert a.cents.sum() == b.cents.sum(), mid                       # totals to the cent
        assert np.array_equal(a.unit, b.unit) and np.array_equal(a.cents, b.cents), mid    # same ids
        assert np.array_equal(a.eligible_units, b.eligible_units), mid
        assert np.array_equal(a.month_cents, b.month_cents), mid
        paid += len(a.unit)
    assert paid > 10
    on = dt.date(2026, 3, 31)
    single = merge_match(run(MatchTask(on, ids), [population], progress=False))
    distributed = merge_match(run(MatchTask(on, ids), chunks, client=client, progress=False))
    for mid in ids:
        a, b = single[mid], distributed[mid]
        assert np.array_equal(a.unit, b.unit) and np.array_equal(a.status, b.status), mid
        assert np.array_equal(a.month, b.month, equal_nan=True) and np.array_equal(a.to_date, b.to_date, equal_nan=True)
        assert a.facts == b.facts and np.array_equal(a.missing, b.missing), mid


def test_a_reform_runs_on_the_workers(synth_roster, catalogue, client, system):
    import json
    from jiuye.batch.reform import load_reform
    from .conftest import ROOT
    out, population = synth_roster
    spec = load_reform(ROOT / "examples" / "reforms" / "xicheng_6_post_subsidy.yaml", system)
    text = json.dumps(spec.to_data(), ensure_ascii=False, sort_keys=True)
    ids = ("xicheng/6/employer",)
    local = merge_cost(run(CostTask(2026, ids, text), [population], progress=False))
    remote = merge_cost(run(CostTask(2026, ids, text), chunks_of(population, 1000), client=client, progress=False))
    assert local["xicheng/6/employer"].cents.sum() == remote["xicheng/6/employer"].cents.sum()
