"""bench/scale.py's hand-written numpy xicheng/6/employer (the reference its speed ratio is measured
against) gives jiuye's eligibility and amounts row by row: a reading changed in the rules and not in
the reference shows here, not only in a benchmark run."""

from __future__ import annotations

import datetime as dt

import numpy as np
from openfisca_core import periods


def test_the_numpy_reference_equals_jiuye_on_a_synthetic_population():
    from bench.scale import numpy_xicheng_6_employer
    from jiuye.batch.evaluate import Evaluator
    from jiuye.batch.synth import generate_population
    from jiuye.catalogue import load_catalogue
    from jiuye.model.system import get_system
    system = get_system()
    measure = load_catalogue().measure("xicheng/6/employer")
    on = dt.date(2025, 6, 15)
    period = periods.period(on.strftime("%Y-%m"))
    population = generate_population(40_000, 4_000, seed=20250615, on=on, system=system)
    monthly = Evaluator(population, system).amounts([measure], period)[measure.id]
    eligible, amount = numpy_xicheng_6_employer(population, system, period)
    assert eligible.sum() > 50 and (amount > 0).any()             # the case is exercised
    assert np.array_equal(monthly.eligible, eligible)
    assert np.array_equal(monthly.full(), amount)
