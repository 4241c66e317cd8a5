"""Roles, audit and history, plans and escalation, 免申即享 from the registry (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jiuye.ledger.audit import verify
from jiuye.ledger.errors import Forbidden, InvalidInput, NotFound, Refused
from jiuye.ledger.models import AuditEntry
from jiuye.ids import mask_id

from .conftest import person_number


def _person(registry, world, actor=None, community=None, name="张三", **kw):
    number = person_number("110102")
    p = registry.register_person(actor or world.xc, number, name, community or world.xinjiekou, on="2026-06-01", **kw)
    return p, number


def test_a_specialist_of_another_community_sees_nothing(registry, world):
    p, number = _person(registry, world)
    registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-06-01")
    with pytest.raises(NotFound):
        registry.person(world.xc2, p["id"])
    with pytest.raises(NotFound):
        registry.add_status(world.xc2, p["id"], "veteran", start_on="2026-06-01")
    with pytest.raises(NotFound):
        registry.record(world.xc2, p["id"], "phone", on="2026-06-02")
    assert registry.persons(world.xc2) == []
    assert registry.persons(world.xc2, search=number) == []
    assert registry.persons(world.xc2, search="张") == []
    assert all(x["person_id"] != p["id"] for x in registry.due(world.xc2, on="2026-06-10"))
    with pytest.raises(NotFound):
        registry.due(world.xc2, on="2026-06-10", community_id=world.xinjiekou)
    with pytest.raises(InvalidInput):
        registry.register_person(world.xc2, person_number(), "某人", world.xinjiekou, on="2026-06-01")


def test_supervisors_read_their_area_and_may_not_edit(registry, world):
    p, _ = _person(registry, world)
    assert [x["id"] for x in registry.persons(world.street_sup)] == [p["id"]]
    assert [x["id"] for x in registry.persons(world.district_sup)] == [p["id"]]
    assert registry.person(world.street_sup, p["id"])["name"] == "张三"
    with pytest.raises(Forbidden):
        registry.add_status(world.street_sup, p["id"], "veteran", start_on="2026-06-01")
    hp_person = registry.register_person(world.hp, person_number("120101"), "天津人", world.rongye, on="2025-01-01")
    with pytest.raises(NotFound):
        registry.person(world.district_sup, hp_person["id"])


def test_an_hr_agency_sees_only_the_plans_referred_to_it(registry, world):
    p, _ = _person(registry, world)
    q, _ = _person(registry, world, name="李四")
    referred = registry.open_plan(world.xc, p["id"], on="2026-06-05", goals="转介机构帮扶",
                                  agency="北京某人力资源服务有限公司", steps=[("制定计划", "2026-06-15")])
    registry.open_plan(world.xc, q["id"], on="2026-06-05", goals="社区自办")
    assert [x["id"] for x in registry.plans(world.agency)] == [referred["id"]]
    with pytest.raises(Forbidden):
        registry.persons(world.agency)
    with pytest.raises(Forbidden):
        registry.person(world.agency, p["id"])
    done = registry.plan_event(world.agency, referred["id"], "step_done", on="2026-06-10",
                               step_id=referred["steps"][0]["id"])
    assert done["steps"][0]["done_on"] == "2026-06-10"
    other = registry.plans(world.xc)[1]
    with pytest.raises(NotFound):
        registry.plan(world.agency, other["id"])


def test_id_numbers_are_masked_in_lists_and_full_only_on_reveal(registry, world):
    p, number = _person(registry, world)
    assert p["id_number"] == mask_id(number)
    assert registry.persons(world.xc)[0]["id_number"] == mask_id(number)
    assert registry.person(world.xc, p["id"])["id_number"] == mask_id(number)
    assert registry.person(world.xc, p["id"], reveal=True)["id_number"] == number
    assert registry.person(world.street_sup, p["id"], reveal=True)["id_number"] == mask_id(number)
    with registry.db.read() as s:
        payloads = [e.payload for e in s.query(AuditEntry)]
    assert not any(number in text for text in payloads)
    assert any("registry_reveal_id_number" in e["action"] for e in registry.person(world.xc, p["id"])["audit"])


def test_every_change_is_audited_and_nothing_is_overwritten(registry, world):
    p, _ = _person(registry, world)
    status = registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-06-01")
    ended = registry.end_status(world.xc, status["id"], end_on="2026-07-01")
    with pytest.raises(Refused):
        registry.end_status(world.xc, status["id"], end_on="2026-07-02")
    registry.update_person(world.xc, p["id"], on="2026-06-03", phone="13800000000")
    registry.record(world.xc, p["id"], "phone", on="2026-06-02", outcome="已联系")
    file = registry.person(world.xc, p["id"])
    assert [(x["id"], x["current"], x["end_on"]) for x in file["statuses"]] == \
        [(status["id"], False, None), (ended["id"], True, "2026-07-01")]
    assert file["versions"][0]["before"]["phone"] is None and file["phone"] == "13800000000"
    actions = [e["action"] for e in registry.history(world.xc, p["id"])]
    assert actions == ["registry_register_person", "registry_add_status", "registry_end_status",
                       "registry_update_person", "registry_record"]
    assert all(e["actor"] == "xc" for e in registry.history(world.xc, p["id"]))
    with registry.db.read() as s:
        assert verify(s).ok


def test_bad_input_names_the_field(registry, world):
    with pytest.raises(InvalidInput) as error:
        registry.register_person(world.xc, "110102199001011234", "某", world.xinjiekou, on="2026-06-01")
    assert error.value.field == "id_number"
    p, _ = _person(registry, world)
    for call, field in [(lambda: registry.add_status(world.xc, p["id"], "unknown", start_on="2026-06-01"), "kind"),
                        (lambda: registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-13-01"), "start_on"),
                        (lambda: registry.record(world.xc, p["id"], "job_referral", on="2026-06-01"), "employer"),
                        (lambda: registry.record(world.xc, p["id"], "phone", on="2026-06-02",
                                                 next_contact_on="2026-06-01"), "next_contact_on")]:
        with pytest.raises(InvalidInput) as error:
            call()
        assert error.value.field == field


def test_overdue_steps_escalate_to_the_street_supervisor_once(registry, world):
    p, _ = _person(registry, world)
    plan = registry.open_plan(world.xc, p["id"], on="2026-06-01", goals="三个月内就业",
                              steps=[("职业指导", "2026-06-10"), ("岗位推荐", "2026-06-20")])
    assert registry.escalate(world.xc, on="2026-06-10")["escalated"] == []         # due today: not overdue yet
    out = registry.escalate(world.xc, on="2026-06-11")
    assert [(x["step"], x["to_user_id"]) for x in out["escalated"]] == [(plan["steps"][0]["id"], world.street_sup)]
    assert registry.escalate(world.xc, on="2026-06-12")["escalated"] == []         # once per step
    assert [x["step_id"] for x in registry.escalations(world.street_sup)] == [plan["steps"][0]["id"]]
    # a step done in time does not escalate; employment closes the plan
    registry.plan_event(world.xc, plan["id"], "step_done", on="2026-06-19", step_id=plan["steps"][1]["id"])
    registry.add_spell(world.xc, p["id"], "employee", start_on="2026-06-25", employer="某公司", contract=True)
    out = registry.escalate(world.xc, on="2026-06-25")
    assert out == {"escalated": [], "closed": [plan["id"]]}
    assert registry.plan(world.xc, plan["id"])["closed_on"] == "2026-06-25"
    with pytest.raises(Refused):
        registry.plan_event(world.xc, plan["id"], "review", on="2026-06-26", note="复核")


def test_outreach_lists_measures_and_starts_a_claim_without_json(registry, world, ledger):
    p, _ = _person(registry, world, hukou_district="xicheng")
    registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-05-01")
    found = registry.outreach(world.xc, p["id"], on="2026-06-10")
    assert found["measures"], "a registered unemployed person of Xicheng may qualify for something"
    assert all(m["status"] in ("eligible", "undetermined") for m in found["measures"])
    first = found["measures"][0]
    assert all(isinstance(x, str) for x in first["missing"])
    claim = registry.start_claim(world.xc, p["id"], first["measure"], on="2026-06-10")
    app = ledger.application(world.xc, claim["application_id"])
    assert app.measure_id == first["measure"]
    assert app.situation["persons"][str(p["id"])]["registered_unemployed"] is True
    records = registry.person(world.xc, p["id"])["records"]
    assert records[-1]["kind"] == "outreach" and records[-1]["measure_id"] == first["measure"]
    with pytest.raises(NotFound):
        registry.start_claim(world.xc2, p["id"], first["measure"], on="2026-06-10")


def test_outreach_does_not_ask_what_the_registry_records_of_a_hire(registry, world):
    """Hired from unemployment (the registration cancelled on the hire day): xicheng/6/person reads
    the hire's date and the statuses at the hire from the registry's records, not from the person."""
    p, _ = _person(registry, world, hukou_district="xicheng")
    status = registry.add_status(world.xc, p["id"], "unemployed", start_on="2026-01-05")
    registry.end_status(world.xc, status["id"], end_on="2026-05-10")
    registry.add_spell(world.xc, p["id"], "employee", start_on="2026-05-10", employer="北京某科技有限公司")
    found = {m["measure"]: m for m in registry.outreach(world.xc, p["id"], on="2026-06-10")["measures"]}
    asked = set(found["xicheng/6/person"]["missing"])
    for label in ("签订劳动合同时为登记失业人员", "签订劳动合同时享受最低生活保障待遇"):
        assert label not in asked
    assert "劳动合同起始日期" not in asked, asked
