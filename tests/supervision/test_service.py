"""Reports, unit isolation, overdue flags, missed targets and the audit log (SQLite and PostgreSQL)."""

import datetime as dt

import pytest

from jiuye.ledger.errors import Forbidden, InvalidInput, Refused
from jiuye.supervision.service import due_date

D = dt.date


def board_row(sup, actor, task, unit_id, month, today):
    rows = [r for r in sup.board(actor, month, today=today) if r["task"].id == task and r["unit"].id == unit_id]
    assert len(rows) == 1
    return rows[0]


def test_a_unit_sees_and_edits_only_its_own_tasks(sup, staff):
    mine = {t.id for t, _ in sup.visible_tasks(staff.renshe)}
    assert "heping/附件1/54" in mine and "heping/附件1/15" not in mine     # 15: 区民政局 only
    assert all(staff.rs in {u.id for u, _ in units} for _, units in sup.visible_tasks(staff.renshe))
    assert sup.visible_tasks(staff.outsider) == []
    everything = {t.id for t, _ in sup.visible_tasks(staff.office)}
    assert {f"heping/附件1/{n}" for n in range(1, 69)} <= everything
    with pytest.raises(Forbidden):
        sup.save_report(staff.renshe, "heping/附件1/15", "2024-05", unit_id=staff.mz, status="on_track", on="2024-06-01")
    report = sup.save_report(staff.minzheng, "heping/附件1/15", "2024-05", status="on_track", on="2024-06-01",
                             progress="养老机构开办中")
    with pytest.raises(Forbidden):
        sup.report(staff.renshe, report.id)
    with pytest.raises(Forbidden):                       # the office reads and comments, it does not write the unit's report
        sup.save_report(staff.office, "heping/附件1/15", "2024-05", unit_id=staff.mz, status="completed", on="2024-06-01")
    assert sup.report(staff.office, report.id).texts["progress"] == "养老机构开办中"
    assert [r.id for r in sup.reports(staff.renshe, period="2024-05")] == []
    assert {r["unit"].id for r in sup.board(staff.renshe, "2024-05", today="2024-06-01")} == {staff.rs}


def test_a_report_is_due_on_the_5th_of_the_next_month_included(sup, staff):
    assert due_date("2024-05") == D(2024, 6, 5)
    assert due_date("2024-12") == D(2025, 1, 5)
    task = "heping/附件1/52"
    assert "overdue" not in board_row(sup, staff.renshe, task, staff.rs, "2024-05", "2024-06-05")["flags"]
    assert "overdue" in board_row(sup, staff.renshe, task, staff.rs, "2024-05", "2024-06-06")["flags"]
    sup.save_report(staff.renshe, task, "2024-05", status="on_track", on="2024-06-03")        # a draft is not a report
    assert "overdue" in board_row(sup, staff.renshe, task, staff.rs, "2024-05", "2024-06-06")["flags"]
    sup.save_report(staff.renshe, task, "2024-05", status="on_track", on="2024-06-06", submit=True)
    flags = board_row(sup, staff.renshe, task, staff.rs, "2024-05", "2024-06-10")["flags"]
    assert "overdue" not in flags and "late" in flags
    sup.save_report(staff.renshe, task, "2024-04", status="on_track", on="2024-05-05", submit=True)
    assert "late" not in board_row(sup, staff.renshe, task, staff.rs, "2024-04", "2024-06-10")["flags"]


def test_the_office_comments_and_returns_and_the_unit_submits_again(sup, staff, ledger):
    task = "heping/附件1/15"
    report = sup.save_report(staff.minzheng, task, "2024-05", status="delayed", on="2024-06-03", submit=True)
    with pytest.raises(Refused, match="退回"):
        sup.save_report(staff.minzheng, task, "2024-05", status="completed", on="2024-06-04", submit=True)
    with pytest.raises(Forbidden):
        sup.comment(staff.renshe, report.id, "退回", return_report=True)
    sup.comment(staff.office, report.id, "请说明日间照料中心的进度")
    returned = sup.comment(staff.office, report.id, "请补充资金安排", return_report=True)
    assert returned.state == "returned" and returned.editable
    assert [c["kind"] for c in sup.report(staff.minzheng, report.id).comments] == ["comment", "return"]
    assert "returned" in board_row(sup, staff.office, task, staff.mz, "2024-05", "2024-06-04")["flags"]
    again = sup.save_report(staff.minzheng, task, "2024-05", status="delayed", on="2024-06-04", submit=True,
                            difficulties="资金已落实")
    assert again.state == "submitted" and again.submitted_on == D(2024, 6, 4) and again.version == 3
    assert ledger.verify().ok
    actions = [e["action"] for e in ledger.audit_entries(None, limit=1000)]
    assert {"submit_report", "comment_report", "return_report", "add_member", "seed_units"} <= set(actions)


def test_job_fairs_are_counted_from_recorded_events_against_no_fewer_than_2(sup, staff):
    task = "heping/附件1/54"
    sup.record_event(staff.renshe, staff.rs, held_on="2024-05-10", title="招聘会", task_id=task)
    sup.record_event(staff.renshe, staff.rs, held_on="2024-04-30", title="上月的招聘会", task_id=task)

    def fairs():
        row = board_row(sup, staff.renshe, task, staff.rs, "2024-05", "2024-06-01")
        figure = row["figures"][0]
        return figure.value, figure.source, figure.met, "missed" in row["flags"]

    assert fairs() == (1, "events", False, True)
    sup.record_event(staff.renshe, staff.rs, held_on="2024-05-31", title="线上招聘会", mode="online", task_id=task)
    assert fairs() == (2, "events", True, False)
    with pytest.raises(Forbidden):
        sup.record_event(staff.minzheng, staff.rs, held_on="2024-05-31", title="别人的活动")


def test_entered_figures_and_deadlines_are_judged_on_the_targets(sup, staff):
    row = lambda task, month, today: board_row(sup, staff.renshe, task, staff.rs, month, today)  # noqa: E731
    sup.save_report(staff.renshe, "heping/附件1/52", "2024-05", status="on_track", on="2024-06-01", submit=True,
                    figures={"follow_ups": 0})
    assert row("heping/附件1/52", "2024-05", "2024-06-01")["figures"][0].met is False   # 每月开展一次: 0 misses it
    # heping/附件1/61 (截至2020年12月31日): not completed after the deadline's month is missed
    sup.save_report(staff.renshe, "heping/附件1/61", "2020-12", status="on_track", on="2021-01-04", submit=True)
    assert row("heping/附件1/61", "2020-12", "2021-01-04")["figures"][0].met is None       # still within the month
    tax = sup.unit("heping", "区税务局").id
    assert not [r for r in sup.board(staff.office, "2021-08", today="2021-09-01") if r["task"].id == "heping/附件1/3"]
    assert [r["unit"].id for r in sup.board(staff.office, "2021-07", today="2021-08-01")
            if r["task"].id == "heping/附件1/3"][0] == tax


def test_bad_input_names_the_field(sup, staff):
    cases = [
        (dict(period="2024-13"), "period"),
        (dict(period="2024-5"), "period"),
        (dict(status="good"), "status"),
        (dict(figures={"job_fairs": "两场"}), "figures.job_fairs"),
        (dict(figures={"nonsense": 1}), "figures.nonsense"),
        (dict(figures={"job_fairs": -1}), "figures.job_fairs"),
        (dict(period="2019-05"), "period"),                 # before the document was issued
        (dict(progress="字" * 4001), "progress"),
    ]
    for change, field in cases:
        kwargs = dict(period="2024-05", status="on_track", on="2024-06-01", figures=None)
        kwargs.update(change)
        period = kwargs.pop("period")
        with pytest.raises(InvalidInput) as error:
            sup.save_report(staff.renshe, "heping/附件1/54", period, **kwargs)
        assert error.value.field == field, change
    with pytest.raises(InvalidInput) as error:
        sup.add_attachment(staff.renshe, 1, "x.exe", "application/x-msdownload", b"MZ")
    assert error.value.field == "file"


def test_attachments_belong_to_the_units_report(sup, staff):
    report = sup.save_report(staff.renshe, "heping/附件1/54", "2024-05", status="on_track", on="2024-06-01")
    item = sup.add_attachment(staff.renshe, report.id, "签到表.pdf", "application/pdf", b"%PDF-1.4 demo")
    assert sup.attachment(staff.office, item["id"]) == ("签到表.pdf", "application/pdf", b"%PDF-1.4 demo")
    with pytest.raises(Forbidden):
        sup.attachment(staff.minzheng, item["id"])
    assert sup.report(staff.renshe, report.id).attachments[0]["filename"] == "签到表.pdf"


def test_the_office_assigns_a_unit_where_the_text_names_none(sup, staff, ledger):
    beijing_office = ledger.create_user(None, "bj_office", "case_worker").id
    sup.add_member(None, beijing_office, sup.unit("beijing", "区就业工作领导小组办公室").id)
    district = sup.add_unit(beijing_office, "beijing", "西城区人力资源和社会保障局")
    with pytest.raises(Forbidden):
        sup.assign(staff.office, "beijing/9/rate", district.id)        # heping's office is not beijing's
    sup.assign(beijing_office, "beijing/9/rate", district.id)
    worker = ledger.create_user(None, "xc_rs", "case_worker").id
    sup.add_member(beijing_office, worker, district.id)
    rate = sup.save_report(worker, "beijing/9/rate", "2022-07", status="on_track", on="2022-08-03", submit=True,
                           figures={"graduate_employment_rate": 0.96})
    figure = board_row(sup, worker, "beijing/9/rate", district.id, "2022-07", "2022-08-03")["figures"][0]
    # the registry has no figure here (no jiuye.registry.supervision_figure, or 尚无数据): the unit's, marked so
    assert (figure.value, figure.source, figure.met) == (0.96, "entered", True)
    assert rate.figures == {"graduate_employment_rate": 0.96}
    with pytest.raises(InvalidInput) as error:
        sup.save_report(worker, "beijing/9/rate", "2022-08", status="on_track", on="2022-09-01",
                        figures={"graduate_employment_rate": 96})
    assert error.value.field == "figures.graduate_employment_rate"


def test_registry_figures_come_from_the_registry_and_equal_its_own(sup, staff, ledger, monkeypatch):
    """beijing/9 (就业率不低于95%) and beijing/13 (零就业家庭动态清零) measured from the registry's demo
    (one 西城 street): the same numbers as the registry's own monthly figures, marked 实名制就业帮扶台账."""
    monkeypatch.setenv("JIUYE_DEMO", "1")
    from jiuye.registry import Registry
    from jiuye.registry.demo import seed
    from jiuye.registry.figures import figures
    registry = Registry(database=ledger.db, migrate_schema=False)
    seed(registry)
    district = [r for r in figures(registry, None, "2026-11")["rows"] if r["level"] == "district"]
    assert len(district) == 1
    expected_rate = district[0]["graduate_done"] / district[0]["graduate_due"]
    office = ledger.create_user(None, "bj_office2", "case_worker").id
    sup.add_member(None, office, sup.unit("beijing", "区就业工作领导小组办公室").id)
    unit = sup.add_unit(office, "beijing", "西城区人力资源和社会保障局")
    for task in ("beijing/9/rate", "beijing/13/zero_employment"):
        sup.assign(office, task, unit.id)
    # the period of the beijing tasks is 2022; the registry's demo is in 2026: read the figures directly
    from jiuye.supervision.sources import registry_figure
    assert registry_figure("graduate_employment_rate", district="beijing", month="2026-11",
                           database=ledger.db) == pytest.approx(expected_rate)
    assert registry_figure("zero_employment_families", district="beijing", month="2026-11",
                           database=ledger.db) == district[0]["zero_households"]
    assert registry_figure("zero_employment_families", district="heping", month="2026-11", database=ledger.db) is None
    # through the board, for a month the task runs in (2022-12): the registry's own figures of that month
    december = [r for r in figures(registry, None, "2022-12")["rows"] if r["level"] == "district"][0]
    rows = [r for r in sup.board(office, "2022-12", today="2023-01-06", document="beijing") if r["unit"].id == unit.id]
    by_task = {r["task"].id: r["figures"][0] for r in rows}
    zero = by_task["beijing/13/zero_employment"]
    assert (zero.source, zero.value) == ("registry", december["zero_households"])
    assert zero.met is (december["zero_households"] <= 0)               # 动态清零: none left
    rate = by_task["beijing/9/rate"]
    if december["graduate_due"]:
        assert rate.source == "registry" and rate.value == pytest.approx(december["graduate_done"] / december["graduate_due"])
    else:                                                                # nobody in the cohort: 尚无数据
        assert rate.source == "none" and rate.value is None
