"""Roster import: mapping, validation with a row-level report, reconciliation, formats."""

import csv
import datetime as dt
import io
import shutil

import numpy as np
import pytest

from jiuye.batch.roster import RosterError, read_roster

from .conftest import DEMO, ON


@pytest.fixture(scope="module")
def demo(system):
    return read_roster(DEMO, system, on=ON)


def test_counts_reconcile_and_bad_rows_are_named(demo):
    report = demo.report
    assert report.reconciles()
    counts = {t.table: (t.read, t.imported, t.rejected) for t in report.tables}
    assert counts == {"persons": (10, 7, 3), "organisations": (3, 2, 1), "contracts": (7, 4, 3)}
    errors = {(e.source, e.row, e.column): e.reason for e in report.errors}
    assert "校验码错误" in errors[("人员.csv", 5, "身份证号")]                      # wrong check character
    assert "不是有效日期" in errors[("人员.csv", 6, "出生日期")]                     # 1993年13月1日
    assert "重复（首次出现于第2行）" in errors[("人员.csv", 7, "身份证号")]          # duplicate of row 2
    assert "校验码错误" in errors[("单位.csv", 4, "统一社会信用代码")]
    assert "校验码错误" in errors[("劳动关系.csv", 6, "统一社会信用代码")]          # the rejected organisation
    assert "单位表中没有" in errors[("劳动关系.csv", 7, "统一社会信用代码")]        # not in the organisations table
    assert "已在第2行属于一个单位" in errors[("劳动关系.csv", 8, "身份证号")]       # a second membership
    # every rejected row is named, with its value
    assert len({(e.table, e.row) for e in report.errors}) == report.rejected == 7
    assert all(e.value for e in report.errors)
    # a person's number is masked in the report (it is printed and written to the outreach workbook)
    shown = [e.value for e in report.errors if e.column == "身份证号"]
    assert shown and all(len(v) == 18 and v[6:14] == "*" * 8 for v in shown)


def test_good_rows_are_kept_with_their_facts(demo, system):
    population = demo.population
    ids = list(population.person_ids)
    assert ids == ["110102199505010023", "11010219980612004X", "110105199003010030", "110102199608150010",
                   "110102198502140098", "110102199909090066", "110102199707070083"]
    district = system.variables["hukou_district"].possible_values
    hukou = population.person_facts["hukou_district"]
    # 西城区, 北京市西城区, xicheng all read as the key xicheng; 朝阳区 as chaoyang
    assert [district.__members__ and list(district.__members__)[i] for i in hukou[[0, 1, 2, 3]]] == \
        ["xicheng", "xicheng", "chaoyang", "xicheng"]
    assert population.person_extra["person_name"][0] == "张丽"
    wage = population.person_facts["monthly_wage"]
    assert wage[0] == 4000                                       # "4,000"
    assert np.isnan(wage[1]) and not population.person_given["monthly_wage"][1]     # a blank cell: not given
    # memberships: the first contract row of 110102199505010023 wins; rejected contracts leave persons alone
    org_ids = list(population.org_ids)
    assert org_ids == ["91110102MA01ABCD1P", "92110102MA01EFGH2E"]
    assert list(population.org_of_person) == [0, 0, 0, 1, -1, -1, -1]
    assert demo.report.memberships == 4 and demo.report.persons_alone == 3


def test_birth_date_blank_is_taken_from_the_id_number(demo):
    population = demo.population
    birth = population.person_facts["birth_date"]
    assert str(birth[3]) == "1996-08-15"                          # 吴刚: cell blank, from 110102199608150010
    assert "birth_date" not in population.person_given or population.person_given["birth_date"][3]


def test_a_birth_date_disagreeing_with_the_id_number_is_rejected(tmp_path, system):
    folder = tmp_path / "roster"
    shutil.copytree(DEMO, folder)
    path = folder / "人员.csv"
    text = path.read_text(encoding="utf-8-sig").replace("110102199505010023,张丽,13800000001,1995-05-01",
                                                        "110102199505010023,张丽,13800000001,1995-05-02")
    path.write_text(text, encoding="utf-8-sig")
    report = read_roster(folder, system, on=ON).report
    assert any(e.row == 2 and "与身份证号不一致" in e.reason for e in report.errors)
    assert report.reconciles()


def test_excel_workbook_and_gbk_csv_read_like_the_csv_folder(tmp_path, demo, system):
    from jiuye.batch.roster import read_csv, write_workbook
    import pyarrow.csv as pacsv
    sheets = []
    for name, title in (("人员", "人员"), ("单位", "单位"), ("劳动关系", "劳动关系")):
        table = pacsv.read_csv(DEMO / f"{name}.csv", convert_options=pacsv.ConvertOptions(
            column_types={}, strings_can_be_null=False, auto_dict_encode=False,
            include_columns=None), read_options=pacsv.ReadOptions(autogenerate_column_names=False))
        table = table.cast(__import__("pyarrow").schema([(f.name, __import__("pyarrow").string()) for f in table.schema]))
        sheets.append((title, table))
    write_workbook(tmp_path / "demo.xlsx", sheets)
    excel = read_roster(tmp_path / "demo.xlsx", system, on=ON)
    assert list(excel.population.person_ids) == list(demo.population.person_ids)
    assert [(e.row, e.column) for e in excel.report.errors] == [(e.row, e.column) for e in demo.report.errors]
    # a CSV saved by Excel on Chinese Windows (GBK)
    gbk = tmp_path / "gbk"
    gbk.mkdir()
    for name in ("人员", "单位", "劳动关系"):
        (gbk / f"{name}.csv").write_bytes((DEMO / f"{name}.csv").read_text(encoding="utf-8-sig").encode("gb18030"))
    again = read_roster(gbk, system, on=ON)
    assert list(again.population.person_ids) == list(demo.population.person_ids)
    assert again.population.person_extra["person_name"][0] == "张丽"


def test_unknown_columns_are_reported_not_dropped_silently(tmp_path, system):
    path = tmp_path / "persons.csv"
    path.write_text("身份证号,姓名,户籍所在区,爱好\n110102199505010023,张丽,西城区,游泳\n", encoding="utf-8")
    roster = read_roster(path, system, on=ON)
    assert roster.report.tables[0].ignored == ["爱好"]
    assert any("ignored columns: 爱好" in line for line in roster.report.lines())


def test_a_flat_list_with_an_organisation_column(tmp_path, system):
    path = tmp_path / "employees.csv"
    path.write_text("身份证号,统一社会信用代码,单位类型,月工资（元）\n"
                    "110102199505010023,91110102MA01ABCD1P,有限责任公司,5000\n"
                    "11010219980612004X,91110102MA01ABCD1P,股份有限公司,6000\n", encoding="utf-8")
    roster = read_roster(path, system, on=ON)
    population = roster.population
    assert list(population.org_of_person) == [0, 0] and population.n_orgs == 1
    # the organisation's fact must agree across its rows: the second row is rejected
    assert [(e.row, e.column) for e in roster.report.errors] == [(3, "单位类型")]
    assert roster.report.reconciles()


def test_every_fact_is_accepted_under_its_variable_name_or_label(system):
    from jiuye.batch.roster import mapping_for
    mapping = mapping_for(system)
    assert mapping.column("xicheng_19_online_training_minutes").target == "xicheng_19_online_training_minutes"
    label = system.variables["xicheng_19_online_training_minutes"].label
    assert mapping.column(label).target == "xicheng_19_online_training_minutes"
    assert mapping.column("月工资(元)").target == "monthly_wage"          # half-width brackets
    assert mapping.column("Birth_Date").target == "birth_date"


def test_no_id_column_is_a_clear_error(tmp_path, system):
    path = tmp_path / "persons.csv"
    path.write_text("姓名,户籍所在区\n张丽,西城区\n", encoding="utf-8")
    with pytest.raises(RosterError, match="身份证号"):
        read_roster(path, system, on=ON)


def test_parquet_and_csv_round_trip_the_synthetic_population(synth_roster, system):
    out, written = synth_roster
    roster = read_roster(out, system, on=ON)                 # Parquet preferred when both are there
    assert roster.report.rejected == 0 and roster.report.reconciles()
    assert any("not read: persons.csv" in w for w in roster.report.warnings)
    population = roster.population
    assert list(population.person_ids) == list(written.person_ids)
    assert np.array_equal(population.org_of_person, written.org_of_person)
    for name, values in written.person_facts.items():
        got = population.person_facts[name]
        given = population.person_given.get(name, np.ones(len(got), bool))
        if values.dtype.kind == "f":
            assert np.array_equal(values.astype(float), got, equal_nan=True), name
        else:
            assert np.array_equal(values[given].astype(got.dtype), got[given]), name


@pytest.mark.parametrize("wage, reason", [("inf", "不是数字"), ("-1", "超出范围"), ("1e12", "超出范围"), ("6000", None)])
def test_a_number_outside_the_facts_range_is_rejected_with_the_range(tmp_path, system, wage, reason):
    """Strict facts: a number is finite and within the fact's declared range, or the row is refused
    naming the column (a wage of +Infinity must not pass a wage condition)."""
    folder = tmp_path / "roster"
    shutil.copytree(DEMO, folder)
    path = folder / "劳动关系.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[1][rows[0].index("月工资（元）")] = wage
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    report = read_roster(folder, system, on=ON).report
    errors = [e for e in report.errors if e.table == "contracts" and e.row == 2 and e.column == "月工资（元）"]
    if reason is None:
        assert not errors
    else:
        assert errors and reason in errors[0].reason
    assert report.reconciles()
