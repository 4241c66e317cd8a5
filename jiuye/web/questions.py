"""The questionnaire: which facts to ask next, and turning answers into situation values.

Engine-generic: the questions are the missing facts of undetermined results (and of eligible
results whose payment schedule still needs a fact), ranked by how many results each would help
settle; the help text is the words of the clauses that need the fact.
"""

from __future__ import annotations

import json
from collections import OrderedDict

from ..assess.situation import InputError, parse_date
from ..model.system import get_system

PERSON_ID = "本人"
ORG_ID = "本单位"
EMPLOYEE_ID = "职工甲"


def start_situation(kind: str, district: str) -> dict:
    """The first situation of a questionnaire: a person (with their employer, facts unknown) or an
    organisation (with one employee)."""
    if kind == "person":
        return {"persons": {PERSON_ID: {"hukou_district": district}},
                "organisations": {ORG_ID: {"employees": [PERSON_ID]}}}
    return {"persons": {EMPLOYEE_ID: {}},
            "organisations": {ORG_ID: {"employees": [EMPLOYEE_ID], "registration_district": district}}}


def next_questions(report: dict, skipped: set[str], limit: int = 6) -> list[dict]:
    """Missing facts of undetermined results, most useful first: facts the schedule of an eligible
    result still needs come first (the case qualifies, only its amount or dates are open), then
    the facts that settle the most results."""
    system = get_system()
    ranked: "OrderedDict[str, dict]" = OrderedDict()
    for result in report["results"]:
        if result["status"] == "eligible" and result.get("schedule_missing"):
            # eligible, but the amount or the dates still need a fact (shown as 待定 until given)
            needs = {item["variable"]: [("已符合条件，确定发放金额和日期需要此项", result["clause"])]
                     for item in result["schedule_missing"]}
            items = result["schedule_missing"]
        elif result["status"] == "undetermined":
            needs = _labels_needing(result)
            items = result["missing"]
        else:
            continue
        for item in items:
            key = f"{item['entity']}::{item['id']}::{item['variable']}"
            if key in skipped:
                continue
            entry = ranked.setdefault(key, {"key": key, **item, "count": 0, "help": [], "measures": [],
                                            "schedule": False})
            entry["count"] += 1
            entry["schedule"] |= result["status"] == "eligible"
            if result["title"] not in entry["measures"]:
                entry["measures"].append(result["title"])
            for label, clause in needs.get(item["variable"], []):
                if (label, clause) not in entry["help"]:
                    entry["help"].append((label, clause))
    questions = sorted(ranked.values(), key=lambda q: (not q["schedule"], -q["count"]))[:limit]
    for q in questions:
        q["widget"] = widget(system, q["variable"])
    return questions


def _labels_needing(result: dict) -> dict[str, list]:
    """variable -> [(condition label, clause)] for the open conditions that miss it."""
    found: dict[str, list] = {}

    def walk(nodes):
        for node in nodes:
            if "group" in node:
                walk(node["conditions"])
            else:
                for item in node.get("missing", []):
                    found.setdefault(item["variable"], []).append((node["label"], node["clause"]))
    walk(result["conditions"])
    return found


def widget(system, name: str) -> dict:
    variable = system.variables[name]
    kind = variable.value_type.__name__
    if kind == "bool":
        return {"type": "bool"}
    if kind == "Enum":
        return {"type": "enum", "options": [(item.name, item.value) for item in variable.possible_values
                                             if item.name != "unknown"]}
    if kind == "date":
        return {"type": "date"}
    if kind in ("int", "float"):
        return {"type": "number", "step": "1" if kind == "int" else "0.01"}
    return {"type": "text"}


def apply_answers(situation: dict, answers: dict[str, str]) -> tuple[dict, list[str]]:
    """Put answered facts into the situation. Returns it and the keys answered "不知道"."""
    system = get_system()
    skipped = []
    for key, raw in answers.items():
        entity, entity_id, name = key.split("::", 2)
        if name not in system.variables:
            raise InputError(key, f"unknown variable {name!r}")
        if raw in ("", None):
            continue
        if raw == "__skip__":
            skipped.append(key)
            continue
        plural = "persons" if entity == "person" else "organisations"
        body = situation.setdefault(plural, {}).setdefault(entity_id, {})
        body[name] = convert(system.variables[name], raw, key)
    return situation, skipped


def convert(variable, raw: str, field: str):
    kind = variable.value_type.__name__
    try:
        if kind == "bool":
            if raw not in ("true", "false"):
                raise ValueError
            return raw == "true"
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "date":
            return parse_date(raw, field).isoformat()
        if kind == "Enum":
            if raw not in variable.possible_values.__members__:
                raise ValueError
            return raw
    except ValueError:
        raise InputError(field, f"{variable.label}：无法识别的值 {raw!r}") from None
    return raw


def dump(situation: dict) -> str:
    return json.dumps(situation, ensure_ascii=False, separators=(",", ":"))


def load(text: str, field: str = "situation") -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise InputError(field, "not valid JSON") from None
    if not isinstance(value, dict):
        raise InputError(field, "expected a JSON object")
    return value
