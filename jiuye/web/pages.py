"""Server-rendered Chinese pages: start, questionnaire, results, 对标 comparison, catalogue."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..catalogue import BENEFICIARIES, KINDS, load_catalogue
from ..compare import comparable_districts, compare as run_compare
from ..engine import InputError, parse_date
from ..explain import STATUS_LABELS, calculate, near_misses
from . import questions as q

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(KINDS=KINDS, BENEFICIARIES=BENEFICIARIES, STATUS_LABELS=STATUS_LABELS)
router = APIRouter(include_in_schema=False)


def mount_static(app) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


def money(value) -> str:
    if value is None:
        return "待定"
    return f"{value:,.2f}".rstrip("0").rstrip(".") + "元"


templates.env.filters["money"] = money


def fact_value(fact: dict) -> str:
    """A fact's value as a person reads it: 是/否, the Chinese label of a choice, 4000 not 4000.0."""
    if not fact.get("given") and not fact.get("derived"):
        return "未提供"
    shown = _shown(fact)
    return f"{shown}（推算）" if fact.get("derived") else shown


def _shown(fact: dict) -> str:
    value = fact.get("value")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and fact.get("variable"):
        from ..model.system import get_system
        variable = get_system().variables.get(fact["variable"])
        members = getattr(getattr(variable, "possible_values", None), "__members__", {})
        if value in members:
            return str(members[value].value)
    return str(value)


templates.env.filters["fact_value"] = fact_value


def _measures_for(district: str) -> list[str]:
    entry = next((d for d in comparable_districts() if d["district"] == district), None)
    if entry is None:
        raise InputError("district", f"no document for district {district!r}")
    return [m.id for m in load_catalogue().executable() if m.document in entry["documents"]]


def _context(request: Request, **extra) -> dict:
    districts = comparable_districts()
    labels = {d["district"]: d["label"] for d in districts}
    return {"request": request, "districts": districts, "district_labels": labels,
            "today": dt.date.today().isoformat(), **extra}


def _error_page(request: Request, error: InputError, status: int = 422):
    return templates.TemplateResponse(request, "error.html", _context(request, error=error), status_code=status)


@router.get("/", response_class=HTMLResponse)
def start(request: Request):
    return templates.TemplateResponse(request, "start.html", _context(request))


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
        on = str(form.get("on") or dt.date.today().isoformat())
        if form.get("situation"):
            situation = q.load(str(form["situation"]))
        else:
            kind = str(form.get("kind", "person"))
            if kind not in ("person", "organisation"):
                raise InputError("kind", "choose 个人 or 单位")
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
    return templates.TemplateResponse(request, "questionnaire.html", _context(
        request, report=report, questions=questions, situation=q.dump(situation), district=district, on=on,
        skipped=json.dumps(sorted(skipped), ensure_ascii=False), misses=near_misses(report["results"])))


@router.post("/results", response_class=HTMLResponse)
def results(request: Request, situation: str = Form(...), district: str = Form(...), on: str = Form(...)):
    try:
        report = _assess(q.load(situation), district, on)
    except InputError as error:
        return _error_page(request, error)
    return templates.TemplateResponse(request, "results.html", _context(
        request, report=report, situation=situation, district=district, on=on,
        misses=near_misses(report["results"])))


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request):
    example = json.dumps(q.start_situation("person", "xicheng"), ensure_ascii=False, indent=1)
    return templates.TemplateResponse(request, "compare.html", _context(request, table=None, situation=example,
                                                                          on=dt.date.today().isoformat()))


@router.post("/compare", response_class=HTMLResponse)
def compare_page(request: Request, situation: str = Form(...), on: str = Form(...)):
    try:
        table = run_compare(q.load(situation), parse_date(on, "on"))
    except InputError as error:
        return _error_page(request, error)
    top = max([d["entitlement"] for d in table["districts"]] + [1])
    return templates.TemplateResponse(request, "compare.html", _context(
        request, table=table, situation=situation, on=on, top=top))


@router.get("/catalogue", response_class=HTMLResponse)
def catalogue_page(request: Request):
    catalogue = load_catalogue()
    return templates.TemplateResponse(request, "catalogue.html", _context(request, catalogue=catalogue))
