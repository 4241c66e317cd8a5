"""实名制就业帮扶台账 HTTP API under /api/v1/registry (the ledger's bearer tokens; see /ledger/tokens).

The same service as the pages (``jiuye.registry.Registry``) and the same roles: a 专员 reads and
writes only their community (another community's person is 404), supervisors read their street or
district, HR agencies only the plans referred to them. Errors are ``application/problem+json``
naming the ``field``. ID numbers are masked in every answer.
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ..deps import ApiUser
from ..problems import documented

router = APIRouter(prefix="/api/v1/registry", tags=["实名制就业帮扶台账 registry"])
DATE = {"format": "date"}
ERRORS = documented(400, 401, 403, 404, 409, 413, 422)


def registry_of(request: Request):
    """The app's Registry (on the app's Ledger), made on first use; the pages use it too."""
    state = request.app.state
    if getattr(state, "registry", None) is None:
        from ...registry import Registry
        from ..deps import get_ledger
        state.registry = Registry(ledger=get_ledger(request))
    return state.registry


_registry = registry_of


class PersonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(description="居民身份证号码 (18 characters, check digit verified)")
    name: str = Field(description="姓名", max_length=100)
    community_id: int = Field(description="the community (社区) the person belongs to")
    on: str = Field(description="the day of registration, YYYY-MM-DD", json_schema_extra=DATE)
    household: Optional[str] = Field(default=None, description="household label (户), for the 零就业家庭 test",
                                     max_length=200)
    phone: Optional[str] = Field(default=None, max_length=40)
    hukou_district: Optional[str] = Field(default=None, description="户籍所在区 (District key: xicheng, heping …)",
                                          max_length=32)
    hukou_moved_in_on: Optional[str] = Field(default=None, description="户籍迁入日期: the day the hukou was moved into "
                                             "hukou_district (none: never moved), not after `on`", json_schema_extra=DATE)
    previous_hukou_district: Optional[str] = Field(default=None, description="原户籍所在区: the district before the move",
                                                   max_length=32)


class HukouRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hukou_district: str = Field(description="户籍所在区 now (the district moved into)", max_length=32)
    hukou_moved_in_on: str = Field(description="户籍迁入日期, not after `on`", json_schema_extra=DATE)
    previous_hukou_district: Optional[str] = Field(default=None, max_length=32,
                                                   description="原户籍所在区 (none: the district the registry held)")
    on: str = Field(description="the day the move is recorded, YYYY-MM-DD", json_schema_extra=DATE)


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="unemployed, graduate, hard_to_employ, low_income, rural_labour, veteran, "
                                  "disabled, willing")
    start_on: str = Field(json_schema_extra=DATE)
    end_on: Optional[str] = Field(default=None, description="the day it no longer holds", json_schema_extra=DATE)
    details: dict[str, Any] = Field(default_factory=dict, description="graduation_date, school, origin; category, "
                                                                       "special; kind (低保 …); willing")


class RecordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="a contact (phone, visit, online, walk_in) or a service (guidance, job_referral, "
                                  "training_referral, internship_referral, startup, agency_referral, placement, outreach)")
    on: str = Field(json_schema_extra=DATE)
    outcome: str = Field(default="", max_length=2000)
    next_contact_on: Optional[str] = Field(default=None, json_schema_extra=DATE)
    employer: Optional[str] = Field(default=None, max_length=200)
    post: Optional[str] = Field(default=None, max_length=200)
    agency: Optional[str] = Field(default=None, max_length=200)


class ClaimRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measure_id: str = Field(description="a measure of the person's 免申即享 list")
    on: str = Field(json_schema_extra=DATE)


@router.get("/persons", responses=ERRORS, summary="persons I may see (ID numbers masked)")
def list_persons(user: ApiUser, request: Request, q: str = Query("", max_length=50),
                 limit: int = Query(200, ge=1, le=1000), offset: int = Query(0, ge=0, le=10_000_000)):
    return _registry(request).persons(user.id, search=q, limit=limit, offset=offset)


@router.post("/persons", responses=ERRORS, status_code=201, summary="register a person")
def register_person(user: ApiUser, body: PersonRequest, request: Request):
    return _registry(request).register_person(user.id, body.id_number, body.name, body.community_id, on=body.on,
                                              household=body.household, phone=body.phone,
                                              hukou_district=body.hukou_district, hukou_moved_in_on=body.hukou_moved_in_on,
                                              previous_hukou_district=body.previous_hukou_district)


@router.post("/persons/{person_id}/hukou", responses=ERRORS, summary="record the hukou's move into a district")
def hukou_move(user: ApiUser, person_id: int, body: HukouRequest, request: Request):
    return _registry(request).update_person(user.id, person_id, on=body.on, hukou_district=body.hukou_district,
                                            hukou_moved_in_on=body.hukou_moved_in_on,
                                            previous_hukou_district=body.previous_hukou_district)


@router.get("/persons/{person_id}", responses=ERRORS, summary="a person's file (一人一档) with history")
def get_person(user: ApiUser, person_id: int, request: Request):
    return _registry(request).person(user.id, person_id)


@router.post("/persons/{person_id}/statuses", responses=ERRORS, status_code=201, summary="add a dated status")
def add_status(user: ApiUser, person_id: int, body: StatusRequest, request: Request):
    return _registry(request).add_status(user.id, person_id, body.kind, start_on=body.start_on, end_on=body.end_on,
                                         details=body.details)


@router.post("/persons/{person_id}/records", responses=ERRORS, status_code=201,
             summary="record a contact or a service (settles the duties it fulfils)")
def add_record(user: ApiUser, person_id: int, body: RecordRequest, request: Request):
    return _registry(request).record(user.id, person_id, body.kind, on=body.on, outcome=body.outcome,
                                     next_contact_on=body.next_contact_on, employer=body.employer, post=body.post,
                                     agency=body.agency)


@router.get("/persons/{person_id}/measures", responses=ERRORS, summary="免申即享: measures the person may qualify for")
def person_measures(user: ApiUser, person_id: int, request: Request,
                    on: str = Query(description="YYYY-MM-DD", json_schema_extra=DATE)):
    return _registry(request).outreach(user.id, person_id, on=on)


@router.post("/persons/{person_id}/claims", responses=ERRORS, status_code=201,
             summary="start a ledger claim from the registry's facts")
def start_claim(user: ApiUser, person_id: int, body: ClaimRequest, request: Request):
    return _registry(request).start_claim(user.id, person_id, body.measure_id, on=body.on)


@router.get("/due", responses=ERRORS, summary="duties owed, most urgent first")
def due(user: ApiUser, request: Request, on: str = Query(description="YYYY-MM-DD", json_schema_extra=DATE),
        community_id: Optional[int] = Query(None, ge=1, le=2_000_000_000)):
    return _registry(request).due(user.id, on=on, community_id=community_id)


@router.get("/figures", responses=ERRORS, summary="coverage figures per community, street, district")
def figures(user: ApiUser, request: Request, month: str = Query(description="YYYY-MM", max_length=7)):
    return _registry(request).figures(user.id, month=month)


@router.get("/plans", responses=ERRORS, summary="plans I may see")
def plans(user: ApiUser, request: Request):
    return _registry(request).plans(user.id)


@router.api_route("/persons", methods=["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"], include_in_schema=False)
def persons_other_methods():
    """405 listing both methods of /persons (Starlette would list only the first route's)."""
    from starlette.exceptions import HTTPException
    raise HTTPException(405, "Method Not Allowed", headers={"Allow": "GET, POST"})
