"""The questionnaire: which fact to ask next and who gets what (where the situation starts, who
applies and the answers written into it: jiuye/web/answer_sheet.py).

Engine-generic (reads the catalogue, the system and one three-valued evaluation; imports no district).

* **Ask what decides.** Every result whose status (or payment schedule) is still open lists the facts
  it depends on (the evaluator is sound: a fact is listed only where some value of it changes the
  result). Each candidate fact is scored by the money it can settle for *this applicant*: the width
  of the bounds of the measure's total (`<variable>__total`) over the open results that need it,
  the applicant's own measures first (a person's own; an organisation's own, then its per-employee
  measures), the employer's measures of a person after. Nothing is asked when nothing can change.
* **Who applies.** A situation started here names the applicant 本人 / 本单位; one pasted or loaded
  from an example may name them otherwise (``applicant``): results, questions and answers follow the
  ids the situation has, and the organisation is shown by the name it was given.
* **Counts.** A measure that counts persons (e.g. 吸纳人数) reads a count variable computed over the
  organisation's members; an organisation can state the count instead (a stated input overrides the
  formula). The questionnaire asks for the count rather than for members; a by-count claim open for
  its count alone weighs as an amount unbounded above (``_count_money``).
* **Answers.** A typed value wins over “不知道”; “不适用” means the fact does not apply: false, no such
  date (9999-12-31), zero, or a choice meaning none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict

import numpy as np

from ..catalogue import load_catalogue
from ..model.system import get_system
from .answer_sheet import NONE_CHOICES, applicant, given_answers, key_of, report_applicant

UNKNOWN_AMOUNT = 1000.0        # weight of an amount this document does not set (set elsewhere, or unbounded)
MAX_POTENTIAL = 2_000_000.0   # wider bounds come from a fact's declared maximum, not from the clause
COUNT_WEIGHT = 50000.0         # weight of a count question whose measure has other conditions still open
PAGE_SHARE = 0.8             # a page asks only questions worth at least this share of its first


# -- one assessment, with the money each open result can still settle -----------------------------
def assess(situation: dict, on: dt.date, measures: list[str], *, limits: dict | None = None, budget=None) -> dict:
    """``jiuye.explain.calculate``'s report for the measures, each result with ``potential``: how much
    of its total the missing facts can still move (upper minus lower bound, or a weight where the
    amount is not bounded), read off the same evaluation. ``limits``, ``budget``: as
    ``jiuye.explain.calculate`` (the pages pass the API's: the questionnaire is as public)."""
    from ..assess.evaluation import Evaluation
    from ..assess.situation import parse_situation
    from ..explain import Explainer, entity_ids
    system = get_system()
    catalogue = load_catalogue()
    evaluation = Evaluation(parse_situation(situation, system, limits=limits, on=on), on, system, budget=budget)
    explainer = Explainer(evaluation, entity_ids(evaluation))
    results = []
    with np.errstate(all="ignore"):
        for measure in (catalogue.measure(m) for m in measures):
            if not measure.executable:
                continue
            if budget is not None:            # between measures too: explaining costs as much as computing
                budget.check()
            for entity_key, index in explainer.units(measure):
                out = explainer.result(measure, entity_key, index)
                out["potential"] = _potential(explainer.value(f"{measure.variable}__total"), index, out)
                results.append(out)
    return {"on": on.isoformat(), "documents": sorted({catalogue.measure(m).document for m in measures}),
            "results": results}


def _potential(total, row: int, result: dict) -> float:
    if result["status"] == "ineligible":
        return 0.0
    lo, hi = (float(np.asarray(getattr(total, side, total))[row]) for side in ("lo", "hi"))
    if result["status"] == "eligible" and not result.get("schedule_missing"):
        return 0.0
    if math.isfinite(lo) and math.isfinite(hi) and hi > lo:
        return hi - lo
    return UNKNOWN_AMOUNT


# -- whose result is it ----------------------------------------------------------------------------
def audience(result: dict, kind: str, who: dict | None = None) -> str | None:
    """``own`` (the applicant's: a person's own; an organisation's own measures), ``staff`` (an
    organisation's per-employee measures), ``employer`` (a person's employer's: its own, and its
    per-employee ones for this person), None (not shown: an organisation's contact person, anyone
    else in a pasted situation). ``who``: the applicant (``applicant``), by default 本人 / 本单位."""
    who = who or report_applicant({}, kind)
    beneficiary = result["beneficiary"]
    to_org = load_catalogue().measure(result["measure"]).beneficiary == "organisation"
    if kind == "person":
        if not to_org:
            return "own" if beneficiary == who["person"] else None
        return ("employer" if beneficiary == who["organisation"] and result.get("person") in (None, who["person"])
                else None)
    if not to_org or beneficiary != who["organisation"]:
        return None
    return "staff" if result.get("person") else "own"


TIER = {"own": 0, "staff": 1, "employer": 2}


def groups(report: dict, kind: str) -> list[dict]:
    """The results as the pages show them: the applicant's own measures first, then (a person) what
    the employer can apply for, or (an organisation) per-employee measures grouped by employee."""
    catalogue = load_catalogue()
    who = report_applicant(report, kind)
    mine = [r for r in report["results"] if audience(r, kind, who) == "own"]
    if kind == "person":
        employer = [r for r in report["results"] if audience(r, kind, who) == "employer"]
        for r in employer:
            units = catalogue.measure(r["measure"]).responsible_units
            r["to_do"] = (f"由用人单位向{'、'.join(units)}申请" if units else "由用人单位按规定申请")
        return [_group("own", "您本人可享受", mine),
                _group("employer", "您的用人单位可申请",  employer,
                       "以下补贴发给您的用人单位（不是发给您本人），由单位申请；列出来是为了让您了解。")]
    out = [_group("own", f"{who['organisation']}可申请", mine)]         # 本单位, or as the user named it
    staff = [r for r in report["results"] if audience(r, kind, who) == "staff"]
    for name in dict.fromkeys(r["person"] for r in staff):
        out.append(_group("staff", f"按职工申请：{name}", [r for r in staff if r["person"] == name]))
    return out


def _group(key: str, title: str, results: list[dict], note: str = "") -> dict:
    by = {s: [r for r in results if r["status"] == s] for s in ("eligible", "undetermined", "ineligible")}
    misses = sorted(by["ineligible"], key=lambda r: len(r["failed"]))
    total = sum(r["amount_to_date"] or 0 for r in by["eligible"])
    pending = sum(r["amount_to_date"] is None for r in by["eligible"])
    return {"key": key, "title": title, "note": note, "eligible": by["eligible"], "open": by["undetermined"],
            "misses": misses, "amount_to_date": round(total, 2), "pending": pending}


def settled(report: dict, kind: str) -> bool:
    """No own result is open (status and schedule)."""
    who = report_applicant(report, kind)
    return not any(_open(r) for r in report["results"] if audience(r, kind, who) == "own")


def _open(result: dict) -> bool:
    return result["status"] == "undetermined" or bool(result["status"] == "eligible"
                                                      and result.get("schedule_missing"))


# -- what to ask next -------------------------------------------------------------------------------
def next_questions(report: dict, kind: str, skipped: set[str], given: set[str], limit: int = 4,
                   first: str | None = None) -> list[dict]:
    """The facts to ask next, the one that settles the most money for this applicant first (own
    measures before the others); each with why it is asked: the measures (and the clause, the
    condition's words) it settles. ``first``: a key to ask first (an answer being changed)."""
    system = get_system()
    applying = report_applicant(report, kind)
    ranked: "OrderedDict[str, dict]" = OrderedDict()
    for result in report["results"]:
        who = audience(result, kind, applying)
        if who is None:
            continue
        items = []
        if result["status"] == "undetermined":
            needs = _labels_needing(result)
            items = result["missing"]
        elif result["status"] == "eligible" and result.get("schedule_missing"):
            needs = {i["variable"]: [("已符合条件，确定金额和发放日期需要此项", result["clause"])]
                     for i in result["schedule_missing"]}
            items = result["schedule_missing"]
        if kind == "organisation" and who == "own" and result["status"] != "eligible":
            counts = _count_facts(result, system, given)
            needs = {**(needs if items else {}), **{i["variable"]: [(lab, cl)] for i, lab, cl in counts}}
            items = list(items) + [i for i, _, _ in counts if i not in items]
        for item in items:
            key = f"{item['entity']}::{item['id']}::{item['variable']}"
            if key in skipped or key in given:
                continue
            entry = ranked.setdefault(key, {"key": key, **item, "tiers": {}, "count_question": False,
                                            "results": set()})
            entry["count_question"] |= bool(item.get("count"))
            entry["results"].add((result["measure"], result["beneficiary"], result.get("person")))
            part = entry["tiers"].setdefault(TIER[who], {"money": 0.0, "measures": [], "help": []})
            # the money this answer settles: the result's open amount shared among the facts it still needs
            share = (_count_money(result, item["variable"], system) if item.get("count")
                     else min(result.get("potential") or 0.0, MAX_POTENTIAL))
            part["money"] += share / max(len(items), 1)
            title = f"{result['title']}（{clause_label(result['clause'])}）"
            if title not in part["measures"]:
                part["measures"].append(title)
            for label, clause in needs.get(item["variable"], []):
                if (label, clause) not in part["help"]:
                    part["help"].append((label, clause))
    for entry in ranked.values():
        entry["tier"] = min(entry["tiers"])
        entry.update(entry.pop("tiers")[entry["tier"]])
    questions = sorted(ranked.values(), key=lambda q: (q["key"] != first, q["tier"], -q["money"],
                                                       _gate_order(system, q["variable"]), -len(q["measures"])))
    if questions and first is None:
        tier = questions[0]["tier"]
        top = questions[0]["money"]
        # one audience a page, and only questions that weigh about as much as the first: a small one
        # is asked on a later page if the answers above leave it open
        questions = [q for q in questions if q["tier"] == tier and q["money"] >= top * PAGE_SHARE]
    for q in questions:
        q["widget"] = widget(system, q["variable"])
    if first is None:
        questions = _one_page(questions, limit)
    else:
        questions = questions[:limit]
    for q in questions:
        org = applying["organisation"]
        q["for"] = {0: "您本人" if kind == "person" else org, 1: f"{org}（按职工）", 2: "您的用人单位"}[q["tier"]]
    return questions


def _gate_order(system, name: str) -> int:
    """Yes/no before choices, and both before dates and numbers: a yes/no often decides whether the
    rest matters (在职职工 before the employer's insurance district, a date only once it counts)."""
    return {"bool": 0, "Enum": 1}.get(system.variables[name].value_type.__name__, 2)


def _one_page(questions: list[dict], limit: int) -> list[dict]:
    """The questions of one page: the first, then only questions that bear on none of the results the
    questions above bear on (an answer above cannot make them moot: each result's open facts depend
    on that result's facts only)."""
    page: list[dict] = []
    for q in questions:
        if len(page) == limit:
            break
        if any(q["results"] & p["results"] for p in page):
            continue
        page.append(q)
    return page


def _labels_needing(result: dict) -> dict[str, list]:
    """variable -> [(condition label, clause)] for the open conditions that miss it."""
    found: dict[str, list] = {}

    def walk(nodes):
        for node in nodes:
            if "group" in node:
                walk(node["conditions"])
            else:
                for item in node.get("missing", []):
                    found.setdefault(item["variable"], []).append((node["label"], node["clause"]))
    walk(result["conditions"])
    return found


def is_count(variable) -> bool:
    """A count of persons an organisation may state instead of listing them (an input overrides the
    formula that counts its members)."""
    return (variable.entity.key == "organisation" and bool(variable.formulas)
            and variable.value_type in (int, float)
            and any(w in (variable.label or "") for w in ("人数", "规模", "人（次）")))   # binjiang/十: 人（次）


def _claim_prefix(system, name: str) -> str | None:
    """The common beginning of a by-count claim's facts (``beijing_24_count`` for
    ``beijing_24_count_trainees``), for a count declared by ``jiuye.model.counts.stated_counts``:
    named ``<prefix>_count_…``, with the claim's ``<prefix>_declared`` and ``<prefix>_given``."""
    if "_count_" not in name:
        return None
    prefix = name[:name.index("_count_") + len("_count")]
    known = system.variables
    return prefix if f"{prefix}_declared" in known and f"{prefix}_given" in known else None


def _count_money(result: dict, name: str, system) -> float:
    """The money a count not stated yet can settle. A by-count claim pays per person stated (a
    per-person subsidy claimed by a stated number: jiuye.model.counts), and a count has no maximum:
    once nothing but the claim is open (every condition not about its own facts — the counts, the
    declaration, the dates, which matter only once a count is stated — is true), the count alone
    settles an amount unbounded above, weighed as any unbounded amount (MAX_POTENTIAL): a Xicheng
    承担任务的机构 was asked its beijing/24 count only on page 19, after every 1,000,000-yuan
    question of the HR agencies' measures. While another condition is still open (not known to be a
    定点培训机构, a 社会公益性就业组织 …), or for another count (a threshold such as 年培训规模), a flat
    COUNT_WEIGHT: not ahead of the questions that may make it moot."""
    prefix = _claim_prefix(system, name)
    if prefix is None:
        return COUNT_WEIGHT
    open_facts: set[str] = set()

    def walk(nodes):
        for node in nodes:
            if node.get("result") is not None:
                continue
            if "group" in node:
                walk(node["conditions"])
            else:
                open_facts.update(item["variable"] for item in node.get("missing", []))
    walk(result.get("conditions") or [])
    if any(not v.startswith(prefix + "_") for v in open_facts):
        return COUNT_WEIGHT
    return MAX_POTENTIAL


def _count_facts(result: dict, system, given: set[str]) -> list[tuple[dict, str, str]]:
    """Counts computed over the (unlisted) members that a not-true condition reads: asked as a count.
    An ineligible result asks them only when every failed condition reads such a count (else the
    count cannot make it eligible)."""
    out = []
    blocked = []

    def walk(nodes):
        for node in nodes:
            if node.get("result") is True:
                continue
            if "group" in node:
                walk(node["conditions"])
                continue
            reads = False
            for fact in node.get("facts", []):
                variable = system.variables.get(fact.get("variable") or "")
                if variable is None or not is_count(variable):
                    continue
                item = {"entity": "organisation", "id": result["beneficiary"], "variable": variable.name,
                        "label": variable.label, "count": True}
                if key_of("organisation", result["beneficiary"], variable.name) not in given:
                    reads = True
                    if all(i != item for i, _, _ in out):
                        out.append((item, node["label"], node["clause"]))
            if node.get("result") is False and not reads:
                blocked.append(node)
    walk(result["conditions"])
    if result["status"] == "ineligible" and blocked:
        return []
    return out


def open_counts(report: dict, kind: str, situation: dict) -> dict:
    """An organisation's own result that fails only for counts it has not stated yet (not answered, or
    answered 不知道) is open, not a miss: a count computed over the unlisted members is 0 until stated,
    but in the questionnaire a count not given is not known to be 0 (不适用 states 0). Such a result
    becomes undetermined, the counts its missing facts (asked first: the rest may not matter), and the
    conditions reading them unknown — so it is shown as a card under 尚需补充信息 (beijing/24/by_count of a
    承担任务的机构 was listed only among the collapsed misses as “还需：…1人及以上”) and the questionnaire is
    not settled while such a count is open. Returns the report."""
    if kind != "organisation":
        return report
    system = get_system()
    given = {a["key"] for a in given_answers(situation, kind)}
    who = report_applicant(report, kind)
    for result in report["results"]:
        if result["status"] != "ineligible" or audience(result, kind, who) != "own":
            continue
        counts = _count_facts(result, system, given)
        if not counts:
            continue
        names = {item["variable"] for item, _, _ in counts}
        _unknown_where_counted(result["conditions"], names)
        result.update(status="undetermined", failed=[], amount_to_date=None, installments=[],
                      missing=[item for item, _, _ in counts], potential=max(result.get("potential") or 0.0,
                                                                             UNKNOWN_AMOUNT))
    return report


def _unknown_where_counted(nodes: list, names: set[str]) -> None:
    """The not-true conditions reading one of the counts `names` become unknown (and the groups above
    them, by three-valued logic); the counts are shown as not given."""
    for node in nodes:
        if "group" in node:
            _unknown_where_counted(node["conditions"], names)
            results = [child.get("result") for child in node["conditions"]]
            if node["group"] == "all_of":
                node["result"] = False if False in results else (None if None in results else True)
            elif node["group"] == "any_of":
                node["result"] = True if True in results else (None if None in results else False)
            else:                                               # not
                node["result"] = None if results[0] is None else not results[0]
            continue
        read = [f for f in node.get("facts", []) if f.get("variable") in names]
        if node.get("result") is False and read:
            node["result"] = None
            for fact in read:
                fact.update(value=None, given=False)
                fact.pop("derived", None)
            node["missing"] = [{"entity": f["entity"], "id": f["id"], "variable": f["variable"], "label": f["label"]}
                               for f in read]


def widget(system, name: str) -> dict:
    variable = system.variables[name]
    kind = variable.value_type.__name__
    if kind == "bool":
        return {"type": "bool", "na": True}
    if kind == "Enum":
        return {"type": "enum", "options": [(item.name, item.value) for item in variable.possible_values
                                             if item.name != "unknown"],
                "na": any(n in variable.possible_values.__members__ for n in NONE_CHOICES)}
    if kind == "date":
        return {"type": "date", "na": True}
    if kind in ("int", "float"):
        unit = {"currency-CNY": "元", "person": "人", "year": "年", "month": "个月"}.get(
            getattr(variable, "unit", None) or "", "")
        if is_count(variable):
            unit = "人"
        return {"type": "number", "step": "1" if kind == "int" else "0.01", "unit": unit, "na": True}
    return {"type": "text", "na": False}


# -- citations as a person reads them -------------------------------------------------------------
_DOC_SHORT = {}


def document_short(key: str) -> str:
    """"西城", "北京市", "和平": the district (or city) a document is of."""
    if key not in _DOC_SHORT:
        from ..model.facts.places import City, District
        document = load_catalogue().documents.get(key)
        place = (document.jurisdiction or {}) if document else {}
        if place.get("district") in District.__members__:
            _DOC_SHORT[key] = District[place["district"]].value.removesuffix("区")
        elif place.get("city") in City.__members__:
            _DOC_SHORT[key] = City[place["city"]].value
        else:
            _DOC_SHORT[key] = key
    return _DOC_SHORT[key]


def clause_label(clause: str | None) -> str:
    """``xicheng/6`` → 西城第6条, ``binjiang/四`` → 滨江第四条, ``xicheng/附则/一`` → 西城附则（一）,
    ``haidian/三是`` → 海淀“三是”."""
    if not clause:
        return ""
    document, _, rest = clause.partition("/")
    short = document_short(document)
    if not rest:
        return short
    parts = rest.split("/")
    head = parts[0]
    if head == "附则":
        text = "附则" + "".join(f"（{p}）" for p in parts[1:])
    elif head.startswith("fj"):
        text = "附件" + "".join(ch for ch in head[2:] if ch.isdigit()) + "".join(f"（{p}）" for p in parts[1:])
    elif head.endswith("是"):
        text = f"“{head}”"
    else:
        text = f"第{head}条" + "".join(f"（{p}）" for p in parts[1:])
    return short + text
