"""haidian: the legal moment of each measure and time tested on the assessment day (issue 9 §2).

二是 "仍无法实现就业超过一个月以上": 超过 excludes the number (/work/shared/policies/README: 以上 … include
the stated number; 不满、超过、以外 exclude it). Of the two words the operative one is 超过, so the month
from the day the public service began must be exceeded: started 2026-04-01, the month completes on
2026-04-30 (届满, the day before the corresponding day) — ✗ that day — and is exceeded from 2026-05-01 ✓.
It is counted to the assessment day, never to the end of the assessment month (✗ after 13 days).
三是 / 五是: the window (the note is dated from 2023-01-01) applies to the qualifying event — the hire, the
start of flexible employment, the job the agency found — and the event counts from its own day.
Both sides of every boundary; amounts from the clause text.
"""


import datetime as dt

import pytest

from ..conftest import load_example, run
from .helpers import day_before, find


def node(conditions: list, variable: str) -> dict:
    found = find(conditions, variable)
    assert found is not None, f"{variable} not in the condition tree"
    return found


def result(situation: dict, on: str, measure: str, beneficiary: str, person: str | None = None) -> dict:
    report = run(situation, on, [measure])
    found = [r for r in report["results"] if r["measure"] == measure and r["beneficiary"] == beneficiary
             and (person is None or r.get("person") == person)]
    assert len(found) == 1, f"{measure}/{beneficiary}/{person}: {len(found)} results"
    return found[0]


# -- 二是 超过一个月以上: on the assessment day, the completing day excluded ----------------------------------
def served_since(start: str) -> dict:
    situation = load_example("haidian_二是_agency_plan.json")
    situation["persons"]["wang_fang"]["haidian_public_service_start_date"] = start
    return situation


@pytest.mark.parametrize("start, on, holds", [
    ("2026-04-01", "2026-04-14", False),    # 13 days, same month
    ("2026-04-01", "2026-04-30", False),    # the month completes (届满) today: not yet 超过
    ("2026-04-01", "2026-05-01", True),     # exceeded
    ("2026-04-18", "2026-05-01", False),    # 13 days, across a month end (the month-end reading said ✓)
    ("2026-04-18", "2026-05-17", False),    # completes today
    ("2026-04-18", "2026-05-18", True),
])
def test_2_over_one_month_on_the_assessment_day(start, on, holds):
    found = result(served_since(start), on, "haidian/二是/agency_plan", "wang_fang")
    assert node(found["conditions"], "haidian_2_over_one_month")["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")
    assert found["moment"] == "申请之日"


def test_2_public_service_counts_from_its_own_day():
    """The public service starting on the assessment day has begun (✓); the day before it has not."""
    on = "2026-09-10"
    before = result(served_since(on), day_before(on), "haidian/二是/agency_plan", "wang_fang")
    assert node(before["conditions"], "haidian_2_public_service")["result"] is False
    day = result(served_since(on), on, "haidian/二是/agency_plan", "wang_fang")
    assert node(day["conditions"], "haidian_2_public_service")["result"] is True
    assert node(day["conditions"], "haidian_2_over_one_month")["result"] is False


# -- 三是 / 五是: the event on its own day, the window on the event ------------------------------------------
EVENTS = [
    ("haidian/三是/employer", "haidian_三是_employer.json", "zhongguancun_tech",
     ("persons", "li_qiang", "contract_start_date"), "haidian_3_hired", "签订劳动合同之日（招用之日）"),
    ("haidian/三是/flexible", "haidian_三是_flexible.json", "zhao_min",
     ("persons", "zhao_min", "haidian_flexible_start_date"), "haidian_3_flexibly_employed", "实现灵活就业之日"),
    ("haidian/五是/placement", "haidian_五是_placement.json", "haidian_hr_agency",
     ("persons", "chen_jie", "contract_start_date"), "haidian_5_unit_employment", "实现单位就业之日（劳动合同起始日）"),
]
IDS = [case[0] for case in EVENTS]
# born 1989-05-20, the example's flexible worker is 33 in 2023: the window cases take one born 1985-06-15 (37)
WINDOW_FACTS = {"haidian/三是/flexible": {"birth_date": "1985-06-15"}}


def with_event(example: str, where: tuple, day: str, **facts) -> dict:
    situation = load_example(example)
    group, key, fact = where
    situation[group][key].update({fact: day, **facts})
    return situation


def person_of(where: tuple, beneficiary: str) -> str | None:
    """The employee or placed person of a measure the organisation receives."""
    return where[1] if where[0] == "persons" and where[1] != beneficiary else None


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
def test_the_event_counts_from_its_own_day(measure, example, beneficiary, where, happened, label):
    """The event dated 2026-09-14: on 2026-09-13 (same month) it has not happened ✗; on 2026-09-14 ✓."""
    event = "2026-09-14"
    before = result(with_event(example, where, event), day_before(event), measure, beneficiary, person_of(where, beneficiary))
    assert node(before["conditions"], happened)["result"] is False
    assert before["status"] == "ineligible"
    day = result(with_event(example, where, event), event, measure, beneficiary, person_of(where, beneficiary))
    assert node(day["conditions"], happened)["result"] is True
    assert day["status"] == "eligible"
    assert day["moment"] == label


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
def test_the_window_applies_to_the_event(measure, example, beneficiary, where, happened, label):
    """From 2023-01-01: an event on 2022-12-31 is outside (✗), one on 2023-01-01 inside (✓), both
    assessed on 2026-11-23 — long after, the entitlement that arose inside stays."""
    facts = WINDOW_FACTS.get(measure, {})
    eve = result(with_event(example, where, "2022-12-31", **facts), "2026-11-23", measure, beneficiary, person_of(where, beneficiary))
    in_force = eve["conditions"][0]["variable"]
    assert in_force.endswith("__in_force")
    assert eve["conditions"][0]["result"] is False
    assert eve["status"] == "ineligible"
    day = result(with_event(example, where, "2023-01-01", **facts), "2026-11-23", measure, beneficiary, person_of(where, beneficiary))
    assert node(day["conditions"], in_force)["result"] is True
    assert day["status"] == "eligible"


def test_3_employer_hire_of_2023_keeps_its_24_months_in_2026():
    """Hired 2023-01-01 (open-ended): 最长不超过2年 = 24 months, month k completing on
    add_months(2023-01-01, k) − 1 day: 2023-01-31 … 2024-12-31; all listed when assessed in 2026."""
    situation = with_event("haidian_三是_employer.json", ("persons", "li_qiang", "contract_start_date"), "2023-01-01")
    situation["persons"]["li_qiang"].update({"contract_type": "open_ended"})
    situation["persons"]["li_qiang"].pop("contract_term_months")
    found = result(situation, "2026-11-23", "haidian/三是/employer", "zhongguancun_tech")
    dues = [i["due"] for i in found["installments"]]
    assert found["status"] == "eligible"
    assert len(dues) == 24 and dues[0] == "2023-01-31" and dues[-1] == "2024-12-31"


def test_5_placement_500_due_on_the_job_start():
    """按每就业一人500元: chen_jie's job begins on the assessment day 2026-10-12 — 500 due that day."""
    found = result(load_example("haidian_五是_placement.json"), "2026-10-12", "haidian/五是/placement",
                   "haidian_hr_agency", "chen_jie")
    assert found["status"] == "eligible"
    assert [(i["due"], i["amount"]) for i in found["installments"]] == [("2026-10-12", 500)]


@pytest.mark.parametrize("year, grant", [(2022, None), (2023, 50000)])
def test_5_yearly_grant_for_years_from_2023(year, grant):
    """100人(含)以上 补助5万元 (120 placed); a year before the measures (2022) gets nothing."""
    situation = load_example("haidian_五是_yearly.json")
    situation["organisations"]["haidian_hr_agency"]["haidian_5_year"] = year
    found = result(situation, "2026-11-23", "haidian/五是/yearly", "haidian_hr_agency")
    assert found["moment"] == "申请之日"
    assert [(i["due"], i["amount"]) for i in found["installments"]] == ([(f"{year}-12-31", grant)] if grant else [])


# -- 本区户籍 / 海淀区户籍 on each measure's moment (issue 9 item 2) ---------------------------------------
# measure -> the condition reading the hukou at that measure's moment (one per moment)
HUKOU = {"haidian/三是/employer": "haidian_3_hukou_at_hire",
         "haidian/三是/flexible": "haidian_3_hukou_at_flexible_start",
         "haidian/五是/placement": "haidian_5_hukou"}


def moved(example: str, where: tuple, **facts) -> tuple[dict, str]:
    """The example with the event person's facts changed, and the event's day."""
    situation = load_example(example)
    group, key, fact = where
    situation[group][key].update(facts)
    return situation, situation[group][key][fact]


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
@pytest.mark.parametrize("today, after_days, previous, holds", [
    ("haidian", 1, "chaoyang", False),     # moved into Haidian the day after the event
    ("chaoyang", 1, "haidian", True),      # a Haidian hukou on the event's day, moved away since
    ("haidian", 0, "chaoyang", True),      # moved in on the event's day itself: already there
    ("chaoyang", 0, "haidian", False),     # moved away on the event's day: elsewhere that day
])
def test_hukou_is_judged_on_the_event(measure, example, beneficiary, where, happened, label,
                                      today, after_days, previous, holds):
    situation, day = moved(example, where)
    moved_in = (dt.date.fromisoformat(day) + dt.timedelta(days=after_days)).isoformat()
    situation[where[0]][where[1]].update(hukou_district=today, hukou_moved_in_date=moved_in,
                                         previous_hukou_district=previous)
    found = result(situation, "2026-11-23", measure, beneficiary, person_of(where, beneficiary))
    assert node(found["conditions"], HUKOU[measure])["result"] is holds
    assert found["status"] == ("eligible" if holds else "ineligible")
    assert found["moment"] == label


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
def test_hukou_moved_after_the_event_without_the_previous_district_is_asked(measure, example, beneficiary,
                                                                           where, happened, label):
    situation, _ = moved(example, where, hukou_moved_in_date="2026-11-01")
    found = result(situation, "2026-11-23", measure, beneficiary, person_of(where, beneficiary))
    assert node(found["conditions"], HUKOU[measure])["result"] is None
    assert found["status"] == "undetermined"
    assert [m["variable"] for m in found["missing"]] == ["previous_hukou_district"]


@pytest.mark.parametrize("measure, example, beneficiary, where, happened, label", EVENTS, ids=IDS)
@pytest.mark.parametrize("today, status", [("haidian", "eligible"), ("xicheng", "ineligible")])
def test_hukou_never_moved_is_todays(measure, example, beneficiary, where, happened, label, today, status):
    situation, _ = moved(example, where, hukou_district=today)
    found = result(situation, "2026-11-23", measure, beneficiary, person_of(where, beneficiary))
    assert found["status"] == status
    assert "previous_hukou_district" not in {m["variable"] for m in found["missing"]}


def test_3_one_hukou_condition_per_moment():
    """The employer's and the flexible worker's 本区户籍 are judged on different days: each measure reads its own."""
    employer = result(load_example("haidian_三是_employer.json"), "2026-11-23", "haidian/三是/employer", "zhongguancun_tech")
    flexible = result(load_example("haidian_三是_flexible.json"), "2026-11-23", "haidian/三是/flexible", "zhao_min")
    assert find(employer["conditions"], "haidian_3_hukou_at_flexible_start") is None
    assert find(flexible["conditions"], "haidian_3_hukou_at_hire") is None
    assert node(employer["conditions"], "haidian_3_hukou_at_hire")["label"] == "本区户籍（签订劳动合同之日）"
    assert node(flexible["conditions"], "haidian_3_hukou_at_flexible_start")["label"] == "本区户籍（实现灵活就业之日）"
