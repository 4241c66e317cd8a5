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
    items from different dicts still get one place, by content."""

    def __init__(self, system) -> None:
        self.system = system
        self.index: dict = {}
        self.items: list = []
        self.seen: dict = {}           # id(dict of the full answer) -> (its place or compact node, the dict)

    def ref(self, item: dict) -> int:
        seen = self.seen.get(id(item))
        if seen is not None:
            return seen[0]
        short = _compact_item(item, self.system)
        key = tuple([(k, repr(v)) for k, v in short.items()])      # the explainer's items keep one key order
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.items)
            self.items.append(short)
        self.seen[id(item)] = (found, item)        # the dict kept alive: its id stays its own
        return found


LISTS = ("missing", "schedule_missing")       # result-level lists of items


def compact(answer: dict, system) -> dict:
    catalogue = load_catalogue()
    table = _Items(system)
    results = []
    for result in answer["results"]:
        measure = catalogue.measure(result["measure"])
        out = {}
        for key, value in result.items():
            if key in MEASURE_TEXTS and value == _measure_text(measure, key):
                continue
            if key == "conditions":
                value = [_compact_node(node, system, table) for node in value]
            elif key in LISTS:
                value = [table.ref(item) for item in value]
            elif key == "failed":
                value = [_compact_item(item, system) for item in value]
            elif key == "parameters":
                value = [p["name"] for p in value]
            out[key] = value
        results.append(out)
    return {**answer, "results": results, "items": table.items, "compact": True}


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


def _label_doc(variable_name: str, system):
    texts = _TEXTS.get(system)
    if texts is None:
        texts = _TEXTS[system] = {}
    pair = texts.get(variable_name)
    if pair is None:
        variable = system.variables.get(variable_name)
        pair = texts[variable_name] = (None, None) if variable is None else (variable.label, variable.documentation)
    return pair


def _compact_item(item: dict, system) -> dict:
    if "variable" in item and "label" in item and item["label"] == _label_doc(item["variable"], system)[0]:
        return {k: v for k, v in item.items() if k != "label"}
    return item


def _expand_item(item: dict, system) -> dict:
    if "variable" in item and "label" not in item:
        return {**item, "label": _label_doc(item["variable"], system)[0]}
    return item


def _compact_node(node: dict, system, table: _Items) -> dict:
    seen = table.seen.get(id(node))
    if seen is not None:          # a condition shared by several measures: compacted once
        return seen[0]
    if "group" in node:
        out = {**node, "conditions": [_compact_node(c, system, table) for c in node["conditions"]]}
    else:
        label, doc = _label_doc(node["variable"], system)
        out = {}
        ref = table.ref
        for key, value in node.items():
            if key == "label":
                if value == label:
                    continue
            elif key == "doc":
                if value == doc:
                    continue
            elif key == "facts" or key == "missing":
                value = [ref(item) for item in value]
            out[key] = value
    table.seen[id(node)] = (out, node)
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
