"""Explanation templates: the static part of explaining a measure's results, compiled once per
tax-benefit system (`jiuye.explain.Explainer` fills in each case's results, facts and missing facts).

A condition tree's shape, labels, clauses and docs, the facts each condition reads with their
entities, the measure's window of validity and the parameters its formulas read depend only on the
system (a reform is another system, with its own templates: they are kept per system, weakly); the
parameters' descriptions depend on the assessment date too (a few dates kept per measure).
"""

from __future__ import annotations

import datetime as dt
import weakref

from .assess.dependencies import dependencies, facts_read, parameters_read
from .catalogue import Measure, node_kind
from .params import describe_parameter


class Leaf:
    """What explaining a condition (or fact) `name` needs of the model, once per system: its entity,
    whether it is a fact, the facts it reads (name, entity, how they are reached: 0 the same row,
    1 a person's organisation, 2 an organisation's members), label, clause, doc, and whether the
    compact answer keeps the label and doc (where they are not the variable's own)."""

    __slots__ = ("name", "entity", "is_fact", "read", "label", "clause", "doc", "keep_label", "keep_doc")

    def __init__(self, system, deps, name: str) -> None:
        from .answers import _texts
        variables = system.variables
        variable = variables[name]
        self.name, self.entity, self.is_fact = name, variable.entity.key, not variable.formulas
        read = []
        for fact in facts_read(deps, system, name):
            entity = variables[fact].entity.key
            read.append((fact, entity, 0 if entity == self.entity else (1 if self.entity == "person" else 2)))
        self.read = tuple(read)
        self.label, self.clause, self.doc = variable.label, _reference(variable), variable.documentation
        own_label, own_doc = _texts(system)[name]
        self.keep_label, self.keep_doc = not self.label == own_label, not self.doc == own_doc


class Group:
    """A group (all_of / any_of) or `not` node of a condition tree, its texts read once per system."""

    __slots__ = ("kind", "definition", "label", "clause", "parts")

    def __init__(self, kind: str, node: dict, parts: tuple) -> None:
        self.kind, self.definition, self.parts, self.clause = kind, node.get("definition"), parts, node.get("clause")
        self.label = node["label"] if kind == "not" else \
            (node.get("label") or ("以下条件全部满足" if kind == "all_of" else "满足以下条件之一"))


class Template:
    """The static part of a measure's results, per system: its condition tree (the window of validity
    first, where the system has one) compiled, the parameters its formulas read, and per assessment
    date those parameters described (a few dates kept: parameters change with the date)."""

    __slots__ = ("measure", "tree", "parameters", "described")
    DATES = 16

    def __init__(self, templates: "Templates", measure: Measure) -> None:
        self.measure = measure
        tree = list(measure.conditions)
        window = f"{measure.variable}__in_force"
        if window in templates.system.variables:
            tree = [window] + tree
        self.tree = tuple(templates.plan(node) for node in tree)
        declared = list(measure.parameters)
        for extra in ((measure.cap or {}).get("parameter"), (measure.stacking or {}).get("cap")):
            if extra and extra not in declared:
                declared.append(extra)
        self.parameters = tuple(declared + [p for p in parameters_read(templates.deps, (measure.variable + "__eligible",))
                                            if p not in declared])
        self.described: dict = {}

    def described_on(self, system, on: dt.date) -> tuple:
        """(the parameters described on `on`, the unconfirmed ones' names): the one copy of the
        descriptions kept (`describe_parameter` reads the system each time), bounded by DATES."""
        found = self.described.get(on)
        if found is None:
            if len(self.described) >= self.DATES:
                self.described.clear()
            parameters = [describe_parameter(system, p, on) for p in self.parameters]
            found = self.described[on] = (parameters, [p["name"] for p in parameters if p.get("unconfirmed")])
        return found


class Templates:
    """One system's compiled conditions (`Leaf` per variable) and measures (`Template` per measure
    id, replaced when the catalogue gives another Measure): bounded by the model's size. Kept per
    system (weakly): a reform is another system, with its own."""

    def __init__(self, system) -> None:
        self._system, self.deps = weakref.ref(system), dependencies(system)
        self.leaves: dict = {}
        self.measures: dict = {}

    @property
    def system(self):
        """The system (a weak reference: a strong one, in the value of `_TEMPLATES`, would keep its
        key alive forever)."""
        return self._system()

    def leaf(self, name: str) -> Leaf:
        leaf = self.leaves.get(name)
        if leaf is None:
            leaf = self.leaves[name] = Leaf(self.system, self.deps, name)
        return leaf

    def plan(self, node):
        if isinstance(node, str):
            return self.leaf(node)
        kind = node_kind(node)
        parts = (self.plan(node["not"]),) if kind == "not" else tuple(self.plan(child) for child in node[kind])
        return Group(kind, node, parts)

    def measure(self, measure: Measure) -> Template:
        template = self.measures.get(measure.id)
        if template is None or template.measure is not measure:
            template = self.measures[measure.id] = Template(self, measure)
        return template


_TEMPLATES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()    # system -> its Templates


def templates_of(system) -> Templates:
    found = _TEMPLATES.get(system)
    if found is None:
        found = _TEMPLATES[system] = Templates(system)
    return found


NONE: tuple = ()


def unique(items: list) -> list:
    """`items` without repeats (equal ones: the first kept), in their order."""
    if len(items) < 2:
        return items
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def merged(lists) -> list:
    """The union of lists, each without repeats, in order of first occurrence (a new list where
    two have items: the parts' lists are shared, never changed)."""
    out, own = NONE, False
    for items in lists:
        if not items or items is out:
            continue
        if not out:
            out = items
            continue
        if not own:
            out, own = list(out), True
        for item in items:
            if item not in out:
                out.append(item)
    return out


def _reference(variable) -> str | None:
    reference = variable.reference
    if isinstance(reference, (list, tuple)):
        return reference[0] if reference else None
    return reference
