"""Computing a claim: which entities of the situation the claim is for, the measure's result on the
submission date (``jiuye.explain.calculate``), and many claims at once (an import): situations of
the same measure and date merged into one simulation, with the same results as one by one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..catalogue import Measure
from .errors import InvalidInput, LedgerError
from .models import APPLICANT_KINDS

MERGE_LIMIT = 200


@dataclass
class Submission:
    measure: Measure
    beneficiary_id: int
    person_id: int | None
    situation: dict
    on: dt.date
    beneficiary_key: str
    person_key: str | None
    idempotency_key: str | None
    event: dict | None = None          # the qualifying event (entitlements.qualifying_event)


def outside_window(measure: Measure, on: dt.date) -> str | None:
    day = on.isoformat()
    if (measure.valid_from and day < measure.valid_from) or (measure.valid_to and day > measure.valid_to):
        return (f"{measure.id}（{measure.title}）的有效期为{measure.valid_from or '发布之日'}至"
                f"{measure.valid_to or '无截止'}，申请日{day}不在有效期内")
    return None


def situation_keys(measure: Measure, situation: dict, beneficiary_key: str | None,
                    person_key: str | None) -> tuple[str, str | None]:
    persons = situation.get("persons") if isinstance(situation.get("persons"), dict) else {}
    orgs = situation.get("organisations") if isinstance(situation.get("organisations"), dict) else {}
    pool = orgs if measure.beneficiary == "organisation" else persons
    if beneficiary_key is None:
        if len(pool) != 1:
            raise InvalidInput("beneficiary_key", f"情形中有{len(pool)}个{APPLICANT_KINDS[measure.beneficiary]}，"
                               "请指明受益方在情形中的编号")
        beneficiary_key = next(iter(pool))
    elif beneficiary_key not in pool:
        raise InvalidInput("beneficiary_key", f"情形中没有{beneficiary_key!r}")
    if measure.beneficiary == "person":
        return beneficiary_key, beneficiary_key if measure.entity == "person" else None
    if measure.entity != "person":
        return beneficiary_key, None
    if person_key is None:
        members = _members(orgs.get(beneficiary_key) or {}, measure.role)
        if len(members) != 1:
            raise InvalidInput("person_key", f"{beneficiary_key}有{len(members)}名{measure.role or '成员'}，请指明人员在情形中的编号")
        person_key = members[0]
    elif person_key not in persons:
        raise InvalidInput("person_key", f"情形中没有{person_key!r}")
    return beneficiary_key, person_key


def _members(org: dict, role: str | None) -> list[str]:
    roles = [role + "s"] if role else [k for k, v in org.items() if isinstance(v, list)]
    return [m for r in roles for m in (org.get(r) or []) if isinstance(m, str)]


def compute(measure: Measure, situation: dict, on: dt.date, beneficiary_key: str, person_key: str | None) -> dict:
    from ..assess.situation import InputError
    from ..explain import calculate
    try:
        report = calculate(situation, on, [measure.id])
    except InputError as error:
        raise InvalidInput(f"situation.{error.field}", error.message) from None
    for result in report["results"]:
        if result["beneficiary"] != beneficiary_key:
            continue
        if measure.entity == "person" and measure.beneficiary == "organisation" and result.get("person") != person_key:
            continue
        return result
    raise InvalidInput("person_key" if person_key else "beneficiary_key",
                       f"情形中{beneficiary_key}{('/' + person_key) if person_key else ''}没有{measure.id}的计算结果"
                       f"（须为明示的{APPLICANT_KINDS[measure.beneficiary]}{'及其' + measure.role if measure.role else ''}）")


def allocated(situation: dict) -> bool:
    """Every person belongs to an organisation given in the situation (such situations can share one
    simulation: OpenFisca adds implicit organisations for the others, which breaks a merge)."""
    orgs = situation.get("organisations")
    if not isinstance(orgs, dict) or not isinstance(situation.get("persons"), dict):
        return False
    members = {m for org in orgs.values() if isinstance(org, dict)
               for value in org.values() if isinstance(value, list) for m in value}
    return set(situation["persons"]) <= members


def merge(situations: list[dict]) -> tuple[dict, dict]:
    """One situation of several, entity ids prefixed ``k<n>:``; and the map back to the ids."""
    merged: dict = {"persons": {}, "organisations": {}}
    back: dict[str, str] = {}
    for n, situation in enumerate(situations):
        prefix = f"k{n}:"
        for pid, body in situation["persons"].items():
            merged["persons"][prefix + pid] = body
            back[prefix + pid] = pid
        for oid, body in situation["organisations"].items():
            merged["organisations"][prefix + oid] = {
                k: ([prefix + m for m in v] if isinstance(v, list) else v) for k, v in body.items()}
            back[prefix + oid] = oid
    return merged, back


def unprefix(value, back: dict):
    if isinstance(value, dict):
        return {k: unprefix(v, back) for k, v in value.items()}
    if isinstance(value, list):
        return [unprefix(v, back) for v in value]
    if isinstance(value, str):
        return back.get(value, value)
    return value


def compute_many(subs: list[Submission]) -> list[dict | LedgerError]:
    """Each submission's result, as ``compute`` gives it. Submissions of the same measure and date
    whose persons all belong to given organisations are computed in one simulation (a test checks
    the results are identical); a merged run that fails falls back to one run per submission, so
    each error is that submission's own."""
    out: list[Any] = [None] * len(subs)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for n, sub in enumerate(subs):
        if allocated(sub.situation):
            groups[(sub.measure.id, sub.on)].append(n)
        else:
            groups[("single", n)].append(n)
    for key, members in groups.items():
        for start in range(0, len(members), MERGE_LIMIT):
            part = members[start:start + MERGE_LIMIT]
            if key[0] != "single" and len(part) > 1:
                try:
                    merged = compute_merged([subs[n] for n in part])
                    for n, result in zip(part, merged):
                        out[n] = result
                    continue
                except LedgerError:
                    pass                 # one of them is faulty: compute each alone
            for n in part:
                sub = subs[n]
                try:
                    out[n] = compute(sub.measure, sub.situation, sub.on, sub.beneficiary_key, sub.person_key)
                except LedgerError as error:
                    out[n] = error
    return out


def compute_merged(subs: list[Submission]) -> list[dict]:
    from ..assess.situation import InputError
    from ..explain import calculate
    measure, on = subs[0].measure, subs[0].on
    merged, back = merge([sub.situation for sub in subs])
    try:
        report = calculate(merged, on, [measure.id])
    except InputError as error:
        raise InvalidInput(f"situation.{error.field}", error.message) from None
    index = {(r["beneficiary"], r.get("person")): r for r in report["results"]}
    results = []
    per_person = measure.entity == "person" and measure.beneficiary == "organisation"
    for n, sub in enumerate(subs):
        prefix = f"k{n}:"
        row = index.get((prefix + sub.beneficiary_key, prefix + sub.person_key if per_person else None))
        if row is None:
            raise InvalidInput("beneficiary_key", "合并计算中没有该申请人的结果")
        results.append(unprefix(row, back))
    return results
