"""政策计算器 HTTP API v1: calculate, measures, parameters, compare, coverage, districts. Nothing sent
is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional


from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ...catalogue import CatalogueError, load_catalogue
from ...assess.situation import InputError, parse_date
from ..budget import CPU_SECONDS as BUDGET_CPU_SECONDS, Budget, BudgetExceeded, ShuttingDown, bounded, stop_on_signals
from ..problems import documented, problem

router = APIRouter(prefix="/api/v1", lifespan=stop_on_signals)   # SIGTERM stops running work

# -- bounded work: the calculator is public and unauthenticated --------------------------------------
# What one request may ask for (4xx naming the limit beyond), the CPU time its evaluation may take
# (stopped there, and when the client goes away), and the size of its answer.
API_LIMITS = {"persons": 100, "organisations": 50, "id_length": 100}
MAX_MEASURES = 300                 # measure ids in `measures`
MAX_DISTRICTS = 10                 # districts in a compare
CPU_SECONDS = BUDGET_CPU_SECONDS   # CPU time of one request's evaluation
MAX_RESPONSE = 8_000_000           # bytes of one answer
BATCHED_ENTITIES = 20              # smaller situations go through the micro-batcher; larger ones alone, budgeted


def _text_problem(value, field: str, depth: int = 0) -> None:
    """Texts that are not Unicode scalar values (a lone surrogate, ``"\\ud800"``) cannot be answered:
    refused naming the field, instead of failing when the answer is encoded."""
    if depth > 64:
        raise InputError(field, "嵌套层级过深（最多64层）")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(field, "含无效的Unicode字符（孤立的代理项）") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _text_problem(key, f"{field}.{str(key).encode('utf-8', 'replace').decode()[:40]}", depth + 1)
            _text_problem(item, f"{field}.{str(key).encode('utf-8', 'replace').decode()[:40]}", depth + 1)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _text_problem(item, f"{field}.{n}", depth + 1)


def _check_size(situation: dict, measures: list | None = None) -> None:
    _text_problem(situation, "situation")
    _text_problem(measures or [], "measures")
    for group in ("persons", "organisations"):
        entities = situation.get(group) if isinstance(situation, dict) else None
        if isinstance(entities, dict) and len(entities) > API_LIMITS[group]:
            raise InputError(f"situation.{group}", f"每次请求最多{API_LIMITS[group]}个"
                             f"{'个人' if group == 'persons' else '单位'}，收到{len(entities)}个")
    if measures is not None and len(measures) > MAX_MEASURES:
        raise InputError("measures", f"每次请求最多{MAX_MEASURES}项措施，收到{len(measures)}项")


def _stopping(error: ShuttingDown) -> JSONResponse:
    return problem(503, "Service stopping", error.message, error.field, headers={"Retry-After": "5"})


def _capped(response: JSONResponse) -> JSONResponse:
    if len(response.body) > MAX_RESPONSE:
        return problem(413, "Response too large", f"结果超过每次请求的上限（{MAX_RESPONSE:,}字节）："
                       "请减少人员、单位或措施，或不用 expand=texts", "situation", limit=MAX_RESPONSE)
    return response
ERRORS = documented(400, 404, 413, 422, 503)


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
async def calculate(request: CalculateRequest, http: Request,
              expand: Optional[Literal["texts"]] = Query(
                  None, description="texts: the full answer, with every measure's, condition's, fact's and "
                                    "parameter's texts; default: the compact answer (texts by id: GET /measures/{id}, "
                                    "/parameters/{name}; facts listed once in `items`)")) -> dict:
    date = parse_date(request.on, "on")
    _check_size(request.situation, request.measures)
    try:
        answer = await _answered(http, request.situation, date, request.measures, expand == "texts")
    except CatalogueError as error:
        raise InputError("measures", str(error)) from None
    except ShuttingDown as error:
        return _stopping(error)
    except BudgetExceeded:
        raise
    except InputError as error:
        raise _in_situation(error) from None
    return _capped(Report(answer))


async def _answered(http: Request, situation: dict, date: dt.date, measures: list[str] | None, full: bool) -> dict:
    """The answer, compact unless `full` (made so by the explainer: no full answer is made first),
    made off the event loop (which only sends it): a small situation joins the micro-batch (awaited
    on the event loop: any number of requests can wait for a batch, not only as many as the thread
    pool has threads); a larger one, or any with batching off, is computed alone in a worker thread
    with its budget."""
    from ..batching import batcher
    from ..budget import bounded_future
    shared = batcher()
    if shared is not None and _entities(situation) <= BATCHED_ENTITIES:
        return await bounded_future(http, lambda budget: shared.submit(situation, date, measures, limits=API_LIMITS,
                                                                       budget=budget, compact=not full),
                                    cpu_seconds=CPU_SECONDS)
    return await bounded(http, _alone, situation, date, measures, not full, cpu_seconds=CPU_SECONDS)


def _entities(situation: dict) -> int:
    return sum(len(situation.get(g) or {}) for g in ("persons", "organisations") if isinstance(situation.get(g), dict))


def _alone(situation: dict, date: dt.date, measures: list[str] | None, compact: bool = False,
           budget: Budget | None = None) -> dict:
    """One request evaluated alone with its CPU budget (in the worker thread)."""
    from ...explain import calculate as run
    return run(situation, date, measures, limits=API_LIMITS, budget=budget, compact=bool(compact))


@router.post("/compare", responses=ERRORS, summary="One persona placed in each district in turn")
async def compare(request: CompareRequest, http: Request) -> dict:
    from ...compare import compare as run
    _check_size(request.situation)
    if request.districts is not None and len(request.districts) > MAX_DISTRICTS:
        raise InputError("districts", f"每次最多对标{MAX_DISTRICTS}个区，收到{len(request.districts)}个")
    date = parse_date(request.on, "on")
    try:
        answer = await bounded(http, lambda budget: run(request.situation, date, request.districts,
                                                        limits=API_LIMITS, budget=budget), cpu_seconds=CPU_SECONDS)
    except ShuttingDown as error:
        return _stopping(error)
    except BudgetExceeded:
        raise
    except InputError as error:
        raise _in_situation(error) from None
    return _capped(Report(answer))


@router.get("/measures", responses=ERRORS, summary="The clause catalogue")
def measures(document: Optional[str] = None) -> list[dict]:
    catalogue = load_catalogue()
    if document is not None and document not in catalogue.documents:
        raise InputError("document", f"没有名为{document!r}的政策文件")
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
