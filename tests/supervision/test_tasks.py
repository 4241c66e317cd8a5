"""Tasks as data: heping 附件1's 68 tasks against the document's own table (parsed here from the text),
the other documents' assignments quoting their clauses, and every target a parameter of the model."""

import datetime as dt
import re

from jiuye.catalogue import load_catalogue
from jiuye.supervision.tasks import all_tasks, task_map


def table_rows(text: str) -> list[tuple[int, str, list[str]]]:
    """(序号, 工作任务, 责任单位) of 附件1, read from the text: after the header row (序号 / 工作任务 /
    责任单位) up to 附件2, a row is a number line, then the task's line, then the units' line."""
    start = text.index("重点任务清单和责任分工表", text.index("附件1\n"))
    end = text.index("附件2", start)
    lines = [line.strip() for line in text[start:end].splitlines() if line.strip()]
    lines = lines[lines.index("责任单位") + 1:]
    rows, i = [], 0
    while i < len(lines):
        if re.fullmatch(r"\d+", lines[i]):
            rows.append((int(lines[i]), lines[i + 1], lines[i + 2].split("、")))
            i += 3
        else:
            assert re.fullmatch(r"（[一二三四五六七八九十]+）.+", lines[i]), f"unexpected line in the table: {lines[i]}"
            i += 1
    return rows


def test_every_task_of_heping_annex_1_is_present_with_its_units_in_the_tables_order():
    rows = table_rows(load_catalogue().documents["heping"].text)
    assert [n for n, _, _ in rows] == list(range(1, 69))
    tasks = {t.number: t for t in all_tasks() if t.document == "heping" and t.number}
    assert sorted(tasks) == list(range(1, 69))
    for number, text, units in rows:
        task = tasks[number]
        assert task.quote == text, number
        assert task.lead_unit == units[0], number
        assert list(task.co_units) == units[1:], number
        assert list(load_catalogue().measures[task.id].responsible_units) == units, number


def test_other_documents_assignments_quote_their_clause():
    catalogue = load_catalogue()
    others = [t for t in all_tasks() if t.number is None]
    assert {t.document for t in others} == {"beijing", "xicheng", "haidian", "binjiang"}
    for task in others:
        text = catalogue.documents[task.document].clause_text(task.clause)
        assert text and task.quote in text, task.id
    dispatch = task_map()["beijing/30/monthly_dispatch"]
    assert dispatch.receiver == "市就业工作领导小组办公室"


def test_targets_are_parameters_with_the_texts_numbers():
    on = dt.date(2024, 1, 1)
    tasks = task_map()
    value = {t.parameter: t.value(on) for task in all_tasks() for t in task.targets}
    assert all(v is not None for v in value.values()), [p for p, v in value.items() if v is None]
    assert value["heping.fj1.t11.projects"] == 100                 # 全年引进京冀项目100个以上
    assert value["heping.fj1.t54.job_fairs"] == 2                  # 每月开展不少于2场
    assert value["heping.fj1.t22.refund_days"] == 9                # 9个工作日以内
    assert value["heping.fj1.t03.deadline"] == dt.date(2021, 7, 31)
    assert value["heping.fj1.t61.deadline"] == dt.date(2020, 12, 31)
    assert value["beijing.tasks.graduate_employment_rate"] == 0.95
    assert value["beijing.tasks.rural_insured"] == 50000
    assert value["beijing.tasks.new_insured_startups"] == 40000
    assert value["beijing.tasks.jobs_created_by_startups"] == 200000
    assert value["beijing.tasks.zero_employment_families"] == 0
    assert value["haidian.tasks.community_employment_staff"] == 1
    # every target quotes its clause's words
    catalogue = load_catalogue()
    for task in all_tasks():
        for target in task.targets:
            assert target.quote in catalogue.documents[task.document].clause_text(task.clause), target.parameter


def test_comparisons_include_the_stated_number():
    fairs = task_map()["heping/附件1/54"].targets[0]         # 不少于2场: 2 meets it, 1 does not
    on = dt.date(2024, 5, 31)
    assert fairs.met(2, on) is True and fairs.met(1, on) is False
    days = task_map()["heping/附件1/22"].targets[0]          # 9个工作日以内: 9 meets it, 9.5 does not
    assert days.met(9, on) is True and days.met(9.5, on) is False
    rate = task_map()["beijing/9/rate"].targets[0]           # 不低于95%
    assert rate.met(0.95, on) is True and rate.met(0.949, on) is False


def test_periods_end_at_the_tasks_deadline_or_the_documents_validity():
    tasks = task_map()
    assert tasks["heping/附件1/3"].runs_in("2021-07") and not tasks["heping/附件1/3"].runs_in("2021-08")
    assert tasks["heping/附件1/61"].runs_in("2020-12") and not tasks["heping/附件1/61"].runs_in("2021-01")
    assert tasks["heping/附件1/54"].runs_in("2025-06") and not tasks["heping/附件1/54"].runs_in("2025-07")
    assert not tasks["heping/附件1/54"].runs_in("2020-05")
