"""Three-valued soundness of the one evaluator, as a property (hypothesis).

For every demo situation, facts are removed (hypothesis chooses which); the reduced situation is
assessed; then completions of the removed facts are sampled (the original value, the ends of the
fact's declared range, values around the original, any listed value of an enumeration) and each
completed situation is assessed too. Whatever the reduced assessment decides — a measure's status,
its amount to date, any condition of its tree — every completion must decide the same way: what the
given facts decide is decided. And an undetermined result must ask for something, and only for facts
the reduced situation does not give.
"""

from __future__ import annotations

import copy
import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiuye.assess.population import ROLE_KEYS
from jiuye.examples import example_files, example_name, load_example
from jiuye.explain import calculate
from jiuye.model.base import OPTIONAL_FACTS, fact_bounds
from jiuye.model.system import get_system

ROLE_PLURALS = {f"{r}s" for r in ROLE_KEYS} | set(ROLE_KEYS)
SAMPLES = 5


def _facts(situation: dict) -> list[tuple[str, str, str]]:
    """(entity group, id, fact) of every plainly given input fact (not per-period forms, not an
    optional fact: its absence has a meaning of its own, e.g. a "最高不超过" ceiling standing in for
    a cost not given)."""
    system = get_system()
    out = []
    for group in ("persons", "organisations"):
        for ident, entity in (situation.get(group) or {}).items():
            for name, value in entity.items():
                if name in ROLE_PLURALS or isinstance(value, (dict, list)):
                    continue
                variable = system.variables.get(name)
                if variable is None or variable.formulas or name in OPTIONAL_FACTS:
                    continue
                out.append((group, ident, name))
    return out


def _candidates(name: str, original, rng: random.Random) -> list:
    """Values a completion may give the fact (within its declared range and type)."""
    variable = get_system().variables[name]
    kind = variable.value_type
    if kind is bool:
        return [True, False]
    if getattr(variable, "possible_values", None) is not None and kind.__name__ == "Enum":
        return [item.name for item in variable.possible_values]
    if kind is dt.date:
        day = dt.date.fromisoformat(original)
        if day.year > 2199:                          # "9999-12-31": no such date; or any date instead
            day = dt.date(2024, 1, 1)
        values = [original]
        for d in (-1, 1, -31, 31, -366, 366, rng.randint(-2000, 2000)):
            other = day + dt.timedelta(days=d)
            if dt.date(1900, 1, 1) <= other <= dt.date(2199, 12, 31):
                values.append(other.isoformat())
        return values
    lo, hi = fact_bounds(variable)
    values = [original]
    for value in (lo, hi, original * 0.5 if original else 1, original * 2 if original else 10,
                  original - 1, original + 1, rng.uniform(lo if lo is not None else 0, min(hi or 1e5, 1e5))):
        if value is None:
            continue
        if lo is not None and value < lo or hi is not None and value > hi:
            continue
        values.append(int(round(value)) if kind is int else float(value))
    return values


def _set(situation: dict, group: str, ident: str, name: str, value) -> None:
    situation[group][ident][name] = value


def _given(situation: dict) -> set[tuple[str, str]]:
    return {(ident, name) for group, ident, name in _facts(situation)}


def _key(result: dict) -> tuple:
    return result["measure"], result.get("beneficiary"), result.get("person")


def _decided_nodes(node: dict, path: tuple = ()):
    """(path, result) of every decided node of a condition tree."""
    if node.get("result") is not None:
        yield path, node["result"]
    for i, child in enumerate(node.get("conditions") or []):
        yield from _decided_nodes(child, path + (i,))


def _node(tree: list, path: tuple):
    node = {"conditions": tree}
    for i in path:
        node = node["conditions"][i]
    return node


def _check(reduced_results: dict, completed: dict, removed: list) -> None:
    for key, before in reduced_results.items():
        after = completed.get(key)
        assert after is not None, f"{key}: no result after completing {removed}"
        where = f"{key} completed with {removed}"
        if before["status"] != "undetermined":
            assert after["status"] == before["status"], f"{where}: {before['status']} became {after['status']}"
        if before.get("amount_to_date") is not None:
            assert after.get("amount_to_date") == pytest.approx(before["amount_to_date"], abs=0.005), \
                f"{where}: amount {before['amount_to_date']} became {after.get('amount_to_date')}"
        for path, result in _decided_nodes({"conditions": before["conditions"]}):
            if not path:
                continue
            other = _node(after["conditions"], path)
            assert other.get("result") == result, \
                f"{where}: condition {_node(before['conditions'], path).get('label')} {result} became {other.get('result')}"


EXAMPLES = [path for path in example_files()]


@pytest.mark.parametrize("path", EXAMPLES, ids=[example_name(p).removesuffix(".json") for p in EXAMPLES])
@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_decided_results_hold_for_every_completion(path, data):
    situation, on = load_example(path)
    facts = _facts(situation)
    if not facts:
        pytest.skip("no plain facts")
    chosen = data.draw(st.lists(st.sampled_from(facts), min_size=1, max_size=min(6, len(facts)), unique=True),
                       label="removed")
    seed = data.draw(st.integers(0, 2 ** 16), label="seed")
    rng = random.Random(seed)
    reduced = copy.deepcopy(situation)
    originals = {}
    for group, ident, name in chosen:
        originals[(group, ident, name)] = reduced[group][ident].pop(name)
    reduced_out = calculate(reduced, on)
    results = {_key(r): r for r in reduced_out["results"]}
    given_facts = _given(reduced)
    for result in results.values():
        if result["status"] == "undetermined":
            assert result["missing"], f"{_key(result)} undetermined but asks nothing"
        for item in result["missing"]:
            assert (item["id"], item["variable"]) not in given_facts, \
                f"{_key(result)} asks for {item['variable']} of {item['id']}, which is given"
    for _ in range(SAMPLES):
        completed = copy.deepcopy(reduced)
        filled = []
        for (group, ident, name), original in originals.items():
            value = rng.choice(_candidates(name, original, rng))
            _set(completed, group, ident, name, value)
            filled.append((ident, name, value))
        out = calculate(completed, on, measures=[r["measure"] for r in reduced_out["results"]]
                        if reduced_out["results"] else None)
        _check(results, {_key(r): r for r in out["results"]}, filled)


def test_a_formula_decided_by_one_operand_does_not_ask_for_the_other():
    """xicheng/9: not (青年失业人员 and receives unemployment insurance) — with the insurance known
    false it is decided, whatever the age and the registration."""
    situation, on = load_example("xicheng/9")
    person = next(iter(situation["persons"].values()))
    for name in ("birth_date", "registered_unemployed", "unemployment_registration_date"):
        person.pop(name, None)
    person["receives_unemployment_insurance"] = False
    out = calculate(situation, on, measures=["xicheng/9"])
    [result] = out["results"]
    leaf = next(c for c in _leaves(result["conditions"])
                if c.get("variable") == "xicheng_9_youth_no_unemployment_insurance")
    assert leaf["result"] is True
    assert not leaf["missing"]


def _leaves(nodes):
    for node in nodes:
        if "conditions" in node:
            yield from _leaves(node["conditions"])
        else:
            yield node


def test_no_formula_of_any_example_falls_back_to_strict_evaluation():
    """Every formula and installment function the examples reach runs on intervals: none is
    re-run strictly (which would ask for every fact it reads, decided or not)."""
    from jiuye.assess.evaluation import Evaluation
    from jiuye.explain import Explainer, _prepare, entity_ids
    system = get_system()
    strict = {}
    for path in EXAMPLES:
        situation, on = load_example(path)
        _, on, _, selected, population = _prepare(situation, on, None, system, None)
        evaluation = Evaluation(population, on, system)
        explainer = Explainer(evaluation, entity_ids(evaluation))
        with np.errstate(all="ignore"):
            for measure in selected:
                for entity_key, index in explainer.units(measure):
                    explainer.result(measure, entity_key, index)
        for name in evaluation.strict_formulas:
            strict.setdefault(name, (path.name, evaluation.strict_reasons.get(name)))
    assert not strict, strict
