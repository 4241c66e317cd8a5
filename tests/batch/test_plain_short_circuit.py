"""The plain OpenFisca path's short cuts (jiuye.model.plain `eligible_plain`, the shared constant
arrays, amounts summed on the eligible rows; jiuye.batch.population `build_simulation`'s direct
memberships and role masks) against the generated formulas evaluated on every row: every
generated variable of every measure must be equal bit for bit. A traced simulation (what
jiuye.assess.dependencies and the questionnaire's probes read) takes no short cut."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jiuye.batch.population import build_simulation
from jiuye.model import plain

SUFFIXES = ("", "__eligible", "__kept", "__total")


def _values(population, system, measures, month, *, short_cuts: bool, monkeypatch) -> dict:
    with monkeypatch.context() as patch:
        if not short_cuts:
            patch.setattr(plain, "short_circuits", lambda population: False)
        simulation = build_simulation(population, system, fast_roles=short_cuts)
        out = {}
        with np.errstate(all="ignore"):
            for m in measures:                      # the amounts first, as a caller would ask
                simulation.calculate(m.variable, month)
            for m in measures:
                for suffix in SUFFIXES:
                    out[m.variable + suffix] = np.array(simulation.calculate(m.variable + suffix, month))
    return out


@pytest.fixture(scope="module")
def generated(system):
    from jiuye.batch.synth import generate_population
    return generate_population(20_000, 2_000, seed=11, on=dt.date(2025, 6, 15), system=system)


@pytest.mark.parametrize("month", ["2025-06", "2024-03", "2026-09"])
def test_the_short_cuts_equal_the_full_evaluation(generated, blank_population, system, catalogue, month,
                                                 monkeypatch):
    measures = catalogue.executable()
    for population in (generated, blank_population):
        fast = _values(population, system, measures, month, short_cuts=True, monkeypatch=monkeypatch)
        full = _values(population, system, measures, month, short_cuts=False, monkeypatch=monkeypatch)
        assert fast.keys() == full.keys()
        different = [name for name in full
                     if fast[name].dtype != full[name].dtype or fast[name].tobytes() != full[name].tobytes()]
        assert not different, different
        assert any(full[m.variable + "__eligible"].any() for m in measures)     # something is compared
        if population is generated:                 # 20,000 persons: something is due, even in 2026
            assert any(full[m.variable].any() for m in measures)


def test_a_constant_result_is_shared_and_read_only(generated, system, catalogue):
    simulation = build_simulation(generated, system)
    nothing = [m for m in catalogue.executable() if m.entity == "person"
               and not np.nansum(simulation.calculate(m.variable, "2025-06"))]
    assert len(nothing) >= 2
    first, second = (simulation.calculate(m.variable, "2025-06") for m in nothing[:2])
    assert first is second and not first.flags.writeable
    with pytest.raises(ValueError):
        first[0] = 1.0                               # it cannot change another variable's value


def test_a_traced_simulation_takes_no_short_cut(system, monkeypatch):
    from jiuye.assess import dependencies

    def refuse(*args, **kwargs):
        raise AssertionError("a traced simulation evaluated a condition tree short-circuited")
    monkeypatch.setattr(plain, "eligible_plain", refuse)
    monkeypatch.setattr(plain, "scattered_sums", refuse)
    traced = dependencies._trace(system)
    assert traced.variables
