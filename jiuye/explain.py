"""Results and explanations: for each measure and beneficiary, status, installments and why.

Engine-generic: reads the catalogue, the tax-benefit system and the evaluation; imports no district.

Everything here is read off one three-valued evaluation (`jiuye.assess.Evaluation`): a value is
known wherever the given facts decide it — inside formulas too — and unknown only where some
completion of the missing facts could change it; the missing facts listed are the ones it still
depends on. A condition tree combines its conditions the same way (all_of is false as soon as one
part is false; any_of true as soon as one part is true).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .assess.dependencies import dependencies, facts_read, parameters_read
from .assess.evaluation import Evaluation
from .assess.jurisdiction import documents_for
from .assess.situation import parse_situation
from .catalogue import STACKING_POLICIES, CatalogueError, Measure, load_catalogue, node_kind
from .model.base import amount_due_by
from .model.dates import NEVER
from .model.partial import is_partial
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


def truth(value, row: int):
    """True / False / None (not decided) of a boolean value at a row."""
    if is_partial(value):
        if not value.known[row]:
            return None
        return bool(value.lo[row])
    return bool(value[row])


def number(value, row: int):
    """A number at a row, or None where it is not known."""
    if is_partial(value):
        if not value.known[row]:
            return None
        value = value.lo
    number = float(value[row])
    return None if np.isnan(number) else number


class Explainer:
    """Explanations of the measures of one evaluation (a situation, or a few merged)."""

    def __init__(self, evaluation: Evaluation, ids: dict, owners: dict | None = None, compact: bool = False) -> None:
        """`compact`: the results as `jiuye.answers.compact` gives them, with their items in
        `self.form` (one table per request: `owners`, entity key -> each row's request)."""
        from .answers import CompactForm
        self.form = CompactForm(evaluation.system, ids, owners) if compact else None
        self.ev = evaluation
        self.system = evaluation.system
        self.period = evaluation.period
        self.deps = dependencies(self.system)
        self.ids = ids                    # entity key -> list of ids in row order (implicit orgs included)
        self.explicit_orgs = evaluation.layout.n_orgs
        self._conditions: dict = {}
        self._facts: dict = {}
        self._missing: dict = {}          # reason key -> its missing-fact item (one dict, shared)
        self._values: dict = {}           # variable -> its values for every row (the evaluation's, read once)
        self._described: dict = {}        # measure -> (its parameters described, the unconfirmed ones' names)

    # -- values ----------------------------------------------------------------------------------
    def value(self, name: str):
        value = self._values.get(name)
        if value is None:
            value = self._values[name] = self.ev.value(name, self.period)
        return value

    def fact(self, name: str, entity_key: str, index: int) -> dict:
        key = (name, entity_key, index)
        cached = self._facts.get(key)
        if cached is not None:
            return cached
        variable = self.system.variables[name]
        given = bool(self.ev.given_rows(entity_key, name)[index]) if not variable.formulas or \
            name in (self.ev.population.person_facts if entity_key == "person" else self.ev.population.org_facts) \
            else False
        value = None
        derived = False
        raw = self.value(name)
        known = not is_partial(raw) or bool(raw.known[index])
        if given or (known and variable.formulas):
            plain = raw.lo if is_partial(raw) else raw
            item = plain[index]
            if hasattr(plain, "possible_values") and plain.possible_values is not None:
                item = plain.possible_values.enums[int(item)]
            elif is_partial(raw) and raw.enum is not None:
                item = raw.enum.enums[int(item)]
            value = _plain(item)
            derived = not given
        elif not variable.formulas and known:
            value = None        # a default that means something (optional fact not given)
        fact = {"variable": name, "label": variable.label, "entity": entity_key,
                "id": self.ids[entity_key][index], "given": given, "value": value}
        if derived:
            fact["derived"] = True
        if self.form is not None:
            fact = self.form.fact(fact, entity_key, index)         # its place
        self._facts[key] = fact
        return fact

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
            var_entity, is_fact, read, label, clause, doc = self._leaf(node)
            target = index if var_entity == entity_key else int(self.ev.org_of_person[index])
            value = self.value(node)
            result = truth(value, target)
            facts = [self.fact(node, var_entity, target)] if is_fact else []   # a fact as a leaf
            for fact, fact_entity in read:
                if fact_entity == var_entity:
                    facts.append(self.fact(fact, var_entity, target))
                elif var_entity == "person":
                    facts.append(self.fact(fact, fact_entity, int(self.ev.org_of_person[target])))
                else:
                    for member in np.flatnonzero(self.ev.org_of_person == target):
                        facts.append(self.fact(fact, fact_entity, int(member)))
            reasons = self.ev.reasons_of(value, target) if result is None else ()
            if self.form is not None:           # their places
                missing = [self.form.missing(self._missing_item(k), k[0], k[1]) for k in reasons]
                return self.form.leaf(node, label, clause, result, facts, doc, missing)
            missing = [self._missing_item(k) for k in reasons]
            return {"variable": node, "label": label, "clause": clause,
                    "result": result, "facts": facts, "doc": doc, "missing": missing}
        kind = node_kind(node)
        if kind == "not":
            inner = self.condition(node["not"], entity_key, index)
            result = None if inner["result"] is None else not inner["result"]
            if "group" in inner:
                return {"group": "not", "label": node["label"], "clause": node.get("clause"), "result": result,
                        "conditions": [inner]}
            if self.form is not None:
                return self.form.negated(inner, node["label"], node.get("clause") or inner["clause"], result)
            return {**inner, "label": node["label"], "clause": node.get("clause") or inner["clause"],
                    "result": result, "negated": True}
        children = [self.condition(child, entity_key, index) for child in node[kind]]
        results = [c["result"] for c in children]
        if kind == "all_of":
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        label = node.get("label") or ("以下条件全部满足" if kind == "all_of" else "满足以下条件之一")
        return {"group": kind, "label": label, "clause": node.get("clause"), "result": result,
                "conditions": children}

    def _leaf(self, name: str) -> tuple:
        """What explaining a condition (or fact) needs of the model, once per system: (its
        entity, whether it is a fact, the facts it reads with their entities, label, clause, doc)."""
        leaf = self.deps.leaf_cache.get(name)
        if leaf is None:
            variables = self.system.variables
            variable = variables[name]
            read = tuple((f, variables[f].entity.key) for f in facts_read(self.deps, self.system, name))
            leaf = self.deps.leaf_cache[name] = (variable.entity.key, not variable.formulas, read, variable.label,
                                                 _reference(variable), variable.documentation)
        return leaf

    def _missing_item(self, key) -> dict:
        item = self._missing.get(key)
        if item is None:
            entity_key, index, name = key
            item = self._missing[key] = {"entity": entity_key, "id": self.ids[entity_key][index], "variable": name,
                                         "label": self.system.variables[name].label}
        return item

    def _missing_items(self, value, row: int) -> list[dict]:
        out = []
        for key in self.ev.reasons_of(value, row):
            item = self._missing_item(key)
            if item not in out:
                out.append(item)
        return out

    # -- one measure for one unit ------------------------------------------------------------------
    def result(self, measure: Measure, entity_key: str, index: int) -> dict:
        if measure.valid_from and self.ev.on.isoformat() < measure.valid_from:
            # before the document takes effect its rules (and parameters) are not in force: not evaluated
            node = not_yet_in_force(measure)
            node = node if self.form is None else self.form.static(node)
            root = {"group": "all_of", "result": False, "conditions": [node]}
        else:
            tree = list(measure.conditions)
            window = f"{measure.variable}__in_force"
            if window in self.system.variables:
                tree = [window] + tree
            root = self.condition({"all_of": tree}, entity_key, index)
        if root["result"] is False and measure.valid_from and self.ev.on.isoformat() < measure.valid_from:
            status = "ineligible"
        else:
            eligible = self.value(f"{measure.variable}__eligible")
            status = {True: "eligible", False: "ineligible", None: "undetermined"}[truth(eligible, index)]
        missing, failed = _collect(root, None if self.form is None else self.form.label)
        if status != "undetermined":
            missing = []            # what the given facts decide is decided, and is not asked
        out: dict[str, Any] = {
            "measure": measure.id,
            "clause": measure.clause,
            "title": measure.title,
            "kind": measure.kind,
            "beneficiary": self._beneficiary_id(measure, entity_key, index),
            "status": status,
            "amount_to_date": 0.0 if status == "ineligible" else None,
            "installments": [],
            "conditions": [_cited(node, measure.clause) for node in root["conditions"]],
            "parameters": [],
            "missing": missing,
            "failed": failed,
            "interpretation": measure.interpretation,
            "amount_note": measure.amount_note,
        }
        if measure.moment:
            out["moment"] = measure.moment.get("label")
        if measure.entity == "person" and measure.beneficiary == "organisation":
            out["person"] = self.ids["person"][index]
        if status != "ineligible":
            self._schedule(measure, entity_key, index, status, out)
        described = self._described.get(measure.id)
        if described is None:           # the same for every unit of the measure
            parameters = [describe_parameter(self.system, p, self.ev.on) for p in self._parameters(measure)]
            described = self._described[measure.id] = (parameters, [p["name"] for p in parameters if p.get("unconfirmed")])
        out["parameters"], out["unconfirmed"] = list(described[0]), list(described[1])
        return out if self.form is None else self.form.result(out, measure.id, entity_key, index)

    def _parameters(self, measure: Measure) -> list[str]:
        declared = list(measure.parameters)
        for extra in ((measure.cap or {}).get("parameter"), (measure.stacking or {}).get("cap")):
            if extra and extra not in declared:
                declared.append(extra)
        return declared + [p for p in parameters_read(self.deps, (measure.variable + "__eligible",)) if p not in declared]

    def _schedule(self, measure: Measure, entity_key: str, index: int, status: str, out: dict) -> None:
        """The payment schedule (where the facts decide it), the amount due to the assessment date,
        stacking; the facts the schedule still needs."""
        view = self.ev.view(entity_key)
        inst = self.system.installments_for(view, measure, self.period)
        due, amount, ceiling = inst.due, inst.amount, inst.ceiling
        schedule_missing = []
        row_known = all(not is_partial(a) or not a.open_rows()[index] for a in (due, amount, ceiling))
        if not row_known:
            for part in (due, amount, ceiling):
                for item in self._missing_items(part, index):
                    if item not in schedule_missing:
                        schedule_missing.append(item)
        out["schedule_missing"] = schedule_missing
        # the installments whose date and amount are known (all of them where the row is known)
        d, a, c = (p.lo[index] if is_partial(p) else p[index] for p in (due, amount, ceiling))
        slot_known = np.ones(len(d), bool)
        for part in (due, amount, ceiling):
            if is_partial(part):
                slot_known &= part.known[index]
        items = []
        for day, value, cap, known in zip(d, a, c, slot_known):
            if known and day < NEVER and (value > 0 or np.isnan(value)):
                items.append({"due": str(day), "amount": None if np.isnan(value) else round(float(value), 2),
                              "ceiling": bool(cap)})
        items.sort(key=lambda item: item["due"])
        out["installments"] = items
        if not row_known:
            out["installments_pending"] = int((~slot_known).sum())
        if status != "eligible":
            return
        kept_value = self.value(f"{measure.variable}__kept")
        kept = truth(kept_value, index)
        if kept is None:
            out["amount_to_date"] = None
            out["amount_note"] = "符合条件；同组措施的金额尚未确定，能否同时享受待定"
            out["schedule_missing"] = schedule_missing + [m for m in self._missing_items(kept_value, index)
                                                          if m not in schedule_missing]
        elif not row_known:
            to_date = amount_due_by(due, amount, self.ev.day)
            value = number(to_date, index)
            if value is not None and kept:
                out["amount_to_date"] = round(value, 2)
                out["amount_note"] = "符合条件；截至评估日的金额已确定，之后的发放计划还需：" + \
                    "、".join(m["label"] for m in schedule_missing)
            else:
                out["amount_to_date"] = None if kept else 0.0
                out["amount_note"] = "符合条件；发放计划还需：" + "、".join(m["label"] for m in schedule_missing)
        else:
            on = self.ev.on.isoformat()
            due_now = [i["amount"] for i in out["installments"] if i["due"] <= on]
            if not kept:
                out["amount_to_date"] = 0.0
            elif None in due_now:     # an amount this document does not set
                out["amount_to_date"] = None
                out["amount_note"] = measure.amount_note or "符合条件；金额按市级标准执行，本文件未规定"
            else:
                out["amount_to_date"] = round(sum(due_now), 2)
        if measure.stacking and kept is not None:
            out["stacking"] = self._stacking(measure, index, kept)
            if not kept:
                out["installments"] = []

    def _beneficiary_id(self, measure: Measure, entity_key: str, index: int) -> str:
        if measure.beneficiary == "organisation" and entity_key == "person":
            return self.ids["organisation"][int(self.ev.org_of_person[index])]
        return self.ids[entity_key][index]

    def _stacking(self, measure: Measure, index: int, kept: bool) -> dict:
        group = measure.stacking["group"]
        policy = measure.stacking.get("policy", "highest")
        others = [m for m in self.system.catalogue.executable()
                  if m.stacking and m.stacking["group"] == group and m.id != measure.id]
        winner = None
        if not kept:
            best = -1.0
            for other in others:
                total = number(self.value(f"{other.variable}__total"), index)
                if total is not None and total > best:
                    best, winner = total, other.id
        if policy == "sum_cap":
            reason = f"同组措施{STACKING_POLICIES[policy]}：按目录顺序发放，合计达到上限后不再发放"
        else:
            chosen = self.system.catalogue.measure(winner) if winner else None
            named = f"{chosen.title}（{chosen.clause}）" if chosen else "同组其他措施"
            reason = (f"同组措施{STACKING_POLICIES.get(policy, policy)}：" +
                      ("本项金额最高，予以保留" if kept else f"已按{named}享受，本项不再发放"))
        return {"group": group, "policy": policy, "kept": kept, "kept_measure": measure.id if kept else winner,
                "reason": reason, "note": measure.stacking.get("note")}

    # -- rows ------------------------------------------------------------------------------------
    def units(self, measure: Measure) -> list[tuple[str, int]]:
        """The rows a measure is assessed for: explicit organisations; for a per-employee measure of
        an organisation, its members in the role; persons for a person's measure."""
        ev = self.ev
        if measure.entity == "organisation":
            return [("organisation", i) for i in range(self.explicit_orgs)]
        if measure.beneficiary == "organisation":
            rows = []
            role_mask = ev.role_mask(measure.role) if measure.role else None
            for i in range(ev.n_persons):
                if ev.org_of_person[i] < self.explicit_orgs and (role_mask is None or role_mask[i]):
                    rows.append(("person", i))
            return rows
        return [("person", i) for i in range(ev.n_persons)]


def _cited(node: dict, clause: str) -> dict:
    """A condition node with the measure's clause where it cites none (a shared fact as a leaf)."""
    if "group" in node:
        children = [_cited(c, clause) for c in node["conditions"]]
        if all(a is b for a, b in zip(children, node["conditions"])):
            return node
        return {**node, "conditions": children}
    return node if node.get("clause") else {**node, "clause": clause}


def not_yet_in_force(measure: Measure) -> dict:
    return {"variable": None, "label": f"评估日期在措施施行之后（自{measure.valid_from}起施行）",
            "clause": measure.clause, "result": False, "facts": [], "missing": [], "doc": None}


def _collect(root: dict, label_of=None) -> tuple[list, list]:
    """Missing facts of the conditions still open, and the conditions that failed (a failed any_of
    is named as one group of alternatives). `label_of(node)`: a compact condition's label. (Module
    functions, not closures: a recursive closure is a reference cycle, left for the collector.)"""
    missing, failed = [], []
    for child in root["conditions"]:
        _open_facts(child, missing)
        _failures(child, failed, label_of)
    return missing, failed


def _open_facts(node: dict, missing: list) -> None:
    if node["result"] is not None:
        return
    if "group" in node:
        for child in node["conditions"]:
            _open_facts(child, missing)
    else:
        for item in node.get("missing", []):
            if item not in missing:
                missing.append(item)


def _failures(node: dict, failed: list, label_of) -> None:
    if node["result"] is not False:
        return
    if "group" in node and node["group"] == "all_of":
        for child in node["conditions"]:
            _failures(child, failed, label_of)
    else:
        failed.append({"label": node["label"] if label_of is None else label_of(node), "clause": node["clause"],
                       "variable": node.get("variable")})


def _reference(variable) -> str | None:
    reference = variable.reference
    if isinstance(reference, (list, tuple)):
        return reference[0] if reference else None
    return reference


def entity_ids(evaluation: Evaluation) -> dict:
    """Ids of the evaluation's rows: persons, explicit organisations, then one implicit organisation
    per person in none (named after the person)."""
    pop = evaluation.population
    persons = [str(i) for i in pop.person_ids]
    orgs = [str(i) for i in pop.org_ids]
    lonely = np.flatnonzero(np.asarray(pop.org_of_person) < 0)
    orgs += [f"__own__{persons[i]}" for i in lonely]
    return {"person": persons, "organisation": orgs}


def _prepare(situation: dict, on: dt.date | None, measures: list[str] | None, system, limits):
    """A request checked and resolved: (situation without "on", date, documents, measures,
    population). Raises InputError naming the field."""
    from .assess.situation import InputError, parse_date
    if isinstance(situation, dict) and "on" in situation:
        stated = parse_date(situation["on"], "on")
        on = on or stated
        situation = {k: v for k, v in situation.items() if k != "on"}
    if on is None:
        raise InputError("on", "需要评估日期（on）")
    catalogue = load_catalogue()
    population = parse_situation(situation, system, limits=limits, on=on)
    if measures:
        selected = [catalogue.measure(m) for m in measures]
        documents = sorted({m.document for m in selected})
    else:
        documents = documents_for(situation, system)
        selected = [m for m in catalogue.executable() if m.document in documents]
    return situation, on, documents, [m for m in selected if m.executable], population


def _explain_all(population, on, system, budget, selected, unmark=None, compact: bool = False) -> tuple:
    """The results of every measure for every unit, and (`compact`) the CompactForm holding their
    items (else None). `unmark`: a merged batch's ids (BATCH_MARK) -> (ids without their marks,
    each id's request): then (request, result) pairs, the results naming the requests' own ids."""
    evaluation = Evaluation(population, on, system, budget=budget)
    ids = entity_ids(evaluation)
    owners = None
    if unmark is not None:
        ids, owners = unmark(ids)
    explainer = Explainer(evaluation, ids, owners, compact)
    results = []
    with np.errstate(all="ignore"):
        for measure in selected:
            if budget is not None:            # between measures too: explaining costs as much as computing
                budget.check()
            for entity_key, index in explainer.units(measure):
                result = explainer.result(measure, entity_key, index)
                results.append(result if owners is None else (owners[entity_key][index], result))
    evaluation.release()
    return results, explainer.form


def _answer(on: dt.date, documents: list, results: list, form, owner=None) -> dict:
    answer = {"on": on.isoformat(), "documents": documents, "results": results}
    if form is not None:               # the keys `jiuye.answers.compact` gives
        answer["items"], answer["compact"] = form.items(owner), True
    return answer


def calculate(situation: dict, on: dt.date | None, measures: list[str] | None = None, *, system=None,
              limits: dict | None = None, budget=None, compact: bool = False) -> dict:
    """Every executable measure (or those named) for every beneficiary of the situation. Without a
    list, the measures of the documents of the cities the situation's places are in (all documents
    when it gives no place). `on`: the assessment date (None: the situation's own "on"). `compact`:
    the answer `jiuye.answers.compact` makes of it, made directly (the API's default answer)."""
    from .model.system import get_system
    system = system or get_system()
    situation, on, documents, selected, population = _prepare(situation, on, measures, system, limits)
    return _answer(on, documents, *_explain_all(population, on, system, budget, selected, compact=compact))


BATCH_MARK = "\x1f"          # ids of a merged request: "\x1f<k>\x1f<id>" (no situation's id contains it)


def calculate_many(requests: list[tuple], *, system=None, limits: dict | None = None, budget=None,
                   compact: bool = False) -> list:
    """Several requests `(situation, on, measures)` evaluated together: those with the same date
    and measures as one vectorised evaluation of their merged situations (every row is its own
    case: nothing is shared between requests but the computation). Each answer equals
    `calculate(situation, on, measures, compact=compact)`'s exactly; a request with bad input gets
    its InputError in its place, without affecting the others."""
    from .assess.situation import InputError
    from .model.system import get_system
    system = system or get_system()
    out: list = [None] * len(requests)
    groups: dict = {}
    for k, (situation, on, measures) in enumerate(requests):
        try:
            situation, on, documents, selected, population = _prepare(situation, on, measures, system, limits)
        except (InputError, CatalogueError) as error:
            out[k] = error
            continue
        ids = [str(i) for group in ("persons", "organisations") for i in (situation.get(group) or {})]
        if any(BATCH_MARK in i for i in ids):          # cannot be merged: evaluated alone
            out[k] = _answer(on, documents, *_explain_all(population, on, system, budget, selected, compact=compact))
            continue
        key = (on, tuple(m.id for m in selected))
        groups.setdefault(key, []).append((k, situation, documents, selected, population))
    for (on, _), members in groups.items():
        if len(members) == 1:
            k, situation, documents, selected, population = members[0]
            out[k] = _answer(on, documents, *_explain_all(population, on, system, budget, selected, compact=compact))
            continue
        merged: dict = {}
        for k, situation, *_ in members:
            mark = f"{BATCH_MARK}{k}{BATCH_MARK}"
            for key, value in situation.items():
                if key in ("persons", "organisations"):
                    target = merged.setdefault(key, {})
                    for ident, body in (value or {}).items():
                        target[mark + str(ident)] = _marked_body(body, mark) if key == "organisations" else body
                else:
                    merged[key] = value
        big = dict(limits or {})
        from .assess.situation import DEFAULT_LIMITS
        for name in ("persons", "organisations"):
            big[name] = (big.get(name) or DEFAULT_LIMITS[name]) * len(members)
        big["id_length"] = (big.get("id_length") or DEFAULT_LIMITS["id_length"]) + 24
        selected = members[0][3]
        population = parse_situation(merged, system, limits=big, on=on)
        results, form = _explain_all(population, on, system, budget, selected, unmark=_unmarked_ids, compact=compact)
        by_request: dict = {k: [] for k, *_ in members}
        for k, result in results:
            by_request[k].append(result)
        for k, _, documents, *_ in members:
            out[k] = _answer(on, documents, by_request[k], form, k)
    return out


def _marked_body(body: dict, mark: str) -> dict:
    """An organisation's members (role lists) under their merged ids."""
    out = {}
    for key, value in body.items():
        out[key] = [mark + str(v) for v in value] if isinstance(value, list) else value
    return out


def _unmarked_ids(ids: dict) -> tuple[dict, dict]:
    """A merged batch's row ids ("\x1f<k>\x1f<id>", and "__own__" + that for a person in no
    organisation) as (the requests' own ids, the request of each row)."""
    plain: dict = {}
    owners: dict = {}
    for entity_key, names in ids.items():
        plain[entity_key], owners[entity_key] = [], []
        for name in names:
            own = name.startswith("__own__" + BATCH_MARK)
            _, k, rest = (name[len("__own__"):] if own else name).split(BATCH_MARK, 2)
            plain[entity_key].append("__own__" + rest if own else rest)
            owners[entity_key].append(int(k))
    return plain, owners


def near_misses(results: list[dict]) -> list[dict]:
    """Ineligible results, fewest failed conditions first: what would make the case eligible."""
    return sorted((r for r in results if r["status"] == "ineligible"), key=lambda r: len(r["failed"]))
