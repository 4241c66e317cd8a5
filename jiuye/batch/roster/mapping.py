"""Which column is which fact: roster.yaml (Chinese and English headers, list values by key, label
or alias, 是/否 …) read against the model; every other input fact is accepted under its variable
name or its label."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
import weakref
from pathlib import Path

import yaml

from ...cache import per_system
from .reports import RosterError

MAPPING_FILE = Path(__file__).resolve().parents[1] / "roster.yaml"


def normalise(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).strip()
    return re.sub(r"\s+", "", text).lower()


@dataclasses.dataclass
class Column:
    kind: str            # fact | person_id | organisation_id | role | extra
    target: str          # fact name, or extra key
    entity: str          # person | organisation


class Mapping:
    """roster.yaml read against the system: which header is what, and how values are read."""

    def __init__(self, system, path: Path = MAPPING_FILE) -> None:
        self._system = weakref.ref(system)
        self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.table_names = {t: {normalise(n) for n in names} for t, names in self.data["tables"].items()}
        keys = self.data["keys"]
        self.keys = keys
        self.headers: dict[str, Column] = {}
        self.canonical: dict[str, str] = {}         # fact / key -> header jiuye writes
        self.fact_table: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        for key in ("person_id", "organisation_id", "role"):
            for header in keys[key]["columns"]:
                self._add(header, Column(key, key, "person" if key != "organisation_id" else "organisation"))
            self.canonical[key] = keys[key]["columns"][0]
        for key, spec in (self.data.get("extras") or {}).items():
            for header in spec["columns"]:
                self._add(header, Column("extra", key, spec["entity"]))
            self.canonical[key] = spec["columns"][0]
        self.extras = self.data.get("extras") or {}
        inputs = {n: v for n, v in system.variables.items() if not v.formulas}
        for fact, spec in (self.data.get("facts") or {}).items():
            if fact not in inputs:
                raise RosterError(f"roster.yaml: {fact} is not an input fact of the model")
            entity = inputs[fact].entity.key
            for header in spec["columns"]:
                self._add(header, Column("fact", fact, entity))
            self.canonical[fact] = spec["columns"][0]
            self.fact_table[fact] = spec.get("table", "persons" if entity == "person" else "organisations")
        # every other fact: its variable name and its label
        labels: dict[str, list] = {}
        for name, variable in inputs.items():
            self._add(name, Column("fact", name, variable.entity.key), soft=True)
            if variable.label:
                labels.setdefault(normalise(variable.label), []).append((name, variable.entity.key))
        for label, owners in labels.items():
            if len(owners) == 1 and label not in self.headers:
                self.headers[label] = Column("fact", owners[0][0], owners[0][1])
        values = self.data["values"]
        self.true = {normalise(v) for v in values["truthy"]}
        self.false = {normalise(v) for v in values["falsy"]}
        self.unknown_is_blank = bool(values.get("unknown_is_blank", True))
        self.prefixes = [normalise(p) for p in values.get("prefixes", [])]
        self.noise = values.get("number_noise", [])
        self.aliases = values.get("aliases") or {}
        self.roles = {normalise(k): v for k, v in keys["role"]["values"].items()}
        self.default_role = keys["role"].get("default", "employee")

    @property
    def system(self):
        """The system (a weak reference: `mapping_for` keeps a mapping per system, weakly keyed)."""
        return self._system()

    def _add(self, header: str, column: Column, soft: bool = False) -> None:
        key = normalise(header)
        if key in self.headers and self.headers[key] != column:
            if soft:
                return
            raise RosterError(f"roster.yaml: header {header!r} is given to two columns")
        self.headers[key] = column

    def column(self, header: str) -> Column | None:
        return self.headers.get(normalise(header))

    def table_of(self, name: str) -> str | None:
        key = normalise(name)
        for table, names in self.table_names.items():
            if key in names:
                return table
        return None

    @functools.cached_property
    def enum_tables(self) -> dict:
        """enum class name -> {normalised text: member index}."""
        out = {}
        for variable in self.system.variables.values():
            enum = getattr(variable, "possible_values", None)
            if variable.formulas or enum is None or enum.__name__ in out:
                continue
            table = {}
            for member in enum:
                table[normalise(member.name)] = member.index
                table[normalise(member.value)] = member.index
            for alias, key in (self.aliases.get(enum.__name__) or {}).items():
                if key not in enum.__members__:
                    raise RosterError(f"roster.yaml: alias {alias!r} of {enum.__name__} names no member {key!r}")
                table[normalise(alias)] = enum[key].index
            out[enum.__name__] = table
        return out

    def accepted_headers(self) -> list[tuple[str, str, str, str]]:
        """(entity, target, label, headers) for the documentation and `jiuye roster-columns`."""
        rows = []
        by_target: dict[tuple, list] = {}
        for header, column in self.headers.items():
            by_target.setdefault((column.kind, column.target, column.entity), []).append(header)
        for (kind, target, entity), headers in sorted(by_target.items(), key=lambda x: (x[0][2], x[0][0] != "person_id", x[0][1])):
            if kind == "fact":
                label = self.system.variables[target].label
            elif kind == "extra":
                label = self.extras[target]["label"]
            else:
                label = self.keys[kind]["label"]
            rows.append((entity, target, label, headers))
        return rows


@per_system
def mapping_for(system) -> Mapping:
    return Mapping(system)
