"""经办台账 HTTP API under /api/v1/ledger (bearer tokens; see /ledger/tokens).

Errors are ``application/problem+json`` naming the ``field`` at fault, with the ledger's stable
``code`` (e.g. ``own_claim``, ``already_paid``, ``not_due``) and its ``details``: 401 no or bad token,
403 the role may not, 404 no such record, 409 refused by a rule of the ledger, 422 bad input.
Dates are the caller's (assessment, decision, payment), never the server's clock. The answers are
the ledger's own read models (``jiuye.ledger.views``: ``ApplicationInfo``, ``InstallmentInfo``,
``PaymentInfo``), amounts in yuan as text with two decimals (``"6000.00"``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from ...catalogue import CatalogueError, load_catalogue
from ...ledger import ApplicationInfo, InstallmentInfo, PaymentInfo
from ...ledger.errors import InvalidInput, LedgerError
from ..deps import ApiUser, LedgerDep
from ..problems import documented

router = APIRouter(prefix="/api/v1/ledger", tags=["经办台账 ledger"])
DATE = {"format": "date"}
ERRORS = documented(400, 401, 403, 404, 409, 413, 422)


# -- OpenAPI links: how one answer's ids feed the next operation (a client's workflow; schemathesis'
# stateful run follows them: submit → read/approve/reject/reassess → pay the first installment)
_OP = {name: f"{name}_api_v1_ledger_{path}" for name, path in (
    ("get_application", "applications__application_id__get"),
    ("approve", "applications__application_id__approve_post"),
    ("reject", "applications__application_id__reject_post"),
    ("reassess", "applications__application_id__reassess_post"),
    ("pay", "installments__installment_id__pay_post"))}
_CLAIM = {"application_id": "$response.body#/id"}
CLAIM_LINKS = {name.title().replace("_", ""): {"operationId": _OP[name], "parameters": _CLAIM,
                                                "description": f"{words} the claim in this answer"}
               for name, words in (("get_application", "read"), ("approve", "approve (another user)"),
                                   ("reject", "reject (another user)"), ("reassess", "reassess"))}
PAY_LINK = {"PayFirstInstallment": {"operationId": _OP["pay"],
                                    "parameters": {"installment_id": "$response.body#/installments/0/id"},
                                    "description": "pay the claim's first installment"}}


def _with_links(status: int, links: dict, extra: dict | None = None) -> dict:
    return {**ERRORS, status: {**(extra or {}), "links": links}}


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


# -- answers: the ledger's read models --------------------------------------------------------------
class ApplicationList(BaseModel):
    applications: list[ApplicationInfo]
    limit: int
    offset: int


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


# -- routes (the API user first: without a well-formed token no database is opened) -----------------------
@router.get("/applications", responses=ERRORS, response_model=ApplicationList,
            summary="Claims, newest first (an applicant sees only their own; ID numbers masked)")
def list_applications(user: ApiUser, ledger: LedgerDep,
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
                raise InvalidInput(name, f"日期格式应为YYYY-MM-DD，而不是{value!r}") from None
    apps = _call("status", ledger.list_applications, user.id, status=status, measure_id=measure_id,
                 beneficiary_id=beneficiary_id, limit=limit, offset=offset, **dates)
    return ApplicationList(applications=apps, limit=limit, offset=offset)


@router.get("/applications/{application_id}", responses=_with_links(200, {**CLAIM_LINKS, **PAY_LINK}),
            response_model=ApplicationInfo,
            summary="One claim with its frozen result, installments, payments and decisions")
def get_application(application_id: int, user: ApiUser, ledger: LedgerDep):
    return _call("application_id", ledger.application, user.id, application_id)


def _party(ledger, user, party: Party | None, kind: str, name: str) -> int | None:
    if party is None:
        return None
    if party.id is not None:
        return party.id
    if not party.id_number:
        raise InvalidInput(f"{name}.id_number", "须给出申请人记录编号 id 或证件号 id_number")
    return ledger.applicant_for(user.id, kind, party.id_number, party.name,
                                fields=(f"{name}.id_number", f"{name}.name")).id


@router.post("/applications", status_code=201, responses=_with_links(201, CLAIM_LINKS), response_model=ApplicationInfo,
             summary="Record a claim: computed on `on` and frozen (result, explanation, installments)")
def submit(body: SubmitRequest, user: ApiUser, ledger: LedgerDep):
    try:
        measure = load_catalogue().measure(body.measure_id)
    except CatalogueError as error:
        raise InvalidInput("measure_id", str(error)) from None
    if body.beneficiary is None:
        if user.role != "applicant":
            raise InvalidInput("beneficiary", "须给出受益方 beneficiary")
        beneficiary_id = user.applicant_id
    else:
        beneficiary_id = _call("beneficiary", _party, ledger, user, body.beneficiary, measure.beneficiary, "beneficiary")
    person_id = _call("person", _party, ledger, user, body.person, "person", "person")
    return _call("measure_id", ledger.submit, user.id, measure_id=measure.id, beneficiary_id=beneficiary_id,
                 person_id=person_id, situation=body.situation, on=body.on, beneficiary_key=body.beneficiary_key,
                 person_key=body.person_key, idempotency_key=body.idempotency_key)


@router.post("/applications/{application_id}/approve", responses=_with_links(200, {**PAY_LINK, **CLAIM_LINKS}),
             response_model=ApplicationInfo,
             summary="Approve a submitted claim (a reviewer or admin who did not submit it)")
def approve(application_id: int, body: DecisionRequest, user: ApiUser, ledger: LedgerDep):
    return _call("application_id", ledger.approve, user.id, application_id, on=body.on, reason=body.reason or "")


@router.post("/applications/{application_id}/reject", responses=ERRORS, response_model=ApplicationInfo,
             summary="Reject a submitted claim, with the reason")
def reject(application_id: int, body: DecisionRequest, user: ApiUser, ledger: LedgerDep):
    return _call("application_id", ledger.reject, user.id, application_id, on=body.on, reason=body.reason)


@router.post("/applications/{application_id}/reassess", responses=_with_links(200, {**PAY_LINK, **CLAIM_LINKS}),
             response_model=ApplicationInfo,
             summary="Facts changed: recompute an approved claim; unpaid installments cancelled, reduced or kept")
def reassess(application_id: int, body: ReassessRequest, user: ApiUser, ledger: LedgerDep):
    return _call("application_id", ledger.reassess, user.id, application_id, on=body.on, situation=body.situation,
                 reason=body.reason)


_PAYMENT = TypeAdapter(PaymentInfo)


@router.post("/installments/{installment_id}/pay", status_code=201, responses={**ERRORS, 200: {
    "model": PaymentInfo, "description": "a replayed idempotency key: the payment recorded first"}},
    response_model=PaymentInfo, summary="Record the payment of one installment, once")
def pay(installment_id: int, body: PayRequest, user: ApiUser, ledger: LedgerDep):
    payment = _call("installment_id", ledger.pay, user.id, installment_id, on=body.on,
                    idempotency_key=body.idempotency_key, amount=body.amount, reference=body.reference)
    return JSONResponse(_PAYMENT.dump_python(payment, mode="json"), status_code=200 if payment.replayed else 201)


@router.get("/payable", responses=ERRORS, response_model=list[InstallmentInfo],
            summary="Approved installments due on or before `on` and not yet paid")
def payable(user: ApiUser, ledger: LedgerDep, on: str = Query(description="YYYY-MM-DD", json_schema_extra=DATE),
            limit: int = Query(1000, ge=1, le=5000)):
    return _call("on", ledger.payable, user.id, on=on, limit=limit)


@router.api_route("/applications", methods=["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"], include_in_schema=False)
def applications_other_methods():
    """405 listing both methods of /applications (Starlette would list only the first route's)."""
    from starlette.exceptions import HTTPException
    raise HTTPException(405, "Method Not Allowed", headers={"Allow": "GET, POST"})
