"""Caps declared in the catalogue: over a schedule, per calendar year, and shared by a group."""

import numpy as np

from jiuye.model.base import Installments
from jiuye.model.dates import NEVER

from .conftest import load_example, result_for, run


def schedule(*rows):
    due = np.array([[d for d, _ in row] for row in rows], dtype="datetime64[D]")
    amount = np.array([[a for _, a in row] for row in rows], dtype=float)
    return Installments(due, amount, np.zeros(due.shape, bool))


def test_a_total_cap_pays_in_due_date_order_until_it_is_reached():
    inst = schedule([("2025-03-01", 60000), ("2024-03-01", 60000), (str(NEVER), 5)])
    capped = inst.capped(100000)
    assert capped.amount[0].tolist() == [40000, 60000, 0]     # the earlier installment is paid first


def test_a_yearly_cap_restarts_each_calendar_year():
    inst = schedule([("2024-01-31", 300000), ("2024-12-31", 300000), ("2025-06-30", 300000)])
    assert inst.capped(500000, "year").amount[0].tolist() == [300000, 200000, 300000]


def test_a_group_cap_counts_earlier_members_first():
    earlier = schedule([("2024-05-01", 70000)])
    later = schedule([("2024-06-01", 50000), ("2025-06-01", 50000)])
    assert later.capped(100000, "total", already=earlier).amount[0].tolist() == [30000, 0]
    assert later.capped(100000, "year", already=earlier).amount[0].tolist() == [30000, 50000]


def test_amounts_set_elsewhere_are_left_alone():
    inst = schedule([("2024-05-01", float("nan")), ("2024-06-01", 80000)])
    capped = inst.capped(50000)
    assert np.isnan(capped.amount[0, 0]) and capped.amount[0, 1] == 50000


def test_the_xicheng_15_cap_is_the_catalogues_and_is_explained():
    situation = load_example("xicheng_15_startup_hiring.json")
    org = next(iter(situation["organisations"].values()))
    org["xicheng_15_stable_hires"] = 101          # 101 × 1000 = 101000, above 10万元
    result = next(r for r in run(situation, "2026-11-23", ["xicheng/15"])["results"])
    assert [i["amount"] for i in result["installments"]] == [100000.0]
    assert "xicheng.c15.cap" in [p["name"] for p in result["parameters"]]


def test_a_sum_cap_stacking_group_shares_its_cap_in_catalogue_order():
    import dataclasses
    from openfisca_core.simulation_builder import SimulationBuilder
    from jiuye.catalogue import Catalogue, load_catalogue
    from jiuye.model.system import JiuyeSystem
    from .test_explain import BASE
    base = load_catalogue()
    group = {"group": "test/sum", "policy": "sum_cap", "cap": "xicheng.c16.operating_subsidy"}      # 30000
    measures = dict(base.measures)
    for mid in ("xicheng/6/employer", "xicheng/6/person"):
        measures[mid] = dataclasses.replace(measures[mid], stacking=group)
    system = JiuyeSystem(Catalogue(base.documents, measures))
    builder = SimulationBuilder()
    builder.set_default_period("2027-06")
    simulation = builder.build_from_entities(system, BASE)
    # employer first: 6000 + 9000 + 12000 = 27000; the person then gets what is left of 30000
    assert simulation.calculate("xicheng_6_employer__total", "2027-06")[0] == 27000
    assert simulation.calculate("xicheng_6_person__total", "2027-06")[0] == 3000
    assert simulation.calculate_add("xicheng_6_person", "2025")[0] == 3000      # due 2025-03-14
    assert simulation.calculate_add("xicheng_6_person", "2026")[0] == 0
