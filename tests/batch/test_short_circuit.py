"""The batch evaluator's short cuts against the full evaluation, on a generated population with
missing facts: conditions evaluated on the rows still possible (persons and organisations, an
organisation's counts over the members of those organisations only), any-of / all-of children on
the rows their earlier children leave undecided, installments on the eligible rows. Decided results
must be equal, and an undetermined result must stay undetermined with the same missing facts, as
when every condition of every measure is evaluated on every row (the generated `__eligible`
formula on the whole population, organisations evaluated whole)."""

from __future__ import annotations

import numpy as np
import pytest
from openfisca_core import periods

from jiuye.assess import views
from jiuye.assess.evaluation import Evaluation
from jiuye.batch.evaluate import Evaluator
from jiuye.batch.results import ELIGIBLE, UNDETERMINED, known_or_nan, whose
from jiuye.model.partial import is_partial

from .conftest import ON


def _full(population, system, measures, on):
    """Every measure by the generated variables on every row: {id: (status by unit, missing facts
    by unit, the month's amount by eligible unit)}."""
    ev = Evaluation(population, on, system, reasons="facts")
    assert not ev.org_row_views
    period = periods.period(on.strftime("%Y-%m"))
    out = {}
    for m in measures:
        eligible = ev.value(f"{m.variable}__eligible", period)
        if m.entity == "organisation":
            units = np.arange(ev.layout.n_orgs)
        elif m.beneficiary == "organisation":
            mask = ev.org_of_person < ev.layout.n_orgs
            if m.role:
                mask &= ev.role_mask(m.role)
            units = np.flatnonzero(mask)
        else:
            units = np.arange(ev.n_persons)
        value = eligible[units]
        status, missing = {}, {}
        if is_partial(value):
            possible = value.lo | ~value.known
            pick = np.flatnonzero(possible)
            columns = {}
            for (entity, fact), mask in ev.reason_columns(value[pick]).items():
                columns.setdefault((fact, whose(m.entity, entity)), np.zeros(len(pick), bool))
                columns[(fact, whose(m.entity, entity))] |= mask
            for i, row in enumerate(pick):
                unit = int(units[row])
                status[unit] = ELIGIBLE if value.known[row] else UNDETERMINED
                missing[unit] = {k for k, mask in columns.items() if mask[i]}
            known_true = value.lo & value.known
        else:
            known_true = np.asarray(value, bool)
            for unit in units[known_true]:
                status[int(unit)], missing[int(unit)] = ELIGIBLE, set()
        rows = units[known_true]
        month = {}
        if len(rows):
            amounts = known_or_nan(ev.value(m.variable, period), rows)
            month = dict(zip(rows.tolist(), amounts.tolist()))
        out[m.id] = (status, missing, month)
    return out


@pytest.mark.parametrize("share", [8, 0], ids=["share-8", "rows-always"])
@pytest.mark.parametrize("on", [ON, ON.replace(year=2026, month=11, day=23)])
def test_short_cuts_equal_the_full_evaluation(blank_population, system, catalogue, on, share, monkeypatch):
    # share 0: a view of any number of rows computes on its rows (never for every row instead), so
    # the small population goes through every row-restricted path
    monkeypatch.setattr(views, "FULL_SHARE", share)
    measures = catalogue.executable()
    fast = Evaluator(blank_population, system).match(measures, on)
    full = _full(blank_population, system, measures, on)
    undetermined = organisation_cases = 0
    for m in measures:
        r = fast[m.id]
        status, missing, month = full[m.id]
        got = {int(u): int(s) for u, s in zip(r.unit, r.status)}
        assert got == status, m.id
        for i, unit in enumerate(r.unit.tolist()):
            assert {r.facts[j] for j in np.flatnonzero(r.missing[i])} == missing[unit], (m.id, unit)
            if r.status[i] == ELIGIBLE:
                expected = month[unit]
                assert (np.isnan(r.month[i]) and np.isnan(expected)) or r.month[i] == expected, (m.id, unit)
        undetermined += int(np.count_nonzero(r.status == UNDETERMINED))
        organisation_cases += len(r.unit) if m.entity == "organisation" else 0
    assert undetermined > 40 and organisation_cases > 10        # the comparison covers both kinds


def _same(whole, some, a, b, what):
    assert is_partial(a) == is_partial(b), what
    if not is_partial(a):
        assert np.array_equal(np.asarray(a), np.asarray(b)), what
        return
    assert np.array_equal(a.lo, b.lo) and np.array_equal(a.hi, b.hi) and np.array_equal(a.known, b.known), what
    ra, rb = whole.reason_columns(a), some.reason_columns(b)
    assert {k: v.tolist() for k, v in ra.items() if v.any()} == {k: v.tolist() for k, v in rb.items() if v.any()}, what


def test_an_organisation_view_aggregates_the_members_of_its_organisations_only(system):
    """An organisation view of some rows (the batch evaluator's) aggregates over the members of
    those organisations only, with the values and reasons of the whole evaluation at those rows:
    member counts of the catalogue and the aggregation API itself (sum, any, nb_persons, project)."""
    from jiuye.batch.synth import generate_population
    from jiuye.model.entities import Organisation
    from jiuye.model.facts.places import District
    population = generate_population(3000, 12, seed=3, on=ON, system=system)   # large organisations
    rng = np.random.default_rng(2)
    for name in ("contract_start_date", "hukou_district", "monthly_wage"):
        population.person_given[name] = rng.random(population.n_persons) > 0.05
    period = periods.period(ON.strftime("%Y-%m"))
    whole = Evaluation(population, ON, system, reasons="facts")
    some = Evaluation(population, ON, system, reasons="facts")
    some.org_row_views = True
    rows = np.array([0, 2, 3, 7, 11])                  # 11: the last organisation
    view = some.view("organisation", rows)
    decided_nonzero = partial = 0
    for name in ("heping_17_current_employees", "heping_17_new_hires_meeting_loan_conditions",
                 "binjiang_4_stable_hires", "haidian_5_placements_in_year", "xicheng_20_training_scale"):
        a, b = whole.value(name, period)[rows], view(name, period)
        _same(whole, some, a, b, name)
        partial += is_partial(a)
        decided_nonzero += int(np.count_nonzero(a.lo if is_partial(a) else a))
    orgs = whole.orgs
    wage = lambda org: org.sum(org.members("monthly_wage", period), role=Organisation.EMPLOYEE)    # noqa: E731
    _same(whole, some, wage(orgs)[rows], wage(view), "sum")
    xicheng = lambda org: org.any(org.members("hukou_district", period) == District.xicheng)    # noqa: E731
    _same(whole, some, xicheng(orgs)[rows], xicheng(view), "any")
    _same(whole, some, orgs.nb_persons(Organisation.EMPLOYEE)[rows], view.nb_persons(Organisation.EMPLOYEE),
          "nb_persons")
    members = view.members
    projected = view.project(np.arange(len(rows)) + 1)
    assert np.array_equal(rows[projected - 1], some.org_of_person[members._persons.rows]), "project"
    assert partial and decided_nonzero                # the counts compared are neither all decided nor all 0
