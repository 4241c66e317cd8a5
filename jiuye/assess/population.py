"""A population as arrays — persons, organisations, memberships, facts and which facts are given.

One situation (jiuye.assess.situation), a roster (jiuye.batch.roster) or a synthetic population
(jiuye.batch.synth) becomes a `Population`; `jiuye.assess.Evaluation` evaluates the model on it.

Conventions (OpenFisca's storage types): enums as int16 indices into the variable's enum, dates as
datetime64[D], floats float64 (or float32), ints int32, booleans bool.

*Given* facts: a fact present in `person_facts` / `org_facts` is given for every row unless
`person_given` / `org_given` holds a mask for it (False = the cell was blank). A fact absent from
`*_facts` is not given for anyone: the model's default value stands in for it in the simulation,
and `jiuye.batch.evaluate` reports it as missing (never as false or zero).

A person whose `org_of_person` is -1 belongs to no organisation; the simulation gives them an
implicit organisation of their own (as OpenFisca does for a situation), with no fact given, which is
never reported as a beneficiary.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

ROLE_KEYS = ("employee", "founder", "intern", "member")   # jiuye.model.entities Organisation roles, in order


@dataclasses.dataclass
class Population:
    """Ids, memberships and fact arrays (no OpenFisca objects)."""

    on: dt.date | None
    seed: int | None
    person_ids: np.ndarray            # any dtype (int64 synthetic indices, or str 身份证号)
    org_ids: np.ndarray               # any dtype (int64, or str 统一社会信用代码)
    org_of_person: np.ndarray         # int64 index into org_ids; -1: in no organisation
    role_of_person: np.ndarray        # int8 index into ROLE_KEYS (meaningless where org_of_person == -1)
    person_facts: dict[str, np.ndarray]
    org_facts: dict[str, np.ndarray]
    generic_facts: list[str] = dataclasses.field(default_factory=list)   # synthetic: placeholder generator
    person_given: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)   # partial masks only
    org_given: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)
    person_extra: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)   # 姓名, 电话 … (not facts)
    org_extra: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)
    person_rows: np.ndarray | None = None    # source row numbers (roster), for tracing a result back
    org_rows: np.ndarray | None = None
    person_index: np.ndarray | None = None   # a partition: global index of each person / organisation
    org_index: np.ndarray | None = None

    @property
    def n_persons(self) -> int:
        return len(self.person_ids)

    @property
    def n_orgs(self) -> int:
        return len(self.org_ids)

    def nbytes(self) -> int:
        arrays = [self.person_ids, self.org_ids, self.org_of_person, self.role_of_person,
                  *self.person_facts.values(), *self.org_facts.values(),
                  *self.person_given.values(), *self.org_given.values()]
        return int(sum(a.nbytes for a in arrays if isinstance(a, np.ndarray)))

    def given(self, entity_key: str, name: str):
        """None: given for every row; False: given for none; else a bool mask over the rows."""
        facts, masks = (self.person_facts, self.person_given) if entity_key == "person" \
            else (self.org_facts, self.org_given)
        if name not in facts:
            return False
        return masks.get(name)

    def global_person_index(self) -> np.ndarray:
        if self.person_index is None:
            self.person_index = np.arange(self.n_persons)
        return self.person_index

    def global_org_index(self) -> np.ndarray:
        if self.org_index is None:
            self.org_index = np.arange(self.n_orgs)
        return self.org_index

    def take(self, orgs: np.ndarray, persons: np.ndarray) -> "Population":
        """The sub-population of these organisations and persons (index arrays, sorted). Every
        member of a taken organisation must be taken too (partitions keep groups whole)."""
        orgs, persons = np.asarray(orgs, np.int64), np.asarray(persons, np.int64)
        new_org = np.full(self.n_orgs, -1, np.int64)
        new_org[orgs] = np.arange(len(orgs))
        old = self.org_of_person[persons]
        org_of_person = np.where(old >= 0, new_org[np.maximum(old, 0)], -1)
        if np.any((old >= 0) & (org_of_person < 0)):
            raise ValueError("a partition must hold every organisation of its persons")

        def cut(d: dict, index):
            return {k: v[index] for k, v in d.items()}
        return dataclasses.replace(
            self, person_ids=self.person_ids[persons], org_ids=self.org_ids[orgs],
            org_of_person=org_of_person, role_of_person=self.role_of_person[persons],
            person_facts=cut(self.person_facts, persons), org_facts=cut(self.org_facts, orgs),
            person_given=cut(self.person_given, persons), org_given=cut(self.org_given, orgs),
            person_extra=cut(self.person_extra, persons), org_extra=cut(self.org_extra, orgs),
            person_rows=None if self.person_rows is None else self.person_rows[persons],
            org_rows=None if self.org_rows is None else self.org_rows[orgs],
            person_index=self.global_person_index()[persons], org_index=self.global_org_index()[orgs])


def input_facts(system, entity_key: str) -> list[str]:
    """Variables of the entity without formula (the facts a situation may give), sorted by name."""
    return sorted(name for name, v in system.variables.items()
                  if v.entity.key == entity_key and not v.formulas)


@dataclasses.dataclass
class Layout:
    """How the population sits in the simulation: persons in population order, then the explicit
    organisations in population order, then one implicit organisation per person in none."""

    n_persons: int
    n_orgs: int                   # explicit organisations
    n_implicit: int
    org_of_person: np.ndarray     # simulation index of each person's organisation
    role_of_person: np.ndarray    # index into the entity's roles (implicit: the first role)

    @property
    def n_sim_orgs(self) -> int:
        return self.n_orgs + self.n_implicit


def layout(population: Population, role_keys: list[str]) -> Layout:
    org = np.asarray(population.org_of_person, np.int64)
    lonely = org < 0
    n_implicit = int(lonely.sum())
    org_of_person = org.copy()
    org_of_person[lonely] = population.n_orgs + np.arange(n_implicit)
    role_index = np.array([role_keys.index(k) for k in ROLE_KEYS])[population.role_of_person]
    role_index = np.where(lonely, 0, role_index)
    return Layout(population.n_persons, population.n_orgs, n_implicit, org_of_person, role_index)


def _defaults(variable, n: int, dtype) -> np.ndarray:
    default = variable.default_value
    if hasattr(default, "index"):          # an enum member
        return np.full(n, default.index, dtype=dtype)
    if isinstance(default, dt.date):
        return np.full(n, np.datetime64(default, "D"))
    return np.full(n, default, dtype=dtype)


# -- one case back as an OpenFisca situation ------------------------------------------------------------
def _plain(variable, value):
    if variable.value_type is bool:
        return bool(value)
    if variable.value_type is int:
        return int(value)
    if variable.value_type is float:
        return float(value)
    if isinstance(value, np.datetime64) or variable.value_type is dt.date:
        return str(np.datetime64(value, "D"))
    if hasattr(variable, "possible_values") and variable.possible_values is not None:
        return list(variable.possible_values.__members__)[int(value)]
    return value.item() if hasattr(value, "item") else value


def situation(population: Population, system, *, org: int | None = None, person: int | None = None) -> dict:
    """The OpenFisca situation JSON of an organisation with its members (or of a person in no
    organisation), with the facts given only: `jiuye calc` on it explains any batch result."""
    role_plural = {r.key: r.plural for r in next(e for e in system.entities if not e.is_person).flattened_roles}
    if org is not None:
        members = np.flatnonzero(population.org_of_person == org)
    else:
        if population.org_of_person[person] >= 0:
            return situation(population, system, org=int(population.org_of_person[person]))
        members = np.array([person])

    def facts(entity_key, index):
        out = {}
        table = population.person_facts if entity_key == "person" else population.org_facts
        for name, array in table.items():
            given = population.given(entity_key, name)
            if given is False or (given is not None and not given[index]):
                continue
            variable = system.variables[name]
            if variable.value_type is float and np.isnan(array[index]):
                continue
            out[name] = _plain(variable, array[index])
        return out
    persons = {str(population.person_ids[i]): facts("person", i) for i in members}
    result = {"persons": persons}
    if org is not None:
        body = facts("organisation", org)
        for i in members:
            plural = role_plural[ROLE_KEYS[population.role_of_person[i]]]
            body.setdefault(plural, []).append(str(population.person_ids[i]))
        result["organisations"] = {str(population.org_ids[org]): body}
    return result
