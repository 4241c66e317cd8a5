"""政策计算器 HTTP API v1: calculate, measures, parameters, compare, coverage, districts. Nothing sent
is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ...catalogue import CatalogueError, load_catalogue
from ...assess.situation import InputError, parse_date
from ..problems import documented

router = APIRouter(prefix="/api/v1")
ERRORS = documented(400, 404, 413, 422)


class Report(JSONResponse):
    """A report as JSON, encoded once with orjson: FastAPI would first convert the whole report with
    pydantic and then encode it; a report is plain JSON data already (NaN is written as null)."""

    def render(self, content: Any) -> bytes:
        import orjson
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


DATE = {"format": "date"}   # documented as a date; parse_date checks it and names the field


class CalculateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "on": "2026-11-23",
        "situation": {"persons": {"p1": {"hukou_district": "xicheng", "contract_start_date": "2024-03-15"}},
                      "organisations": {"o1": {"employees": ["p1"], "org_type": "limited_company"}}}}]})
    situation: dict[str, Any] = Field(description="OpenFisca situation JSON: persons, organisations")
    on: str = Field(description="assessment date, YYYY-MM-DD", examples=["2026-11-23"], json_schema_extra=DATE)
    measures: Optional[list[str]] = Field(default=None, description="only these measure ids")


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    situation: dict[str, Any] = Field(description="OpenFisca situation JSON: persons, organisations")
    on: str = Field(description="assessment date, YYYY-MM-DD", examples=["2026-11-23"], json_schema_extra=DATE)
    districts: Optional[list[str]] = Field(default=None, description="district keys; default: all with a document")


def _in_situation(error: InputError) -> InputError:
    """Name a situation's field from the request body's root (situation.persons.p1.x)."""
    if error.field.split(".")[0] in ("persons", "organisations") or error.field not in ("on", "measures") \
            and not error.field.startswith(("districts", "situation")):
        return InputError(f"situation.{error.field}", error.message)
    return error


@router.post("/calculate", responses=ERRORS, summary="Every measure for a situation, with explanations")
def calculate(request: CalculateRequest,
              expand: Optional[Literal["texts"]] = Query(
                  None, description="texts: the full answer, with every measure's, condition's, fact's and "
                                    "parameter's texts; default: the compact answer (texts by id: GET /measures/{id}, "
                                    "/parameters/{name}; facts listed once in `items`)")) -> dict:
    from ...answers import compact
    from ...model.system import get_system
    date = parse_date(request.on, "on")
    try:
        answer = _run(request.situation, date, request.measures)
    except CatalogueError as error:
        raise InputError("measures", str(error)) from None
    except InputError as error:
        raise _in_situation(error) from None
    return Report(answer if expand == "texts" else compact(answer, get_system()))


def _run(situation: dict, date: dt.date, measures: list[str] | None) -> dict:
    """One request's evaluation: micro-batched with the requests that arrive with it
    (jiuye/web/batching.py), or alone."""
    from ...explain import calculate as run
    from ..batching import batcher
    shared = batcher()
    if shared is None:
        return run(situation, date, measures)
    return shared.calculate(situation, date, measures)


@router.post("/compare", responses=ERRORS, summary="One persona placed in each district in turn")
def compare(request: CompareRequest) -> dict:
    from ...compare import compare as run
    try:
        return Report(run(request.situation, parse_date(request.on, "on"), request.districts))
    except InputError as error:
        raise _in_situation(error) from None


@router.get("/measures", responses=ERRORS, summary="The clause catalogue")
def measures(document: Optional[str] = None) -> list[dict]:
    catalogue = load_catalogue()
    if document is not None and document not in catalogue.documents:
        raise InputError("document", f"unknown document {document!r}")
    return [m.to_dict() for m in catalogue.measures.values() if document is None or m.document == document]


@router.get("/measures/{measure_id:path}", responses=ERRORS, summary="One measure")
def measure(measure_id: str) -> dict:
    try:
        m = load_catalogue().measure(measure_id)
    except CatalogueError as error:
        raise LookupError("measure_id", str(error)) from None
    return m.to_dict()


@router.get("/parameters/{path:path}", responses=ERRORS, summary="A parameter: dated values, source, confidence")
def parameter(path: str, on: Optional[str] = Query(None, description="date, YYYY-MM-DD; default today",
                                                    json_schema_extra=DATE)) -> dict:
    from ...model.system import get_system
    from ...params import describe_parameter, get_parameter, history
    system = get_system()
    try:
        get_parameter(system, path)
    except (KeyError, AttributeError):
        raise LookupError("path", f"unknown parameter {path!r}") from None
    date = parse_date(on, "on") if on is not None else dt.date.today()
    return {**describe_parameter(system, path, date), "history": history(system, path)}


@router.get("/coverage", summary="Each document's clauses and how they are accounted for")
def coverage() -> dict:
    from ...coverage import coverage as run
    return run()


@router.get("/districts", summary="Districts that have a document, with the documents that apply")
def districts() -> list[dict]:
    from ...compare import comparable_districts
    return comparable_districts()
