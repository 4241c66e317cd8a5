"""`jiuye synth`: reproducible from the seed, valid ids, the roster format that match/simulate read."""

import hashlib
import json

import numpy as np
from typer.testing import CliRunner

from jiuye.cli import app


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    runner = CliRunner()
    args = ["synth", "--district", "xicheng", "--persons", "3000", "--orgs", "300"]
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        result = runner.invoke(app, args + ["--seed", seed, "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    a, b, c = (_hashes(tmp_path / n) for n in "abc")
    assert set(a) == {"persons.parquet", "organisations.parquet", "contracts.parquet", "persons.csv",
                      "organisations.csv", "contracts.csv", "synth.json"}
    assert a == b                                        # identical bytes, every file
    assert a["persons.parquet"] != c["persons.parquet"]
    manifest = json.loads((tmp_path / "a" / "synth.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 5 and manifest["district"] == "xicheng" and manifest["persons"] == 3000
    assert manifest["files"]["persons.parquet"] == a["persons.parquet"]


def test_ids_are_valid_and_unique_and_the_roster_reads_back_clean(tmp_path, system):
    from jiuye.batch.roster import check_org_ids, check_person_ids, read_roster
    result = CliRunner().invoke(app, ["synth", "--district", "heping", "--persons", "2000", "--orgs", "150",
                                      "--seed", "1", "--out", str(tmp_path / "pop")])
    assert result.exit_code == 0, result.output
    roster = read_roster(tmp_path / "pop", system)
    assert roster.report.rejected == 0 and roster.report.reconciles()
    population = roster.population
    assert check_person_ids(population.person_ids.astype(str))[0].all()
    assert check_org_ids(population.org_ids.astype(str))[0].all()
    assert len(set(population.person_ids)) == 2000 and len(set(population.org_ids)) == 150
    # heping is the home district: the largest share of the covered districts
    district = list(system.variables["hukou_district"].possible_values.__members__)
    hukou = population.person_facts["hukou_district"]
    counts = np.bincount(hukou, minlength=len(district))
    counts[district.index("unknown")] = counts[district.index("other")] = 0     # elsewhere, not known
    assert district[int(np.argmax(counts))] == "heping"
    # Tianjin's minimum wage anchors the wages: the lowest full wage is about the minimum
    wages = population.person_facts["monthly_wage"]
    assert 1900 < np.nanmin(wages) < 2500


def test_a_city_wide_document_is_not_a_district(tmp_path):
    result = CliRunner().invoke(app, ["synth", "--district", "beijing", "--persons", "10", "--orgs", "2",
                                      "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "是全市文件" in result.output


def test_the_bench_generator_is_the_package_generator(system):
    import datetime as dt
    from bench.population import build_simulation, generate_population
    population = generate_population(500, 50, seed=3, on=dt.date(2025, 6, 15), system=system)
    simulation = build_simulation(population, system)
    assert simulation.calculate("xicheng_6_employer__eligible", "2025-06").shape == (500,)


def test_a_units_class_at_the_moment_copies_its_class_today(system):
    """heping/十's employer classes at the hire (a person's facts) are the listed employer's class today for
    employees, false for anyone else; heping/十七's 小微企业 at the loan is the firm's class today — copied, not drawn
    (no history of a unit's size in a synthetic population), so no other fact's draw moves."""
    import datetime as dt
    from jiuye.batch.synth import EMPLOYER_CLASS_AT_HIRE, generate_population
    from jiuye.batch.population import ROLE_KEYS
    steps = []
    population = generate_population(2000, 150, seed=4, on=dt.date(2024, 6, 30), system=system, district="heping",
                                     progress=lambda: steps.append(1))
    from jiuye.batch.synth import generation_steps
    assert len(steps) == generation_steps(system)
    persons, orgs = population.person_facts, population.org_facts
    employee = population.role_of_person == ROLE_KEYS.index("employee")
    for name, source in EMPLOYER_CLASS_AT_HIRE.items():
        assert name not in population.generic_facts
        expected = employee & orgs[source][population.org_of_person]
        assert np.array_equal(persons[name], expected), name
    assert np.array_equal(orgs["heping_17_small_micro_at_loan"], orgs["heping_small_micro"])
    assert orgs["heping_small_micro"].any() and persons["heping_employer_small_micro_at_hire"].any()
