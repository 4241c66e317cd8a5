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

`expand(compact(answer)) == answer`, exactly (tested), so nothing is lost.
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
        short = _compact_item(item, self.texts)
        key = repr(list(short.items()))      # the explainer's items keep one key order
        place = self.index.get(key)
        if place is None:
            place = self.index[key] = len(self.items)
            self.items.append(short)
        self.places[id(item)] = place
        self.kept.append(item)
        return place


LISTS = ("missing", "schedule_missing")       # result-level lists of items


def compact(answer: dict, system) -> dict:
    texts_of = _measure_texts(load_catalogue())
    table = _Items(system)
    results = []
    for result in answer["results"]:
        texts = texts_of(result["measure"])
        out = {}
        for key, value in result.items():
            if key in texts and value == texts[key]:
                continue
            if key == "conditions":
                value = [_compact_node(node, table) for node in value]
            elif key in LISTS:
                value = table.refs(value)
            elif key == "failed":
                value = [_compact_item(item, table.texts) for item in value]
            elif key == "parameters":
                value = [p["name"] for p in value]
            out[key] = value
        results.append(out)
    return {**answer, "results": results, "items": table.items, "compact": True}


_MEASURES: dict = {}            # id(catalogue) -> (the catalogue, {measure id: {text key: its text}})


def _measure_texts(catalogue):
    """measure id -> its texts (MEASURE_TEXTS) as a dict, each measure's read once per catalogue."""
    entry = _MEASURES.get(id(catalogue))
    if entry is None or entry[0] is not catalogue:
        entry = _MEASURES[id(catalogue)] = (catalogue, {})
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
        return {k: v for k, v in item.items() if k != "label"}
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
