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

from .catalogue import load_catalogue
from .params import describe_parameter

MEASURE_TEXTS = ("title", "interpretation", "amount_note", "moment", "clause", "kind")
_MEASURE_FIELD = {"moment": lambda m: (m.moment or {}).get("label")}


def _measure_text(measure, key):
    getter = _MEASURE_FIELD.get(key)
    return getter(measure) if getter else getattr(measure, key)


class _Items:
    def __init__(self) -> None:
        self.index: dict = {}
        self.items: list = []

    def ref(self, item: dict) -> int:
        key = tuple(sorted((k, repr(v)) for k, v in item.items()))
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.items)
            self.items.append(item)
        return found


LISTS = ("missing", "schedule_missing")       # result-level lists of items


def compact(answer: dict, system) -> dict:
    catalogue = load_catalogue()
    table = _Items()
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
                value = [table.ref(_compact_item(item, system)) for item in value]
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
        out = {}
        for key in _result_order(result):
            if key in result:
                value = result[key]
                if key == "conditions":
                    value = [_expand_node(node, system, items) for node in value]
                elif key in LISTS:
                    value = [items[i] for i in value]
                elif key == "failed":
                    value = [_expand_item(item, system) for item in value]
                elif key == "parameters":
                    value = [describe_parameter(system, name, on) for name in value]
                out[key] = value
            else:
                if key != "moment" or measure.moment:
                    out[key] = _measure_text(measure, key)
        results.append(out)
    full = {k: v for k, v in answer.items() if k not in ("compact", "items")}
    full["results"] = results
    return full


# the full answer's key order (jiuye.explain.Explainer.result)
_ORDER = ("measure", "clause", "title", "kind", "beneficiary", "status", "amount_to_date", "installments",
          "conditions", "parameters", "missing", "failed", "interpretation", "amount_note", "moment")


def _result_order(result: dict) -> list[str]:
    keys = list(_ORDER)
    keys += [k for k in result if k not in keys]
    return keys


def _label_doc(variable_name: str, system):
    variable = system.variables.get(variable_name)
    if variable is None:
        return None, None
    return variable.label, variable.documentation


def _compact_item(item: dict, system) -> dict:
    if "variable" in item and "label" in item and item["label"] == _label_doc(item["variable"], system)[0]:
        return {k: v for k, v in item.items() if k != "label"}
    return item


def _expand_item(item: dict, system) -> dict:
    if "variable" in item and "label" not in item:
        out = {}
        for key, value in item.items():
            out[key] = value
            if key == "variable":
                out["label"] = _label_doc(value, system)[0]
        return _reorder(out, item)
    return item


def _reorder(out: dict, original: dict) -> dict:
    """Fact and missing items: variable/entity/id first as Explainer writes them."""
    order = ("entity", "id", "variable", "label") if "given" not in original else \
        ("variable", "label", "entity", "id", "given", "value", "derived")
    keys = [k for k in order if k in out] + [k for k in out if k not in order]
    return {k: out[k] for k in keys}


def _compact_node(node: dict, system, table: _Items) -> dict:
    if "group" in node:
        return {**node, "conditions": [_compact_node(c, system, table) for c in node["conditions"]]}
    label, doc = _label_doc(node["variable"], system)
    out = {}
    for key, value in node.items():
        if key == "label" and value == label:
            continue
        if key == "doc" and value == doc:
            continue
        if key in ("facts", "missing"):
            value = [table.ref(_compact_item(item, system)) for item in value]
        out[key] = value
    return out


def _expand_node(node: dict, system, items: list) -> dict:
    if "group" in node:
        return {**node, "conditions": [_expand_node(c, system, items) for c in node["conditions"]]}
    label, doc = _label_doc(node["variable"], system)
    out = {"variable": node["variable"], "label": node.get("label", label)}
    for key, value in node.items():
        if key in ("variable", "label"):
            continue
        if key in ("facts", "missing"):
            value = [items[i] for i in value]
        out[key] = value
        if key == "facts" and "doc" not in node:
            out["doc"] = doc
    if "doc" not in out:
        out["doc"] = doc
    order = ("variable", "label", "clause", "result", "facts", "doc", "missing", "negated")
    keys = [k for k in order if k in out] + [k for k in out if k not in order]
    return {k: out[k] for k in keys}
