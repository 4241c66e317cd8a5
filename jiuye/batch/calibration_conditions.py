"""A calibration's conditions (the `where:` of its margins and counts) and the population as they see it
(Frame); the calibration file's keys and its error (jiuye/batch/calibration.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import math

import numpy as np

ENTITY_KEYS = {"person": "person", "persons": "person", "人员": "person", "organisation": "organisation",
               "organization": "organisation", "organisations": "organisation", "单位": "organisation"}
ENTITY_LABELS = {"person": "人员", "organisation": "单位"}
PSEUDO = {"person": {"age": "年龄（周岁，基准日）"}, "organisation": {"members": "单位人数（花名册中的成员数）"}}
PSEUDO_READS = {"age": "birth_date", "members": None}       # the fact a pseudo-fact is computed from
TOP_KEYS = {"title", "description", "district", "note", "totals", "margins"}
MARGIN_KEYS = {"key", "label", "entity", "where", "value", "unit", "source", "illustrative", "counts", "note"}
COUNT_KEYS = {"label", "where", "value", "unit", "source", "illustrative", "note"}
TOTAL_KEYS = {"label", "value", "unit", "source", "illustrative", "note"}
MAX_CELLS = 2_000_000
TOLERANCE = 1e-3                 # margins are met within 0.1 %


class CalibrationError(ValueError):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}：{message}" if where else message)
        self.where, self.message = where, message


# -- the population as the conditions see it ------------------------------------------------------------------
class Frame:
    """Facts of a population by entity, with their given masks, and the reference date."""

    def __init__(self, population, system, on: dt.date) -> None:
        self.population, self.system, self.on = population, system, on
        self.org_of_person = np.asarray(population.org_of_person, np.int64)
        self.role = np.asarray(population.role_of_person)
        self._members = None

    def n(self, entity: str) -> int:
        return self.population.n_persons if entity == "person" else self.population.n_orgs

    def fact(self, entity: str, name: str):
        """(values, given mask) of a fact; (None, None) when the population does not have it."""
        facts = self.population.person_facts if entity == "person" else self.population.org_facts
        if name not in facts:
            return None, None
        given = self.population.given(entity, name)
        values = np.asarray(facts[name])
        mask = np.ones(len(values), bool) if given is None else np.asarray(given, bool)
        if values.dtype.kind == "f":
            mask = mask & ~np.isnan(values)
        return values, mask

    def enum_index(self, entity: str, name: str):
        """Enum indices with a blank cell read as the default member (a synthetic 'unknown' is written blank)."""
        values, given = self.fact(entity, name)
        if values is None:
            return None
        default = self.system.variables[name].default_value
        return np.where(given, values, default.index if default is not None else 0).astype(np.int64)

    def members(self) -> np.ndarray:
        if self._members is None:
            org = self.org_of_person
            self._members = np.bincount(org[org >= 0], minlength=self.population.n_orgs).astype(np.int64)
        return self._members

    def age(self):
        birth, given = self.fact("person", "birth_date")
        if birth is None:
            return None, None
        on = np.datetime64(self.on, "D")
        years = on.astype("datetime64[Y]").astype(np.int64) - birth.astype("datetime64[Y]").astype(np.int64)
        before_birthday = (on - on.astype("datetime64[Y]")) < (birth - birth.astype("datetime64[Y]"))
        return (years - before_birthday).astype(np.float64), given

    def to_persons(self, org_values: np.ndarray, fill=False) -> np.ndarray:
        org = self.org_of_person
        out = org_values[np.maximum(org, 0)] if len(org_values) else np.full(len(org), fill)
        return np.where(org >= 0, out, fill)


# -- conditions --------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Condition:
    fact: str                   # an input fact, or a pseudo-fact (members, age)
    path: tuple                 # () the margin's own entity, ("org",) a person's organisation
    entity: str                 # the entity the fact belongs to
    test: object                # (values, given) -> mask
    text: str                   # Chinese, for the report

    def mask(self, frame: Frame, entity: str) -> np.ndarray:
        if self.fact == "members":
            values, given = frame.members(), np.ones(frame.n("organisation"), bool)
        elif self.fact == "age":
            values, given = frame.age()
        else:
            values, given = frame.fact(self.entity, self.fact)
        if values is None:
            result = np.zeros(frame.n(self.entity), bool)
        else:
            result = given & self.test(values)
        if self.path == ("org",) and entity == "person":
            return frame.to_persons(result, False)
        return result


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"（是否指 {close[0]}？）" if close else ""


def _date(value, where: str) -> np.datetime64:
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    try:
        return np.datetime64(dt.date.fromisoformat(str(value)), "D")
    except ValueError:
        raise CalibrationError(where, f"日期应写作 YYYY-MM-DD，而不是 {value!r}") from None


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CalibrationError(where, f"应为数字，而不是 {value!r}")
    return float(value)


def parse_condition(key: str, value, entity: str, system, where: str, on_text: str = "基准日") -> Condition:
    from openfisca_core.indexed_enums import Enum
    path, fact_entity, name = (), entity, str(key)
    if name.startswith("organisation.") or name.startswith("单位."):
        if entity != "person":
            raise CalibrationError(where, "只有人员的校准项可以按其所在单位的事实（organisation.…）筛选")
        path, fact_entity, name = ("org",), "organisation", name.split(".", 1)[1]
    condition = _parse_condition(name, value, fact_entity, system, where, on_text)
    if path:
        condition.path, condition.text = path, f"所在单位的{condition.text}"
    return condition


def _parse_condition(name: str, value, fact_entity: str, system, where: str, on_text: str) -> Condition:
    from openfisca_core.indexed_enums import Enum
    path = ()
    if name in PSEUDO[fact_entity]:
        label = PSEUDO[fact_entity][name]
        test, text = _numeric_test(value, where, label)
        return Condition(name, path, fact_entity, test, text)
    variable = system.variables.get(name)
    facts = [n for n, v in system.variables.items() if v.entity.key == fact_entity and not v.formulas]
    if variable is None or variable.entity.key != fact_entity:
        hint = _suggest(name, facts + list(PSEUDO[fact_entity]))
        raise CalibrationError(where, f"{ENTITY_LABELS[fact_entity]}没有事实 {name!r}{hint}")
    if variable.formulas:
        raise CalibrationError(where, f"{name}（{variable.label}）由公式计算，只能按输入的事实校准")
    label = variable.label or name
    vt = variable.value_type
    if vt is bool:
        if not isinstance(value, bool):
            raise CalibrationError(where, f"{label} 是“是/否”事实：应为 true 或 false，而不是 {value!r}")
        return Condition(name, path, fact_entity, (lambda v, b=value: v == b), f"{label}：{'是' if value else '否'}")
    if vt is Enum:
        enum = variable.possible_values
        negate = False
        if isinstance(value, dict):
            if set(value) != {"not"}:
                raise CalibrationError(where, f"{label}：应为成员、成员列表或 {{not: [...]}}，而不是 {value!r}")
            value, negate = value["not"], True
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            raise CalibrationError(where, f"{label}：应为成员（如 {next(iter(enum.__members__))}）或成员列表，而不是 {value!r}")
        for k in keys:
            if k not in enum.__members__:
                raise CalibrationError(where, f"{label} 没有成员 {k!r}{_suggest(k, enum.__members__)}")
        indices = np.array([enum[k].index for k in keys])
        names = "、".join(enum[k].value for k in keys)
        if negate:
            return Condition(name, path, fact_entity, (lambda v, i=indices: ~np.isin(v, i)), f"{label}：不是{names}")
        return Condition(name, path, fact_entity, (lambda v, i=indices: np.isin(v, i)), f"{label}：{names}")
    if vt is dt.date:
        if not isinstance(value, dict) or not value or not set(value) <= {"from", "to", "within_days"}:
            raise CalibrationError(where, f"{label} 是日期：应为 {{from: YYYY-MM-DD, to: YYYY-MM-DD}} 或 "
                                          f"{{within_days: N}}，而不是 {value!r}")
        if "within_days" in value:
            if set(value) != {"within_days"} or not isinstance(value["within_days"], int) or value["within_days"] < 1:
                raise CalibrationError(where, f"{label}：within_days 应为正整数，且不与 from/to 同用")
            days = value["within_days"]
            return Condition(name, path, fact_entity, _within(days), f"{label}：{on_text}前{days}天内")
        low = _date(value["from"], where) if "from" in value else None
        high = _date(value["to"], where) if "to" in value else None
        if low is not None and high is not None and high < low:
            raise CalibrationError(where, f"{label}：to 早于 from")

        def test(v, low=low, high=high):
            ok = np.ones(len(v), bool)
            if low is not None:
                ok &= v >= low
            if high is not None:
                ok &= v <= high
            return ok
        text = f"{label}：{value.get('from', '')}至{value.get('to', '')}"
        return Condition(name, path, fact_entity, test, text)
    if vt in (int, float):
        test, text = _numeric_test(value, where, label)
        return Condition(name, path, fact_entity, test, text)
    raise CalibrationError(where, f"{label}：这类事实不能用于校准")


class _within:
    """Dates in the `days` days up to the reference date (resolved when the mask is computed)."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.on = None

    def __call__(self, values):
        on = np.datetime64(self.on, "D")
        return (values <= on) & (values > on - np.timedelta64(self.days, "D"))


def _numeric_test(value, where: str, label: str):
    if isinstance(value, dict):
        if not value or not set(value) <= {"min", "max"}:
            raise CalibrationError(where, f"{label}：应为数字或 {{min: a, max: b}}，而不是 {value!r}")
        low = _number(value["min"], where) if "min" in value else -math.inf
        high = _number(value["max"], where) if "max" in value else math.inf
        if high < low:
            raise CalibrationError(where, f"{label}：max 小于 min")
        if low == -math.inf:
            text = f"{label}：{high:g}及以下"
        elif high == math.inf:
            text = f"{label}：{low:g}及以上"
        else:
            text = f"{label}：{low:g}–{high:g}"
        return (lambda v, a=low, b=high: (v >= a) & (v <= b)), text
    number = _number(value, where)
    return (lambda v, x=number: v == x), f"{label}：{number:g}"
