"""The amount audit: every number of a clause's text is traced to a parameter of that clause's
records, to a validity date, or to a stated waiver."""

from __future__ import annotations

import dataclasses
import math
import re

import cn2an
from openfisca_core.parameters import Parameter, ParameterNode

from .catalogue import Catalogue, load_catalogue
from .params import get_parameter

UNITS = {  # text unit -> canonical unit
    "万元": "元", "元": "元", "%": "%", "％": "%", "人次": "人", "人": "人", "名": "人", "周岁": "岁",
    "岁": "岁", "个月": "月", "月": "月", "年": "年", "天": "天", "日": "天", "课时": "课时",
    "学时": "课时", "分钟": "分钟", "小时": "小时", "倍": "倍", "家": "家", "户": "户", "次": "次",
    "个": "个", "项": "个", "余名": "人", "余人": "人", "场": "场", "台": "台",
}
_UNIT_RE = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_CN = "零一二两三四五六七八九十百千万"
NUMBER = re.compile(
    rf"(?P<date>\d{{4}}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?)"
    rf"|(?P<frac>\d+)[ ]?/[ ]?(?P<den>\d+)"
    rf"|(?P<num>\d+(?:\.\d+)?)[ \u3000]?(?P<wan>万)?(?P<unit>{_UNIT_RE})"
    rf"|(?P<cn>[{_CN}]+)(?P<cnunit>{_UNIT_RE})"
)
# numbers that are not quantities: "每满一年" (a periodicity), "一次性" (one-off), ordinals (第…)
_SKIP_BEFORE = ("每", "第", "每满")


@dataclasses.dataclass
class Number:
    clause: str
    text: str          # as written
    value: float
    unit: str          # canonical unit, or "date" / "fraction"
    position: int

    @property
    def key(self) -> str:
        if self.unit == "date":
            return self.text
        value = int(self.value) if float(self.value).is_integer() else round(self.value, 6)
        return f"{value}{self.unit}"


def extract_numbers(clause: str, text: str) -> list[Number]:
    found = []
    for m in NUMBER.finditer(text):
        before = text[max(0, m.start() - 2):m.start()]
        if m.group("date"):
            found.append(Number(clause, m.group("date"), 0, "date", m.start()))
            continue
        if m.group("frac"):
            den = int(m.group("den"))
            if den:
                found.append(Number(clause, m.group(0), int(m.group("frac")) / den, "fraction", m.start()))
            continue
        if m.group("num"):
            if before.endswith("第"):
                continue
            value = float(m.group("num")) * (10000 if m.group("wan") or m.group("unit") == "万元" else 1)
            unit = UNITS[m.group("unit")]
            found.append(Number(clause, m.group(0), value, unit, m.start()))
            continue
        chinese, unit_text = m.group("cn"), m.group("cnunit")
        if any(before.endswith(s) for s in _SKIP_BEFORE) or text[m.start():m.start() + 3] == "一次性":
            continue
        if chinese in ("万",):
            continue
        try:
            value = float(cn2an.cn2an(chinese, "smart"))
        except (ValueError, KeyError):
            continue
        unit = UNITS[unit_text]
        if unit_text == "万元":
            value *= 10000
        found.append(Number(clause, m.group(0), value, unit, m.start()))
    return found


def _values(parameter) -> set[float]:
    values: set[float] = set()
    if isinstance(parameter, Parameter):
        for at in parameter.values_list:
            if isinstance(at.value, (int, float)) and not isinstance(at.value, bool) and at.value is not None:
                values.add(float(at.value))
    elif hasattr(parameter, "brackets"):
        for bracket in parameter.brackets:
            for name in ("threshold", "amount", "rate"):
                child = getattr(bracket, name, None)
                if child is not None:
                    values |= _values(child)
    elif isinstance(parameter, ParameterNode):
        for child in parameter.children.values():
            values |= _values(child)
    return values


def _matches(number: Number, values: set[float]) -> bool:
    candidates = {number.value}
    if number.unit == "%":
        candidates.add(number.value / 100)
    if number.unit == "年":
        candidates.add(number.value * 12)
    if number.unit == "课时":
        pass
    return any(math.isclose(c, v, rel_tol=1e-9, abs_tol=1e-6) for c in candidates for v in values)


def _date_key(text: str) -> str:
    parts = [int(p) for p in re.findall(r"\d+", text)]
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def _targets_by_clause() -> dict[str, list]:
    """The tasks' targets (jiuye.supervision: heping 附件1's task blocks, the documents' tasks.yaml) by
    the clause they quote and the clauses their task links to."""
    from .supervision.tasks import all_tasks
    out: dict[str, list] = {}
    for task in all_tasks():
        for clause in {task.clause, *task.links}:
            out.setdefault(clause, []).extend(task.targets)
    return out


def _target_values(system, targets) -> tuple[list[tuple[float, str | None, str]], dict[str, str]]:
    """The targets' parameters: (number, canonical unit or None, name) and dates (ISO) -> name."""
    numbers: list[tuple[float, str | None, str]] = []
    dates: dict[str, str] = {}
    for target in targets:
        try:
            parameter = get_parameter(system, target.parameter)
        except (KeyError, AttributeError):
            continue
        unit = (parameter.metadata or {}).get("unit")
        unit = "%" if unit == "/1" else UNITS.get(unit, unit)
        for at in parameter.values_list:
            if isinstance(at.value, str):
                dates.setdefault(at.value, target.parameter)
            elif isinstance(at.value, (int, float)) and not isinstance(at.value, bool):
                numbers.append((float(at.value), unit, target.parameter))
    return numbers, dates


def _target_of(number: Number, numbers, dates) -> str | None:
    """The target parameter stating ``number`` (same value, and same unit when the parameter has one)."""
    if number.unit == "date":
        return dates.get(_date_key(number.text))
    for value, unit, name in numbers:
        if (unit is None or unit == number.unit) and _matches(number, {value}):
            return name
    return None


def audit(system, catalogue: Catalogue | None = None, document: str | None = None) -> dict:
    """Every number of every clause text, traced, waived or untraced. A number a task's target states
    (a parameter, jiuye.supervision) is traced to that parameter, before any waiver; a waiver left for
    such a number is listed in ``redundant_waivers``."""
    from .assess.dependencies import dependencies, parameters_read
    catalogue = catalogue or load_catalogue()
    deps = dependencies(system)
    targets = _targets_by_clause()
    rows = []
    redundant = []
    for key, doc in sorted(catalogue.documents.items()):
        if document and key != document:
            continue
        records = catalogue.of_document(key)
        by_clause: dict[str, list] = {}
        for record in records:
            by_clause.setdefault(record.clause, []).append(record)
        for clause, _ in doc.clauses:
            text = doc.clause_text(clause)
            if text is None:
                rows.append({"document": key, "clause": clause, "number": None, "status": "no_text"})
                continue
            mine = list(by_clause.get(clause, []))
            for record in list(mine):
                for link in record.links:
                    mine.extend(by_clause.get(link, []))
            values: set[float] = set()
            dates: set[str] = set()
            waivers: dict[str, str] = {}
            for record in mine:
                paths = list(record.parameters)
                if record.executable:
                    paths += parameters_read(deps, [record.variable + "__eligible"])
                for path in paths:
                    try:
                        values |= _values(get_parameter(system, path))
                    except (KeyError, AttributeError):
                        pass
                for date in (record.valid_from, record.valid_to):
                    if date:
                        dates.add(date)
                for waiver in record.audit_waivers:
                    waivers[str(waiver["number"])] = waiver.get("reason", "")
            target_numbers, target_dates = _target_values(system, targets.get(clause, ()))
            for number in extract_numbers(clause, text):
                status, why = "untraced", None
                measured = _target_of(number, target_numbers, target_dates)
                if measured:
                    status, why = "traced", f"target {measured}"
                    if number.key in waivers or number.text in waivers:
                        redundant.append({"document": key, "clause": clause, "number": number.key, "target": measured})
                elif number.key in waivers or number.text in waivers:
                    status, why = "waived", waivers.get(number.key) or waivers.get(number.text)
                elif number.unit == "date":
                    iso = _date_key(number.text)
                    if any(d.startswith(iso) for d in dates):
                        status, why = "traced", "validity date"
                elif _matches(number, values):
                    status = "traced"
                rows.append({"document": key, "clause": clause, "number": number.key, "text": number.text,
                             "status": status, "reason": why})
    untraced = [r for r in rows if r["status"] in ("untraced", "no_text")]
    return {"rows": rows, "untraced": untraced, "ok": not untraced, "redundant_waivers": redundant}
