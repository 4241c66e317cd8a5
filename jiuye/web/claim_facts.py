"""The facts of a claim by label: which input facts a measure reads, how each is typed in a form or
a spreadsheet cell, and the frozen situation built from them (or changed by them).

* **Which facts.** The input facts (variables without formula) the measure's variables read,
  transitively (``jiuye.assess.dependencies``), and those its installment function reads (traced
  once per measure on a probe simulation: a schedule reads e.g. 劳动合同提前解除日期, which no
  condition does); for an organisation, the counts it may state instead of listing members
  (``questions.is_count``). A measure computed for the organisation itself lists the
  organisation's facts, and, where its conditions read facts of its members that no stated count
  replaces (xicheng/14: the founders' 户籍), those facts once per member of the role it reads
  (``member_fields``).
* **Members.** A member's fact is one column group per member: ``创业者1_户籍所在区``,
  ``创业者2_户籍所在区`` … (the role's label as the model names it, or any of roster.yaml's words for
  the role — 创办人, 法定代表人 …; the number; ``_``; the fact's header). A template and the form offer
  ``MEMBER_SLOTS`` members per role; an import reads as many groups as the file has (at most
  ``MAX_MEMBERS``). A member whose cells are all blank is not a member of the claim's situation.
  The role is the one the measure's formulas filter the members by (``member_roles``: recorded on a
  probe simulation, not named by hand).
* **Names.** Each fact's column header is the roster's (``jiuye match``: roster.yaml's canonical
  header, else the fact's label where no other fact has it, else the variable name); forms show
  the label.
* **Values, strictly.** 是/否 (nothing else) for yes/no; a choice by its Chinese label or its key;
  dates ``YYYY-MM-DD`` (an Excel date cell too); numbers finite and within the fact's declared
  range. A blank cell is *not given*. A bad value raises ``InvalidInput`` whose field is the
  fact's form name and whose message names the fact by its label.
* **Situations.** A new claim's situation puts the facts on one person (本人, or the organisation's
  职工/见习人员 …) and one organisation (本单位); an organisation's own measure has a contact person
  (经办人) in an organisation of its own, so a batch of claims still shares one simulation.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

from ..ledger.errors import InvalidInput

PERSON_KEY = "本人"
EMPLOYEE_KEY = "职工"
ORG_KEY = "本单位"
CONTACT_KEY = "经办人"
CONTACT_ORG = "经办人所在单位"
NO_SUCH_DATE = "9999-12-31"
YES, NO = "是", "否"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INTEGER = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
ENTITY_LABELS = {"person": "人员", "organisation": "单位"}
MEMBER_SLOTS = 3                   # members per role in a template and the form
MAX_MEMBERS = 100                  # members per role an imported row may give
MEMBER_HEADER = re.compile(r"(?P<role>.+?)(?P<slot>[0-9]+)[_＿](?P<fact>.+)")


@dataclass(frozen=True)
class FactField:
    name: str                  # the variable
    entity: str                # person | organisation
    label: str
    kind: str                  # bool | enum | date | int | float | text
    header: str                # the column header (roster naming)
    options: tuple = ()        # (key, label) of a choice
    unit: str = ""
    bounds: tuple = (None, None)
    count: bool = False        # an organisation's stated count
    role: str = ""             # a member's fact: the member role (founder …) and the member's number
    slot: int = 0

    @property
    def form_name(self) -> str:
        return f"fact:{self.where}:{self.name}"

    @property
    def who(self) -> str:
        """Whose fact, in words: 人员, 单位, 创业者1 …"""
        return f"{role_labels()[self.role]}{self.slot}" if self.role else ENTITY_LABELS[self.entity]

    @property
    def where(self) -> str:
        """Whose fact: person | organisation | a member (``founder1``)."""
        return f"{self.role}{self.slot}" if self.role else self.entity


@dataclass
class FactChange:
    label: str
    before: str
    after: str


# -- which facts a measure reads ----------------------------------------------------------------------
@functools.cache
def measure_fields(measure_id: str) -> tuple[FactField, ...]:
    """The input facts of a measure, person's first (as the form lists them)."""
    from ..assess.dependencies import dependencies, facts_read
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    from .questions import is_count
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    deps = dependencies()
    names: list[str] = []
    for variable in [n for n in system.variables if n == measure.variable or n.startswith(measure.variable + "__")]:
        for fact in facts_read(deps, system, variable):
            if fact not in names:
                names.append(fact)
    for fact in _schedule_facts(measure_id):
        if fact not in names:
            names.append(fact)
    out = []
    for name in names:
        variable = system.variables[name]
        entity = variable.entity.key
        count = entity == "organisation" and is_count(variable)
        if variable.formulas and not count:
            continue
        if measure.entity == "organisation" and entity == "person":
            continue
        out.append(fact_field(name, count=count))
    members = [member_field(name, role, slot) for role in member_roles(measure_id)
               for slot in range(1, MEMBER_SLOTS + 1) for name in member_facts(measure_id)]
    return tuple(sorted(out, key=lambda f: f.entity != "person")) + tuple(members)


@functools.cache
def member_facts(measure_id: str) -> tuple[str, ...]:
    """The person facts an organisation's own measure reads of its members where no stated count
    of the organisation replaces them (a count given, the members are not read)."""
    from ..assess.dependencies import dependencies
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    from .questions import is_count
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    if measure.entity != "organisation":
        return ()
    deps = dependencies()
    found: list[str] = []
    seen: set[str] = set()

    def walk(name: str) -> None:
        for dep in sorted(deps.variables.get(name, ())):
            if dep in seen:
                continue
            seen.add(dep)
            variable = system.variables[dep]
            if is_count(variable):
                continue
            if variable.formulas:
                walk(dep)
            elif variable.entity.key == "person" and dep not in found:
                found.append(dep)
    for variable in [n for n in system.variables if n == measure.variable or n.startswith(measure.variable + "__")]:
        walk(variable)
    for fact in _probe(measure_id)[0]:              # what its schedule reads, its counts given
        if system.variables[fact].entity.key == "person" and not system.variables[fact].formulas \
                and fact not in found:
            found.append(fact)
    return tuple(found)


_PROBING = __import__("threading").Lock()


@functools.cache
def member_roles(measure_id: str) -> tuple[str, ...]:
    """The member roles (keys, in the model's order) whose facts the measure reads: recorded while
    its variables are computed on a probe organisation with one member of each role (the formulas
    filter members by ``has_role``; its stated counts are given, so they read no members). A
    measure reading every member, whatever the role: the first role (职工)."""
    if not member_facts(measure_id):
        return ()
    from ..model.system import get_system
    order = [r.key for r in get_system().entities_by_singular()["organisation"].roles]
    found = tuple(sorted((k for k in _probe(measure_id)[1] if k in order), key=order.index))
    return found or (order[0],)


@functools.cache
def _probe(measure_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An organisation's own measure on a probe organisation with one member of each role and its
    stated counts given (0): (the variables its schedule reads, the roles its formulas filter
    members by — ``has_role`` recorded while its variables and schedule are computed)."""
    from openfisca_core import periods
    from openfisca_core.populations import Population
    from openfisca_core.simulation_builder import SimulationBuilder
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    from .questions import is_count
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    roles = system.entities_by_singular()["organisation"].roles
    counts = {n: 0 for n, v in system.variables.items() if is_count(v)}
    situation = {"persons": {f"probe_{r.key}": {} for r in roles},
                 "organisations": {"probe": {**{r.plural: [f"probe_{r.key}"] for r in roles}, **counts}}}
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    simulation = builder.build_from_entities(system, situation)
    simulation.trace = True
    seen: list[str] = []
    original = Population.has_role

    def recording(self, role):
        if getattr(self, "simulation", None) is simulation and role.key not in seen:
            seen.append(role.key)
        return original(self, role)
    names = [n for n in system.variables if n == measure.variable or n.startswith(measure.variable + "__")]
    names += [c for c in measure.conditions if isinstance(c, str)]
    with _PROBING:
        Population.has_role = recording
        try:
            for name in dict.fromkeys(n for n in names if n in system.variables):
                try:
                    simulation.calculate(name, "2025-01")
                except Exception:           # a formula that cannot run on the probe: the others still tell
                    continue
            read_from = len(list(simulation.tracer.browse_trace()))
            try:
                system.installments_for(simulation.populations["organisation"], measure, periods.period("2025-01"))
            except Exception:
                pass
        finally:
            Population.has_role = original
    traced = []
    for node in list(simulation.tracer.browse_trace())[read_from:]:
        if node.name in system.variables and node.name not in traced:
            traced.append(node.name)
    return tuple(traced), tuple(seen)


@functools.cache
def role_labels() -> dict[str, str]:
    """Each member role's label (创业者 …) by key."""
    from ..model.system import get_system
    return {r.key: r.label or r.key for r in get_system().entities_by_singular()["organisation"].roles}


@functools.cache
def role_plural(role: str) -> str:
    from ..model.system import get_system
    return next(r.plural for r in get_system().entities_by_singular()["organisation"].roles if r.key == role)


@functools.cache
def member_field(name: str, role: str, slot: int) -> FactField:
    """A member's fact: ``创业者1_户籍所在区``."""
    import dataclasses
    base = fact_field(name)
    who = f"{role_labels()[role]}{slot}"
    return dataclasses.replace(base, label=f"{who}的{base.label}", header=f"{who}_{base.header}", role=role, slot=slot)


def _member_for_header(header: str) -> FactField | None:
    """``创业者1_户籍所在区`` (or 创办人1_…, founder1_…) as a member's fact; None if not one."""
    from ..batch.roster.mapping import mapping_for, normalise
    from ..model.system import get_system
    found = MEMBER_HEADER.fullmatch(header.strip())
    if found is None:
        return None
    mapping = mapping_for(get_system())
    words = {normalise(label): key for key, label in role_labels().items()} | dict(mapping.roles)
    role = words.get(normalise(found["role"]))
    slot = int(found["slot"])
    column = mapping.column(found["fact"])
    if role is None or not 1 <= slot <= MAX_MEMBERS or column is None or column.kind != "fact" \
            or column.entity != "person":
        return None
    return member_field(column.target, role, slot)


@functools.cache
def fact_field(name: str, count: bool = False) -> FactField:
    from ..batch.roster.mapping import mapping_for
    from ..model.base import input_bounds
    from ..model.system import get_system
    from .questions import widget
    system = get_system()
    variable = system.variables[name]
    mapping = mapping_for(system)
    header = mapping.canonical.get(name)
    if header is None:
        column = mapping.column(variable.label or "")
        header = variable.label if column is not None and column.target == name else name
        if count and column is None and variable.label:
            header = variable.label
    shape = widget(system, name)
    kind = {"bool": "bool", "enum": "enum", "date": "date", "text": "text"}.get(shape["type"])
    if kind is None:
        kind = "int" if variable.value_type is int else "float"
    options = tuple((item.name, str(item.value)) for item in variable.possible_values) if kind == "enum" else ()
    bounds = input_bounds(variable) if kind in ("int", "float", "date") else (None, None)
    return FactField(name=name, entity=variable.entity.key, label=variable.label or name, kind=kind, header=header,
                     options=options, unit=shape.get("unit", ""), bounds=tuple(bounds), count=count)


def _schedule_facts(measure_id: str) -> list[str]:
    """The facts the measure's installment function reads (a trace on a probe simulation)."""
    from openfisca_core import periods
    from openfisca_core.simulation_builder import SimulationBuilder
    from ..catalogue import load_catalogue
    from ..model.system import get_system
    system = get_system()
    measure = load_catalogue().measure(measure_id)
    roles = system.entities_by_singular()["organisation"].roles
    situation = {"persons": {f"probe_{r.key}": {} for r in roles},
                 "organisations": {"probe": {r.plural: [f"probe_{r.key}"] for r in roles}}}
    builder = SimulationBuilder()
    builder.set_default_period("2025-01")
    simulation = builder.build_from_entities(system, situation)
    simulation.trace = True
    population = simulation.persons if measure.entity == "person" else simulation.populations["organisation"]
    try:
        system.installments_for(population, measure, periods.period("2025-01"))
    except Exception:        # a schedule that cannot run on the probe: its conditions' facts are listed anyway
        return []
    found = []
    for node in simulation.tracer.browse_trace():
        if node.name in system.variables and node.name not in found:
            found.append(node.name)
    return found


def field_for_header(header: str) -> FactField | None:
    """The fact a column header names: a roster header (roster.yaml, a fact's label or name), or an
    organisation's count by its label or name."""
    from ..batch.roster.mapping import mapping_for, normalise
    from ..model.system import get_system
    system = get_system()
    column = mapping_for(system).column(header)
    if column is not None:
        return fact_field(column.target) if column.kind == "fact" else None
    member = _member_for_header(header)
    if member is not None:
        return member
    name = _counts().get(normalise(header))
    return fact_field(name, count=True) if name else None


@functools.cache
def _counts() -> dict[str, str]:
    from ..batch.roster.mapping import normalise
    from ..model.system import get_system
    from .questions import is_count
    out = {}
    for name, variable in get_system().variables.items():
        if is_count(variable):
            out[normalise(name)] = name
            out.setdefault(normalise(variable.label or name), name)
    return out


# -- values ---------------------------------------------------------------------------------------
def _bad(f: FactField, reason: str, where: str | None = None) -> InvalidInput:
    return InvalidInput(where or f.form_name, f"“{f.label}”：{reason}")


def parse_date(raw) -> dt.date:
    """A date cell or form value: an Excel date (no time of day), or ``YYYY-MM-DD`` text of a day
    that exists; ValueError with the reason in Chinese else. (Facts' dates and an import's claim
    dates are read by this one converter.)"""
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time(0):
            raise ValueError("应为日期（不含时间）")
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = "" if raw is None else str(raw).strip()
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"日期格式应为YYYY-MM-DD（如2025-03-14），而不是“{text[:40]}”")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"不存在的日期“{text}”") from None


def executable_measure(measure_id: str, field: str, then: str = ""):
    """The catalogue's measure of that id, if its amounts can be computed; InvalidInput on ``field``
    else (``then``: what cannot be done, after the reason: “，不能记录申请”). The one check of a
    measure a page, a template or an imported row names."""
    from ..catalogue import KINDS, CatalogueError, load_catalogue
    if not measure_id:
        raise InvalidInput(field, "不能为空")
    try:
        measure = load_catalogue().measure(measure_id)
    except CatalogueError:
        raise InvalidInput(field, f"措施编号“{str(measure_id)[:80]}”不在政策目录中，请从措施列表中选择") from None
    if not measure.executable:
        raise InvalidInput(field, f"{measure.title}（{measure.id}）是{KINDS.get(measure.kind, measure.kind)}类措施，"
                                  f"不能计算金额{then}")
    return measure


def parse_value(f: FactField, raw, where: str | None = None):
    """A form value or a spreadsheet cell as the fact's value (None: not given); InvalidInput else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) and f.kind != "bool":
        raise _bad(f, f"无法识别的值“{raw}”", where)
    if f.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip()
        if text in (YES, NO):
            return text == YES
        raise _bad(f, f"应填“是”或“否”，而不是“{text[:40]}”", where)
    if f.kind == "enum":
        text = str(raw).strip()
        for key, label in f.options:
            if text in (key, label):
                return key
        choices = "、".join(label for key, label in f.options if key != "unknown")
        raise _bad(f, f"应为以下之一：{choices}（而不是“{text[:40]}”）", where)
    if f.kind == "date":
        try:
            day = parse_date(raw)
        except ValueError as error:
            raise _bad(f, str(error), where) from None
        if day.isoformat() != NO_SUCH_DATE and not (f.bounds[0] <= day <= f.bounds[1]):
            raise _bad(f, f"日期应在{f.bounds[0]}至{f.bounds[1]}之间（无此日期时填{NO_SUCH_DATE}）", where)
        return day.isoformat()
    if f.kind in ("int", "float"):
        if isinstance(raw, (int, float)):
            number = raw
        else:
            text = str(raw).strip().replace(",", "")
            if not (INTEGER if f.kind == "int" else DECIMAL).fullmatch(text):
                raise _bad(f, f"应为{'整数' if f.kind == 'int' else '数字'}，而不是“{str(raw).strip()[:40]}”", where)
            number = int(text) if f.kind == "int" else float(text)
        if isinstance(number, float) and not math.isfinite(number):
            raise _bad(f, "应为有限的数", where)
        if f.kind == "int":
            if isinstance(number, float):
                if not number.is_integer():
                    raise _bad(f, f"应为整数，而不是{number:g}", where)
                number = int(number)
        if f.kind == "float":
            number = float(number)          # 4000 typed in Excel and "4000" in a CSV: the same fact
        lo, hi = f.bounds
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise _bad(f, f"应在{lo:g}至{hi:g}之间" if lo is not None and hi is not None else "超出允许的范围", where)
        return number
    text = str(raw).strip()
    if len(text) > 200:
        raise _bad(f, "最多200字", where)
    return text


def cell_value(f: FactField, value):
    """A fact's value as a cell (export) or a form shows it: 是/否, a choice's label, an ISO date,
    a number (4000, not 4000.0); None when not given."""
    if value is None:
        return None
    if f.kind == "bool":
        return YES if value else NO
    if f.kind == "enum":
        return dict(f.options).get(value, value)
    if f.kind == "date":
        return str(value)[:10]
    if f.kind in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    return value


def form_value(f: FactField, value) -> str:
    """The value a form field is prefilled with (a choice by its key)."""
    if value is None:
        return ""
    if f.kind == "enum":
        return str(value)
    shown = cell_value(f, value)
    return "" if shown is None else str(shown)


def canonical(f: FactField, value):
    """A stored value as its cell reads back (so 4000 and 4000.0 compare equal); the value itself
    when it does not read back."""
    try:
        return parse_value(f, cell_value(f, value))
    except InvalidInput:
        return value


# -- situations -----------------------------------------------------------------------------------
def claim_bodies(situation: dict, measure, beneficiary_key: str | None, person_key: str | None) -> dict:
    """{"person": the person's facts, "organisation": the organisation's, and for an organisation's
    own measure each member of the roles it reads ("founder1": the first founder's facts …)} of a
    claim's situation (the bodies its fields read, by ``FactField.where``; None where the situation
    has none)."""
    persons = situation.get("persons") if isinstance(situation.get("persons"), dict) else {}
    orgs = situation.get("organisations") if isinstance(situation.get("organisations"), dict) else {}
    person = persons.get(person_key) if person_key else None
    if measure.beneficiary == "organisation":
        org = orgs.get(beneficiary_key)
    else:
        org = next((body for body in orgs.values() if isinstance(body, dict) and any(
            isinstance(v, list) and person_key in v for v in body.values())), None)
    out = {"person": person if isinstance(person, dict) else None,
           "organisation": org if isinstance(org, dict) else None}
    if measure.entity == "organisation" and isinstance(org, dict):
        for role in member_roles(measure.id):
            listed = org.get(role_plural(role))
            for slot, key in enumerate(listed if isinstance(listed, list) else [], start=1):
                body = persons.get(key)
                out[f"{role}{slot}"] = body if isinstance(body, dict) else None
    return out


def claim_keys(app) -> tuple[str | None, str | None]:
    """The claim's beneficiary and person in its frozen situation (from the frozen result)."""
    result = app.result or {}
    person = result.get("person") or (result.get("beneficiary") if app.beneficiary.kind == "person" else None)
    return result.get("beneficiary"), person


def new_situation(measure, values: dict[FactField, object]) -> tuple[dict, str, str | None]:
    """A claim's situation from its facts: (situation, beneficiary key, person key)."""
    person = {f.name: v for f, v in values.items() if f.where == "person" and v is not None}
    org = {f.name: v for f, v in values.items() if f.entity == "organisation" and v is not None}
    if measure.entity == "organisation":
        members: dict[tuple[str, int], dict] = {}
        for f, v in values.items():
            if f.role and v is not None:
                members.setdefault((f.role, f.slot), {})[f.name] = v
        persons, lists = {CONTACT_KEY: {}}, {"employees": []}
        for (role, slot), body in sorted(members.items(), key=lambda item: (item[0][0], item[0][1])):
            key = f"{role_labels()[role]}{slot}"
            persons[key] = body
            lists.setdefault(role_plural(role), []).append(key)
        return ({"persons": persons,
                 "organisations": {ORG_KEY: {**lists, **org}, CONTACT_ORG: {"employees": [CONTACT_KEY]}}},
                ORG_KEY, None)
    if measure.beneficiary == "person":
        return ({"persons": {PERSON_KEY: person}, "organisations": {ORG_KEY: {"employees": [PERSON_KEY], **org}}},
                PERSON_KEY, PERSON_KEY)
    role = (measure.role or "employee") + "s"
    return ({"persons": {EMPLOYEE_KEY: person}, "organisations": {ORG_KEY: {role: [EMPLOYEE_KEY], **org}}},
            ORG_KEY, EMPLOYEE_KEY)


def changed_situation(situation: dict, measure, beneficiary_key: str | None, person_key: str | None,
                      values: dict[FactField, object]) -> tuple[dict, list[FactChange]]:
    """The frozen situation with these facts set (None: removed) on the claim's person and
    organisation; only facts whose value changes are touched. Returns it and what changed."""
    new = copy.deepcopy(situation)
    bodies = claim_bodies(new, measure, beneficiary_key, person_key)
    changes = []
    for f, value in values.items():
        body = bodies.get(f.where)
        old = body.get(f.name) if body is not None else None
        if canonical(f, old) == value:
            continue
        if body is None and f.role and bodies.get("organisation") is not None:
            body = bodies[f.where] = _add_member(new, bodies["organisation"], f)
        if body is None:
            raise InvalidInput(f.form_name, f"“{f.label}”：该申请的情形中没有对应的{ENTITY_LABELS[f.entity]}，不能填写")
        if value is None:
            body.pop(f.name, None)
        else:
            body[f.name] = value
        changes.append(FactChange(f.label, shown(f, old), shown(f, value)))
    return new, changes


def _add_member(situation: dict, org: dict, f: FactField) -> dict:
    """A member the frozen situation does not have yet (a fact given for 创业者2 of a claim with one):
    a new person in the organisation's list of that role."""
    persons = situation.setdefault("persons", {})
    key, n = f"{role_labels()[f.role]}{f.slot}", 1
    while key in persons:
        n += 1
        key = f"{role_labels()[f.role]}{f.slot}（{n}）"
    persons[key] = {}
    listed = org.get(role_plural(f.role))
    org[role_plural(f.role)] = (listed if isinstance(listed, list) else []) + [key]
    return persons[key]


def shown(f: FactField, value) -> str:
    if value is None:
        return "未填"
    if f.kind == "date" and str(value).startswith(NO_SUCH_DATE):
        return "无"
    text = cell_value(f, value)
    return f"{text}{f.unit}" if f.kind in ("int", "float") else str(text)


def parse_form(measure_id: str, form) -> dict[FactField, object]:
    """The measure's facts from a form (``fact:<entity>:<name>`` fields); the first bad one raises."""
    return {f: parse_value(f, form.get(f.form_name)) for f in measure_fields(measure_id)}


def listed_facts(situation: dict | None, measure, beneficiary_key: str | None, person_key: str | None) -> list[dict]:
    """The frozen facts of a claim as a page lists them: who, label, value (every input fact of the
    claim's person and organisation, the measure's first)."""
    from ..model.system import get_system
    if not situation:
        return []
    system = get_system()
    bodies = claim_bodies(situation, measure, beneficiary_key, person_key)
    out = []
    for where, body in bodies.items():
        who = ENTITY_LABELS.get(where)
        if who is None:                                   # a member: founder1 -> 创业者1
            role = where.rstrip("0123456789")
            who = f"{role_labels().get(role, role)}{where[len(role):]}"
        for name, value in (body or {}).items():
            variable = system.variables.get(name)
            if variable is None or isinstance(value, (list, dict)):
                continue
            f = fact_field(name)
            out.append({"who": who, "label": f.label, "value": shown(f, value)})
    return out
