"""Import of a roster (CSV in GBK, Excel): upsert by 身份证号, rejection by row and column, duplicates
and conflicts reported, idempotent re-import, audit entries; other communities refused."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from jiuye.ledger.errors import InvalidInput
from jiuye.registry.importer import import_file

from .conftest import person_number

ON = dt.date(2026, 7, 1)
HEADER = ["身份证号", "姓名", "社区", "户", "户籍所在区", "登记失业人员", "失业登记日期", "离校未就业", "毕业日期", "生源地",
          "有就业意愿", "就业单位", "就业日期"]


def write_csv(path, rows, encoding="gbk"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([HEADER] + rows)
    return path


@pytest.fixture
def numbers():
    return [person_number("110102", dt.date(1990, 1, 1)), person_number("110102", dt.date(2004, 3, 1)),
            person_number("110102", dt.date(1985, 6, 1))]


def test_good_rows_go_in_and_bad_rows_are_rejected_with_row_and_column(registry, world, tmp_path, numbers):
    a, b, c = numbers
    path = write_csv(tmp_path / "花名册.csv", [
        [a, "张三", "新街口社区", "张家", "西城区", "是", "2026-05-01", "", "", "", "", "", ""],
        [b, "李四", "新街口社区", "", "西城区", "否", "", "是", "2026-06-30", "北京市", "是", "", ""],
        ["110102199001011234", "坏号", "新街口社区", "", "", "", "", "", "", "", "", "", ""],
        [c, "王五", "新街口社区", "", "西城", "是", "", "", "", "", "", "", ""],
        [c, "王五", "新街口社区", "", "西城区", "也许", "", "", "", "", "", "", ""],
        [a, "张三", "新街口社区", "张家", "西城区", "是", "2026-05-01", "", "", "", "", "", ""],
        [b, "李四", "六铺炕社区", "", "西城区", "否", "", "是", "2026-06-30", "北京市", "是", "", ""],
    ])
    result = import_file(registry, world.xc, path, on=ON)
    assert result.rows == 7 and result.created == 2
    rejected = {(r["row"], r["column"]) for r in result.rejected}
    assert rejected == {(4, "身份证号"), (5, "失业登记日期"), (6, "登记失业人员")}
    assert [d["row"] for d in result.duplicates] == [7]
    assert [(x["row"], x["column"]) for x in result.conflicts] == [(8, "community")]
    people = {p["name"]: p for p in registry.persons(world.xc)}
    assert set(people) == {"张三", "李四"}
    li = registry.person(world.xc, people["李四"]["id"])
    assert {s["kind"] for s in li["statuses"]} == {"graduate", "willing"}
    assert li["statuses"][0]["details"] == {"graduation_date": "2026-06-30", "origin": "beijing"}


def test_reimporting_the_same_file_changes_nothing(registry, world, tmp_path, numbers):
    a, b, _ = numbers
    rows = [[a, "张三", "新街口社区", "张家", "西城区", "是", "2026-05-01", "", "", "", "", "", ""],
            [b, "李四", "新街口社区", "", "西城区", "否", "", "是", "2026-06-30", "北京市", "是", "某公司", "2026-07-05"]]
    path = write_csv(tmp_path / "a.csv", rows, encoding="utf-8")
    first = import_file(registry, world.xc, path, on=ON)
    assert first.created == 2 and first.written == {"reg_statuses": 3, "reg_spells": 1, "reg_persons": 2}
    with registry.db.read() as s:
        from jiuye.ledger.models import AuditEntry
        entries = s.query(AuditEntry).count()
    again = import_file(registry, world.xc, path, on=ON)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 2, {})
    with registry.db.read() as s:
        assert s.query(AuditEntry).count() == entries
    # a changed row updates only what changed, the old details kept as a version
    rows[0][1] = "张叁"
    changed = import_file(registry, world.xc, write_csv(tmp_path / "b.csv", rows), on=ON)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    person = registry.persons(world.xc, search="张叁")[0]
    assert registry.person(world.xc, person["id"])["versions"][0]["before"]["name"] == "张三"


def test_another_communitys_rows_are_refused(registry, world, tmp_path, numbers):
    path = write_csv(tmp_path / "c.csv", [[numbers[0], "张三", "六铺炕社区", "", "", "", "", "", "", "", "", "", ""]])
    result = import_file(registry, world.xc, path, on=ON)
    assert result.created == 0 and result.rejected[0]["reason"] == "不是你所在的社区"


def test_a_file_without_the_needed_columns_is_refused(registry, world, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("姓名,社区\n张三,新街口社区\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="身份证号"):
        import_file(registry, world.xc, path, on=ON)


def test_excel_rosters_import_too(registry, world, tmp_path, numbers):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append(HEADER)
    sheet.append([numbers[0], "张三", "新街口社区", "", "西城区", "是", dt.date(2026, 5, 1), "", "", "", "", "", ""])
    book.save(tmp_path / "e.xlsx")
    result = import_file(registry, world.xc, tmp_path / "e.xlsx", on=ON)
    assert result.created == 1 and not result.rejected
