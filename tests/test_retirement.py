"""Statutory retirement per the 2024 decision, checked against the official table."""

import numpy as np
import pytest
from openfisca_core.simulation_builder import SimulationBuilder


def retirement(system, birth: str, category: str):
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    sim = builder.build_from_entities(system, {"persons": {"p": {"birth_date": birth, "retirement_category": category}}})
    months = int(sim.calculate("statutory_retirement_age_months", "2025-01")[0])
    date = str(sim.calculate("statutory_retirement_date", "2025-01")[0])
    return months, date


@pytest.mark.parametrize("birth, category, age_months, retire_month", [
    ("1964-12-15", "male", 720, "2024-12"),          # before the decision: 60 years
    ("1965-01-15", "male", 721, "2025-02"),          # 60y1m
    ("1965-05-15", "male", 722, "2025-07"),          # 60y2m
    ("1976-12-15", "male", 756, "2039-12"),          # 63y (cap reached)
    ("1981-12-15", "female_55", 696, "2039-12"),     # 58y
    ("1969-12-15", "female_55", 660, "2024-12"),     # before: 55
    ("1975-03-15", "female_50", 602, "2025-05"),     # 50y2m
    ("1980-01-15", "female_50", 631, "2032-08"),     # 52y7m
    ("1985-01-15", "female_50", 660, "2040-01"),     # 55y (cap)
    ("1974-12-15", "female_50", 600, "2024-12"),     # before: 50
])
def test_official_table(system, birth, category, age_months, retire_month):
    months, date = retirement(system, birth, category)
    assert months == age_months
    assert date[:7] == retire_month


def test_working_age_ends_at_retirement_date(system):
    builder = SimulationBuilder()
    builder.set_default_period("2025-02")
    sim = builder.build_from_entities(system, {"persons": {
        "p": {"birth_date": "1965-01-15", "retirement_category": "male"}}})   # retires 2025-02-15
    assert bool(sim.calculate("within_legal_working_age", "2025-01")[0]) is True
    assert bool(sim.calculate("within_legal_working_age", "2025-02")[0]) is False   # month's last day is past it


def test_working_age_starts_at_16(system):
    builder = SimulationBuilder()
    builder.set_default_period("2025-02")
    sim = builder.build_from_entities(system, {"persons": {
        "p": {"birth_date": "2009-02-28", "retirement_category": "female_50"}}})
    assert bool(sim.calculate("within_legal_working_age", "2025-01")[0]) is False   # 15 on 2025-01-31
    assert bool(sim.calculate("within_legal_working_age", "2025-02")[0]) is True    # 16 on 2025-02-28
