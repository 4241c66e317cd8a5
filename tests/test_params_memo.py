"""`jiuye.params.describe_parameter`'s memo: bounded however many assessment days are asked (a public
request names its own day), and never one system's description for another."""

from __future__ import annotations

import datetime as dt

from jiuye import params
from jiuye.model.system import get_system


def test_the_memo_is_bounded_and_keeps_the_recent(monkeypatch):
    monkeypatch.setattr(params, "DESCRIBED_MAX", 50)
    monkeypatch.setattr(params, "_DESCRIBED", params.collections.OrderedDict())
    system = get_system()
    first = dt.date(2020, 1, 1)
    for i in range(400):
        described = params.describe_parameter(system, "reference.minimum_wage.beijing", first + dt.timedelta(days=i))
    assert len(params._DESCRIBED) == 50
    again = params.describe_parameter(system, "reference.minimum_wage.beijing", first + dt.timedelta(days=399))
    assert again is described                        # the most recent is still there


def test_a_description_is_of_its_own_system(monkeypatch):
    """A reform's clone of the system, with another value, gets its own description, also when the
    memo holds an entry under the same id (an id is reused once its system is gone)."""
    from jiuye.batch.reform import build_reform, parse_reform
    monkeypatch.setattr(params, "_DESCRIBED", params.collections.OrderedDict())
    system = get_system()
    on = dt.date(2026, 1, 1)
    base = params.describe_parameter(system, "xicheng.c06.max_years", on)["value"]
    reformed = build_reform(system, parse_reform(
        {"changes": [{"parameter": "xicheng.c06.max_years", "value": base + 2}]}, system))
    assert params.describe_parameter(reformed, "xicheng.c06.max_years", on)["value"] == base + 2
    key = (id(reformed), "xicheng.c06.max_years", on)
    params._DESCRIBED[key] = (params.weakref.ref(system), {"value": "stale"})    # as if the id were reused
    assert params.describe_parameter(reformed, "xicheng.c06.max_years", on)["value"] == base + 2
    assert params.describe_parameter(system, "xicheng.c06.max_years", on)["value"] == base
