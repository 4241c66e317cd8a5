"""A rules module's facts and plain conditions, declared as data in `facts.yaml` beside it.

A clause folder's `rules.py` calls `declare(globals())` once after its imports: every entry of its
`facts.yaml` becomes the OpenFisca variable of that name in the module (the same class `fact(...)` /
`condition(...)` build, so `openfisca test`, `openfisca serve`, labels and references are unchanged),
and the module's Python keeps only what needs code: the formulas of conditions and counts with
logic of their own (plain functions the YAML names), schedules and installment functions.

    reference: heping/十七                  # the clause every entry cites unless it names its own
    facts:
      heping_17_loan_amount: {type: float, label: 创业担保贷款金额（元）, unit: currency-CNY, optional: true}
      heping_17_firm_loan_start_date: {entity: organisation, type: date, label: …, default: not given}
      heping_school_city: {type: enum, values: City, label: …}
    enums:
      Premises: {unknown: 未说明, office: 办公用房, shop: 商铺}       # member: its Chinese word
    conditions:
      heping_17_business_in_heping:
        {entity: organisation, label: 在我区创业（…）, fact: registration_district, is: heping}
      heping_17_term_within_3_years: {label: 贷款期限最长3年, formula: _term_within_3_years}
    variables:
      heping_17_current_employees: {entity: organisation, type: int, label: 企业现有在职职工人数, formula: _current_employees}

A fact: `type` (bool, int, float, date, str, enum with `values`: the Enum's name in the module),
`entity` (person unless `organisation`), `label`, and optionally `doc`, `default` (`not given`:
jiuye.model.base.NOT_GIVEN), `unit`, `optional` (with `required_with`), `minimum`, `maximum`, `reference`
(see jiuye.model.base.fact). A condition: `label`, `entity`, optional `doc` / `reference`, and one test
of one fact: `fact` alone (a boolean fact, `not: true` when the clause excludes it), `fact` with
`is` (equal to a value: a number, or one of the fact's possible values by name such as `heping` of
`registration_district`), with `in` (one of a set: a list of such values, or the name of a sequence
of the module such as `ENTERPRISES`), or with `by: assessment day` (a date on or before the
assessment day), with `at_least` (a number not below the parameter of that path, such as
`heping.c24.agency_min_batch`); or `role` (the person holds that role in their organisation).
Or, where the test needs code, `formula`: the name of the module's function
`(population, period, parameters)` that computes it. `enums` are the module's Enum classes (the
possible values of its facts), `variables` its other computed variables (counts, sums: `type`,
`formula`, and `entity`, `label`, `doc`, `unit`, `reference`, `default`, `values` as for facts; `period`:
month unless `eternity`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import yaml
from openfisca_core.indexed_enums import Enum
from openfisca_core.variables import Variable

from .base import ETERNITY, MONTH, NOT_GIVEN, assessment_day, condition, fact
from .entities import Organisation, Person

_TYPES = {"bool": bool, "int": int, "float": float, "date": date, "str": str, "enum": Enum}
_ENTITIES = {"person": Person, "organisation": Organisation}
_FACT_KEYS = {"type", "entity", "label", "doc", "default", "values", "reference", "unit", "optional",
              "minimum", "maximum", "required_with"}
_CONDITION_KEYS = {"entity", "label", "doc", "reference", "fact", "is", "in", "not", "by", "at_least", "role",
                   "formula"}
_VARIABLE_KEYS = {"type", "entity", "label", "doc", "reference", "unit", "formula", "default", "period", "values"}
_PERIODS = {"month": MONTH, "eternity": ETERNITY}


class DeclarationError(ValueError):
    pass


def _load(path: Path) -> dict:
    from ..cache import cached_yaml

    def parse(text):
        try:
            return yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise DeclarationError(f"{path}: {error}") from None
    return cached_yaml(path, parse)


def _resolve(value, namespace: dict, where: str):
    """A name of the module (`HonourLevel`, `ENTERPRISES`)."""
    if value not in namespace:
        raise DeclarationError(f"{where}: {value} is not a name of the module")
    return namespace[value]


def _member(population, name: str, value):
    """A value a fact is compared with: a number as written, a possible value of an Enum fact by its
    name (looked up in the population's system)."""
    if not isinstance(value, str):
        return value
    return population.simulation.tax_benefit_system.variables[name].possible_values[value]


def _function(name: str, namespace: dict, where: str):
    """The module's function of that name (defined below the `declare` call: looked up when run)."""
    def formula(population, period, parameters):
        function = namespace.get(name)
        if not callable(function):
            raise DeclarationError(f"{where}: no function {name} in the module")
        return function(population, period, parameters)
    formula.__name__ = name
    return formula


def _enum(name: str, members: dict, module: str):
    enum = Enum(name, list(members.items()), module=module)
    enum.__qualname__ = name
    return enum


def _variable(name: str, spec: dict, namespace: dict, reference: str | None, where: str):
    unknown = set(spec) - _VARIABLE_KEYS
    if unknown or not {"type", "formula", "label"} <= set(spec):
        raise DeclarationError(f"{where}: a variable needs type, label and formula (unknown keys: {sorted(unknown)})")
    attrs = {"value_type": _TYPES[spec["type"]], "entity": _ENTITIES[spec.get("entity", "person")],
             "definition_period": _PERIODS[spec.get("period", "month")], "label": spec["label"],
             "formula": _function(spec["formula"], namespace, where)}
    if spec.get("reference", reference):
        attrs["reference"] = spec.get("reference", reference)
    if "default" in spec:
        attrs["default_value"] = NOT_GIVEN if spec["default"] == "not given" else spec["default"]
    if "values" in spec:
        attrs["possible_values"] = _resolve(spec["values"], namespace, where)
    for key, attr in (("doc", "documentation"), ("unit", "unit")):
        if key in spec:
            attrs[attr] = spec[key]
    return type(name, (Variable,), attrs)


def _fact(name: str, spec: dict, namespace: dict, reference: str | None, where: str):
    unknown = set(spec) - _FACT_KEYS
    if unknown or "type" not in spec or "label" not in spec:
        raise DeclarationError(f"{where}: a fact needs type and label (unknown keys: {sorted(unknown)})")
    default = spec.get("default")
    if default == "not given":
        default = NOT_GIVEN
    values = spec.get("values")
    return fact(_ENTITIES[spec.get("entity", "person")], _TYPES[spec["type"]], spec["label"],
                doc=spec.get("doc", ""), default=default,
                possible_values=_resolve(values, namespace, where) if values else None,
                reference=spec.get("reference", reference), unit=spec.get("unit"), name=name,
                optional=spec.get("optional", False), minimum=spec.get("minimum"), maximum=spec.get("maximum"),
                required_with=spec.get("required_with"))


def _test(spec: dict, namespace: dict, where: str):
    """The condition's formula: one test of one fact (or of the person's role), or the module's."""
    if "formula" in spec:
        return _function(spec["formula"], namespace, where)
    if "role" in spec:
        role = getattr(Organisation, spec["role"].upper())
        return lambda population, period, parameters: population.has_role(role)
    name = spec.get("fact")
    if not name:
        raise DeclarationError(f"{where}: a condition needs a fact or a role")
    negate = spec.get("not", False)
    if "is" in spec:
        value = spec["is"]
        test = (lambda population, period, parameters: population(name, period) == _member(population, name, value))
    elif "in" in spec:
        listed = spec["in"]
        if isinstance(listed, list):
            test = (lambda population, period, parameters: np.isin(
                population(name, period), [_member(population, name, v) for v in listed]))
        else:
            test = (lambda population, period, parameters: np.isin(
                population(name, period), _resolve(listed, namespace, where)))   # the module may set it later
    elif "at_least" in spec:
        path = spec["at_least"].split(".")

        def test(population, period, parameters):
            threshold = parameters(period)
            for part in path:
                threshold = getattr(threshold, part)
            return population(name, period) >= threshold
    elif "by" in spec:
        if spec["by"] != "assessment day":
            raise DeclarationError(f"{where}: by: takes `assessment day`")
        test = (lambda population, period, parameters:
                population(name, period) <= assessment_day(population, period))
    else:
        test = (lambda population, period, parameters: population(name, period))
    if negate:
        return lambda population, period, parameters: ~test(population, period, parameters)
    return test


#: The declared conditions that test one fact (or the person's role) without a module formula:
#: cheap to compute (jiuye.model.system evaluates them first in a short-circuited condition tree).
FACT_TESTS: set[str] = set()


def _condition(name: str, spec: dict, namespace: dict, reference: str | None, where: str):
    unknown = set(spec) - _CONDITION_KEYS
    if unknown or "label" not in spec:
        raise DeclarationError(f"{where}: a condition needs a label (unknown keys: {sorted(unknown)})")
    if "formula" not in spec:
        FACT_TESTS.add(name)
    cited = spec.get("reference", reference)
    if not cited:
        raise DeclarationError(f"{where}: no reference")
    return condition(_ENTITIES[spec.get("entity", "person")], spec["label"], cited,
                     _test(spec, namespace, where), doc=spec.get("doc", ""))


def declare(namespace: dict, file: str = "facts.yaml") -> None:
    """Bind in `namespace` (a module's globals) the facts and conditions its `facts.yaml` declares."""
    path = Path(namespace["__file__"]).with_name(file)
    data = _load(path)
    reference = data.get("reference")
    module = namespace["__name__"]
    for name, members in (data.get("enums") or {}).items():
        namespace[name] = _enum(name, members, module)
    for section, build in (("facts", _fact), ("conditions", _condition), ("variables", _variable)):
        for name, spec in (data.get(section) or {}).items():
            if name in namespace:
                raise DeclarationError(f"{path}: {name} is declared twice")
            variable = build(name, spec, namespace, reference, f"{path}: {name}")
            variable.__name__ = variable.__qualname__ = name
            variable.__module__ = module
            namespace[name] = variable
