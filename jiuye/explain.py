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

from .assess.evaluation import Evaluation
from .assess.jurisdiction import documents_for
from .assess.situation import parse_situation
from .catalogue import STACKING_POLICIES, CatalogueError, Measure, load_catalogue
from .model.partial import is_partial
from .explain_schedule import RowSchedules
from .explain_templates import NONE, Group, Leaf, merged, templates_of, unique

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
    """Explanations of the measures of one evaluation (a situation, or a few merged).

    Each condition is explained once per unit (a leaf once per row of its own entity, a named
    definition once per unit), as an entry (its dict, the missing facts of its open conditions, its
    failed conditions as (label, clause, variable), whether some leaf in it cites no clause): a
    result reads its missing facts and failures off its parts' entries, without walking the tree."""

    def __init__(self, evaluation: Evaluation, ids: dict, owners: dict | None = None, compact: bool = False) -> None:
        """`compact`: the results as `jiuye.answers.compact` gives them, with their items in
        `self.form` (one table per request: `owners`, entity key -> each row's request)."""
        from .answers import CompactForm
        self.form = CompactForm(evaluation.system, ids, owners) if compact else None
        self.ev = evaluation
        self.system = evaluation.system
        self.period = evaluation.period
        self.templates = templates_of(self.system)
        self.ids = ids                    # entity key -> list of ids in row order (implicit orgs included)
        self.explicit_orgs = evaluation.layout.n_orgs
        self.on = evaluation.on.isoformat()
        self._org_of_person = evaluation.org_of_person
        self._leaves: dict = {}           # (variable, its entity, row) -> a leaf's entry
        self._groups: dict = {}           # (definition, entity key, row) -> a named group's entry
        self._members: dict = {}          # organisation row -> its members' rows
        self._facts: dict = {}
        self._columns: dict = {}          # (variable, entity key) -> what its facts read (`_column`)
        self._missing: dict = {}          # reason key -> its missing-fact item (one dict, shared)
        self._places: dict = {}           # reason key -> its item's place (compact)
        self._values: dict = {}           # variable -> its values for every row (the evaluation's, read once)
        self._schedules: dict = {}        # (measure, entity key) -> its schedules for every row (RowSchedules)

    # -- values ----------------------------------------------------------------------------------
    def value(self, name: str):
        value = self._values.get(name)
        if value is None:
            value = self._values[name] = self.ev.value(name, self.period)
        return value

    def fact(self, name: str, entity_key: str, index: int):
        key = (name, entity_key, index)
        cached = self._facts.get(key)
        if cached is not None:
            return cached
        column = self._columns.get((name, entity_key))
        if column is None:
            column = self._columns[(name, entity_key)] = self._column(name, entity_key)
        label, formulas, given_rows, known_rows, plain, enums = column
        given = False if given_rows is None else bool(given_rows[index])
        value, derived = None, False
        known = known_rows is None or bool(known_rows[index])
        if given or (known and formulas):
            item = plain[index]
            value = _plain(item if enums is None else enums[int(item)])
            derived = not given
        # else None: unknown, or (a fact not given, known) a default that means something
        if self.form is None:
            fact = {"variable": name, "label": label, "entity": entity_key,
                    "id": self.ids[entity_key][index], "given": given, "value": value}
        else:                   # compact: without the label (the variable's), in its place
            fact = {"variable": name, "entity": entity_key, "id": self.ids[entity_key][index],
                    "given": given, "value": value}
        if derived:
            fact["derived"] = True
        fact = self._facts[key] = fact if self.form is None else self.form.place(fact, entity_key, index)
        return fact

    def _column(self, name: str, entity_key: str) -> tuple:
        """What the facts of a variable read, for every row: (label, whether it has formulas, the rows
        the situation gives it (None: a derived value, never given), the rows where it is known
        (None: all), its values, its Enum's members (None: not an Enum))."""
        variable = self.system.variables[name]
        population = self.ev.population
        table = population.person_facts if entity_key == "person" else population.org_facts
        given = self.ev.given_rows(entity_key, name) if not variable.formulas or name in table else None
        raw = self.value(name)
        partial = is_partial(raw)
        plain = raw.lo if partial else raw
        if hasattr(plain, "possible_values") and plain.possible_values is not None:
            enums = plain.possible_values.enums
        else:
            enums = raw.enum.enums if partial and raw.enum is not None else None
        return (variable.label, bool(variable.formulas), given, raw.known if partial else None, plain, enums)

    # -- conditions ------------------------------------------------------------------------------
    def _entry(self, plan, entity_key: str, index: int) -> tuple:
        if type(plan) is Leaf:
            target = index if plan.entity == entity_key else int(self._org_of_person[index])
            key = (plan.name, plan.entity, target)
            entry = self._leaves.get(key)
            if entry is None:
                entry = self._leaves[key] = self._leaf(plan, target)
            return entry
        if plan.definition is None:
            return self._group(plan, entity_key, index)
        key = (plan.definition, entity_key, index)
        entry = self._groups.get(key)
        if entry is None:       # a condition shared by several measures is explained once per unit
            entry = self._groups[key] = self._group(plan, entity_key, index)
        return entry

    def _leaf(self, plan: Leaf, target: int) -> tuple:
        name, entity = plan.name, plan.entity
        value = self._values.get(name)
        if value is None:
            value = self._values[name] = self.ev.view(entity)(name, self.period)
        result = truth(value, target)
        known, fact = self._facts, self.fact
        facts = [fact(name, entity, target)] if plan.is_fact else []     # a fact as a leaf
        for read, read_entity, reach in plan.read:
            if reach == 2:          # an organisation's condition reading its members' facts
                for member in self._members_of(target):
                    facts.append(fact(read, read_entity, member))
                continue
            row = target if reach == 0 else int(self._org_of_person[target])
            item = known.get((read, read_entity, row))
            facts.append(fact(read, read_entity, row) if item is None else item)
        if result is None:
            reasons = self.ev.reasons_of(value, target)
            missing = [self._missing_item(k) for k in reasons] if self.form is None else \
                [self._place(k) for k in reasons]
        else:
            missing = []
        clause = plan.clause
        if self.form is None:
            node = {"variable": name, "label": plan.label, "clause": clause, "result": result, "facts": facts,
                    "doc": plan.doc, "missing": missing}
        else:
            node = self._compact_leaf(plan, plan.label, clause, result, facts, missing)
        return (node, unique(missing) if result is None else NONE,
                ((plan.label, clause, name),) if result is False else NONE, not clause)

    def _compact_leaf(self, plan: Leaf, label, clause, result, facts, missing, negated: bool = False) -> dict:
        """A condition as `jiuye.answers.compact` leaves it: its label and doc only where not the
        variable's."""
        if not (plan.keep_label or plan.keep_doc or negated):
            return {"variable": plan.name, "clause": clause, "result": result, "facts": facts, "missing": missing}
        out = {"variable": plan.name}
        if plan.keep_label if label is plan.label else not label == self.form.variables[plan.name][0]:
            out["label"] = label
        out["clause"], out["result"], out["facts"] = clause, result, facts
        if plan.keep_doc:
            out["doc"] = plan.doc
        out["missing"] = missing
        if negated:
            out["negated"] = True
        return out

    def _group(self, plan: Group, entity_key: str, index: int) -> tuple:
        kind = plan.kind
        if kind == "not":
            inner_entry = self._entry(plan.parts[0], entity_key, index)
            inner = inner_entry[0]
            result = None if inner["result"] is None else not inner["result"]
            open_ = inner_entry[1] if result is None else NONE
            if "group" in inner:
                node = {"group": "not", "label": plan.label, "clause": plan.clause, "result": result,
                        "conditions": [inner]}
                return node, open_, ((plan.label, plan.clause, None),) if result is False else NONE, inner_entry[3]
            clause = plan.clause or inner["clause"]
            if self.form is not None:
                leaf = plan.parts[0]
                while type(leaf) is not Leaf:      # a negated negation
                    leaf = leaf.parts[0]
                node = self._compact_leaf(leaf, plan.label, clause, result, inner["facts"], inner["missing"], True)
            else:
                node = {**inner, "label": plan.label, "clause": clause, "result": result, "negated": True}
            return node, open_, ((plan.label, clause, inner["variable"]),) if result is False else NONE, not clause
        entries = [self._entry(part, entity_key, index) for part in plan.parts]
        children = [entry[0] for entry in entries]
        results = [child["result"] for child in children]
        if kind == "all_of":
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        node = {"group": kind, "label": plan.label, "clause": plan.clause, "result": result, "conditions": children}
        open_ = merged(entry[1] for entry in entries) if result is None else NONE
        if result is not False:
            failed = NONE
        elif kind == "all_of":
            failed = tuple(item for entry in entries for item in entry[2])
        else:
            failed = ((plan.label, plan.clause, None),)
        return node, open_, failed, any(entry[3] for entry in entries)

    def _members_of(self, org: int) -> list:
        members = self._members.get(org)
        if members is None:
            members = self._members[org] = np.flatnonzero(self._org_of_person == org).tolist()
        return members

    def _missing_item(self, key) -> dict:
        item = self._missing.get(key)
        if item is None:
            entity_key, index, name = key
            item = self._missing[key] = {"entity": entity_key, "id": self.ids[entity_key][index], "variable": name,
                                         "label": self.system.variables[name].label}
        return item

    def _place(self, key) -> int:
        place = self._places.get(key)
        if place is None:
            item = self._missing_item(key)     # compact: without its label (the variable's)
            short = {"entity": item["entity"], "id": item["id"], "variable": item["variable"]}
            place = self._places[key] = self.form.missing(item, key[0], key[1], short)
        return place

    def _missing_items(self, value, row: int) -> list[dict]:
        out = []
        for key in self.ev.reasons_of(value, row):
            item = self._missing_item(key)
            if item not in out:
                out.append(item)
        return out

    # -- one measure for one unit ------------------------------------------------------------------
    def result(self, measure: Measure, entity_key: str, index: int) -> dict:
        template = self.templates.measure(measure)
        if measure.valid_from and self.on < measure.valid_from:
            # before the document takes effect its rules (and parameters) are not in force: not evaluated
            node = not_yet_in_force(measure)
            failed = [{"label": node["label"], "clause": node["clause"], "variable": None}]
            conditions, missing = [node if self.form is None else self.form.static(node)], []
            status = "ineligible"
        else:
            entries = [self._entry(part, entity_key, index) for part in template.tree]
            clause = measure.clause
            conditions = [_cited(entry[0], clause) if entry[3] else entry[0] for entry in entries]
            eligible = self.value(f"{measure.variable}__eligible")
            status = {True: "eligible", False: "ineligible", None: "undetermined"}[truth(eligible, index)]
            # what the given facts decide is decided, and is not asked
            missing = list(merged(entry[1] for entry in entries)) if status == "undetermined" else []
            failed = [{"label": label, "clause": cited, "variable": variable}
                      for entry in entries for label, cited, variable in entry[2]]
        out: dict[str, Any] = {
            "measure": measure.id,
            "clause": measure.clause,
            "title": measure.title,
            "kind": measure.kind,
            "beneficiary": self._beneficiary_id(measure, entity_key, index),
            "status": status,
            "amount_to_date": 0.0 if status == "ineligible" else None,
            "installments": [],
            "conditions": conditions,
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
        described = template.described_on(self.system, self.ev.on)     # the same for every unit
        out["parameters"], out["unconfirmed"] = list(described[0]), list(described[1])
        return out if self.form is None else self.form.result(out, measure.id, entity_key, index)

    def _schedule(self, measure: Measure, entity_key: str, index: int, status: str, out: dict) -> None:
        """The payment schedule (where the facts decide it), the amount due to the assessment date,
        stacking; the facts the schedule still needs."""
        table = self._schedules.get((measure.id, entity_key))
        if table is None:
            inst = self.system.installments_for(self.ev.view(entity_key), measure, self.period)
            table = self._schedules[(measure.id, entity_key)] = RowSchedules(inst)
        pending = table.pending(index)            # slots not known (0: every slot of every part known)
        schedule_missing = []
        if pending:
            for part in table.parts:
                for item in self._missing_items(part, index):
                    if item not in schedule_missing:
                        schedule_missing.append(item)
        out["schedule_missing"] = schedule_missing
        # the installments whose date and amount are known (all of them where the row is known)
        out["installments"] = table.installments(index)
        if pending:
            out["installments_pending"] = pending
        if status != "eligible":
            return
        kept_value = self.value(f"{measure.variable}__kept")
        kept = truth(kept_value, index)
        if kept is None:
            out["amount_to_date"] = None
            out["amount_note"] = "符合条件；同组措施的金额尚未确定，能否同时享受待定"
            out["schedule_missing"] = schedule_missing + [m for m in self._missing_items(kept_value, index)
                                                          if m not in schedule_missing]
        elif pending:
            value = number(table.due_by(self.ev.day), index)
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
