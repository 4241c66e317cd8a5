"""经办台账 HTTP API under /api/v1/ledger (bearer tokens; see /ledger/tokens).

Errors are ``application/problem+json`` naming the ``field`` at fault, with the ledger's stable
``code`` (e.g. ``own_claim``, ``already_paid``, ``not_due``) and its ``details``: 401 no or bad token,
403 the role may not, 404 no such record, 409 refused by a rule of the ledger, 422 bad input.
Dates are the caller's (assessment, decision, payment), never the server's clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ..catalogue import CatalogueError, load_catalogue
from ..ledger.errors import InvalidInput, LedgerError
from ..ledger.users import checked_number
from ..web.api import PROBLEM, Problem
from .core import api_user, ledger_of

# documents the scheme in /openapi.json; the check itself is api_user (problem+json 401)
bearer = HTTPBearer(auto_error=False, scheme_name="ledgerToken",
                    description="经办台账 API 令牌（在 /ledger/tokens 创建）: `Authorization: Bearer jy_…`")


def _user(request: Request, _credentials=Depends(bearer)):
    return api_user(request)


router = APIRouter(prefix="/api/v1/ledger", tags=["经办台账 ledger"])
DATE = {"format": "date"}
ERRORS = {code: {"model": Problem, "content": {PROBLEM: {}}} for code in (400, 401, 403, 404, 409, 413, 422)}


# -- bodies ---------------------------------------------------------------------------------------------
class Party(BaseModel):
    """An applicant: a known record id, or an ID number (registered when new, with the name)."""
    model_config = ConfigDict(extra="forbid")
    id: Optional[int] = Field(default=None, description="applicant record id")
    id_number: Optional[str] = Field(default=None, description="居民身份证号 (person) or 统一社会信用代码 (organisation)")
    name: Optional[str] = Field(default=None, description="name, needed to register a new applicant")


class SubmitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "measure_id": "xicheng/6/employer", "on": "2025-03-14",
        "beneficiary": {"id_number": "91110102MA01XC6D0W", "name": "西城示范科技有限公司"},
        "person": {"id_number": "110102199505012352", "name": "张三"},
        "situation": {"persons": {"zhang_san": {"hukou_district": "xicheng"}},
                      "organisations": {"xicheng_company": {"employees": ["zhang_san"]}}},
        "idempotency_key": "crm-2025-0001"}]})
    measure_id: str = Field(description="measure id, e.g. xicheng/6/employer")
    on: str = Field(description="submission (assessment) date, YYYY-MM-DD", json_schema_extra=DATE)
    situation: dict[str, Any] = Field(description="OpenFisca situation JSON: persons, organisations")
    beneficiary: Optional[Party] = Field(default=None, description="who benefits; an applicant user: themselves when omitted")
    person: Optional[Party] = Field(default=None, description="the employee, for per-employee measures of an organisation")
    beneficiary_key: Optional[str] = Field(default=None, description="the beneficiary's id in the situation (when several)")
    person_key: Optional[str] = Field(default=None, description="the person's id in the situation (when several)")
    idempotency_key: Optional[str] = Field(default=None, description="a replay returns the claim recorded first")


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: str = Field(description="decision date, YYYY-MM-DD", json_schema_extra=DATE)
    reason: Optional[str] = Field(default=None, description="the reason (required to reject)")


class PayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: str = Field(description="payment date, YYYY-MM-DD", json_schema_extra=DATE)
    idempotency_key: str = Field(description="e.g. the bank transfer id: a replay returns the first payment")
    amount: Optional[str] = Field(default=None, description="default: the approved amount (lower only for a ceiling)")
    reference: Optional[str] = Field(default=None, description="e.g. the bank transfer number")


class ReassessRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: str = Field(description="reassessment date, YYYY-MM-DD", json_schema_extra=DATE)
    situation: dict[str, Any] = Field(description="the changed facts (the whole situation)")
    reason: str = Field(description="why the facts changed, e.g. 劳动合同于2026-01-31提前解除")


# -- answers -------------------------------------------------------------------------------------------
class ApplicantOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    name: str
    id_number_masked: str


class PaymentOut(BaseModel):
    id: int
    installment_id: int
    application_id: int
    amount: str
    paid_on: str
    idempotency_key: str
    recorded_by: str
    reference: Optional[str] = None
    replayed: bool = False


class InstallmentOut(BaseModel):
    id: int
    application_id: int
    seq: int
    due: str
    computed: Optional[str] = None
    amount: Optional[str] = None
    ceiling: bool
    status: str
    status_label: str
    note: Optional[str] = None
    payment: Optional[PaymentOut] = None


class DecisionOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    decided_by: str
    decided_on: str
    reason: str
    details: dict[str, Any]


class ApplicationOut(BaseModel):
    id: int
    measure_id: str
    title: str
    document: str
    clause: str
    kind: str
    status: str
    status_label: str
    result_status: str
    result_label: str
    beneficiary: ApplicantOut
    person: Optional[ApplicantOut] = None
    submitted_on: str
    submitted_by: str
    total: Optional[str] = None
    paid: str
    code_version: str
    rules_hash: str
    stacking_group: Optional[str] = None
    installments: list[InstallmentOut]
    decisions: list[DecisionOut]
    result: Optional[dict[str, Any]] = Field(default=None, description="the frozen result and explanation (detail only)")
    situation: Optional[dict[str, Any]] = Field(default=None, description="the facts as submitted (detail only)")


class ApplicationList(BaseModel):
    applications: list[ApplicationOut]
    limit: int
    offset: int


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def application_json(app) -> dict:
    data = _plain(dataclasses.asdict(app))
    data["paid"] = _plain(app.paid)
    return data


def _error_field(error: LedgerError, default: str) -> LedgerError:
    """Name a field for refusals that have none (problem+json always names one)."""
    if not error.field:
        error.field = {"not_due": "on", "outside_validity": "on", "idempotency_conflict": "idempotency_key",
                       "amount_mismatch": "amount", "forbidden": "authorization", "own_claim": "authorization",
                       "not_executable": "measure_id", "once_only": "measure_id", "stacking_exclusive": "measure_id",
                       "stacking_lower": "measure_id", "stacking_not_kept": "measure_id", "cap_reached": "measure_id",
                       }.get(error.code, default)
    return error


def _call(default_field: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except LedgerError as error:
        raise _error_field(error, default_field) from None


# -- routes -----------------------------------------------------------------------------------------------
@router.get("/applications", responses=ERRORS, response_model=ApplicationList,
            summary="Claims, newest first (an applicant sees only their own; ID numbers masked)")
def list_applications(request: Request, user=Depends(_user),
                      status: Optional[str] = Query(None, description="submitted | approved | rejected"),
                      measure_id: Optional[str] = Query(None, description="e.g. xicheng/6/employer"),
                      beneficiary_id: Optional[int] = Query(None, description="applicant record id of the beneficiary"),
                      submitted_from: Optional[str] = Query(None, description="YYYY-MM-DD", json_schema_extra=DATE),
                      submitted_to: Optional[str] = Query(None, description="YYYY-MM-DD", json_schema_extra=DATE),
                      limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)):
    dates = {}
    for name, value in (("submitted_from", submitted_from), ("submitted_to", submitted_to)):
        if value is not None:
            try:
                dates[name] = dt.date.fromisoformat(value)
            except ValueError:
                raise InvalidInput(name, f"日期格式应为YYYY-MM-DD expected a date YYYY-MM-DD, got {value!r}") from None
    apps = _call("status", ledger_of(request.app).list_applications, user.id, status=status, measure_id=measure_id,
                 beneficiary_id=beneficiary_id, limit=limit, offset=offset, **dates)
    return {"applications": [application_json(a) for a in apps], "limit": limit, "offset": offset}


@router.get("/applications/{application_id}", responses=ERRORS, response_model=ApplicationOut,
            summary="One claim with its frozen result, installments, payments and decisions")
def get_application(request: Request, application_id: int, user=Depends(_user)):
    return application_json(_call("application_id", ledger_of(request.app).application, user.id, application_id))


def _party(ledger, user, party: Party | None, kind: str, name: str) -> int | None:
    if party is None:
        return None
    if party.id is not None:
        return party.id
    if not party.id_number:
        raise InvalidInput(f"{name}.id_number", "须给出申请人记录编号 id 或证件号 id_number")
    try:
        number = checked_number(kind, party.id_number, f"{name}.id_number")
        found = ledger.find_applicant(user.id, kind, number)
        if found is not None:
            return found.id
        if not party.name:
            raise InvalidInput(f"{name}.name", "新申请人须给出名称 name required to register a new applicant")
        return ledger.register_applicant(user.id, kind, number, party.name).id
    except InvalidInput as error:
        if error.field in ("id_number", "name", "kind"):
            error.field = f"{name}.{error.field}"
        raise


@router.post("/applications", status_code=201, responses=ERRORS, response_model=ApplicationOut,
             summary="Record a claim: computed on `on` and frozen (result, explanation, installments)")
def submit(request: Request, body: SubmitRequest, user=Depends(_user)):
    ledger = ledger_of(request.app)
    try:
        measure = load_catalogue().measure(body.measure_id)
    except CatalogueError as error:
        raise InvalidInput("measure_id", str(error)) from None
    if body.beneficiary is None:
        if user.role != "applicant":
            raise InvalidInput("beneficiary", "须给出受益方 beneficiary required")
        beneficiary_id = user.applicant_id
    else:
        beneficiary_id = _call("beneficiary", _party, ledger, user, body.beneficiary, measure.beneficiary, "beneficiary")
    person_id = _call("person", _party, ledger, user, body.person, "person", "person")
    app = _call("measure_id", ledger.submit, user.id, measure_id=measure.id, beneficiary_id=beneficiary_id,
                person_id=person_id, situation=body.situation, on=body.on, beneficiary_key=body.beneficiary_key,
                person_key=body.person_key, idempotency_key=body.idempotency_key)
    return application_json(app)


@router.post("/applications/{application_id}/approve", responses=ERRORS, response_model=ApplicationOut,
             summary="Approve a submitted claim (a reviewer or admin who did not submit it)")
def approve(request: Request, application_id: int, body: DecisionRequest, user=Depends(_user)):
    return application_json(_call("application_id", ledger_of(request.app).approve, user.id, application_id,
                                  on=body.on, reason=body.reason or ""))


@router.post("/applications/{application_id}/reject", responses=ERRORS, response_model=ApplicationOut,
             summary="Reject a submitted claim, with the reason")
def reject(request: Request, application_id: int, body: DecisionRequest, user=Depends(_user)):
    return application_json(_call("application_id", ledger_of(request.app).reject, user.id, application_id,
                                  on=body.on, reason=body.reason))


@router.post("/applications/{application_id}/reassess", responses=ERRORS, response_model=ApplicationOut,
             summary="Facts changed: recompute an approved claim; unpaid installments cancelled, reduced or kept")
def reassess(request: Request, application_id: int, body: ReassessRequest, user=Depends(_user)):
    return application_json(_call("application_id", ledger_of(request.app).reassess, user.id, application_id,
                                  on=body.on, situation=body.situation, reason=body.reason))


@router.post("/installments/{installment_id}/pay", status_code=201, responses={**ERRORS, 200: {
    "model": PaymentOut, "description": "a replayed idempotency key: the payment recorded first"}},
    response_model=PaymentOut, summary="Record the payment of one installment, once")
def pay(request: Request, installment_id: int, body: PayRequest, user=Depends(_user)):
    payment = _call("installment_id", ledger_of(request.app).pay, user.id, installment_id, on=body.on,
                    idempotency_key=body.idempotency_key, amount=body.amount, reference=body.reference)
    data = _plain(dataclasses.asdict(payment))
    return JSONResponse(data, status_code=200 if payment.replayed else 201)


@router.get("/payable", responses=ERRORS, response_model=list[InstallmentOut],
            summary="Approved installments due on or before `on` and not yet paid")
def payable(request: Request, on: str = Query(description="YYYY-MM-DD", json_schema_extra=DATE),
            limit: int = Query(1000, ge=1, le=5000), user=Depends(_user)):
    items = _call("on", ledger_of(request.app).payable, user.id, on=on, limit=limit)
    return [_plain(dataclasses.asdict(i)) for i in items]


@router.api_route("/applications", methods=["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"], include_in_schema=False)
def applications_other_methods():
    """405 listing both methods of /applications (Starlette would list only the first route's)."""
    from starlette.exceptions import HTTPException
    raise HTTPException(405, "Method Not Allowed", headers={"Allow": "GET, POST"})
