"""Matching: the vectorised statuses, missing facts and amounts are the single-case answers."""

import datetime as dt

import numpy as np
import pytest

from jiuye.batch.evaluate import Evaluator
from jiuye.batch.results import STATUS_KEYS
from jiuye.batch.population import situation
from jiuye.explain import calculate

from .conftest import DEMO, ON


def _index(results):
    out = {}
    for mid, r in results.items():
        for i in range(len(r.unit)):
            missing = {f for j, (f, _) in enumerate(r.facts) if r.missing[i, j]}
            schedule = {f for j, (f, _) in enumerate(r.schedule_facts) if r.schedule_missing[i, j]}
            out[(mid, int(r.unit[i]))] = (STATUS_KEYS[int(r.status[i])], r.to_date[i], r.month[i], missing, schedule,
                                          bool(r.kept[i]))
    return out


@pytest.fixture(params=[8, 0], ids=["share-8", "rows-always"])
def full_share(request, monkeypatch):
    """Row views compute for every row above 1/8 of the rows (the default), or never (0: a view of
    any number of rows computes on its rows only): the small test populations then exercise the
    row-restricted evaluation on every subset. The share is read by jiuye.assess.views."""
    from jiuye.assess import views
    monkeypatch.setattr(views, "FULL_SHARE", request.param)
    return request.param


@pytest.mark.parametrize("on", [ON, dt.date(2026, 11, 23)])
def test_every_case_agrees_with_explain(small_population, system, catalogue, on, full_share):
    population = small_population
    results = Evaluator(population, system).match(catalogue.executable(), on)
    mine = _index(results)
    person = {str(x): i for i, x in enumerate(population.person_ids)}
    org = {str(x): i for i, x in enumerate(population.org_ids)}
    first, last = np.datetime64(on.replace(day=1)), np.datetime64(on.replace(day=1) + dt.timedelta(days=31))
    first_next = np.datetime64(str(last)[:7] + "-01")
    cases = [("org", o) for o in range(0, population.n_orgs, 3)] + \
            [("person", int(p)) for p in np.flatnonzero(population.org_of_person < 0)[:10]]
    compared = 0
    for kind, index in cases:
        sit = situation(population, system, org=index) if kind == "org" else situation(population, system, person=index)
        for r in calculate(sit, on)["results"]:
            measure = catalogue.measure(r["measure"])
            unit = person[r["person"]] if r.get("person") else \
                (org[r["beneficiary"]] if measure.entity == "organisation" else person[r["beneficiary"]])
            got = mine.get((r["measure"], unit))
            compared += 1
            if r["status"] == "ineligible":
                assert got is None, (r["measure"], unit)
                continue
            status, to_date, month, missing, schedule, kept = got
            assert status == r["status"], (r["measure"], unit)
            assert missing == {m["variable"] for m in r["missing"]}, (r["measure"], unit)
            assert schedule == {m["variable"] for m in r.get("schedule_missing", [])}, (r["measure"], unit)
            if status == "eligible":
                expected = r["amount_to_date"]
                assert (None if np.isnan(to_date) else round(float(to_date), 2)) == expected, (r["measure"], unit)
                if expected is not None and r["installments"]:
                    due = [i["amount"] for i in r["installments"]
                           if first <= np.datetime64(i["due"]) < first_next and i["amount"] is not None]
                    assert round(float(month), 2) == round(sum(due), 2), (r["measure"], unit)
    assert compared > 2000


def test_blank_cells_and_absent_columns_are_undetermined_never_false(system, catalogue):
    from jiuye.batch.roster import read_roster
    roster = read_roster(DEMO, system, on=dt.date(2025, 3, 20))
    population = roster.population
    results = Evaluator(population, system).match([catalogue.measure("xicheng/6/employer")], dt.date(2025, 3, 20))
    r = results["xicheng/6/employer"]
    by_person = {str(population.person_ids[u]): i for i, u in enumerate(r.unit)}
    # 李娜: 月工资 blank -> undetermined, missing exactly the wage
    li = by_person["11010219980612004X"]
    assert STATUS_KEYS[int(r.status[li])] == "undetermined"
    assert [r.facts[j] for j in np.flatnonzero(r.missing[li])] == [("monthly_wage", "")]
    # 吴刚: the restaurant's 单位类型 blank -> undetermined, named as the organisation's fact
    wu = by_person["110102199608150010"]
    assert [r.facts[j] for j in np.flatnonzero(r.missing[wu])] == [("org_type", "org")]
    # 张丽: eligible, the first contract year (2024-03-15 .. 2025-03-14) pays 6000 in March 2025
    zhang = by_person["110102199505010023"]
    assert STATUS_KEYS[int(r.status[zhang])] == "eligible"
    assert r.month[zhang] == 6000 and r.to_date[zhang] == 6000 and r.total[zhang] == 6000 + 9000 + 12000
    # 王强 (朝阳区 户籍) is ineligible: not listed
    assert "110105199003010030" not in by_person
    # an absent column (veteran is not in the demo roster): undetermined, never false
    population.person_facts.pop("veteran", None)
    again = Evaluator(population, system).match([catalogue.measure("xicheng/6/employer")], dt.date(2025, 3, 20))
    assert again["xicheng/6/employer"].counts == r.counts


def test_where_every_fact_is_given_the_amounts_equal_plain_openfisca(system, catalogue, full_share):
    """Where every fact is given, the three-valued evaluator (eligibility condition after condition
    on the undecided rows, installments on the eligible rows only) computes exactly what the
    generated OpenFisca variables compute on every row of a plain simulation."""
    from openfisca_core import periods
    from jiuye.batch.population import build_simulation
    from jiuye.batch.synth import generate_population
    complete = generate_population(600, 60, seed=7, on=ON, system=system)
    for table in (complete.person_facts, complete.org_facts):     # a cost left blank (NaN) given too
        for name, values in table.items():
            values = np.asarray(values)
            if values.dtype.kind == "f" and np.isnan(values).any():
                table[name] = np.where(np.isnan(values), 1234.0, values)
    measures = catalogue.executable()
    for month in ("2025-06", "2026-11"):
        period = periods.period(month)
        plain = build_simulation(complete, system)
        evaluator = Evaluator(complete, system)
        fast = evaluator.amounts(measures, period)
        for m in measures:
            population = plain.persons if m.entity == "person" else plain.populations["organisation"]
            expected = population(m.variable, period)
            assert np.array_equal(fast[m.id].full(), expected), (m.id, month)
            assert np.array_equal(fast[m.id].eligible, population(f"{m.variable}__eligible", period)), m.id
            ours = evaluator.population_of(m.entity, dt.date.fromisoformat(str(period.stop)))(
                f"{m.variable}__total", period)
            assert np.array_equal(ours, population(f"{m.variable}__total", period)), m.id


def _ledger_with_a_claim(tmp_path, system):
    from jiuye.batch.roster import read_roster
    from jiuye.ledger import Ledger
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger(url)
    worker = ledger.create_user(None, "worker", "case_worker", password="a-long-password-123")
    roster = read_roster(DEMO, system, on=dt.date(2025, 3, 20))
    population = roster.population
    sit = situation(population, system, org=0)
    org = ledger.register_applicant(None, "organisation", "91110102MA01ABCD1P", "北京示例科技有限公司")
    person = ledger.register_applicant(None, "person", "110102199505010023", "张丽")
    ledger.submit(worker.id, measure_id="xicheng/6/employer", beneficiary_id=org.id, person_id=person.id,
                  situation=sit, on=dt.date(2025, 3, 20), beneficiary_key="91110102MA01ABCD1P",
                  person_key="110102199505010023")
    ledger.close()
    return url


def test_existing_claims_in_the_ledger_are_skipped(tmp_path, system, catalogue):
    from jiuye.batch.claims import claimed
    from jiuye.batch.match import build_rows
    from jiuye.batch.roster import read_roster
    url = _ledger_with_a_claim(tmp_path, system)
    claims = claimed(url)
    assert ("xicheng/6/employer", "91110102MA01ABCD1P", "110102199505010023") in claims
    population = read_roster(DEMO, system, on=dt.date(2025, 3, 20)).population
    measures = [catalogue.measure("xicheng/6/employer"), catalogue.measure("xicheng/6/person")]
    results = Evaluator(population, system).match(measures, dt.date(2025, 3, 20))
    without = build_rows(population, results, measures, system)
    with_ledger = build_rows(population, results, measures, system, claimed=claims)
    listed = {(r[0], r[6]) for r in with_ledger.rows}
    assert ("xicheng/6/employer", "110102199505010023") not in listed       # the employer's claim exists
    assert ("xicheng/6/person", "110102199505010023") in listed             # her own reward: no claim yet
    assert len(without.rows) - len(with_ledger.rows) == 1
    assert with_ledger.skipped == {"xicheng/6/employer": 1, "xicheng/6/person": 0}


def test_a_missing_ledger_file_is_a_clear_error(tmp_path):
    from jiuye.batch.claims import ClaimsError, claimed
    with pytest.raises(ClaimsError, match="no ledger database"):
        claimed(f"sqlite:///{tmp_path / 'nothing.db'}")


def test_cli_match_writes_an_excel_outreach_list(tmp_path, system):
    import openpyxl
    from typer.testing import CliRunner
    from jiuye.cli import app
    url = _ledger_with_a_claim(tmp_path, system)
    out = tmp_path / "outreach.xlsx"
    result = CliRunner().invoke(app, ["match", str(DEMO), "--on", "2025-03-20", "--document", "xicheng",
                                      "--ledger", url, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "读取 read 10 = 导入 imported 7 + 拒绝 rejected 3" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["说明", "汇总", "名单", "导入错误"]
    rows = list(book["名单"].iter_rows(values_only=True))
    assert rows[0][:10] == ("措施编号", "措施名称", "条款", "受益方类型", "受益方编号", "受益方名称", "人员身份证号",
                            "人员姓名", "联系电话", "状态")
    zhang = [r for r in rows[1:] if r[0] == "xicheng/6/person" and r[6] == "110102199505010023"]
    assert zhang and zhang[0][9] == "符合条件" and zhang[0][12] == 6000 and zhang[0][7] == "张丽"
    assert not [r for r in rows[1:] if r[0] == "xicheng/6/employer" and r[6] == "110102199505010023"]
    errors = list(book["导入错误"].iter_rows(values_only=True))
    assert len(errors) == 1 + 7 and errors[1][2] == 5                 # header + 7 errors; 人员.csv row 5 first
    strict = CliRunner().invoke(app, ["match", str(DEMO), "--on", "2025-03-20", "--document", "xicheng",
                                      "--out", str(tmp_path / "o.csv"), "--strict"])
    assert strict.exit_code == 3
    assert (tmp_path / "o-导入错误.csv").exists() and (tmp_path / "o-汇总.csv").exists()
