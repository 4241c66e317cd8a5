"""Requests evaluated together (calculate_many, the server's micro-batching) get exactly the answers
they get alone."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.assess.situation import InputError
from jiuye.examples import example_files, load_example
from jiuye.explain import calculate, calculate_many

from .test_soundness import EXAMPLES, _facts


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False, default=str) == \
        json.dumps(b, sort_keys=True, ensure_ascii=False, default=str)


def test_every_example_batched_with_the_others_equals_its_own_answer():
    examples = [load_example(p) for p in example_files()]
    # the same persons' ids in several requests, several dates: each request stays its own case
    requests = [(copy.deepcopy(s), on, None) for s, on in examples]
    requests += [(copy.deepcopy(s), on, None) for s, on in examples[:5]]
    batched = calculate_many(requests)
    assert len(batched) == len(requests)
    for (situation, on, measures), answer in zip(requests, batched):
        assert _same(answer, calculate(situation, on, measures))


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_situations_with_facts_removed_batched_equal_their_own_answers(data):
    """With facts missing, values are undetermined: a single case takes the evaluator's one-row
    paths (why-unions of one row, Kleene chains on Python booleans, np.where's hull on whole
    arrays) and a batch the many-row ones; both must give the same answers and missing facts."""
    requests = []
    for path in data.draw(st.lists(st.sampled_from(EXAMPLES), min_size=2, max_size=4), label="examples"):
        situation, on = load_example(path)
        facts = _facts(situation)
        removed = data.draw(st.lists(st.sampled_from(facts), max_size=min(6, len(facts)), unique=True),
                            label="removed") if facts else []
        for group, ident, name in removed:
            situation[group][ident].pop(name)
        requests.append((situation, on, None))
    for (situation, on, measures), answer in zip(requests, calculate_many(requests)):
        assert _same(answer, calculate(situation, on, measures))


def test_one_bad_request_gets_its_error_and_the_others_their_answers():
    situation, on = load_example("xicheng/6")
    bad = copy.deepcopy(situation)
    person = next(iter(bad["persons"].values()))
    person["social_insurance_paid"] = "否"                  # a string is not a boolean
    answers = calculate_many([(situation, on, None), (bad, on, None), (situation, on, ["xicheng/6/employer"])])
    assert _same(answers[0], calculate(situation, on))
    assert isinstance(answers[1], InputError) and "social_insurance_paid" in answers[1].field
    assert _same(answers[2], calculate(situation, on, ["xicheng/6/employer"]))


def test_requests_arriving_together_are_one_evaluation_with_their_own_answers():
    import threading
    from jiuye.web.batching import MicroBatcher
    situation, on = load_example("xicheng/6")
    variants = []
    for wage in (3000, 4000, 5000, 9000):
        s = copy.deepcopy(situation)
        next(iter(s["persons"].values()))["monthly_wage"] = wage
        variants.append(s)
    batcher = MicroBatcher(wait=0.5, max_batch=8)
    answers = [None] * len(variants)

    def ask(i):
        answers[i] = batcher.calculate(variants[i], on)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(variants))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert batcher.requests == len(variants) and batcher.batches < len(variants)
    for variant, answer in zip(variants, answers):
        assert _same(answer, calculate(variant, on))
    # the wages differ, so the answers do too: nothing leaked from one request into another
    assert len({json.dumps(a, sort_keys=True, default=str) for a in answers}) > 1


def test_a_lone_client_does_not_wait_and_a_compact_request_gets_the_compact_answer():
    """After a batch of one, the next request is taken at once (the wait is for gathering a load
    that is there); a request asking for the compact answer gets `calculate(..., compact=True)`'s."""
    import time
    from jiuye.web.batching import MicroBatcher
    situation, on = load_example("xicheng/6")
    batcher = MicroBatcher(wait=3.0, max_batch=8)
    first = batcher.calculate(situation, on, compact=True)            # no batch yet: waits
    assert _same(first, calculate(situation, on, compact=True))
    assert first["compact"] is True and "items" in first
    started = time.monotonic()
    again = batcher.calculate(situation, on)
    assert time.monotonic() - started < 3.0, "a lone request after a lone batch waited for company"
    assert _same(again, calculate(situation, on))


def test_a_batch_failing_as_a_whole_is_evaluated_request_by_request(monkeypatch):
    """An error no input check catches (here: one request's evaluation raises) fails the merged
    evaluation; its requests are then evaluated alone: the others get their answers, it its error."""
    import threading
    import jiuye.explain
    from jiuye.web.batching import MicroBatcher
    situation, on = load_example("xicheng/6")
    poisoned = copy.deepcopy(situation)
    poisoned["persons"]["毒"] = {}
    real = jiuye.explain.calculate_many
    calls = []

    def failing(requests, **options):
        calls.append(len(requests))
        if any("毒" in s.get("persons", {}) for s, _, _ in requests):
            raise RuntimeError("internal error")
        return real(requests, **options)

    monkeypatch.setattr(jiuye.explain, "calculate_many", failing)
    batcher = MicroBatcher(wait=0.5, max_batch=8)
    variants = [situation, poisoned, situation]
    answers = [None] * 3

    def ask(i):
        try:
            answers[i] = batcher.calculate(variants[i], on)
        except RuntimeError as error:
            answers[i] = error

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls[0] == 3 and calls[1:] == [1, 1, 1]          # merged, then one by one
    assert isinstance(answers[1], RuntimeError)
    assert _same(answers[0], calculate(situation, on)) and _same(answers[2], calculate(situation, on))
