"""免申即享 from the registry: the measures a person qualifies for or may qualify for, by the same
evaluator as ``jiuye match`` (``jiuye.batch.evaluate.Evaluator``) on the registry's facts of the
day, with the facts still missing; and a claim started in the ledger from it (the situation built
from those facts: no JSON to write)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..catalogue import load_catalogue
from ..ledger.errors import InvalidInput, Refused
from ..model.facts.places import CITY_OF_DISTRICT


def _person_population(registry, actor, person_id: int, on: dt.date):
    from ..model.system import get_system
    from .facts import status_facts
    system = get_system()
    with registry.db.read() as s:
        who = registry._actor(s, actor)
        person = registry._person(s, who, person_id)
        if who.role == "hr_agency":
            from ..ledger.errors import Forbidden
            raise Forbidden("人力资源服务机构只能查看转介给本机构的计划")
        snap = registry._snapshot(s, [person.community_id], [person_id])
    row = int(np.flatnonzero(snap.person_id == person_id)[0])
    return system, snap, row, status_facts(snap, on, system)


def _measures(district: str):
    city = CITY_OF_DISTRICT[district].name if district in CITY_OF_DISTRICT else None
    catalogue = load_catalogue()
    out = []
    for m in catalogue.executable():
        if m.entity != "person" or m.beneficiary != "person":
            continue
        place = catalogue.documents[m.document].jurisdiction or {}
        if place.get("city") and place.get("city") != city:
            continue
        if place.get("district") and place.get("district") != district:
            continue
        out.append(m)
    return out


def measures_for(registry, actor, person_id: int, on: dt.date) -> dict:
    from ..batch.evaluate import Evaluator
    from ..batch.results import ELIGIBLE, STATUS_KEYS
    system, snap, row, population = _person_population(registry, actor, person_id, on)
    measures = _measures(snap.district[row])
    results = Evaluator(population, system).match(measures, on) if measures else {}
    out = []
    for measure in measures:
        r = results[measure.id]
        hits = np.flatnonzero(r.unit == row)
        if not len(hits):
            continue
        i = int(hits[0])
        missing = [system.variables[f].label for j, (f, _) in enumerate(r.facts) if r.missing[i, j]]
        month = float(r.month[i])
        out.append({"measure": measure.id, "title": measure.title, "clause": measure.clause,
                    "status": STATUS_KEYS[int(r.status[i])], "eligible": int(r.status[i]) == ELIGIBLE,
                    "missing": missing, "month_amount": None if np.isnan(month) else month})
    out.sort(key=lambda x: (not x["eligible"], len(x["missing"]), x["measure"]))
    return {"person_id": person_id, "on": on.isoformat(), "measures": out}


def start_claim(registry, actor, person_id: int, measure_id: str, on: dt.date) -> dict:
    """A ledger claim of a person's measure: the applicant registered from the registry's person, the
    situation from the registry's facts; and an outreach record (免申即享告知) naming the claim."""
    from ..assess.population import situation
    catalogue = load_catalogue()
    if measure_id not in catalogue.measures:
        raise InvalidInput("measure_id", f"未知措施：{measure_id}")
    measure = catalogue.measure(measure_id)
    if measure.beneficiary != "person" or measure.entity != "person":
        raise Refused("not_personal", f"{measure.id}的受益方不是个人：请在经办台账按单位申请")
    system, snap, row, population = _person_population(registry, actor, person_id, on)
    with registry.db.read() as s:
        registry._actor(s, actor, edit=True, system_ok=False)
    body = situation(population, system, person=row)
    ledger = registry.claims_ledger()
    applicant = ledger.register_applicant(actor, "person", str(snap.id_number[row]), str(snap.name[row]))
    claim = ledger.submit(actor, measure_id=measure.id, beneficiary_id=applicant.id, situation=body, on=on,
                          beneficiary_key=str(snap.person_id[row]))
    record = registry.record(actor, person_id, "outreach", on=on, measure_id=measure.id,
                             outcome=f"免申即享：已在经办台账发起申请（第{claim.id}号，{measure.title}）")
    return {"application_id": claim.id, "result_status": claim.result_status, "record": record}
