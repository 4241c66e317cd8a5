"""The compact answer (the API's default) leaves out only what is static, and expands to the full
answer exactly."""

from __future__ import annotations

import json

from jiuye.answers import compact, expand
from jiuye.examples import example_files, load_example
from jiuye.explain import calculate, calculate_many
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


def _bytes(answer) -> bytes:
    import orjson
    return orjson.dumps(answer, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def test_the_explainer_makes_the_compact_answer_itself_byte_for_byte():
    """The API's default answer, `calculate(..., compact=True)`, made without a full answer: the same
    bytes as `compact(calculate(...))` (key order and the items' places included), alone and
    batched — several requests with the same ids, each with its own items table — on every
    example, also before any document is in force and with facts left out (open conditions,
    schedules still needing facts)."""
    import datetime as dt
    system = get_system()
    requests = [(situation, on, None) for situation, on in map(load_example, example_files())]
    early = [(s, dt.date(2019, 6, 1), m) for s, _, m in requests[:4]]
    sparse = []
    for situation, on, _ in requests[:12]:
        thin = {**situation, "persons": {p: {k: v for n, (k, v) in enumerate(body.items()) if n % 3 != 1}
                                         for p, body in (situation.get("persons") or {}).items()}}
        sparse.append((thin, on, None))
    asked = requests + requests[:5] + early + sparse
    for (situation, on, measures), made in zip(asked, calculate_many(asked, compact=True)):
        full = calculate(situation, on, measures)
        assert _bytes(made) == _bytes(compact(full, system))
        assert expand(made, system) == full
    for situation, on, measures in requests[:3] + early[:1] + sparse[:3]:
        assert _bytes(calculate(situation, on, measures, compact=True)) == \
            _bytes(compact(calculate(situation, on, measures), system))
