"""The compact answer (the API's default) leaves out only what is static, and expands to the full
answer exactly."""

from __future__ import annotations

import json

from jiuye.answers import compact, expand
from jiuye.examples import example_files, load_example
from jiuye.explain import calculate
from jiuye.model.system import get_system


def _size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def test_every_example_compact_expands_to_the_full_answer():
    system = get_system()
    for path in example_files():
        situation, on = load_example(path)
        full = calculate(situation, on)
        small = compact(full, system)
        assert expand(small, system) == full, path.name
        assert small["compact"] is True
        # what the case decided stays: statuses, amounts, missing facts
        assert [(r["measure"], r["status"], r["amount_to_date"], len(r["missing"])) for r in small["results"]] == \
            [(r["measure"], r["status"], r["amount_to_date"], len(r["missing"])) for r in full["results"]]


def test_the_compact_answer_is_a_fraction_of_the_full_one():
    situation, on = load_example("xicheng_6_stable_employment.json")
    full = calculate(situation, on)
    small = compact(full, get_system())
    assert _size(small) * 3 < _size(full)
    text = json.dumps(small, ensure_ascii=False)
    assert "interpretation" not in text and "description" not in text
