"""A fact of a claim as a field: its label, how it is typed, its column header, and whose it is.

* **Names.** Each fact's column header is the roster's (``jiuye match``: roster.yaml's canonical
  header, else the fact's label where no other fact has it, else the variable name); forms show
  the label. An organisation's stated count (``questions.is_count``) is found by its label or name.
* **Members.** A member's fact is one column group per member: ``创业者1_户籍所在区``,
  ``创业者2_户籍所在区`` … (the role's label as the model names it, or any of roster.yaml's words for
  the role — 创办人, 法定代表人 …; the number; ``_``; the fact's header). A template and the form offer
  ``MEMBER_SLOTS`` members per role; an import reads as many groups as the file has (at most
  ``MAX_MEMBERS``).

Which facts a measure reads: ``measure_facts``; their values: ``fact_values``; the situation built
from them: ``claim_situations``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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
