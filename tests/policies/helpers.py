"""Helpers of the day-precise tests of each document (tests/policies/test_<key>_moments.py)."""

import datetime as dt

from ..conftest import run


def find(conditions: list, variable: str) -> dict | None:
    for item in conditions:
        if item.get("variable") == variable:
            return item
        found = find(item.get("conditions") or [], variable)
        if found:
            return found
    return None


def node(conditions: list, variable: str) -> dict:
    """The condition node of `variable` anywhere in an explained condition tree."""
    found = find(conditions, variable)
    assert found is not None, f"{variable} not in the condition tree"
    return found


def day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def day_after(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def result(situation: dict, on: str, measure: str, beneficiary: str, person: str | None = None) -> dict:
    """The one result of `measure` for `beneficiary` (and `person`) on `on`."""
    report = run(situation, on, [measure])
    found = [r for r in report["results"] if r["measure"] == measure and r["beneficiary"] == beneficiary
             and (person is None or r.get("person") == person)]
    assert len(found) == 1, f"{measure}/{beneficiary}/{person}: {len(found)} results"
    return found[0]
