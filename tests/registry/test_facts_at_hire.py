"""The registry's dated statuses give the facts judged at the hire (issue 9 item 2, the legal moment):
the current 单位就业 spell's start is the contract's start, and a status held on that day is held at
the hire — so 免申即享 from the registry does not ask what the registry already records."""

import datetime as dt

import numpy as np

from jiuye.registry.facts import snapshot, status_facts
from tests.registry.conftest import person_number

D = dt.date
ON = D(2026, 6, 10)


def _facts(statuses, spells, n=5):
    persons = [(i, person_number(), f"p{i}", 1, -1, "xicheng", "", D(2026, 1, 1)) for i in range(1, n + 1)]
    snap = snapshot(persons, statuses, spells, [], {1: "xicheng"})
    from jiuye.model.system import get_system
    population = status_facts(snap, ON, get_system())
    facts, given = population.person_facts, population.person_given
    return lambda name, i: (facts[name][i - 1], bool(given.get(name, np.ones(n, bool))[i - 1]))


def test_statuses_held_at_the_hire():
    at = _facts(
        statuses=[
            (1, "unemployed", D(2026, 1, 5), D(2026, 5, 10), ""),    # cancelled on the hire day: held at the hire
            (2, "unemployed", D(2026, 1, 5), D(2026, 5, 9), ""),     # cancelled the day before: not held
            (3, "hard_to_employ", D(2025, 3, 1), None, ""),          # still open
            (3, "low_income", D(2025, 3, 1), D(2026, 5, 30), '{"kind": "低保"}'),
            (4, "unemployed", D(2026, 5, 11), None, ""),             # registered only after the hire
            (5, "unemployed", D(2026, 1, 5), None, ""),              # no job: nothing judged at a hire
        ],
        spells=[(1, "employee", D(2026, 5, 10), None), (2, "employee", D(2026, 5, 10), None),
                (3, "employee", D(2025, 6, 1), None), (4, "employee", D(2026, 5, 10), None),
                (5, "flexible", D(2026, 2, 1), None)])
    assert at("contract_start_date", 1) == (np.datetime64("2026-05-10"), True)
    assert at("registered_unemployed_at_hire", 1) == (True, True)
    assert at("registered_unemployed", 1)[0] == False          # noqa: E712 — not today: the hire ended it
    assert at("registered_unemployed_at_hire", 2) == (False, True)
    assert at("hard_to_employ_at_hire", 3) == (True, True)
    assert at("dibao_at_hire", 3) == (True, True)
    assert at("dibao", 3)[0] == False                          # noqa: E712 — the 低保 ended since
    assert at("registered_unemployed_at_hire", 4) == (False, True)
    assert at("contract_start_date", 5)[1] is False          # a flexible spell is no hire: not known
    assert at("registered_unemployed_at_hire", 5)[1] is False


def test_the_latest_current_spell_is_the_hire_and_an_ended_one_is_none():
    at = _facts(
        statuses=[(1, "unemployed", D(2024, 1, 1), D(2024, 6, 1), ""), (2, "unemployed", D(2024, 1, 1), D(2024, 6, 1), "")],
        spells=[(1, "employee", D(2024, 6, 1), None), (1, "employee", D(2025, 9, 1), None),
                (2, "employee", D(2024, 6, 1), D(2026, 6, 10))],     # ended on the day: not current
        n=2)
    assert at("contract_start_date", 1) == (np.datetime64("2025-09-01"), True)
    assert at("registered_unemployed_at_hire", 1) == (False, True)      # the later job: not unemployed then
    assert at("contract_start_date", 2)[1] is False


def test_rural_labour_held_at_the_hire():
    """beijing/10 (招用本市农村劳动力) judges the 农村劳动力 status at the hire: a status recorded on the
    hire day counts even if it ended since, one recorded only after the hire does not."""
    at = _facts(
        statuses=[
            (1, "rural_labour", D(2020, 1, 1), D(2026, 3, 1), ""),     # ended after the hire
            (2, "rural_labour", D(2026, 5, 11), None, ""),            # only after the hire
            (3, "rural_labour", D(2020, 1, 1), None, ""),             # no job: nothing judged at a hire
        ],
        spells=[(1, "employee", D(2025, 6, 1), None), (2, "employee", D(2026, 5, 10), None)],
        n=3)
    assert at("rural_labour_at_hire", 1) == (True, True)
    assert at("rural_labour", 1)[0] == False                       # noqa: E712 — not today
    assert at("rural_labour_at_hire", 2) == (False, True)
    assert at("rural_labour", 2)[0] == True                        # noqa: E712 — today, not at the hire
    assert at("rural_labour_at_hire", 3)[1] is False


def test_heping_statuses_at_the_start_of_work():
    """Heping's 特殊就业困难人员 situations are judged when the work starts (被招用、安置、开始灵活就业):
    a 灵活就业 spell's start is heping_flexible_start_date, and the statuses held then count even
    when they ended since (a 低保 left because of the new income)."""
    at = _facts(
        statuses=[
            (1, "hard_to_employ", D(2025, 1, 1), None, '{"category": "单亲家庭人员"}'),
            (1, "low_income", D(2025, 1, 1), D(2026, 4, 1), '{"kind": "低保"}'),      # ended after the start
            (2, "hard_to_employ", D(2026, 3, 2), None, '{"category": "需赡养患重大疾病直系亲属人员"}'),  # after it
            (3, "low_income", D(2025, 1, 1), None, '{"kind": "低收入"}'),             # not 低保
        ],
        spells=[(1, "flexible", D(2026, 3, 1), None), (2, "flexible", D(2026, 3, 1), None),
                (3, "employee", D(2026, 3, 1), None)],
        n=4)
    assert at("heping_flexible_start_date", 1) == (np.datetime64("2026-03-01"), True)
    assert at("heping_hard_to_employ_at_work_start", 1) == (True, True)
    assert at("heping_single_parent_family_at_work_start", 1) == (True, True)
    assert at("heping_dibao_family_at_work_start", 1) == (True, True)
    assert at("dibao", 1)[0] == False                              # noqa: E712 — not today
    assert at("heping_hard_to_employ_at_work_start", 2) == (False, True)
    assert at("heping_supports_ill_relative_at_work_start", 2) == (False, True)
    assert at("heping_dibao_family_at_work_start", 3) == (False, True)     # a hire starts work too
    assert at("heping_flexible_start_date", 3)[1] is False
    assert at("heping_hard_to_employ_at_work_start", 4)[1] is False        # no work: not known
