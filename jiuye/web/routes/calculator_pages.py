"""政策计算器 pages (Chinese, server-rendered): start, questionnaire, results (printable), 对标
comparison, catalogue. Templates in ``templates/calculator/``.

The questionnaire's state travels in the form: the situation (JSON), the keys answered 不知道, the
day each answer was given, who applies (person / organisation), the district, the assessment date.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...assess.situation import InputError, parse_date
from ...catalogue import load_catalogue
from ...compare import comparable_districts, compare as run_compare
from .. import answer_sheet as sheet, questions as q
from ..questions import document_short
from ..budget import ShuttingDown, bounded
from ..templating import place_label, templates, today
from . import calculator_api as api

router = APIRouter(include_in_schema=False)

FIELD_LABELS = {"district": "所在区", "on": "评估日期", "kind": "谁来申请", "situation": "已填写的情况",
                "skipped": "不知道的问题", "log": "回答日期", "employee": "职工称呼",
                "request": "本次请求"}


def _measures_for(district: str) -> list[str]:
    entry = next((d for d in comparable_districts() if d["district"] == district), None)
    if entry is None:
        raise InputError("district", "所在区：没有该区的政策文件，请从列表中选择")
    return [m.id for m in load_catalogue().executable() if m.document in entry["documents"]]


def _page(request: Request, name: str, status: int = 200, **extra):
    """``templates/calculator/<name>`` with the districts and today's date."""
    districts = comparable_districts()
    for d in districts:
        d["place"] = place_label(d["district"])
    labels = {d["district"]: d["place"] for d in districts}
    context = {"request": request, "districts": districts, "district_labels": labels, "today": today(), **extra}
    return templates.TemplateResponse(request, f"calculator/{name}", context, status_code=status)


def field_label(field: str) -> str:
    """The label of the field an error names (a question's fact label; the key in brackets)."""
    if "::" in field:
        from ...model.system import get_system
        variable = get_system().variables.get(field.rsplit("::", 1)[-1])
        if variable is not None:
            return variable.label
    head = field.split(".")[-1]
    if head in FIELD_LABELS:
        return FIELD_LABELS[head]
    from ...model.system import get_system
    variable = get_system().variables.get(head)
    return variable.label if variable is not None else ""


def _error_page(request: Request, error: InputError, status: int = 422):
    if isinstance(error, ShuttingDown):
        status = 503
    return _page(request, "error.html", status, error=error, label=field_label(error.field))


@router.get("/", response_class=HTMLResponse)
def start(request: Request):
    return _page(request, "start.html")


def _assess(situation: dict, district: str, on: str, budget=None) -> dict:
    """The questionnaire's report, with the API's limits (persons, organisations, ids) and CPU budget:
    the page is as public as the API and its state (the situation) travels in the form."""
    date = parse_date(on, "on")
    report = q.assess(situation, date, _measures_for(district), limits=api.API_LIMITS, budget=budget)
    catalogue = load_catalogue()
    for result in report["results"]:
        measure = catalogue.measure(result["measure"])
        result["quote"] = measure.quote
        result["document"] = measure.document
    return report


async def _state(request: Request) -> dict:
    """The questionnaire's state after this form: answers applied, an answer cleared or reopened, an
    employee added."""
    form = await request.form()
    district = str(form.get("district", ""))
    on = str(form.get("on") or today())
    parse_date(on, "on")
    kind = str(form.get("kind") or "person")
    if kind not in sheet.KINDS:
        raise InputError("kind", "谁来申请：请选择个人或单位")
    _measures_for(district)
    if form.get("situation"):
        situation = sheet.load(str(form["situation"]))
    else:
        situation = sheet.start_situation(kind, district)
    skipped = set(map(str, sheet.load_list(str(form.get("skipped") or "[]"), "skipped")))
    log = sheet.load_list(str(form.get("log") or "{}"), "log")
    if not isinstance(log, dict):
        raise InputError("log", "页面数据无法读取，请从首页重新开始")
    values = {k[2:]: str(v) for k, v in form.multi_items() if k.startswith("a:")}
    unknown = {k[5:] for k, v in form.multi_items() if k.startswith("skip:")}
    not_applicable = {k[3:] for k, v in form.multi_items() if k.startswith("na:")}
    situation, newly_skipped, answered = sheet.apply_answers(situation, values, unknown, not_applicable)
    skipped = (skipped - answered) | newly_skipped
    for key in answered | newly_skipped:
        log[key] = today()
    first = previous = None
    for action in ("edit", "clear", "unskip"):
        key = form.get(action)
        if key:
            key = str(key)
            if action in ("edit", "clear"):
                previous = sheet.clear_answer(situation, key)
            else:
                sheet.split_key(key)
            skipped.discard(key)
            log.pop(key, None)
            first = key if action != "clear" else None
    if form.get("employee") is not None and str(form.get("employee")).strip():
        sheet.add_employee(situation, str(form["employee"]))
    return {"district": district, "on": on, "kind": kind, "situation": situation, "skipped": skipped,
            "log": log, "first": first, "previous": previous}


def _context(state: dict, report: dict) -> dict:
    kind = state["kind"]
    who = report.get("applicant") or sheet.applicant(state["situation"], kind)
    given = {a["key"] for a in sheet.given_answers(state["situation"], kind)}
    answers = sheet.given_answers(state["situation"], kind)
    for a in answers:
        a["day"] = state["log"].get(a["key"], "")
    unknown = []
    for key in sorted(state["skipped"]):
        entity, entity_id, name = sheet.split_key(key)
        from ...model.system import get_system
        variable = get_system().variables.get(name)
        if variable is not None:
            unknown.append({"key": key, "who": sheet.who_label(entity, entity_id, kind, who), "label": variable.label,
                            "day": state["log"].get(key, "")})
    return {"report": report, "groups": q.groups(report, kind), "situation": sheet.dump(state["situation"]),
            "district": state["district"], "on": state["on"], "kind": kind,
            "skipped": sheet.dump(sorted(state["skipped"])), "log": sheet.dump(state["log"]), "answers": answers,
            "unknown": unknown, "given": given, "settled": q.settled(report, kind), "applicant": who,
            "employees": who["staff"] if kind == "organisation" else []}


async def _assessed(request: Request):
    """The posted questionnaire state and its assessment (an InputError for bad input), with who applies
    (by the ids in the situation: a pasted one may name its organisation otherwise than 本单位)."""
    state = await _state(request)
    report = await bounded(request, _assess, state["situation"], state["district"], state["on"],
                           cpu_seconds=api.CPU_SECONDS)
    report["applicant"] = sheet.applicant(state["situation"], state["kind"])
    return state, q.open_counts(report, state["kind"], state["situation"])


@router.post("/questionnaire", response_class=HTMLResponse)
async def questionnaire(request: Request):
    try:
        state, report = await _assessed(request)
    except InputError as error:
        return _error_page(request, error)
    context = _context(state, report)
    questions = q.next_questions(report, state["kind"], state["skipped"], context["given"], first=state["first"])
    previous = {state["first"]: state["previous"]} if state["first"] and state["previous"] is not None else {}
    return _page(request, "questionnaire.html", questions=questions, previous=previous, **context)


@router.post("/results", response_class=HTMLResponse)
async def results(request: Request):
    try:
        state, report = await _assessed(request)
    except InputError as error:
        return _error_page(request, error)
    return _page(request, "results.html", printed=dt.date.today().isoformat(), **_context(state, report))


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request):
    return _page(request, "compare.html", table=None, situation="", on=today(), from_questionnaire=False)


@router.post("/compare", response_class=HTMLResponse)
async def compare_page(request: Request):
    """The questionnaire's answers (or a situation pasted by staff) placed in each district; from the
    questionnaire only the applicant's own measures are counted."""
    form = await request.form()
    kind = str(form.get("kind") or "")
    try:
        on = str(form.get("on") or today())
        situation = sheet.load(str(form.get("situation") or ""))
        who = sheet.applicant(situation, kind) if kind in sheet.KINDS else None
        include = (lambda r: q.audience(r, kind, who) in ("own", "staff")) if who else None
        date = parse_date(on, "on")
        table = await bounded(request, lambda budget: run_compare(situation, date, include=include,
                                                                  limits=api.API_LIMITS, budget=budget),
                              cpu_seconds=api.CPU_SECONDS)
    except InputError as error:
        return _error_page(request, error)
    for column in table["districts"]:
        column["place"] = place_label(column["district"])
        column["document_titles"] = [document_short(d) for d in column["documents"]]
    top = max([d["entitlement"] for d in table["districts"]] + [1])
    return _page(request, "compare.html", table=table, situation=sheet.dump(situation), on=on, top=top,
                 kind=kind, from_questionnaire=kind in sheet.KINDS, applicant=who)


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(request: Request):
    return _page(request, "catalogue.html", catalogue=load_catalogue())
