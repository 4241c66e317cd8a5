"""The hukou's move in the registry (docs/registry.md "户籍迁移"): stored with the person (registration,
change, import: 户籍迁入日期, 原户籍所在区), checked (the field named in Chinese), and given to the
calculator as hukou_moved_in_date / previous_hukou_district, so a measure judging 本区户籍 at the hire
reads the district of the hire's day (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pytest

from jiuye.ledger.errors import InvalidInput
from jiuye.registry.facts import snapshot, status_facts
from jiuye.registry.importer import import_file

from .conftest import person_number

D = dt.date
HIRE = "2026-05-10"
ON = "2026-06-10"
PREVIOUS_LABEL = "迁入现户籍所在区之前的户籍所在区"


# -- the facts of a day (no database) ------------------------------------------------------------------
def _facts(persons, day=D(2026, 6, 10)):
    from jiuye.model.system import get_system
    rows = [(i, person_number(), f"p{i}", 1, -1, hukou, "", D(2026, 1, 1), moved, previous)
            for i, (hukou, moved, previous) in enumerate(persons, start=1)]
    population = status_facts(snapshot(rows, [], [], [], {1: "xicheng"}), day, get_system())
    facts, given = population.person_facts, population.person_given
    from jiuye.model.facts.places import District
    keys = list(District.__members__)

    def at(name, i):
        value, known = facts[name][i - 1], bool(given.get(name, np.ones(len(rows), bool))[i - 1])
        if name.endswith("district"):
            value = keys[int(value)]
        return (value if known else None), known
    return at


def test_a_move_on_or_before_the_day_is_given_and_one_after_it_is_not_yet():
    at = _facts([("xicheng", None, ""),                       # no move recorded
                 ("xicheng", D(2026, 5, 11), "chaoyang"),     # moved before the day
                 ("xicheng", D(2026, 6, 10), "chaoyang"),     # on the day itself
                 ("xicheng", D(2026, 6, 11), "chaoyang"),     # after the day: still in 朝阳 that day
                 ("xicheng", D(2026, 6, 11), ""),             # after the day, from a district not recorded
                 ("xicheng", D(2026, 3, 1), "")])             # moved, from a district not recorded
    assert at("hukou_district", 1) == ("xicheng", True) and at("hukou_moved_in_date", 1) == (None, False)
    assert at("previous_hukou_district", 1) == (None, False)
    assert at("hukou_moved_in_date", 2) == (np.datetime64("2026-05-11"), True)
    assert at("previous_hukou_district", 2) == ("chaoyang", True) and at("hukou_district", 2) == ("xicheng", True)
    assert at("hukou_moved_in_date", 3) == (np.datetime64("2026-06-10"), True)
    # what the registry knows of that day: the hukou was in 朝阳, and no move into it (none later than the day)
    assert at("hukou_district", 4) == ("chaoyang", True)
    assert at("hukou_moved_in_date", 4) == (None, False) and at("previous_hukou_district", 4) == (None, False)
    assert at("hukou_district", 5) == (None, False)
    assert at("hukou_moved_in_date", 6) == (np.datetime64("2026-03-01"), True)
    assert at("previous_hukou_district", 6) == (None, False)         # asked by a measure judged before the move


# -- 免申即享 from the registry: 本区户籍 at the hire (xicheng/6/person) -----------------------------------
def _hired(registry, world, on="2026-06-01", **hukou):
    """Hired on HIRE from unemployment (the registration cancelled on the hire day), hukou as given."""
    p = registry.register_person(world.xc, person_number("110102"), "张三", world.xinjiekou, on=on, **hukou)
    status = registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-01-05")
    registry.end_status(world.xc, status["id"], end_on=HIRE)
    registry.add_spell(world.xc, p["id"], "employee", start_on=HIRE, employer="北京某科技有限公司", contract=True)
    return p


def _measures(registry, world, p, on=ON) -> dict:
    return {m["measure"]: m for m in registry.outreach(world.xc, p["id"], on=on)["measures"]}


def test_moved_into_the_district_after_the_hire_is_not_matched(registry, world):
    p = _hired(registry, world, hukou_district="xicheng", hukou_moved_in_on="2026-05-11", previous_hukou_district="chaoyang")
    assert "xicheng/6/person" not in _measures(registry, world, p)


@pytest.mark.parametrize("moved", ["2026-05-10", "2026-05-09", None])
def test_moved_in_before_or_on_the_day_of_the_hire_is_matched(registry, world, moved):
    hukou = {"hukou_moved_in_on": moved, "previous_hukou_district": "chaoyang"} if moved else {}
    p = _hired(registry, world, hukou_district="xicheng", **hukou)
    found = _measures(registry, world, p)
    assert "xicheng/6/person" in found
    assert PREVIOUS_LABEL not in found["xicheng/6/person"]["missing"]


def test_moved_away_after_the_hire_is_still_matched(registry, world):
    """之后迁出的仍符合: 本区户籍 on the day of the hire, 朝阳 now."""
    p = _hired(registry, world, hukou_district="chaoyang", hukou_moved_in_on="2026-05-20", previous_hukou_district="xicheng")
    assert "xicheng/6/person" in _measures(registry, world, p)


def test_a_move_after_the_hire_from_a_district_not_recorded_is_asked(registry, world):
    p = _hired(registry, world, hukou_district="xicheng", hukou_moved_in_on="2026-05-11")
    found = _measures(registry, world, p)
    assert found["xicheng/6/person"]["status"] == "undetermined"
    assert PREVIOUS_LABEL in found["xicheng/6/person"]["missing"]


def test_the_claim_started_from_the_registry_carries_the_move(registry, world, ledger):
    p = _hired(registry, world, hukou_district="xicheng", hukou_moved_in_on="2026-05-09", previous_hukou_district="chaoyang")
    claim = registry.start_claim(world.xc, p["id"], "xicheng/6/person", on=ON)
    facts = ledger.application(world.xc, claim["application_id"]).situation["persons"][str(p["id"])]
    assert (facts["hukou_district"], facts["hukou_moved_in_date"], facts["previous_hukou_district"]) == \
        ("xicheng", "2026-05-09", "chaoyang")


def test_on_a_day_before_the_move_the_hukou_is_the_previous_district(registry, world):
    """xicheng/18/free_training judges 本区户籍 on the day assessed: before the move (recorded since) the
    person was of 朝阳, after it of 西城."""
    p = registry.register_person(world.xc, person_number("110102"), "李四", world.xinjiekou, on="2026-06-10",
                                 hukou_district="xicheng", hukou_moved_in_on="2026-06-05", previous_hukou_district="chaoyang")
    registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-05-01")
    assert "xicheng/18/free_training" in _measures(registry, world, p, on="2026-06-05")
    assert "xicheng/18/free_training" not in _measures(registry, world, p, on="2026-06-04")


# -- checks (the field named in Chinese) ------------------------------------------------------------------
@pytest.mark.parametrize("given, field, words", [
    ({"hukou_moved_in_on": "2026-02-30"}, "hukou_moved_in_on", "户籍迁入日期：“2026-02-30”不是存在的日期"),
    ({"hukou_moved_in_on": "2026/05/01"}, "hukou_moved_in_on", "户籍迁入日期：日期格式应为"),
    ({"hukou_moved_in_on": "2026-06-02"}, "hukou_moved_in_on", "户籍迁入日期2026-06-02晚于登记之日2026-06-01"),
    ({"hukou_moved_in_on": "1989-12-31"}, "hukou_moved_in_on", "早于出生日期1990-01-01"),
    ({"hukou_moved_in_on": "2026-05-01", "previous_hukou_district": "火星区"}, "previous_hukou_district",
     "原户籍所在区：没有名为“火星区”的区"),
    ({"hukou_district": "mars"}, "hukou_district", "户籍所在区：没有名为“mars”的区"),
    ({"hukou_district": "", "previous_hukou_district": "chaoyang"}, "hukou_district", "填写了原户籍所在区，须填写户籍所在区"),
    ({"previous_hukou_district": "西城区"}, "previous_hukou_district", "原户籍所在区与户籍所在区相同"),
    ({"hukou_moved_in_on": "2026-05-01", "previous_hukou_district": "西城区"}, "previous_hukou_district",
     "原户籍所在区与户籍所在区相同"),
])
def test_bad_hukou_input_is_refused_naming_the_field(registry, world, given, field, words):
    with pytest.raises(InvalidInput) as error:
        registry.register_person(world.xc, person_number("110102", D(1990, 1, 1)), "王五", world.xinjiekou,
                                 on="2026-06-01", **{"hukou_district": "xicheng", **given})
    assert error.value.field == field and words in error.value.message, error.value.message
    assert registry.persons(world.xc) == []


def test_a_move_date_needs_the_district_moved_into(registry, world):
    with pytest.raises(InvalidInput) as error:
        registry.register_person(world.xc, person_number("110102"), "王五", world.xinjiekou, on="2026-06-01",
                                 hukou_moved_in_on="2026-05-01")
    assert error.value.field == "hukou_district" and "须填写户籍所在区" in error.value.message


def test_a_change_of_hukou_keeps_the_former_one_and_a_change_without_a_date_keeps_it_undated(registry, world):
    p = registry.register_person(world.xc, person_number("110102"), "赵六", world.xinjiekou, on="2026-06-01",
                                 hukou_district="西城区", hukou_moved_in_on="2025-03-01", previous_hukou_district="chaoyang")
    assert (p["hukou_district"], p["hukou_moved_in_on"], p["previous_hukou_district"]) == ("xicheng", "2025-03-01", "chaoyang")
    # moved on to 东城: the district held before is the previous one when none is given
    moved = registry.update_person(world.xc, p["id"], on="2026-06-20", hukou_district="dongcheng",
                                   hukou_moved_in_on="2026-06-15")
    assert (moved["hukou_district"], moved["hukou_moved_in_on"], moved["previous_hukou_district"]) == \
        ("dongcheng", "2026-06-15", "xicheng")
    versions = registry.person(world.xc, p["id"])["versions"]
    assert versions[-1]["before"]["hukou_moved_in_on"] == "2025-03-01"
    assert versions[-1]["before"]["previous_hukou_district"] == "chaoyang"
    # a phone changed: the move kept
    assert registry.update_person(world.xc, p["id"], on="2026-06-21", phone="13800000000")["hukou_moved_in_on"] == "2026-06-15"
    # to 海淀 with no date: the move into 东城 no longer applies; moved from 东城, the day not known
    later = registry.update_person(world.xc, p["id"], on="2026-06-25", hukou_district="haidian")
    assert (later["hukou_district"], later["hukou_moved_in_on"], later["previous_hukou_district"]) == \
        ("haidian", None, "dongcheng")
    with pytest.raises(InvalidInput) as error:
        registry.update_person(world.xc, p["id"], on="2026-06-25", hukou_district="xicheng", hukou_moved_in_on="2026-06-26")
    assert error.value.field == "hukou_moved_in_on" and "晚于登记之日2026-06-25" in error.value.message
    from jiuye.ledger.audit import verify
    with registry.db.read() as s:
        assert verify(s).ok


# -- import: 户籍迁入日期, 原户籍所在区 --------------------------------------------------------------------------
HEADER = ["身份证号", "姓名", "社区", "户籍所在区", "户籍迁入日期", "原户籍所在区"]
IMPORT_DAY = D(2026, 7, 1)


def _csv(path, rows):
    with open(path, "w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows([HEADER] + rows)
    return path


def test_the_import_reads_the_move_and_rejects_bad_values_by_row_and_column(registry, world, tmp_path):
    n = [person_number("110102", D(1990, 1, 1)) for _ in range(9)]
    path = _csv(tmp_path / "户籍.csv", [
        [n[0], "甲", "新街口社区", "西城区", "2026-05-11", "朝阳区"],
        [n[1], "乙", "新街口社区", "西城区", "", ""],                       # never moved
        [n[2], "丙", "新街口社区", "西城区", "2026-02-30", "朝阳区"],       # no such day
        [n[3], "丁", "新街口社区", "西城区", "2026-05-11", "火星区"],       # no such district
        [n[4], "戊", "新街口社区", "西城区", "2026-07-02", "朝阳区"],       # after the import day
        [n[5], "己", "新街口社区", "西城区", "", "朝阳区"],                 # a district moved from, the day not known
        [n[6], "庚", "新街口社区", "西城区", "2026-05-11", "西城区"],       # from the same district
        [n[7], "辛", "新街口社区", "", "2026-05-11", "朝阳区"],             # a date, no district moved into
        [n[8], "壬", "新街口社区", "西城区", "2026-07-01", ""],             # on the import day, from a district not given
    ])
    result = import_file(registry, world.xc, path, on=IMPORT_DAY)
    rejected = {r["row"]: (r["column"], r["value"], r["reason"]) for r in result.rejected}
    assert set(rejected) == {4, 5, 6, 8, 9}
    assert rejected[4][:2] == ("户籍迁入日期", "2026-02-30") and "不是有效日期" in rejected[4][2]
    assert rejected[5][:2] == ("原户籍所在区", "火星区") and "不在可选值中" in rejected[5][2]
    assert rejected[6] == ("户籍迁入日期", "2026-07-02", "户籍迁入日期2026-07-02晚于登记之日2026-07-01：尚未迁入的户籍不能登记")
    assert rejected[8][0] == "原户籍所在区" and "相同" in rejected[8][2]
    assert rejected[9][0] == "户籍所在区" and "须填写户籍所在区" in rejected[9][2]
    people = {p["name"]: p for p in registry.persons(world.xc)}
    assert set(people) == {"甲", "乙", "己", "壬"}
    assert (people["己"]["hukou_moved_in_on"], people["己"]["previous_hukou_district"]) == (None, "chaoyang")
    assert (people["甲"]["hukou_moved_in_on"], people["甲"]["previous_hukou_district"]) == ("2026-05-11", "chaoyang")
    assert (people["乙"]["hukou_moved_in_on"], people["乙"]["previous_hukou_district"]) == (None, None)
    assert (people["壬"]["hukou_moved_in_on"], people["壬"]["previous_hukou_district"]) == ("2026-07-01", None)
    again = import_file(registry, world.xc, path, on=IMPORT_DAY)
    assert (again.created, again.updated, again.written) == (0, 0, {})


def test_a_reimport_changes_the_move_as_the_registry_does(registry, world, tmp_path):
    a, b = person_number("110102"), person_number("110102")
    import_file(registry, world.xc, _csv(tmp_path / "1.csv", [[a, "甲", "新街口社区", "西城区", "2025-03-01", "朝阳区"],
                                                             [b, "乙", "新街口社区", "西城区", "2025-03-01", "朝阳区"]]),
                on=IMPORT_DAY)
    result = import_file(registry, world.xc, _csv(tmp_path / "2.csv", [
        [a, "甲", "新街口社区", "东城区", "2026-06-15", ""],      # moved on, previous not given: the district held
        [b, "乙", "新街口社区", "海淀区", "", ""],                # moved with no date: from 西城, undated, a note
    ]), on=IMPORT_DAY)
    assert result.updated == 2 and result.rejected == []
    assert [(x["row"], x["column"]) for x in result.notes] == [(3, "户籍迁入日期")]
    assert "户籍所在区由西城区改为海淀区，未填写户籍迁入日期：台账记为由西城区迁入、迁入日期不详" in result.notes[0]["reason"]
    people = {p["name"]: p for p in registry.persons(world.xc)}
    assert (people["甲"]["hukou_district"], people["甲"]["hukou_moved_in_on"], people["甲"]["previous_hukou_district"]) == \
        ("dongcheng", "2026-06-15", "xicheng")
    assert (people["乙"]["hukou_district"], people["乙"]["hukou_moved_in_on"], people["乙"]["previous_hukou_district"]) == \
        ("haidian", None, "xicheng")
    # a file without the move columns keeps the move recorded
    with open(tmp_path / "3.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["身份证号", "姓名", "社区", "户籍所在区"], [a, "甲", "新街口社区", "东城区"]])
    kept = import_file(registry, world.xc, tmp_path / "3.csv", on=IMPORT_DAY)
    assert (kept.updated, kept.unchanged) == (0, 1)


def test_cli_and_list_filters_refuse_a_compact_date(registry, ledger, db_url, monkeypatch):
    """`jiuye registry due --on 20250203` and the ledger's list filter ?from=20250203 name the field
    in Chinese (both read the date with `date.fromisoformat`, which takes that form)."""
    from typer.testing import CliRunner
    from jiuye.cli import app
    from jiuye.web.deps import list_filters
    monkeypatch.setenv("JIUYE_DATABASE_URL", db_url)
    out = CliRunner().invoke(app, ["registry", "due", "--on", "20250203", "--json"])
    assert out.exit_code == 2 and "on: 日期格式应为YYYY-MM-DD" in out.output, out.output
    out = CliRunner().invoke(app, ["ledger", "--database", db_url, "payable", "--on", "2025-02-30"])
    assert out.exit_code == 2 and "--on: “2025-02-30”不是存在的日期" in out.output, out.output

    class Request:
        query_params = {"from": "20250203", "to": "2025-03-01"}
    filters = list_filters(Request())
    assert filters.errors == [{"field": "from", "message": "日期格式应为YYYY-MM-DD（如2025-03-14），而不是“20250203”"}]
    assert filters.kwargs["submitted_to"] == dt.date(2025, 3, 1)
