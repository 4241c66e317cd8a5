"""The calculator's answer, compact or full.

`jiuye.explain.calculate` gives the full answer: every result carries the texts of its measure
(title, interpretation, amount note, legal moment), each condition the label and explanation of
its variable, each fact and missing fact its label, each parameter its description, reference,
unit, dated value and source. Those texts depend only on the model and the date, not on the case,
and are most of the answer's bytes. The compact answer leaves out whatever is static and keeps what
the case decided (statuses, results, facts' values, amounts, installments, missing facts):

* a result keeps `measure` (its texts: GET /api/v1/measures/{id});
* a condition, fact or missing fact keeps `variable` (label and explanation: the variable's; a label
  that differs from the variable's — a `not:` node's own words — is kept);
* a parameter is its name (GET /api/v1/parameters/{name}?on=…);
* the facts and missing facts, which many conditions of many measures share, are listed once in
  `items` and referenced by their place in it.

`expand(compact(answer)) == answer`, exactly (tested), so nothing is lost. The API's default
answer is made by the explainer itself (`calculate(..., compact=True)`, through `CompactForm`),
without the full answer first: the same bytes as `compact(calculate(...))` (tested, every example).
"""

from __future__ import annotations

import datetime as dt
import weakref

from .catalogue import load_catalogue
from .params import describe_parameter

MEASURE_TEXTS = ("title", "interpretation", "amount_note", "moment", "clause", "kind")
_MEASURE_FIELD = {"moment": lambda m: (m.moment or {}).get("label")}


def _measure_text(measure, key):
    getter = _MEASURE_FIELD.get(key)
    return getter(measure) if getter else getattr(measure, key)


class _Items:
    """The items table of one compact answer. The explanations share their fact and condition
    dicts between measures (one per fact and unit), so each is compacted once, by identity; equal
    items from different dicts still get one place, by content (the repr of the compact item: a
    string, not a tuple of pairs per item — no container the garbage collector would count and walk)."""

    __slots__ = ("texts", "index", "items", "places", "nodes", "kept")

    def __init__(self, system) -> None:
        self.texts = _texts(system)
        self.index: dict = {}          # an item's content (its repr) -> its place
        self.items: list = []
        self.places: dict = {}         # id(item dict of the full answer) -> its place
        self.nodes: dict = {}          # id(condition dict of the full answer) -> its compact node
        self.kept: list = []           # the dicts whose ids are keys above, kept alive: their ids stay their own

    def refs(self, items: list) -> list[int]:
        """The places of a list of items (each new one compacted and placed)."""
        places = self.places
        out = []
        for item in items:
            place = places.get(id(item))
            out.append(self._place(item) if place is None else place)
        return out

    def _place(self, item: dict) -> int:
        place = self.places[id(item)] = self.add(_compact_item(item, self.texts))
        self.kept.append(item)
        return place

    def add(self, short: dict, distinct: bool = False) -> int:
        """The place of a compact item (a new one appended). `distinct`: no other item can be equal
        to it (no need to look)."""
        if distinct:
            self.items.append(short)
            return len(self.items) - 1
        key = repr(list(short.items()))      # the explainer's items keep one key order
        place = self.index.get(key)
        if place is None:
            place = self.index[key] = len(self.items)
            self.items.append(short)
        return place


LISTS = ("missing", "schedule_missing")       # result-level lists of items


def compact(answer: dict, system) -> dict:
    texts_of = _measure_texts(load_catalogue())
    table = _Items(system)

    def conditions(nodes):
        return [_compact_node(node, table) for node in nodes]
    results = [compact_result(result, texts_of(result["measure"]), table.texts, conditions,
                              lambda key, items: table.refs(items))
               for result in answer["results"]]
    return {**answer, "results": results, "items": table.items, "compact": True}


def compact_result(result: dict, texts: dict, variables: "_Texts", conditions, lists) -> dict:
    """A result without its measure's texts (`texts`: the measure's), its parameters by name and its
    failed conditions' labels where they are their variables'; `conditions(nodes)` and
    `lists(key, items)` give the compact conditions and lists of items (None: kept as they are),
    called in the order of the result's keys (conditions, missing, schedule_missing: the order in
    which the items get their places)."""
    out = result.copy()             # the keys kept keep their order
    for key, text in texts.items():
        if key in out and out[key] == text:
            del out[key]
    if conditions is not None and "conditions" in out:
        out["conditions"] = conditions(out["conditions"])
    for key in LISTS:
        if key in out:
            out[key] = lists(key, out[key])
    if "failed" in out:
        out["failed"] = [_compact_item(item, variables) for item in out["failed"]]
    if "parameters" in out:
        out["parameters"] = [p["name"] for p in out["parameters"]]
    return out


class CompactForm:
    """What a `jiuye.explain.Explainer` needs to make compact answers itself (compact=True), exactly
    `compact(its full answer)` without making the full one: the items tables (one per request of a
    batch: `owners`, entity key -> each row's request), the variables' and measures' texts.

    An item's place is taken when the explainer first makes it, and it makes the items in the order
    `compact` meets them: results in their order, each result's conditions depth first (a fact or
    condition shared with an earlier one already made), a condition's facts before its missing
    facts, then the schedule's missing facts (tests/test_answers.py compares the two, every example).
    The explainer makes one item per fact and unit and one per missing fact and unit, so where no
    two units of a request have the same id (`ids`, entity key -> each row's id), no two items are
    equal and none is looked for by content."""

    def __init__(self, system, ids: dict, owners: dict | None = None) -> None:
        self.system = system
        self.variables = _texts(system)
        self.measures = _measure_texts(load_catalogue())
        self.owners = owners
        self.distinct = all(len(set(zip(owners[key], names) if owners else names)) == len(names)
                            for key, names in ids.items())
        self.tables: dict = {}       # request (None: the only one) -> its items table
        self.places: dict = {}       # id(missing-fact item of the explainer) -> its place

    def table(self, entity_key: str, index: int) -> _Items:
        owner = None if self.owners is None else self.owners[entity_key][index]
        table = self.tables.get(owner)
        if table is None:
            table = self.tables[owner] = _Items(self.system)
        return table

    def items(self, owner=None) -> list:
        table = self.tables.get(owner)
        return [] if table is None else table.items

    def place(self, item: dict, entity_key: str, index: int) -> int:
        """The place of a compact item (a fact without its variable's label) of a unit's request."""
        return self.table(entity_key, index).add(item, self.distinct)

    def missing(self, item: dict, entity_key: str, index: int, short: dict | None = None) -> int:
        """The place of one of the explainer's missing-fact items (kept alive by the explainer);
        `short`: its compact form where the explainer has it."""
        place = self.places.get(id(item))
        if place is None:
            place = self.places[id(item)] = self.table(entity_key, index).add(
                _compact_item(item, self.variables) if short is None else short, self.distinct)
        return place

    def leaf(self, variable, label, clause, result, facts: list, doc, missing: list, negated: bool = False) -> dict:
        """A condition as `compact` leaves it: the label and doc only where not the variable's."""
        own_label, own_doc = self.variables[variable]
        out = {"variable": variable}
        if not label == own_label:
            out["label"] = label
        out["clause"], out["result"], out["facts"] = clause, result, facts
        if not doc == own_doc:
            out["doc"] = doc
        out["missing"] = missing
        if negated:
            out["negated"] = True
        return out

    def negated(self, inner: dict, label, clause, result) -> dict:
        """`{**inner, label, clause, result, negated: True}` of a leaf, compact."""
        variable = inner["variable"]
        doc = inner["doc"] if "doc" in inner else self.variables[variable][1]
        return self.leaf(variable, label, clause, result, inner["facts"], doc, inner["missing"], True)

    def label(self, node: dict):
        return node["label"] if "label" in node else self.variables[node.get("variable")][0]

    def static(self, node: dict) -> dict:
        """A condition without facts (a measure not yet in force), compact."""
        return _compact_node(node, _Items(self.system))

    def result(self, result: dict, measure_id: str, entity_key: str, index: int) -> dict:
        """A result whose conditions and missing facts are compact already."""
        def lists(key, items):
            return items if key == "missing" else [self.missing(item, entity_key, index) for item in items]
        return compact_result(result, self.measures(measure_id), self.variables, None, lists)


_MEASURES: tuple = (None, {})     # the last catalogue seen, {measure id: {text key: its text}}


def _measure_texts(catalogue):
    """measure id -> its texts (MEASURE_TEXTS) as a dict, each measure's read once per catalogue
    (load_catalogue() gives the same one every time)."""
    global _MEASURES
    entry = _MEASURES               # read once: another thread may replace it
    if entry[0] is not catalogue:
        entry = _MEASURES = (catalogue, {})
    cache = entry[1]

    def texts(measure_id: str) -> dict:
        found = cache.get(measure_id)
        if found is None:
            measure = catalogue.measure(measure_id)
            found = cache[measure_id] = {key: _measure_text(measure, key) for key in MEASURE_TEXTS}
        return found
    return texts


def expand(answer: dict, system) -> dict:
    if not answer.get("compact"):
        return answer
    catalogue = load_catalogue()
    on = dt.date.fromisoformat(answer["on"])
    items = [_expand_item(item, system) for item in answer.get("items", [])]
    results = []
    for result in answer["results"]:
        measure = catalogue.measure(result["measure"])
        out = dict(result)
        for key in MEASURE_TEXTS:
            if key not in out and (key != "moment" or measure.moment):
                out[key] = _measure_text(measure, key)
        out["conditions"] = [_expand_node(node, system, items) for node in out.get("conditions", [])]
        for key in LISTS:
            if key in out:
                out[key] = [items[i] for i in out[key]]
        if "failed" in out:
            out["failed"] = [_expand_item(item, system) for item in out["failed"]]
        if "parameters" in out:
            out["parameters"] = [describe_parameter(system, name, on) for name in out["parameters"]]
        results.append(out)
    full = {k: v for k, v in answer.items() if k not in ("compact", "items")}
    full["results"] = results
    return full


_TEXTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # system -> {variable: (label, doc)}


class _Texts(dict):
    """variable name -> (label, doc) of one system's variables, each read once ((None, None): no
    such variable)."""

    __slots__ = ("system",)            # a weak reference: the system is this table's key in _TEXTS

    def __missing__(self, name):
        variable = self.system().variables.get(name)
        pair = self[name] = (None, None) if variable is None else (variable.label, variable.documentation)
        return pair


def _texts(system) -> _Texts:
    texts = _TEXTS.get(system)
    if texts is None:
        texts = _TEXTS[system] = _Texts()
        texts.system = weakref.ref(system)
    return texts


def _label_doc(variable_name: str, system):
    return _texts(system)[variable_name]


def _compact_item(item: dict, texts: _Texts) -> dict:
    if "variable" in item and "label" in item and item["label"] == texts[item["variable"]][0]:
        short = item.copy()
        del short["label"]          # the other keys in their order
        return short
    return item


def _expand_item(item: dict, system) -> dict:
    if "variable" in item and "label" not in item:
        return {**item, "label": _label_doc(item["variable"], system)[0]}
    return item


def _compact_node(node: dict, table: _Items) -> dict:
    out = table.nodes.get(id(node))
    if out is not None:          # a condition shared by several measures: compacted once
        return out
    if "group" in node:
        out = {**node, "conditions": [_compact_node(c, table) for c in node["conditions"]]}
    else:
        label, doc = table.texts[node["variable"]]
        out = {}
        for key, value in node.items():
            if key == "label":
                if value == label:
                    continue
            elif key == "doc":
                if value == doc:
                    continue
            elif key == "facts" or key == "missing":
                value = table.refs(value)
            out[key] = value
    table.nodes[id(node)] = out
    table.kept.append(node)
    return out


def _expand_node(node: dict, system, items: list) -> dict:
    if "group" in node:
        return {**node, "conditions": [_expand_node(c, system, items) for c in node["conditions"]]}
    label, doc = _label_doc(node["variable"], system)
    out = {"label": label, "doc": doc, **node}
    for key in ("facts", "missing"):
        if key in out:
            out[key] = [items[i] for i in out[key]]
    return out
