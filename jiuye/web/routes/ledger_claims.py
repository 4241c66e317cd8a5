"""Recording and reassessing claims by their facts, never by JSON: the new-claim form (the chosen
measure's facts by label, typed inputs), a claim from a calculator result (the questionnaire's
answers become the frozen situation), and the reassessment form (the facts by label, prefilled
with the frozen values; the changed ones are recorded with the reason).

* ``GET /ledger/new?measure_id=…`` the form; ``POST /ledger/new`` records the claim.
* ``POST /ledger/from-calculator`` (from a result card of /results: the questionnaire's state, the
  measure, the beneficiary and person in it) shows what will be recorded and asks for the parties'
  numbers; someone not logged in logs in on that page (the state is carried). It writes nothing.
  ``POST /ledger/from-calculator/record`` records the claim (CSRF).
* ``POST /ledger/applications/{id}/reassess`` reassesses an approved claim.

Claims are computed by ``Ledger.submit`` / ``Ledger.reassess``, exactly as a claim of the API
(/api/v1/ledger, which keeps taking situation JSON); the access rules are the ledger's (an
applicant files for itself, and names only persons it registered). A form may still post a
``situation`` field (JSON), as earlier versions of these pages did: no page shows one.
"""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from ...catalogue import load_catalogue
from ...ledger.errors import InvalidInput, LedgerError
from .. import claim_situations, fact_fields, fact_values, measure_facts
from ..deps import CSRF, CredentialsDep, LedgerDep, MaybePageUser, PageUser, check_csrf, flash
from ..forms import form_error, situation_from_text
from ..templating import ledger_page, today
from .ledger_pages import _action, _applicant, _key, _measures, _see_other, sign_in

router = APIRouter(prefix="/ledger", include_in_schema=False)
log = logging.getLogger("jiuye.web.ledger")
PARTY_FIELDS = ("measure_id", "on", "beneficiary_id_number", "beneficiary_name", "person_id_number", "person_name",
                "beneficiary_key", "person_key", "idempotency_key")
CALCULATOR_FIELDS = ("situation", "skipped", "log", "kind", "district", "on", "measure", "beneficiary", "person")
CONTRACT_END = "contract_termination_date"


def _measure(measure_id: str, field: str = "measure_id"):
    if not measure_id:
        raise InvalidInput(field, "请选择措施")
    return fact_values.executable_measure(measure_id, field, "，不能记录申请")


def _fields(measure_id: str, values: dict) -> list[tuple]:
    try:
        measure = _measure(measure_id)
    except InvalidInput:
        return []
    return [(f, values.get(f.form_name, "")) for f in measure_facts.measure_fields(measure.id)]


def _parties(ledger, user, measure, v: dict) -> tuple[int, int | None]:
    """The beneficiary and (a per-person measure of an organisation) the person, by number."""
    if user.role == "applicant":
        beneficiary_id = user.applicant_id
    else:
        beneficiary_id = _applicant(ledger, user, measure.beneficiary, v, "beneficiary")
    person_id = None
    if measure.entity == "person" and measure.beneficiary == "organisation":
        if not v.get("person_id_number"):
            raise InvalidInput("person_id_number", f"{measure.id}按人员计算（{measure.role or '职工'}），请填写该人员的身份证号")
        person_id = _applicant(ledger, user, "person", v, "person")
    return beneficiary_id, person_id


# -- a new claim, by its facts ----------------------------------------------------------------------
def _new_page(request: Request, user, values: dict, error: dict | None = None, status: int = 200):
    fields = _fields(values.get("measure_id", ""), values)
    per_person = False
    if fields:
        measure = load_catalogue().measure(values["measure_id"])
        per_person = measure.entity == "person" and measure.beneficiary == "organisation"
    return ledger_page(request, "new.html", user, status, values=values, measures=_measures(), error=error,
                       fields=fields, per_person=per_person)


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, user: PageUser, measure_id: str = ""):
    values = {"on": today(), "idempotency_key": _key(), "measure_id": measure_id}
    if measure_id:
        try:
            _measure(measure_id)
        except InvalidInput as error:
            return _new_page(request, user, values | {"measure_id": ""}, form_error(error), 422)
    return _new_page(request, user, values)


@router.post("/new", dependencies=CSRF)
async def new_submit(request: Request, user: PageUser, ledger: LedgerDep):
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        app = await run_in_threadpool(_submit_from_form, ledger, user, values)
    except LedgerError as error:
        values["idempotency_key"] = values.get("idempotency_key") or _key()
        return _new_page(request, user, values, _labelled(error), error.http_status)
    flash(request, f"已记录申请#{app.id}：{app.title}，计算结果“{app.result_label}”")
    return _see_other(f"/ledger/applications/{app.id}")


def _submit_from_form(ledger, user, v: dict):
    measure = _measure(v.get("measure_id", ""))
    if v.get("situation"):                     # an older form's JSON (no page shows it)
        situation = situation_from_text(v["situation"])
        bkey, pkey = v.get("beneficiary_key") or None, v.get("person_key") or None
    else:
        facts = {f: v for f, v in fact_values.parse_form(measure.id, v).items() if v is not None}
        if not facts:
            fields = measure_facts.measure_fields(measure.id)
            raise InvalidInput(fields[0].form_name if fields else "measure_id",
                               "请至少填写一项事实（未填写的事实按“未提供”计算）")
        situation, bkey, pkey = claim_situations.new_situation(measure, facts)
    beneficiary_id, person_id = _parties(ledger, user, measure, v)
    return ledger.submit(user.id, measure_id=measure.id, beneficiary_id=beneficiary_id, person_id=person_id,
                         situation=situation, on=v.get("on") or None, beneficiary_key=bkey, person_key=pkey,
                         idempotency_key=v.get("idempotency_key") or None)


def _labelled(error: LedgerError) -> dict:
    """A refusal beside its field; an error of the computed situation named by the fact's label."""
    shown = form_error(error)
    field = error.field or ""
    if field.startswith("situation."):
        from .calculator_pages import field_label
        label = field_label(field.split(".", 1)[1])
        if label and label not in shown["message"]:
            shown["message"] = f"“{label}”：{shown['message']}"
    return shown


# -- a claim from the calculator ----------------------------------------------------------------------
def _calculator_state(form) -> dict:
    state = {k: str(form.get(k) or "") for k in CALCULATOR_FIELDS}
    from ..answer_sheet import load
    try:
        situation = load(state["situation"])
    except Exception:
        raise InvalidInput("situation", "计算器的回答无法读取，请回到政策计算器重新计算") from None
    measure = _measure(state["measure"], "measure")
    bkey, pkey = state["beneficiary"] or None, state["person"] or None
    if measure.beneficiary == "person" and measure.entity == "person":
        pkey = bkey                                  # a person's own measure: the person is the beneficiary
    state.update(measure_obj=measure, situation_obj=situation, bkey=bkey, pkey=pkey)
    return state


def _calculator_page(request: Request, user, state: dict, values: dict, error: dict | None = None,
                     status: int = 200):
    measure = state["measure_obj"]
    per_person = measure.entity == "person" and measure.beneficiary == "organisation"
    facts = claim_situations.listed_facts(state["situation_obj"], measure, state["bkey"],
                                          state["pkey"] if measure.entity == "person" else None)
    return ledger_page(request, "from_calculator.html", user, status, state=state, measure=measure, facts=facts,
                       per_person=per_person, values=values, error=error)


@router.post("/from-calculator", response_class=HTMLResponse)
async def from_calculator(request: Request, user: MaybePageUser, ledger: LedgerDep, credentials: CredentialsDep):
    """What will be recorded (writes nothing); logs in first if needed (the form token is checked then)."""
    form = await request.form()
    try:
        state = _calculator_state(form)
    except InvalidInput as error:
        return ledger_page(request, "error.html", user, 422, error={"field": "", "message": error.message})
    values = {"on": state["on"] or today(), "idempotency_key": _key(),
              "person_name": state["pkey"] if state["pkey"] not in (None, claim_situations.PERSON_KEY) else ""}
    if user is None and form.get("username") is not None:
        check_csrf(request, str(form.get("csrf_token") or ""))
        user, error, status, _ = await run_in_threadpool(sign_in, request, ledger, credentials,
                                                          str(form.get("username") or ""), str(form.get("password") or ""))
        if user is None:
            return _calculator_page(request, None, state, values, error, status)
    return _calculator_page(request, user, state, values)


@router.post("/from-calculator/record", dependencies=CSRF)
async def from_calculator_record(request: Request, user: PageUser, ledger: LedgerDep):
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items()
              if isinstance(v, str) and (k == "on" or k not in CALCULATOR_FIELDS) and k != "csrf_token"}
    try:
        state = _calculator_state(form)
    except InvalidInput as error:
        return ledger_page(request, "error.html", user, 422, error={"field": "", "message": error.message})

    def run():
        measure = state["measure_obj"]
        beneficiary_id, person_id = _parties(ledger, user, measure, values)
        return ledger.submit(user.id, measure_id=measure.id, beneficiary_id=beneficiary_id, person_id=person_id,
                             situation=state["situation_obj"], on=values.get("on") or None,
                             beneficiary_key=state["bkey"],
                             person_key=state["pkey"] if measure.entity == "person" and measure.beneficiary == "organisation" else None,
                             idempotency_key=values.get("idempotency_key") or None)
    try:
        app = await run_in_threadpool(run)
    except LedgerError as error:
        return _calculator_page(request, user, state, values, _labelled(error), error.http_status)
    flash(request, f"已据计算结果记录申请#{app.id}：{app.title}，计算结果“{app.result_label}”")
    return _see_other(f"/ledger/applications/{app.id}")


# -- reassessment, by the changed facts ---------------------------------------------------------------
@router.post("/applications/{application_id}/reassess", dependencies=CSRF)
async def reassess(request: Request, application_id: int, user: PageUser, ledger: LedgerDep):
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}

    def run():
        app = ledger.application(user.id, application_id)
        measure = load_catalogue().measure(app.measure_id)
        keys = claim_situations.claim_keys(app)
        changes = []
        if values.get("situation"):                   # an older form's JSON (no page shows it)
            situation = situation_from_text(values["situation"])
        else:
            typed = {f: fact_values.parse_value(f, values[f.form_name])
                     for f in measure_facts.measure_fields(measure.id) if f.form_name in values}
            situation, changes = claim_situations.changed_situation(app.facts or {}, measure, *keys, typed)
        if values.get("contract_end"):                # the earlier form's own field
            end = fact_fields.fact_field(CONTRACT_END)
            day = fact_values.parse_value(end, values["contract_end"], "contract_end")
            body = claim_situations.claim_bodies(situation, measure, *keys)["person"]
            if body is None:
                raise InvalidInput("contract_end", "该申请的情形中没有对应的职工")
            situation, more = claim_situations.changed_situation(situation, measure, *keys, {end: day})
            changes += more
        from ..ledger_import import with_changes
        reason = values.get("reason", "")
        done = ledger.reassess(user.id, application_id, on=values.get("on") or None, situation=situation,
                               reason=with_changes(reason, changes) if reason.strip() else reason)
        details = done.decisions[-1].details if done.decisions else {}
        return (f"已重新核定申请#{done.id}" + (f"（{'、'.join(c.label for c in changes)}）" if changes else "（事实未变）")
                + f"：取消{len(details.get('cancelled', []))}期，核减{len(details.get('reduced', []))}期，"
                f"保留{len(details.get('kept', []))}期")
    return await run_in_threadpool(_action, request, ledger, user, application_id, run,
                                   f"/ledger/applications/{application_id}/schedule", "detail.html", values)
