"""Strict input: an OpenFisca situation (JSON) checked against the model before anything is computed.

    population = parse_situation({"persons": {...}, "organisations": {...}}, system)

Every value is checked against its variable's declared type: a boolean is JSON true/false only ("否",
"false", 0 are refused), a date is ISO (YYYY-MM-DD), real and within 1900–2199, an enum one of its
listed keys, a number finite and within the fact's range; 9999-12-31 means "no such date" (an
open-ended contract, an event that has not happened). A person belongs to at most one
organisation. The first error found is raised as an `InputError` naming the field (dotted path into
the situation) and, in Chinese, the entity and the variable's label; nothing is computed.

A value may also be written as OpenFisca's one-period form ({"2025-03": 4000} or {"ETERNITY": …}).
A variable computed by the model may be stated instead of computed (e.g. a count of hires a
organisation declares); `null` means "not given".
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np

from ..day import DayError, parse_day
from ..model.base import input_bounds
from .population import ROLE_KEYS, Population

ENTITY_PLURALS = {"persons": "person", "organisations": "organisation"}
ENTITY_LABELS = {"person": "个人", "organisation": "单位"}
DEFAULT_LIMITS = {"persons": 500, "organisations": 200, "id_length": 100}
_PERIOD_KEY = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|ETERNITY|eternity|(month|year|day):.+)$")


class InputError(ValueError):
    """Bad input, naming the offending field (`field` is a dotted path into the input) with a
    message in Chinese."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field = field_path
        self.message = message


def parse_date(value, field_path: str = "on", label: str = "评估日期") -> dt.date:
    """An ISO date (YYYY-MM-DD) that exists, between 1900-01-01 and 2199-12-31 (`jiuye.day`)."""
    if not isinstance(value, str):
        raise InputError(field_path, f"{label}应为“年-月-日”格式的日期（如2025-03-15），收到{_show(value)}")
    try:
        return parse_day(value)
    except DayError as error:
        raise InputError(field_path, f"{label}：{error}") from None


def _show(value) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return f"“{text}”"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    return {"dict": "一个对象", "list": "一个列表"}.get(type(value).__name__, type(value).__name__)


def _label(variable) -> str:
    return f"「{variable.label}」（{variable.name}）"


def convert_value(variable, value, field_path: str, who: str = ""):
    """One value of a variable, checked and converted to its storage type (numpy scalar / int code);
    None for `null` (not given)."""
    if value is None:
        return None
    kind = variable.value_type.__name__
    what = f"{who}{_label(variable)}"
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(field_path, f"{what}应为 true（是）或 false（否），收到{_show(value)}")
        return bool(value)
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(field_path, f"{what}应为数字，收到{_show(value)}")
        if kind == "int" and not (isinstance(value, int) or float(value).is_integer()):
            raise InputError(field_path, f"{what}应为整数，收到{_show(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(field_path, f"{what}应为有限的数字，收到{_show(value)}")
        low, high = input_bounds(variable)
        if low is not None and (value < low or value > high):
            raise InputError(field_path, f"{what}超出允许范围（{_number(low)}至{_number(high)}）：{_number(value)}")
        return int(value) if kind == "int" else float(value)
    if kind == "date":
        if value == "9999-12-31":
            return np.datetime64("9999-12-31", "D")        # "no such date / has not happened"
        return np.datetime64(parse_date(value, field_path, what), "D")
    if kind == "Enum":
        members = variable.possible_values.__members__
        if not isinstance(value, str) or value not in members:
            options = "、".join(f"{k}（{m.value}）" for k, m in list(members.items())[:12])
            more = "等" if len(members) > 12 else ""
            raise InputError(field_path, f"{what}应为下列取值之一：{options}{more}；收到{_show(value)}")
        return members[value].index
    if kind == "str":
        if not isinstance(value, str):
            raise InputError(field_path, f"{what}应为文字，收到{_show(value)}")
        return value
    raise InputError(field_path, f"{what}的类型无法填写")


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def parse_situation(situation, system, *, limits: dict | None = None, on: dt.date | None = None) -> Population:
    """The situation as a Population (persons in their order, organisations in theirs), or an
    InputError for the first problem."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    if not isinstance(situation, dict):
        raise InputError("situation", "情形应为一个对象，包含 persons（个人）和 organisations（单位）")
    for key in situation:
        if key == "on":             # an example's assessment date (jiuye.examples), not a fact
            parse_date(situation[key], "on")
            continue
        if key not in ENTITY_PLURALS:
            raise InputError(str(key), f"未知的项“{key}”：情形只能包含 persons（个人）和 organisations（单位）")
    persons = situation.get("persons")
    if not isinstance(persons, dict) or not persons:
        raise InputError("persons", "至少需要一名个人（persons）")
    organisations = situation.get("organisations") or {}
    if not isinstance(organisations, dict):
        raise InputError("organisations", "organisations（单位）应为一个对象")
    if len(persons) > limits["persons"]:
        raise InputError("persons", f"一次最多计算{limits['persons']}名个人，收到{len(persons)}名")
    if len(organisations) > limits["organisations"]:
        raise InputError("organisations", f"一次最多计算{limits['organisations']}个单位，收到{len(organisations)}个")
    group = system.entities_by_singular()["organisation"]
    role_of_plural = {role.plural: role.key for role in group.roles}
    role_of_plural.update({role.key: role.key for role in group.roles})

    person_ids = [str(i) for i in persons]
    org_ids = [str(i) for i in organisations]
    for plural, ids in (("persons", person_ids), ("organisations", org_ids)):
        for entity_id in ids:
            if len(entity_id) > limits["id_length"] or not entity_id.strip():
                raise InputError(f"{plural}.{entity_id[:40]}", f"编号应为1至{limits['id_length']}个字符")
    index_of_person = {pid: i for i, pid in enumerate(person_ids)}
    org_of_person = np.full(len(person_ids), -1, np.int64)
    role_of_person = np.zeros(len(person_ids), np.int8)
    bodies = {"person": [], "organisation": []}
    for plural, key in ENTITY_PLURALS.items():
        for entity_id, body in (situation.get(plural) or {}).items():
            if not isinstance(body, dict):
                raise InputError(f"{plural}.{entity_id}", f"{ENTITY_LABELS[key]}“{entity_id}”应为一个对象（事实名: 取值）")
            bodies[key].append((str(entity_id), body))

    for o, (org_id, body) in enumerate(bodies["organisation"]):
        for name, members in body.items():
            if name not in role_of_plural:
                continue
            field = f"organisations.{org_id}.{name}"
            if not isinstance(members, list):
                raise InputError(field, f"单位“{org_id}”的成员（{name}）应为个人编号的列表")
            for j, pid in enumerate(members):
                if not isinstance(pid, str) or pid not in index_of_person:
                    raise InputError(f"{field}.{j}", f"单位“{org_id}”的成员{_show(pid)}不在 persons（个人）中")
                i = index_of_person[pid]
                if org_of_person[i] >= 0:
                    raise InputError(f"{field}.{j}", f"个人“{pid}”已是单位“{org_ids[org_of_person[i]]}”的成员：一人只能属于一个单位")
                org_of_person[i] = o
                role_of_person[i] = ROLE_KEYS.index(role_of_plural[name])

    facts = {"person": {}, "organisation": {}}
    given = {"person": {}, "organisation": {}}
    counts = {"person": len(person_ids), "organisation": len(org_ids)}
    for key, items in bodies.items():
        plural = "persons" if key == "person" else "organisations"
        for row, (entity_id, body) in enumerate(items):
            who = f"{ENTITY_LABELS[key]}“{entity_id}”的"
            for name, raw in body.items():
                if key == "organisation" and name in role_of_plural:
                    continue
                field = f"{plural}.{entity_id}.{name}"
                variable = system.variables.get(name)
                if variable is None:
                    raise InputError(field, f"未知的事实“{name}”（{ENTITY_LABELS[key]}）：请查看 /measures 或 `jiuye measures` 列出的事实")
                if variable.entity.key != key:
                    raise InputError(field, f"“{variable.label}”（{name}）是{ENTITY_LABELS[variable.entity.key]}的事实，不能填写在{ENTITY_LABELS[key]}下")
                value = _unwrap_period(raw, field, who, variable)
                value = convert_value(variable, value, field, who)
                if value is None:
                    continue
                column = facts[key].get(name)
                if column is None:
                    column = facts[key][name] = _empty_column(variable, counts[key])
                    given[key][name] = np.zeros(counts[key], bool)
                column[row] = value
                given[key][name][row] = True
    for key in facts:
        for name in list(given[key]):
            if given[key][name].all():
                del given[key][name]
    return Population(
        on=on, seed=None, person_ids=np.array(person_ids, dtype=object), org_ids=np.array(org_ids, dtype=object),
        org_of_person=org_of_person, role_of_person=role_of_person,
        person_facts=facts["person"], org_facts=facts["organisation"],
        person_given=given["person"], org_given=given["organisation"])


def _unwrap_period(raw, field: str, who: str, variable):
    """OpenFisca's period form {"2025-03": value} (one period) → the value."""
    if isinstance(raw, dict):
        if len(raw) != 1 or not all(isinstance(k, str) and _PERIOD_KEY.match(k) for k in raw):
            raise InputError(field, f"{who}{_label(variable)}应为一个取值（或 {{\"2025-03\": 取值}} 形式的一个期间），收到{_show(raw)}")
        return next(iter(raw.values()))
    return raw


def _empty_column(variable, n: int) -> np.ndarray:
    kind = variable.value_type.__name__
    if kind == "Enum":
        return np.zeros(n, np.int16)
    if kind == "date":
        return np.full(n, np.datetime64("9999-12-31", "D"))
    if kind == "float":
        return np.full(n, np.nan)
    return np.zeros(n, dtype=variable.dtype)
