"""Parameter descriptions: `jiuye.params.describe_parameter` reads the system each time (no memo of
its own), and the explanations keep theirs per system, measure and assessment date
(`jiuye.explain_templates.Template.described_on`), a bounded number of dates: however many days
public requests name, memory stays bounded, and a description is always of its own system and day."""

from __future__ import annotations

import datetime as dt

from openfisca_core import periods

from jiuye.batch.reform import build_reform, parse_reform
from jiuye.catalogue import load_catalogue
from jiuye.explain_templates import Template, templates_of
from jiuye.model.system import get_system
from jiuye.params import describe_parameter, get_parameter

WAGE = "reference.minimum_wage.beijing"
YEARS = "xicheng.c06.max_years"


def _template(system, measure_id: str = "xicheng/6/employer") -> Template:
    return templates_of(system).measure(load_catalogue().measure(measure_id))


def _described(template: Template, system, on: dt.date) -> dict:
    return {p["name"]: p for p in template.described_on(system, on)[0]}


def test_the_dates_kept_are_bounded_and_the_recent_kept():
    system = get_system()
    template = _template(system)
    first = dt.date(2020, 1, 1)
    for i in range(400):
        described = template.described_on(system, first + dt.timedelta(days=i))
        assert len(template.described) <= Template.DATES
    assert template.described_on(system, first + dt.timedelta(days=399)) is described   # the most recent


def test_a_description_is_of_its_day():
    """Beijing's minimum wage: 2420 from 2023-09-01, 2540 from 2025-09-01 (京人社劳发〔2025〕7号);
    the day a value takes effect is its first day."""
    system = get_system()
    template = _template(system)
    for on, value, since in ((dt.date(2025, 8, 31), 2420, "2023-09-01"), (dt.date(2025, 9, 1), 2540, "2025-09-01")):
        for described in (describe_parameter(system, WAGE, on), _described(template, system, on)[WAGE]):
            assert (described["value"], described["effective_from"]) == (value, since), on


def test_a_description_is_of_its_own_system():
    """A reform's clone of the system, with another value, gets its own descriptions (the
    explanations' too: a reform has its own templates); the standard system keeps its own."""
    system = get_system()
    on = dt.date(2026, 1, 1)
    base = describe_parameter(system, YEARS, on)["value"]
    assert _described(_template(system), system, on)[YEARS]["value"] == base
    reformed = build_reform(system, parse_reform({"changes": [{"parameter": YEARS, "value": base + 2}]}, system))
    assert describe_parameter(reformed, YEARS, on)["value"] == base + 2
    assert _described(_template(reformed), reformed, on)[YEARS]["value"] == base + 2
    assert describe_parameter(system, YEARS, on)["value"] == base
    assert _described(_template(system), system, on)[YEARS]["value"] == base


def test_a_changed_parameter_is_described_as_it_now_is():
    """A value added to a parameter (of a clone: the standard system is shared by the tests) is
    described from the next call on: nothing of the previous description is kept."""
    system = get_system()
    on = dt.date(2026, 1, 1)
    base = describe_parameter(system, YEARS, on)["value"]
    reformed = build_reform(system, parse_reform({"changes": [{"parameter": YEARS, "value": base + 1}]}, system))
    assert describe_parameter(reformed, YEARS, on)["value"] == base + 1
    get_parameter(reformed, YEARS).update(start=periods.instant("2025-07-01"), value=base + 3)
    described = describe_parameter(reformed, YEARS, on)
    assert (described["value"], described["effective_from"]) == (base + 3, "2025-07-01")
    assert describe_parameter(system, YEARS, on)["value"] == base
