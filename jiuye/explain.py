"""Results and explanations: for each measure and beneficiary, status, installments and why.

Engine-generic: reads the catalogue, the tax-benefit system and the case; imports no district.

Three-valued logic: a condition that reads a fact the situation does not give is *unknown*
(never silently false). all_of is false if any part is false, else unknown if any is unknown;
any_of is true if any part is true, else unknown if any is unknown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .catalogue import STACKING_POLICIES, Measure, load_catalogue, node_kind
from .engine import Case, Knowledge, build_case, dependencies
from .model.dates import NEVER
from .params import describe_parameter

STATUS_LABELS = {"eligible": "符合条件", "ineligible": "不符合条件", "undetermined": "尚需补充信息"}


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "name") and hasattr(value, "value") and not isinstance(value, (str, bytes)):
        return value.name
    if isinstance(value, (dt.date, np.datetime64)):
        return str(value)[:10]
    return value


class Explainer:
    def __init__(self, case: Case) -> None:
        self.case = case
        self.system = case.system
        self.knowledge = Knowledge(case, dependencies(case.system))
        self.period = case.period
        self._arrays: dict = {}
        self._conditions: dict = {}

    # -- values ----------------------------------------------------------------------------------
    def array(self, name: str):
        cached = self._arrays.get(name)
        if cached is None:
            array = self.case.simulation.calculate(name, self.period)
            cached = self._arrays[name] = array.decode() if hasattr(array, "decode") else array
        return cached

    def value(self, name: str, entity_key: str, index: int):
        value = self.array(name)[index]
        return value.name if hasattr(value, "name") and not isinstance(value, np.generic) else _plain(value)

    def fact(self, name: str, entity_key: str, index: int) -> dict:
        variable = self.system.variables[name]
        given_in = (variable.entity.key, self.case.ids[variable.entity.key][index])
        given = name in self.case.given.get(given_in, ())
        # a derived fact (age, contract end, city of a district) has a value once its inputs are given
        derived = not given and bool(variable.formulas) and not self.knowledge.missing(name, variable.entity.key, index)
        value = self.value(name, variable.entity.key, index) if given or derived else None
        fact = {"variable": name, "label": variable.label, "entity": variable.entity.key,
                "id": self.case.ids[variable.entity.key][index], "given": given, "value": value}
        if derived:
            fact["derived"] = True
        return fact

    def _index_for(self, name: str, entity_key: str, index: int) -> int:
        var_entity = self.system.variables[name].entity.key
        if var_entity == entity_key:
            return index
        return self.case.org_index_of_person(index)

    # -- conditions ------------------------------------------------------------------------------
    def condition(self, node, entity_key: str, index: int) -> dict:
        """A condition (or group) explained for one unit; a condition shared by several measures is
        explained once per unit."""
        key = (node if isinstance(node, str) else node.get("definition"), entity_key, index)
        if key[0] is not None and key in self._conditions:
            return self._conditions[key]
        explained = self._condition(node, entity_key, index)
        if key[0] is not None:
            self._conditions[key] = explained
        return explained

    def _condition(self, node, entity_key: str, index: int) -> dict:
        if isinstance(node, str):
            variable = self.system.variables[node]
            target = self._index_for(node, entity_key, index)
            var_entity = variable.entity.key
            missing = self.knowledge.missing(node, var_entity, target)
            result = None if missing else bool(self.value(node, var_entity, target))
            facts = []
            for fact in self.knowledge.facts_read(node):
                fact_entity = self.system.variables[fact].entity.key
                if fact_entity == var_entity:
                    facts.append(self.fact(fact, var_entity, target))
                elif var_entity == "person":
                    facts.append(self.fact(fact, fact_entity, self.case.org_index_of_person(target)))
                else:
                    for member in self.case.members_of_org(target):
                        facts.append(self.fact(fact, fact_entity, member))
            return {"variable": node, "label": variable.label, "clause": _reference(variable),
                    "result": result, "facts": facts, "doc": variable.documentation,
                    "missing": [self._missing_item(m) for m in missing]}
        kind = node_kind(node)
        children = [self.condition(child, entity_key, index) for child in node[kind]]
        results = [c["result"] for c in children]
        if kind == "all_of":
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        label = node.get("label") or ("以下条件全部满足" if kind == "all_of" else "满足以下条件之一")
        return {"group": kind, "label": label, "clause": node.get("clause"), "result": result,
                "conditions": children}

    def _missing_item(self, item) -> dict:
        entity_key, index, name = item
        return {"entity": entity_key, "id": self.case.ids[entity_key][index], "variable": name,
                "label": self.system.variables[name].label}

    # -- one measure for one unit ------------------------------------------------------------------
    def result(self, measure: Measure, entity_key: str, index: int) -> dict:
        window = validity_condition(measure, self.case.on)
        if window is not None and window["result"] is False:
            # outside its window a measure's rules (and parameters) are not in force: not evaluated
            root = {"group": "all_of", "result": False, "conditions": [window]}
        else:
            root = self.condition({"all_of": list(measure.conditions)}, entity_key, index)
            if window is not None:
                root["conditions"].insert(0, window)
        status = {True: "eligible", False: "ineligible", None: "undetermined"}[root["result"]]
        population = self.case.population(entity_key)
        missing, failed = _collect(root)
        out: dict[str, Any] = {
            "measure": measure.id,
            "clause": measure.clause,
            "title": measure.title,
            "kind": measure.kind,
            "beneficiary": self._beneficiary_id(measure, entity_key, index),
            "status": status,
            "amount_to_date": 0.0 if status == "ineligible" else None,
            "installments": [],
            "conditions": root["conditions"],
            "parameters": [],
            "missing": missing,
            "failed": failed,
            "interpretation": measure.interpretation,
            "amount_note": measure.amount_note,
        }
        if measure.entity == "person" and measure.beneficiary == "organisation":
            out["person"] = self.case.ids["person"][index]
        schedule_missing = []
        if status != "ineligible":
            # facts the payment schedule reads beyond the conditions (dates, costs)
            skip = {f"{measure.variable}__eligible", f"{measure.variable}__kept"}
            schedule_missing = [self._missing_item(m) for m in
                                self.knowledge.missing_via(f"{measure.variable}__total", entity_key, index, skip)]
            out["schedule_missing"] = schedule_missing
        if status != "ineligible" and not schedule_missing:
            inst = self.system.installments_for(population, measure, self.period)
            items = []
            for due, amount, ceiling in zip(inst.due[index], inst.amount[index], inst.ceiling[index]):
                if due < NEVER and (amount > 0 or np.isnan(amount)):
                    items.append({"due": str(due), "amount": None if np.isnan(amount) else round(float(amount), 2),
                                  "ceiling": bool(ceiling)})
            items.sort(key=lambda item: item["due"])
            out["installments"] = items
            if status == "eligible":
                kept = bool(self.case.simulation.calculate(f"{measure.variable}__kept", self.period)[index])
                on = self.case.on.isoformat()
                due_now = [i["amount"] for i in items if i["due"] <= on]
                if not kept:
                    out["amount_to_date"] = 0.0
                elif None in due_now:     # an amount this document does not set
                    out["amount_to_date"] = None
                    out["amount_note"] = measure.amount_note or "符合条件；金额按市级标准执行，本文件未规定"
                else:
                    out["amount_to_date"] = round(sum(due_now), 2)
                if measure.stacking:
                    out["stacking"] = self._stacking(measure, entity_key, index, kept)
                    if not kept:
                        out["installments"] = []
        if status == "eligible" and schedule_missing:
            out["amount_to_date"] = None
            out["amount_note"] = "符合条件；发放计划还需：" + "、".join(m["label"] for m in schedule_missing)
        names = [measure.variable + "__eligible"]
        declared = list(measure.parameters)
        for extra in ((measure.cap or {}).get("parameter"), (measure.stacking or {}).get("cap")):
            if extra and extra not in declared:
                declared.append(extra)
        params = declared + [p for p in self.knowledge.parameters_read(names) if p not in declared]
        out["parameters"] = [describe_parameter(self.system, p, self.case.on) for p in params]
        out["unconfirmed"] = [p["name"] for p in out["parameters"] if p.get("unconfirmed")]
        return out

    def _beneficiary_id(self, measure: Measure, entity_key: str, index: int) -> str:
        if measure.beneficiary == "organisation" and entity_key == "person":
            return self.case.ids["organisation"][self.case.org_index_of_person(index)]
        return self.case.ids[entity_key][index]

    def _stacking(self, measure: Measure, entity_key: str, index: int, kept: bool) -> dict:
        group = measure.stacking["group"]
        policy = measure.stacking.get("policy", "highest")
        others = [m for m in load_catalogue().executable()
                  if m.stacking and m.stacking["group"] == group and m.id != measure.id]
        winner = None
        if not kept:
            best = -1.0
            for other in others:
                total = float(self.case.simulation.calculate(f"{other.variable}__total", self.period)[index])
                if total > best:
                    best, winner = total, other.id
        if policy == "sum_cap":
            reason = f"同组措施{STACKING_POLICIES[policy]}：按目录顺序发放，合计达到上限后不再发放"
        else:
            reason = (f"同组措施{STACKING_POLICIES.get(policy, policy)}：" +
                      ("本项金额最高，予以保留" if kept else f"已按{winner}享受，本项不再发放"))
        return {"group": group, "policy": policy, "kept": kept, "kept_measure": measure.id if kept else winner,
                "reason": reason, "note": measure.stacking.get("note")}

    # -- rows ------------------------------------------------------------------------------------
    def units(self, measure: Measure) -> list[tuple[str, int]]:
        entity_key = measure.entity
        rows = []
        if entity_key == "organisation":
            for index, org_id in enumerate(self.case.ids["organisation"]):
                if org_id in self.case.explicit_orgs:
                    rows.append(("organisation", index))
        elif measure.beneficiary == "organisation":
            for index, _ in enumerate(self.case.ids["person"]):
                org = self.case.ids["organisation"][self.case.org_index_of_person(index)]
                if org in self.case.explicit_orgs and (not measure.role or self.case.role_of(index) == measure.role):
                    rows.append(("person", index))
        else:
            rows = [("person", index) for index in range(len(self.case.ids["person"]))]
        return rows


def validity_condition(measure: Measure, on: dt.date) -> dict | None:
    if not measure.valid_from and not measure.valid_to:
        return None
    ok = (not measure.valid_from or on.isoformat() >= measure.valid_from) and \
         (not measure.valid_to or on.isoformat() <= measure.valid_to)
    label = f"在措施有效期内（{measure.valid_from or '发布之日'}至{measure.valid_to or '无截止'}）"
    return {"variable": None, "label": label, "clause": measure.clause, "result": ok, "facts": [],
            "missing": [], "doc": None}


def _collect(root: dict) -> tuple[list, list]:
    """Missing facts of the conditions still open, and the conditions that failed (a failed any_of
    is named as one group of alternatives)."""
    missing, failed = [], []

    def open_facts(node: dict) -> None:
        if node["result"] is not None:
            return
        if "group" in node:
            for child in node["conditions"]:
                open_facts(child)
        else:
            for item in node.get("missing", []):
                if item not in missing:
                    missing.append(item)

    def failures(node: dict) -> None:
        if node["result"] is not False:
            return
        if "group" in node and node["group"] == "all_of":
            for child in node["conditions"]:
                failures(child)
        else:
            failed.append({"label": node["label"], "clause": node["clause"], "variable": node.get("variable")})

    for child in root["conditions"]:
        open_facts(child)
        failures(child)
    return missing, failed


def _reference(variable) -> str | None:
    reference = variable.reference
    if isinstance(reference, (list, tuple)):
        return reference[0] if reference else None
    return reference


def documents_for(situation: dict, system) -> list[str]:
    """The documents whose jurisdiction (city) matches a place the situation gives (hukou, registration,
    premises, tax, insurance …, of any person or organisation); every document when it gives none."""
    from .compare import district_variables
    from .model.facts.places import CITY_OF_DISTRICT
    catalogue = load_catalogue()
    names = set(district_variables(system))
    cities = set()
    for plural in ("persons", "organisations"):
        for body in (situation.get(plural) or {}).values():
            if isinstance(body, dict):
                for name, value in body.items():
                    if name in names:
                        values = value.values() if isinstance(value, dict) else [value]
                        cities.update(CITY_OF_DISTRICT[v].name for v in values if v in CITY_OF_DISTRICT)
    cities -= {"other", "unknown"}
    if not cities:
        return sorted(catalogue.documents)
    return sorted(key for key, doc in catalogue.documents.items()
                  if (doc.jurisdiction or {}).get("city") in cities or not doc.jurisdiction)


def calculate(situation: dict, on: dt.date, measures: list[str] | None = None) -> dict:
    """Every executable measure (or those named) for every beneficiary of the situation. Without a
    list, the measures of the documents of the cities the situation's places are in (all documents
    when it gives no place)."""
    catalogue = load_catalogue()
    case = build_case(situation, on)
    if measures:
        selected = [catalogue.measure(m) for m in measures]
        documents = sorted({m.document for m in selected})
    else:
        documents = documents_for(situation, case.system)
        selected = [m for m in catalogue.executable() if m.document in documents]
    explainer = Explainer(case)
    results = []
    for measure in selected:
        if not measure.executable:
            continue
        for entity_key, index in explainer.units(measure):
            results.append(explainer.result(measure, entity_key, index))
    return {"on": on.isoformat(), "documents": documents, "results": results}


def near_misses(results: list[dict]) -> list[dict]:
    """Ineligible results, fewest failed conditions first: what would make the case eligible."""
    return sorted((r for r in results if r["status"] == "ineligible"), key=lambda r: len(r["failed"]))
