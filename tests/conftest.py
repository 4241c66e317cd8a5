import datetime as dt
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def system():
    from jiuye.model.system import get_system
    return get_system()


@pytest.fixture(scope="session")
def catalogue():
    from jiuye.catalogue import load_catalogue
    return load_catalogue()


def load_example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def run(situation: dict, on: str, measures=None) -> dict:
    from jiuye.explain import calculate
    return calculate(situation, dt.date.fromisoformat(on), measures)


def result_for(report: dict, measure: str, beneficiary: str | None = None) -> dict:
    found = [r for r in report["results"] if r["measure"] == measure
             and (beneficiary is None or r["beneficiary"] == beneficiary)]
    assert len(found) == 1, f"{measure}/{beneficiary}: {len(found)} results"
    return found[0]


def example_date(name: str) -> str:
    """The assessment date an example is meant for (examples/assessment-dates.json)."""
    dates = json.loads((EXAMPLES / "assessment-dates.json").read_text(encoding="utf-8"))
    if name in dates:
        return dates[name]
    return dates["_default_by_document"].get(name.split("_")[0], "2026-11-23")
