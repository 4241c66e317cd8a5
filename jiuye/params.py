"""Describing parameters for explanations: value in force, since when, source, confidence."""

from __future__ import annotations

import datetime as dt

from openfisca_core.parameters import Parameter, ParameterNode


def get_parameter(system, path: str):
    node = system.parameters
    for part in path.split("."):
        node = node.children[part] if isinstance(node, ParameterNode) else getattr(node, part)
    return node


def _at(parameter: Parameter, instant: str):
    for at in parameter.values_list:       # newest first
        if at.instant_str <= instant:
            return at
    return None


def describe_parameter(system, path: str, on: dt.date) -> dict:
    """The parameter in force on `on`: value, date in force, source, confidence, unconfirmed flag.

    Read from the system each time (about 5 µs a parameter), so always the system's own and current
    description. The explanations keep theirs per system, measure and assessment date
    (`jiuye.explain_templates.Template.described_on`); a second memo here, keyed by the system's
    id, saved nothing on a repeated day and about 0.6 ms on the first calculation of a new day."""
    instant = on.isoformat()
    parameter = get_parameter(system, path)
    metadata = dict(getattr(parameter, "metadata", {}) or {})
    description = getattr(parameter, "description", None)
    if not description and "." in path:
        parent_path, key = path.rsplit(".", 1)
        parent = get_parameter(system, parent_path)
        description = f"{getattr(parent, 'description', None) or parent_path}（{key}）"
    ancestor = path
    while "." in ancestor and not all(metadata.get(k) for k in ("reference", "unit", "confidence")):
        ancestor = ancestor.rsplit(".", 1)[0]
        inherited = getattr(get_parameter(system, ancestor), "metadata", None) or {}
        for key in ("reference", "unit", "confidence"):
            if not metadata.get(key) and inherited.get(key):
                metadata[key] = inherited[key]
    out = {"name": path, "description": description,
           "reference": metadata.get("reference"), "unit": metadata.get("unit") or metadata.get("amount_unit")}
    if isinstance(parameter, Parameter):
        at = _at(parameter, instant)
        value_meta = dict(getattr(at, "metadata", None) or {}) if at else {}
        out.update({
            "value": at.value if at else None,
            "effective_from": at.instant_str if at else None,
            "source": value_meta.get("source") or metadata.get("source") or metadata.get("reference"),
            "confidence": value_meta.get("confidence") or metadata.get("confidence"),
            "unconfirmed": bool(value_meta.get("unconfirmed") or metadata.get("unconfirmed")),
            "note": value_meta.get("note") or metadata.get("note"),
        })
    elif hasattr(parameter, "brackets"):
        brackets = []
        for bracket in parameter.brackets:
            threshold = _at(bracket.threshold, instant)
            amount = _at(bracket.amount if hasattr(bracket, "amount") else bracket.rate, instant)
            if threshold and amount:
                brackets.append({"threshold": threshold.value, "amount": amount.value,
                                 "effective_from": max(threshold.instant_str, amount.instant_str)})
        out.update({"value": brackets, "effective_from": min((b["effective_from"] for b in brackets), default=None),
                    "source": metadata.get("reference"), "unconfirmed": bool(metadata.get("unconfirmed"))})
    else:
        children = {}
        for key, child in parameter.children.items():
            children[key] = describe_parameter(system, f"{path}.{key}", on)
        out.update({"value": {k: c.get("value") for k, c in children.items()},
                    "effective_from": max((c.get("effective_from") or "" for c in children.values()), default=None),
                    "source": metadata.get("reference"),
                    "unconfirmed": any(c.get("unconfirmed") for c in children.values())})
    return out


def history(system, path: str) -> list[dict]:
    """Every dated value of a parameter (or of each bracket / child), newest first."""
    parameter = get_parameter(system, path)
    if isinstance(parameter, Parameter):
        return [{"from": at.instant_str, "value": at.value,
                 **{k: v for k, v in (getattr(at, "metadata", None) or {}).items()
                    if k in ("source", "confidence", "unconfirmed", "note", "data_year")}}
                for at in parameter.values_list]
    if hasattr(parameter, "brackets"):
        return [{"bracket": i,
                 "threshold": [{"from": a.instant_str, "value": a.value} for a in b.threshold.values_list],
                 "amount": [{"from": a.instant_str, "value": a.value}
                            for a in (b.amount if hasattr(b, "amount") else b.rate).values_list]}
                for i, b in enumerate(parameter.brackets)]
    return [{"child": key, "history": history(system, f"{path}.{key}")} for key in parameter.children]
