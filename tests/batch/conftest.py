"""Batch fixtures: small synthetic populations and the demo roster (examples/rosters/demo)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "rosters" / "demo"
ON = dt.date(2025, 6, 15)


def population_with_blanks(system, n_persons: int, n_orgs: int):
    """A synthetic population with some facts absent or blank and some persons in no organisation."""
    from jiuye.batch.synth import generate_population
    population = generate_population(n_persons, n_orgs, seed=7, on=ON, system=system)
    rng = np.random.default_rng(1)
    del population.person_facts["veteran"]                      # a column the roster does not have
    for name in ("monthly_wage", "hukou_district", "contract_start_date", "education_level", "birth_date"):
        population.person_given[name] = rng.random(population.n_persons) > 0.1     # blank cells
    for name in ("org_type", "registration_district"):
        population.org_given[name] = rng.random(population.n_orgs) > 0.1
    lonely = rng.random(population.n_persons) < 0.05
    lonely[:population.n_orgs] = False
    population.org_of_person = np.where(lonely, -1, population.org_of_person)
    return population


@pytest.fixture(scope="session")
def small_population(system):
    """600 persons, 60 organisations, some facts absent or blank, some persons in no organisation."""
    return population_with_blanks(system, 600, 60)


@pytest.fixture(scope="session")
def blank_population(system):
    """1,200 persons, 120 organisations, built as ``small_population`` (enough organisation cases
    for comparisons that must cover both kinds)."""
    return population_with_blanks(system, 1200, 120)


@pytest.fixture(scope="session")
def synth_roster(tmp_path_factory, system):
    """A synthetic roster written by `jiuye synth`'s code (Parquet + CSV), 3,000 persons."""
    from jiuye.batch.roster import write_roster
    from jiuye.batch.synth import for_roster, generate_population
    out = tmp_path_factory.mktemp("synth") / "pop"
    population = for_roster(generate_population(3000, 300, seed=11, on=ON, system=system), system)
    write_roster(population, system, out, csv_too=True)
    return out, population
