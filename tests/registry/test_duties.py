"""Each duty's condition and recurrence, both sides of every boundary, on SQLite and PostgreSQL:
monthly contact (heping/二十二), tracking (heping/二十六), 公益性岗位 priority (heping/十二), 回访 and
一生一策 (xicheng/8, beijing/8), referral after a month (haidian/二是), 零就业家庭 (beijing/13); the
place of a document and its validity (heping ends after 2025-06-29)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from .conftest import d, lines_of, person_number

HP22 = "heping/二十二/monthly_contact"


def _unemployed_in_heping(registry, world, start="2025-04-10", end=None):
    p = registry.register_person(world.hp, person_number("120101"), "王五", world.rongye, on=start)
    registry.add_status(world.hp, p["id"], "unemployed", start_on=start, end_on=end)
    return p["id"]


def test_monthly_contact_is_owed_each_month_by_its_last_day(registry, world):
    pid = _unemployed_in_heping(registry, world, "2025-04-30")       # registered on April's last day
    lines = lines_of(registry, world.hp, "2025-06-10", pid, HP22)
    assert [(x["period"], x["state"], x["due_on"]) for x in lines] == [
        ("2025-04", "overdue", "2025-04-30"), ("2025-05", "overdue", "2025-05-31"), ("2025-06", "due", "2025-06-29")]
    assert "heping/二十二要求" in lines[0]["says"]
    # a contact on May's last day settles May, one on June 1 settles June, not May
    registry.record(world.hp, pid, "phone", on="2025-05-31", outcome="已联系")
    registry.record(world.hp, pid, "visit", on="2025-06-01", outcome="上门")
    assert [x["period"] for x in lines_of(registry, world.hp, "2025-06-10", pid, HP22)] == ["2025-04"]


def test_registration_starting_the_next_month_owes_nothing_for_this_one(registry, world):
    pid = _unemployed_in_heping(registry, world, "2025-05-01")
    assert [x["period"] for x in lines_of(registry, world.hp, "2025-05-20", pid, HP22)] == ["2025-05"]
    assert lines_of(registry, world.hp, "2025-04-30", pid, HP22) == []


def test_an_ended_registration_is_not_owed_from_its_end(registry, world):
    """end_on is the day the registration no longer holds: ended on May 31, May is not owed."""
    pid = _unemployed_in_heping(registry, world, "2025-04-10", end="2025-05-31")
    assert [x["period"] for x in lines_of(registry, world.hp, "2025-06-10", pid, HP22)] == ["2025-04"]
    pid2 = _unemployed_in_heping(registry, world, "2025-04-10", end="2025-06-01")
    assert [x["period"] for x in lines_of(registry, world.hp, "2025-06-10", pid2, HP22)] == ["2025-04", "2025-05"]


def test_heping_duties_end_with_the_document_and_the_list_says_so(registry, world):
    pid = _unemployed_in_heping(registry, world, "2025-04-10")
    lines = lines_of(registry, world.hp, "2025-07-10", pid, HP22)
    assert [(x["period"], x["due_on"]) for x in lines] == [("2025-05", "2025-05-31"), ("2025-06", "2025-06-29")]
    assert all("有效期至2025-06-29" in x["note"] for x in lines)
    # June's duty is owed by the document's last day: a contact the day after does not settle it
    registry.record(world.hp, pid, "phone", on="2025-06-30", outcome="已联系")
    assert [x["period"] for x in lines_of(registry, world.hp, "2025-07-10", pid, HP22)] == ["2025-05", "2025-06"]
    registry.record(world.hp, pid, "phone", on="2025-06-29", outcome="已联系")
    assert [x["period"] for x in lines_of(registry, world.hp, "2025-07-10", pid, HP22)] == ["2025-05"]
    # before the list date of the document's end, nothing says it ended
    assert lines_of(registry, world.hp, "2025-06-10", pid, HP22)[0]["note"] is None


def test_a_document_does_not_apply_outside_its_place(registry, world):
    p = registry.register_person(world.xc, person_number("110102"), "赵一", world.xinjiekou, on="2025-04-01")
    registry.add_status(world.xc, p["id"], "unemployed", start_on="2025-04-01")
    assert not [x for x in registry.due(world.xc, on="2025-06-10") if x["duty"].startswith("heping/")]


def test_tracking_of_hard_to_employ(registry, world):
    p = registry.register_person(world.hp, person_number("120101", dt.date(1985, 1, 1)), "孙二", world.rongye,
                                 on="2025-05-01")
    registry.add_status(world.hp, p["id"], "hard_to_employ", start_on="2025-05-31", details={"category": "长期失业"})
    lines = lines_of(registry, world.hp, "2025-06-10", p["id"], "heping/二十六/tracking")
    assert [(x["period"], x["state"]) for x in lines] == [("2025-05", "overdue"), ("2025-06", "due")]
    # not special (no family situation), far from retirement: no 公益性岗位 priority
    assert lines_of(registry, world.hp, "2025-06-10", p["id"], "heping/十二/priority_placement") == []


def _retirement(number: str, category: str = "male") -> dt.date:
    from jiuye.assess.situation import parse_situation
    from jiuye.assess.evaluation import Evaluation
    from jiuye.ids import birth_and_sex_from_ids
    from jiuye.model.system import get_system
    birth = str(birth_and_sex_from_ids(np.array([number]))[0][0])
    population = parse_situation({"persons": {"p": {"birth_date": birth, "retirement_category": category}}},
                                 get_system())
    return np.asarray(Evaluation(population, d("2025-01-01")).value("statutory_retirement_date"))[0].astype(dt.date)


def test_public_welfare_priority_within_five_years_of_retirement(registry, world):
    number = person_number("120101", dt.date(1966, 3, 1))
    retirement = _retirement(number)
    five_before = retirement.replace(year=retirement.year - 5)
    p = registry.register_person(world.hp, number, "李四", world.rongye, on="2020-07-01", household="李家")
    registry.add_status(world.hp, p["id"], "hard_to_employ", start_on="2020-07-01", details={"category": "单亲家庭"})
    duty = "heping/十二/priority_placement"
    # exactly 5 years before the statutory retirement date: not 不足5年; the day after: owed
    assert lines_of(registry, world.hp, five_before, p["id"], duty) == []
    owed = lines_of(registry, world.hp, five_before + dt.timedelta(days=1), p["id"], duty)
    assert [x["state"] for x in owed] == ["overdue"]
    # until placed: a 托底安置 into a named 公益性岗位 settles it (and he is then employed)
    later = five_before + dt.timedelta(days=2)
    registry.record(world.hp, p["id"], "placement", on=later, employer="荣业社区服务站", post="保洁公益性岗位")
    assert lines_of(registry, world.hp, later, p["id"], duty) == []


def _graduate(registry, world, hukou="xicheng", start="2026-07-01", community=None, actor=None):
    actor = actor or world.xc
    p = registry.register_person(actor, person_number("110102", dt.date(2004, 5, 1)), "钱七",
                                 community or world.xinjiekou, on=start, hukou_district=hukou)
    registry.add_status(actor, p["id"], "graduate", start_on=start,
                        details={"graduation_date": "2026-06-30", "school": "北京某大学", "origin": "beijing"})
    return p["id"]


def test_xicheng_visit_within_30_days_of_registration(registry, world):
    pid = _graduate(registry, world)
    duty = "xicheng/8/visit"
    assert [(x["state"], x["due_on"]) for x in lines_of(registry, world.xc, "2026-07-31", pid, duty)] == \
        [("due", "2026-07-31")]
    assert [x["state"] for x in lines_of(registry, world.xc, "2026-08-01", pid, duty)] == ["overdue"]
    registry.record(world.xc, pid, "online", on="2026-08-02", outcome="微信回访")
    assert lines_of(registry, world.xc, "2026-08-03", pid, duty) == []


def test_xicheng_visit_only_for_its_hukou_and_while_not_employed(registry, world):
    other = _graduate(registry, world, hukou="haidian")
    assert lines_of(registry, world.xc, "2026-07-10", other, "xicheng/8/visit") == []
    pid = _graduate(registry, world)
    registry.add_spell(world.xc, pid, "employee", start_on="2026-07-05", employer="某公司", contract=True)
    assert lines_of(registry, world.xc, "2026-07-04", pid, "xicheng/8/visit") != []
    assert lines_of(registry, world.xc, "2026-07-05", pid, "xicheng/8/visit") == []


def test_plan_for_difficult_family_graduates_waits_for_willingness(registry, world):
    pid = _graduate(registry, world)
    registry.add_status(world.xc, pid, "low_income", start_on="2026-01-01", details={"kind": "低保"})
    lines = lines_of(registry, world.xc, "2026-07-10", pid, "xicheng/8/plan")
    assert [x["state"] for x in lines] == ["undetermined"]
    assert [m["label"] for m in lines[0]["missing"]] == ["有就业意愿"]
    registry.add_status(world.xc, pid, "willing", start_on="2026-07-02", details={"willing": False})
    assert lines_of(registry, world.xc, "2026-07-10", pid, "xicheng/8/plan") == []
    pid2 = _graduate(registry, world)
    registry.add_status(world.xc, pid2, "low_income", start_on="2026-01-01", details={"kind": "低收入"})
    registry.add_status(world.xc, pid2, "willing", start_on="2026-07-02")
    both = {x["duty"]: x["state"] for x in registry.due(world.xc, on="2026-07-10") if x["person_id"] == pid2}
    assert both == {"xicheng/8/visit": "due", "xicheng/8/plan": "due", "beijing/8/plan": "due"}
    registry.open_plan(world.xc, pid2, on="2026-07-12", goals="一个月内实现就业",
                       steps=[("职业指导", "2026-07-20"), ("推荐岗位3个", "2026-08-01")])
    left = {x["duty"] for x in registry.due(world.xc, on="2026-07-13") if x["person_id"] == pid2}
    assert left == {"xicheng/8/visit"}


def test_haidian_referral_after_more_than_one_month(registry, world):
    p = registry.register_person(world.hd, person_number("110108"), "周八", world.zgc, on="2026-03-01")
    registry.add_status(world.hd, p["id"], "unemployed", start_on="2026-03-01")
    registry.add_status(world.hd, p["id"], "willing", start_on="2026-03-01")
    registry.record(world.hd, p["id"], "guidance", on="2026-04-01", outcome="职业指导")
    duty = "haidian/二是/agency_referral"
    assert lines_of(registry, world.hd, "2026-04-30", p["id"], duty) == []        # one month not yet exceeded
    assert [(x["state"], x["due_on"]) for x in lines_of(registry, world.hd, "2026-05-01", p["id"], duty)] == \
        [("due", "2026-05-11")]
    assert [x["state"] for x in lines_of(registry, world.hd, "2026-05-12", p["id"], duty)] == ["overdue"]
    registry.record(world.hd, p["id"], "agency_referral", on="2026-05-12", agency="北京某人力资源服务有限公司")
    assert lines_of(registry, world.hd, "2026-05-13", p["id"], duty) == []


def test_zero_employment_household_until_cleared(registry, world):
    a = registry.register_person(world.xc, person_number("110102", dt.date(1975, 2, 1)), "吴父", world.xinjiekou,
                                 on="2026-05-01", household="吴家")
    b = registry.register_person(world.xc, person_number("110102", dt.date(1978, 2, 1), "f"), "吴母",
                                 world.xinjiekou, on="2026-05-01", household="吴家", retirement_category="female_50")
    kid = registry.register_person(world.xc, person_number("110102", dt.date(2012, 2, 1)), "吴子", world.xinjiekou,
                                   on="2026-05-01", household="吴家")
    monitoring = "beijing/13/monitoring"
    owed = {x["person_id"] for x in registry.due(world.xc, on="2026-06-10") if x["duty"] == monitoring}
    assert owed == {a["id"], b["id"]}                    # the child is not of working age
    registry.add_spell(world.xc, b["id"], "flexible", start_on="2026-06-15")
    assert not [x for x in registry.due(world.xc, on="2026-06-15") if x["duty"].startswith("beijing/13")
                and x["period"] == "2026-06"]
    assert kid["id"] not in owed
