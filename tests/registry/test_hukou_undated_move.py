"""A change of 户籍所在区 without a 户籍迁入日期: the registry knows the hukou was in the former district
before, only not when it moved. It keeps the former district as 原户籍所在区 with no date
(``hukou.changed``); the situation of a day gives hukou_district and previous_hukou_district but not
hukou_moved_in_date; and the calculator, for which a previous district makes the date required
(``jiuye.model.base.REQUIRED_WITH``), leaves a measure judging 本区户籍 at an earlier moment undetermined
asking for the date, while one judging it on the day assessed is decided (three-valued)."""

from __future__ import annotations

import datetime as dt

import pytest

from jiuye.ledger.errors import InvalidInput
from jiuye.registry import hukou
from jiuye.registry.hukou import Hukou, changed, problem

from .conftest import person_number
from .test_hukou_move import HEADER, _csv, _facts, _measures

D = dt.date
HIRE = "2026-05-10"
ON = "2026-06-10"
DATE_LABEL = "户籍迁入现户籍所在区的日期（户籍未曾迁移的不填）"


# -- hukou.changed / problem (no database) ----------------------------------------------------------------
def test_a_change_without_a_date_keeps_the_former_district_undated():
    after = changed(Hukou("xicheng", None, None), "heping")
    assert (after.district, after.moved_in_on, after.previous) == ("heping", None, "xicheng")
    assert after.note == ("户籍所在区由西城区改为和平区，未填写户籍迁入日期：台账记为由西城区迁入、迁入日期不详，"
                          "按某一时点（如签订劳动合同之日）判断本区户籍的政策将待补填户籍迁入日期后认定；请补填户籍迁入日期")
    assert problem(after, on=D(2026, 6, 1), birth=D(1990, 1, 1)) is None
    # a recorded move into the former district no longer applies: its own previous district is dropped
    on_from = changed(Hukou("xicheng", D(2025, 3, 1), "chaoyang"), "heping")
    assert (on_from.moved_in_on, on_from.previous) == (None, "xicheng")


def test_the_date_given_later_completes_the_undated_move():
    undated = Hukou("heping", None, "xicheng")
    dated = changed(undated, "heping", D(2026, 6, 1))
    assert (dated.district, dated.moved_in_on, dated.previous, dated.note) == ("heping", D(2026, 6, 1), "xicheng", None)
    # nothing said about the move (a phone changed): kept undated
    assert changed(undated, "heping") == Hukou("heping", None, "xicheng")


def test_clearing_the_district_or_a_first_district_gives_no_previous():
    assert changed(Hukou("xicheng", None, None), None) == Hukou(None, None, None)
    assert changed(Hukou(None, None, None), "heping") == Hukou("heping", None, None)


@pytest.mark.parametrize("given, field", [
    (Hukou("heping", None, "heping"), "previous_hukou_district"),     # not a move
    (Hukou(None, None, "xicheng"), "hukou_district"),                 # moved into no district
])
def test_an_undated_previous_district_is_checked_like_a_dated_one(given, field):
    assert problem(given, on=D(2026, 6, 1), birth=None)[0] == field


# -- the facts of a day -----------------------------------------------------------------------------------
def test_the_situation_gives_both_districts_and_no_date():
    at = _facts([("heping", None, "xicheng"), ("heping", D(2026, 7, 1), "xicheng")], day=D(2026, 6, 10))
    assert at("hukou_district", 1) == ("heping", True)
    assert at("previous_hukou_district", 1) == ("xicheng", True)
    assert at("hukou_moved_in_date", 1) == (None, False)
    # a dated move after the day: unchanged (the previous district that day, no move)
    assert at("hukou_district", 2) == ("xicheng", True) and at("previous_hukou_district", 2) == (None, False)


# -- end to end: registered in 西城, changed to 和平 without a date ------------------------------------------
def _hired_in_xicheng(registry, world):
    p = registry.register_person(world.xc, person_number("110102"), "张三", world.xinjiekou, on="2026-04-01",
                                 hukou_district="xicheng")
    status = registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-01-05")
    registry.end_status(world.xc, status["id"], end_on=HIRE)
    registry.add_spell(world.xc, p["id"], "employee", start_on=HIRE, employer="北京某科技有限公司", contract=True)
    return p


def test_a_measure_judging_the_hukou_at_the_hire_asks_for_the_date(registry, world):
    p = _hired_in_xicheng(registry, world)
    before = _measures(registry, world, p)["xicheng/6/person"]    # (undetermined: facts the registry lacks)
    assert DATE_LABEL not in before["missing"]
    moved = registry.update_person(world.xc, p["id"], on="2026-06-05", hukou_district="heping")
    assert (moved["hukou_district"], moved["hukou_moved_in_on"], moved["previous_hukou_district"]) == \
        ("heping", None, "xicheng")
    found = _measures(registry, world, p)["xicheng/6/person"]       # 本区户籍 on the day of the contract
    assert found["status"] == "undetermined"
    assert DATE_LABEL in found["missing"] and set(found["missing"]) == set(before["missing"]) | {DATE_LABEL}


@pytest.mark.parametrize("moved_in, matched", [("2026-06-01", True),      # after the hire: of 西城 then
                                                ("2026-05-10", False),    # on the hire's day: of 和平 already
                                                ("2026-03-01", False)])
def test_with_the_date_given_the_measure_is_decided(registry, world, moved_in, matched):
    p = _hired_in_xicheng(registry, world)
    registry.update_person(world.xc, p["id"], on="2026-06-05", hukou_district="heping")
    dated = registry.update_person(world.xc, p["id"], on="2026-06-06", hukou_moved_in_on=moved_in)
    assert (dated["hukou_moved_in_on"], dated["previous_hukou_district"]) == (moved_in, "xicheng")
    found = _measures(registry, world, p)
    assert ("xicheng/6/person" in found) is matched
    if matched:
        assert DATE_LABEL not in found["xicheng/6/person"]["missing"]


def test_a_measure_judging_the_hukou_on_the_day_is_decided(registry, world):
    """xicheng/18/free_training judges 本区户籍 on the day assessed: 和平 now, whenever it moved."""
    p = registry.register_person(world.xc, person_number("110102"), "李四", world.xinjiekou, on="2026-04-01",
                                 hukou_district="xicheng")
    registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-05-01")
    assert "xicheng/18/free_training" in _measures(registry, world, p)
    registry.update_person(world.xc, p["id"], on="2026-06-05", hukou_district="heping")
    assert "xicheng/18/free_training" not in _measures(registry, world, p)      # ineligible, not asked


def test_an_importer_may_give_the_previous_district_without_a_date(registry, world, tmp_path):
    from jiuye.registry.importer import import_file
    n = person_number("110102", D(1990, 1, 1))
    result = import_file(registry, world.xc, _csv(tmp_path / "a.csv", [[n, "甲", "新街口社区", "和平区", "", "西城区"]]),
                         on=D(2026, 7, 1))
    assert result.rejected == [] and result.notes == []
    person = registry.persons(world.xc)[0]
    assert (person["hukou_district"], person["hukou_moved_in_on"], person["previous_hukou_district"]) == \
        ("heping", None, "xicheng")
    # registration too
    q = registry.register_person(world.xc, person_number("110102"), "乙", world.xinjiekou, on="2026-06-01",
                                 hukou_district="heping", previous_hukou_district="西城区")
    assert (q["hukou_moved_in_on"], q["previous_hukou_district"]) == (None, "xicheng")
    with pytest.raises(InvalidInput) as error:
        registry.register_person(world.xc, person_number("110102"), "丙", world.xinjiekou, on="2026-06-01",
                                 hukou_district="heping", previous_hukou_district="和平区")
    assert error.value.field == "previous_hukou_district" and "相同" in error.value.message


def test_an_id_number_in_full_width_digits_is_refused_by_the_import(registry, world, tmp_path):
    """Numbers typed in 全角 are read as ASCII (jiuye.numerals), 身份证号 are not: they stay ASCII-only."""
    from jiuye.registry.importer import import_file
    n = person_number("110102", D(1990, 1, 1))
    full = n.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    result = import_file(registry, world.xc, _csv(tmp_path / "b.csv", [[full, "甲", "新街口社区", "西城区",
                                                                        "２０２６－０５－１１", "朝阳区"]]), on=D(2026, 7, 1))
    assert [r["column"] for r in result.rejected] == ["身份证号"] and "全角" in result.rejected[0]["reason"]
    assert registry.persons(world.xc) == []
    again = import_file(registry, world.xc, _csv(tmp_path / "c.csv", [[n, "甲", "新街口社区", "西城区",
                                                                       "２０２６－０５－１１", "朝阳区"]]), on=D(2026, 7, 1))
    assert again.rejected == [] and registry.persons(world.xc)[0]["hukou_moved_in_on"] == "2026-05-11"


assert HEADER and hukou.LABELS                 # the import's columns are those of test_hukou_move
