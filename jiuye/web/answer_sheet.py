"""The questionnaire's situation: where it starts, who applies (by the ids the user entered), the
answers written into it (typed values, 不知道, 不适用, cleared) and read back for the page, and the
situation carried between pages as JSON. jiuye/web/questions.py decides what to ask and groups the
results; the page routes (jiuye/web/routes/calculator_pages.py) use both.

Engine-generic (reads the system; imports no district)."""

from __future__ import annotations

import json
import math

from ..assess.situation import InputError, parse_date
from ..model.system import get_system
from ..numerals import DECIMAL, INTEGER, ForeignDigit, ascii_digits

PERSON_ID = "本人"
ORG_ID = "本单位"
CONTACT_ID = "经办人"          # an organisation's questionnaire: the one person a situation needs (not assessed)
KINDS = ("person", "organisation")
NO_SUCH_DATE = "9999-12-31"
NONE_CHOICES = ("none", "not_applicable")


# -- the situation a questionnaire starts from ---------------------------------------------------
def start_situation(kind: str, district: str) -> dict:
    """A person (with their employer, whose facts are unknown), or an organisation with no members
    yet (its counts are stated; employees can be added by name). A situation needs one person: an
    organisation's has its contact person, who is in no organisation and whose results are not shown."""
    if kind == "person":
        return {"persons": {PERSON_ID: {"hukou_district": district}},
                "organisations": {ORG_ID: {"employees": [PERSON_ID]}}}
    return {"persons": {CONTACT_ID: {}},
            "organisations": {ORG_ID: {"employees": [], "registration_district": district}}}


def _role_fields() -> list[str]:
    """The fields of an organisation that list its members (a role's plural or key: employees, members …)."""
    roles = get_system().entities_by_singular()["organisation"].roles
    return list(dict.fromkeys([r.plural for r in roles] + [r.key for r in roles]))


def applicant(situation: dict, kind: str) -> dict:
    """Who applies, by the ids the user entered (a situation started here uses 本人 / 本单位; one pasted
    or loaded from an example may name them otherwise): ``person`` (a person's questionnaire: 本人,
    else the first person listed), ``organisation`` (an organisation's questionnaire: 本单位, else the
    first organisation listed; a person's: the organisation the person belongs to) and ``staff`` (that
    organisation's members in any role, in their order)."""
    persons = [str(p) for p in (situation.get("persons") or {})]
    organisations = situation.get("organisations") or {}
    fields = _role_fields()

    def members(org_id):
        body = organisations.get(org_id)
        body = body if isinstance(body, dict) else {}
        return list(dict.fromkeys(str(p) for f in fields if isinstance(body.get(f), list) for p in body[f]))

    person = org = None
    if kind == "person":
        person = PERSON_ID if PERSON_ID in persons else (persons[0] if persons else None)
        org = next((str(o) for o in organisations if person in members(o)), None)
    else:
        org = ORG_ID if ORG_ID in organisations else next((str(o) for o in organisations), ORG_ID)
    return {"person": person, "organisation": org, "staff": members(org) if org is not None else []}


def report_applicant(report: dict, kind: str) -> dict:
    """The report's applicant (set by the pages from the situation), else a situation started here."""
    return report.get("applicant") or {"person": PERSON_ID if kind == "person" else None,
                                       "organisation": ORG_ID, "staff": []}


def employees(situation: dict) -> list[str]:
    return applicant(situation, "organisation")["staff"]


def add_employee(situation: dict, name: str) -> dict:
    """An employee of the organisation (the applicant, whatever its id), named as the user names them."""
    name = (name or "").strip()
    if not name or len(name) > 20:
        raise InputError("employee", "职工称呼：请填写1至20个字（如“张三”或“职工1”）")
    if name in (situation.get("persons") or {}):
        raise InputError("employee", f"职工称呼：“{name}”已经添加过了")
    org = applicant(situation, "organisation")["organisation"]
    situation.setdefault("persons", {})[name] = {}
    situation.setdefault("organisations", {}).setdefault(org, {}).setdefault("employees", []).append(name)
    return situation


# -- answers ------------------------------------------------------------------------------------
def split_key(key: str) -> tuple[str, str, str]:
    parts = key.split("::", 2)
    if len(parts) != 3 or parts[0] not in ("person", "organisation"):
        raise InputError(key, "问题编号无法识别，请从首页重新开始")
    return parts[0], parts[1], parts[2]


def _body(situation: dict, entity: str, entity_id: str, create: bool = True) -> dict | None:
    plural = "persons" if entity == "person" else "organisations"
    bodies = situation.setdefault(plural, {}) if create else (situation.get(plural) or {})
    if entity_id not in bodies:
        if not create:
            return None
        if entity == "person":
            raise InputError(key_of(entity, entity_id, ""), f"没有名为“{entity_id}”的人员，请从首页重新开始")
    return bodies.setdefault(entity_id, {}) if create else bodies[entity_id]


def key_of(entity: str, entity_id: str, name: str) -> str:
    return f"{entity}::{entity_id}::{name}"


def apply_answers(situation: dict, values: dict[str, str], unknown: set[str], not_applicable: set[str],
                  ) -> tuple[dict, set[str], set[str]]:
    """Put the answers into the situation: a typed value wins, then 不适用 (the fact does not apply),
    then 不知道. Returns the situation, the keys answered 不知道 and the keys answered at all."""
    system = get_system()
    skipped, answered = set(), set()
    for key in sorted(set(values) | unknown | not_applicable):
        entity, entity_id, name = split_key(key)
        variable = system.variables.get(name)
        if variable is None:
            raise InputError(key, "问题无法识别，请从首页重新开始")
        raw = (values.get(key) or "").strip()
        if raw:
            value = convert(variable, raw, key)
        elif key in not_applicable:
            value = not_applicable_value(variable, key)
        elif key in unknown:
            skipped.add(key)
            continue
        else:
            continue
        _body(situation, entity, entity_id)[name] = value
        answered.add(key)
    return situation, skipped, answered


def not_applicable_value(variable, field: str):
    kind = variable.value_type.__name__
    if kind == "bool":
        return False
    if kind == "date":
        return NO_SUCH_DATE
    if kind in ("int", "float"):
        return 0
    if kind == "Enum":
        for name in NONE_CHOICES:
            if name in variable.possible_values.__members__:
                return name
    raise InputError(field, f"“{variable.label}”没有“不适用”的选项，请选择一项或选“不知道”")


def clear_answer(situation: dict, key: str) -> str | None:
    """Remove an answer; returns it as the form would send it (to show it again when it is changed)."""
    entity, entity_id, name = split_key(key)
    body = _body(situation, entity, entity_id, create=False)
    if body is None or name not in body:
        return None
    value = body.pop(name)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def given_answers(situation: dict, kind: str) -> list[dict]:
    """Every fact the user gave (place facts set by the start page included), as the summary lists
    them: the key, the entity as a person reads it, the label, the value shown."""
    system = get_system()
    who = applicant(situation, kind)
    out = []
    for plural, entity in (("persons", "person"), ("organisations", "organisation")):
        for entity_id, body in (situation.get(plural) or {}).items():
            if not isinstance(body, dict):
                continue
            for name, value in body.items():
                variable = system.variables.get(name)
                if variable is None:
                    continue
                out.append({"key": key_of(entity, entity_id, name), "who": who_label(entity, entity_id, kind, who),
                            "label": variable.label, "value": shown_value(variable, value)})
    return out


def shown_value(variable, value) -> str:
    """A value as a person reads it: 是/否, a choice's Chinese label, 4000 not 4000.0, 无 for a date
    that does not exist (9999-12-31)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.startswith("9999-12-31"):
        return "无（不适用）"
    members = getattr(getattr(variable, "possible_values", None), "__members__", {})
    if isinstance(value, str) and value in members:
        return str(members[value].value)
    return str(value)


def who_label(entity: str, entity_id: str, kind: str, who: dict | None = None) -> str:
    """Whose answer it is: 您本人 / 您的用人单位 (a person's), the organisation as the user named it
    (本单位 unless named otherwise) and 职工：<name> (an organisation's)."""
    who = who or report_applicant({}, kind)
    if entity == "organisation":
        if kind == "person" and entity_id == who["organisation"]:
            return "您的用人单位"
        return entity_id if entity_id == who["organisation"] else f"单位：{entity_id}"
    if entity_id == who["person"] and kind == "person":
        return "您本人"
    return f"职工：{entity_id}"


def convert(variable, raw: str, field: str):
    kind = variable.value_type.__name__
    label = variable.label
    if kind in ("int", "float"):
        return _number(kind, label, raw, field)
    if kind == "date":                  # its own reason (a ValueError: not to be caught below)
        return parse_date(raw, field, f"“{label}”").isoformat()
    try:
        if kind == "bool":
            if raw not in ("true", "false"):
                raise ValueError
            return raw == "true"
        if kind == "Enum":
            if raw not in variable.possible_values.__members__:
                raise ValueError
            return raw
    except ValueError:
        raise InputError(field, f"“{label}”：无法识别的值“{raw[:40]}”") from None
    return raw


def _number(kind: str, label: str, raw: str, field: str):
    """A typed number: digits 0–9, full-width ０–９ read as them, any other digit refused
    (`jiuye.numerals`); not negative (and finite)."""
    try:
        text = ascii_digits(raw)
    except ForeignDigit as error:
        raise InputError(field, f"“{label}”：{error}") from None
    if not (INTEGER if kind == "int" else DECIMAL).fullmatch(text):
        raise InputError(field, f"“{label}”：无法识别的值“{raw[:40]}”")
    value = int(text) if kind == "int" else float(text)
    if kind == "int" and value < 0:
        raise InputError(field, f"“{label}”不能为负数")
    if kind == "float" and (not math.isfinite(value) or value < 0):
        raise InputError(field, f"“{label}”应为不小于0的数")
    return value


def dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load(text: str, field: str = "situation") -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise InputError(field, "已填写的情况无法读取（格式不正确），请从首页重新开始") from None
    if not isinstance(value, dict):
        raise InputError(field, "已填写的情况无法读取（格式不正确），请从首页重新开始")
    return value


def load_list(text: str, field: str) -> list:
    try:
        value = json.loads(text or "[]")
    except json.JSONDecodeError:
        raise InputError(field, "页面数据无法读取，请从首页重新开始") from None
    if not isinstance(value, (list, dict)):
        raise InputError(field, "页面数据无法读取，请从首页重新开始")
    return value
