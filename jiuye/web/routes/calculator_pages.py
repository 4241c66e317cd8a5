"""政策计算器 pages (Chinese, server-rendered): start, questionnaire, results, 对标 comparison, catalogue.
Templates in ``templates/calculator/``."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from ...catalogue import load_catalogue
from ...compare import comparable_districts, compare as run_compare
from ...assess.situation import InputError, parse_date
from ...explain import calculate, near_misses
from .. import questions as q
from ..templating import templates, today

router = APIRouter(include_in_schema=False)


def _measures_for(district: str) -> list[str]:
    entry = next((d for d in comparable_districts() if d["district"] == district), None)
    if entry is None:
        raise InputError("district", f"没有该区（{district}）的政策文件，请从列表中选择")
    return [m.id for m in load_catalogue().executable() if m.document in entry["documents"]]


def _page(request: Request, name: str, status: int = 200, **extra):
    """``templates/calculator/<name>`` with the districts (labels, documents) and today's date."""
    districts = comparable_districts()
    labels = {d["district"]: d["label"] for d in districts}
    context = {"request": request, "districts": districts, "district_labels": labels, "today": today(), **extra}
    return templates.TemplateResponse(request, f"calculator/{name}", context, status_code=status)


def _error_page(request: Request, error: InputError, status: int = 422):
    return _page(request, "error.html", status, error=error)


@router.get("/", response_class=HTMLResponse)
def start(request: Request):
    return _page(request, "start.html")


def _assess(situation: dict, district: str, on: str):
    date = parse_date(on, "on")
    report = calculate(situation, date, _measures_for(district))
    catalogue = load_catalogue()
    for result in report["results"]:
        measure = catalogue.measure(result["measure"])
        result["quote"] = measure.quote
        result["document"] = measure.document
    return report


@router.post("/questionnaire", response_class=HTMLResponse)
async def questionnaire(request: Request):
    form = await request.form()
    try:
        district = str(form.get("district", ""))
        on = str(form.get("on") or today())
        if form.get("situation"):
            situation = q.load(str(form["situation"]))
        else:
            kind = str(form.get("kind", "person"))
            if kind not in ("person", "organisation"):
                raise InputError("kind", "请选择个人或单位")
            _measures_for(district)
            situation = q.start_situation(kind, district)
        skipped = set(json.loads(str(form.get("skipped") or "[]")))
        answers = {key[2:]: str(value) for key, value in form.items() if key.startswith("a:")}
        situation, newly_skipped = q.apply_answers(situation, answers)
        skipped |= set(newly_skipped)
        report = _assess(situation, district, on)
    except InputError as error:
        return _error_page(request, error)
    questions = q.next_questions(report, skipped)
    return _page(request, "questionnaire.html", report=report, questions=questions, situation=q.dump(situation),
                 district=district, on=on, skipped=json.dumps(sorted(skipped), ensure_ascii=False),
                 misses=near_misses(report["results"]))


@router.post("/results", response_class=HTMLResponse)
def results(request: Request, situation: str = Form(...), district: str = Form(...), on: str = Form(...)):
    try:
        report = _assess(q.load(situation), district, on)
    except InputError as error:
        return _error_page(request, error)
    return _page(request, "results.html", report=report, situation=situation, district=district, on=on,
                 misses=near_misses(report["results"]))


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request):
    example = json.dumps(q.start_situation("person", "xicheng"), ensure_ascii=False, indent=1)
    return _page(request, "compare.html", table=None, situation=example, on=today())


@router.post("/compare", response_class=HTMLResponse)
def compare_page(request: Request, situation: str = Form(...), on: str = Form(...)):
    try:
        table = run_compare(q.load(situation), parse_date(on, "on"))
    except InputError as error:
        return _error_page(request, error)
    top = max([d["entitlement"] for d in table["districts"]] + [1])
    return _page(request, "compare.html", table=table, situation=situation, on=on, top=top)


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(request: Request):
    return _page(request, "catalogue.html", catalogue=load_catalogue())
