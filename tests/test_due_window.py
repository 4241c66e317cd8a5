"""The amount due in a month (computed with only the schedule slots that can fall in it) equals the
installments of the full schedule due in that month, for every example and its document's measures."""

import datetime as dt
import json

import numpy as np
import pytest
from openfisca_core import periods

from jiuye.assess.openfisca_case import build_openfisca_case as build_case
from jiuye.model.dates import month_first_day, period_last_day

from .conftest import example_date, example_files, load_example


def months_around(on: str) -> list[str]:
    year, month = int(on[:4]), int(on[5:7])
    out = []
    for delta in (-30, -24, -13, -12, -6, -1, 0, 1, 6, 12):
        index = year * 12 + month - 1 + delta
        out.append(f"{index // 12}-{index % 12 + 1:02d}")
    return out


@pytest.mark.parametrize("path", example_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_windowed_due_equals_full_schedule(path, catalogue):
    from jiuye.examples import example_name
    on = example_date(path)
    document = example_name(path).split("_")[0]
    case = build_case(load_example(path), dt.date.fromisoformat(on))
    system, simulation = case.system, case.simulation
    checked = 0
    for measure in [m for m in catalogue.executable() if m.document == document]:
        population = case.population(measure.entity)
        for month in months_around(on):
            period = periods.period(month)
            due = simulation.calculate(measure.variable, period)
            eligible = simulation.calculate(f"{measure.variable}__eligible", period)
            if not eligible.any():
                assert not due.any()
                continue
            full = system.installments_for(population, measure, period)
            expected = full.due_between(month_first_day(period), period_last_day(period)) * eligible \
                * simulation.calculate(f"{measure.variable}__kept", period)
            assert np.allclose(due, expected), f"{measure.id} {month}: {due} != {expected}"
            checked += 1
    assert checked, "no eligible month checked"
