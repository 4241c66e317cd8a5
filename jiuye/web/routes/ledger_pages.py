"""经办台账 pages under /ledger (Chinese, server-rendered): login, the application list with filters,
an application's detail (the frozen explanation), approve/reject, the payment schedule with
"record payment", the installments due for payment, users (admins) and API tokens. A new claim,
a claim from the calculator and reassessment: ``ledger_claims.py``. Export and import:
``ledger_files.py``. Templates in ``templates/ledger/``.

Every POST form carries the session's CSRF token (checked before anything else). Who may do what
is decided by the ledger service; its refusals are shown on the page with their reason and the
HTTP status of the refusal (403 forbidden, 404 not found, 409 refused, 422 bad input).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ... import ids
from ...catalogue import CatalogueError, load_catalogue
from ...ledger.config import demo_mode
from ...ledger.demo import DEMO_USERS
from ...ledger.errors import InvalidInput, LedgerError, NotFound, Throttled
from ...money import display
from ...numerals import ascii_whole_number
from ..deps import CSRF, STAFF, CredentialsDep, Filters, LedgerDep, MaybePageUser, PageUser, StaffUser, flash
from .. import claim_situations, fact_values, measure_facts
from ..forms import form_error
from ..templating import ledger_page, today

router = APIRouter(prefix="/ledger", include_in_schema=False)
log = logging.getLogger("jiuye.web.ledger")
PAGE_SIZE = 50


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _measures() -> list[tuple[str, list]]:
    """Executable measures grouped by document, for the selects."""
    groups: dict[str, list] = {}
    for m in load_catalogue().executable():
        groups.setdefault(m.document, []).append(m)
    return list(groups.items())


def _safe_next(target: str | None) -> str:
    return target if isinstance(target, str) and target.startswith("/ledger") and "//" not in target else "/ledger"


def _key() -> str:
    return f"web-{uuid.uuid4()}"


# -- login / logout ---------------------------------------------------------------------------------
def _login_page(request: Request, user, status: int = 200, **extra):
    return ledger_page(request, "login.html", user, status, demo_users=DEMO_USERS if demo_mode() else [], **extra)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: MaybePageUser, next: str = "/ledger"):
    return _login_page(request, user, next=_safe_next(next))


def sign_in(request: Request, ledger, credentials, username: str, password: str):
    """Log in (a new session and form token): the user, or (None, the error shown beside the
    password, the HTTP status, Retry-After)."""
    address = request.client.host if request.client else None
    try:
        user = ledger.authenticate(username.strip(), password, address=address) if username.strip() and password else None
    except Throttled as locked:
        log.warning("ledger login locked for %r", username[:64].strip().lower())
        return None, {"field": "username", "message": locked.message}, 429, locked.retry_after
    if user is None:
        log.warning("ledger login refused for %r", username[:64])
        return None, {"field": "password", "message": "用户名或密码不正确，或账号已停用"
                      + ("" if demo_mode() else "（演示账号只在演示模式下可用）")}, 401, None
    old = request.session.get("sid")
    if old:
        credentials.end_session(old)
    request.session.clear()                       # a new session (and form token) at each login
    request.session["sid"] = credentials.open_session(user.id, user.username)
    return user, None, 200, None


@router.post("/login", response_class=HTMLResponse, dependencies=CSRF)
def login(request: Request, ledger: LedgerDep, credentials: CredentialsDep, username: str = Form(""),
          password: str = Form(""), next: str = Form("/ledger")):
    user, error, status, retry = sign_in(request, ledger, credentials, username, password)
    if user is None:
        response = _login_page(request, None, status, next=_safe_next(next), username=username, error=error)
        if retry is not None:
            response.headers["Retry-After"] = str(retry)
        return response
    flash(request, f"欢迎，{user.display_name}（{user.role_label}）")
    return _see_other(_safe_next(next))


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, credentials: CredentialsDep):
    sid = request.session.get("sid")
    if sid:
        credentials.end_session(sid)
    request.session.clear()
    flash(request, "已退出登录")
    return _see_other("/ledger/login")


# -- the list -------------------------------------------------------------------------------------
def _find_applicant(ledger, user, number: str):
    """The applicant with this 身份证号 or 统一社会信用代码, or an error message."""
    number = number.strip().upper()
    for kind in (ids.PERSON, ids.ORGANISATION):
        try:
            ids.validate(kind, number, "applicant")
        except ids.InvalidIdNumber:
            continue
        found = ledger.find_applicant(user.id, kind, number)
        return found, None if found else "台账中没有该证件号的申请人"
    return None, "应为18位居民身份证号或统一社会信用代码（校验码须正确）"


@router.get("", response_class=HTMLResponse)
def application_list(request: Request, user: PageUser, ledger: LedgerDep, filters: Filters):
    kwargs, form, errors = filters.kwargs, filters.form, filters.errors
    if form["applicant"]:
        # an ID number is looked up, then replaced by the applicant's record id in the address (so
        # the number does not stay in the browser's history or in access logs)
        if user.role not in STAFF:
            errors.append({"field": "applicant", "message": "申请人只能查看本人的申请"})
        else:
            found, problem = _find_applicant(ledger, user, form["applicant"])
            if found is not None:
                query = {k: v for k, v in form.items() if v and k != "applicant"} | {"beneficiary": found.id}
                return _see_other("/ledger?" + urlencode(query))
            errors.append({"field": "applicant", "message": problem})
    offset_text = request.query_params.get("offset", "0")
    offset = ascii_whole_number(offset_text) or 0
    apps, beneficiary = [], None
    if not errors:
        try:
            apps = ledger.list_applications(user.id, limit=PAGE_SIZE + 1, offset=offset, **kwargs)
            if "beneficiary_id" in kwargs:
                beneficiary = ledger.applicant(user.id, kwargs["beneficiary_id"])
        except LedgerError as error:
            errors.append(form_error(error))
    query = urlencode({k: v for k, v in form.items() if v and k != "applicant"})
    return ledger_page(request, "list.html", user, 422 if errors else 200, apps=apps[:PAGE_SIZE],
                       more=len(apps) > PAGE_SIZE, offset=offset, page_size=PAGE_SIZE, form=form, errors=errors,
                       measures=_measures(), query=query, beneficiary=beneficiary)


# -- one application ----------------------------------------------------------------------------
def _result_card(app) -> dict | None:
    """The frozen result, with what the results card template shows beside it (clause text)."""
    if not app.result:
        return None
    r = dict(app.result)
    try:
        measure = load_catalogue().measure(app.measure_id)
        r.setdefault("quote", measure.quote)
        r.setdefault("document", measure.document)
    except CatalogueError:
        r.setdefault("quote", "")
    return r


def _detail(request: Request, ledger, user, application_id: int, template: str = "detail.html", *,
            error: dict | None = None, status: int = 200, values: dict | None = None):
    app = ledger.application(user.id, application_id)
    entries = []
    if user.role in STAFF:
        entries = ledger.audit_entries(user.id, entity="application", entity_id=app.id, limit=200)
    pay_keys = {i.id: _key() for i in app.installments}
    can_reassess = user.role in STAFF and app.status == "approved"
    values = values or {}
    return ledger_page(request, template, user, status, app=app, r=_result_card(app), entries=entries,
                       facts=_facts(app), fields=_reassess_fields(app, values) if can_reassess else [],
                       pay_keys=pay_keys, error=error, values=values,
                       can_decide=user.role in ("reviewer", "admin") and app.status == "submitted",
                       own=app.submitted_by == user.username, can_pay=user.role in STAFF, can_reassess=can_reassess)


def _measure_of(app):
    try:
        return load_catalogue().measure(app.measure_id)
    except CatalogueError:
        return None


def _facts(app) -> list[dict]:
    """The frozen facts of the claim, by label."""
    measure = _measure_of(app)
    if measure is None:
        return []
    return claim_situations.listed_facts(app.facts, measure, *claim_situations.claim_keys(app))


def _reassess_fields(app, values: dict) -> list[tuple]:
    """(field, the value shown) for the reassessment form: the measure's facts, prefilled with the
    frozen values (or what was typed, after a refusal)."""
    measure = _measure_of(app)
    if measure is None or not measure.executable or not app.facts:
        return []
    bodies = claim_situations.claim_bodies(app.facts, measure, *claim_situations.claim_keys(app))
    out = []
    for f in measure_facts.measure_fields(measure.id):
        body = bodies.get(f.where)
        if body is None:
            continue
        shown = values[f.form_name] if f.form_name in values else fact_values.form_value(f, body.get(f.name))
        out.append((f, shown))
    return out


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application_detail(request: Request, application_id: int, user: PageUser, ledger: LedgerDep):
    return _detail(request, ledger, user, application_id)


@router.get("/applications/{application_id}/schedule", response_class=HTMLResponse)
def application_schedule(request: Request, application_id: int, user: PageUser, ledger: LedgerDep):
    return _detail(request, ledger, user, application_id, "schedule.html")


def _action(request: Request, ledger, user, application_id: int, run, done: str, template: str = "detail.html",
            values: dict | None = None):
    """Run a write; on success flash and redirect to the page, on refusal show it with the reason."""
    try:
        message = run()
    except LedgerError as error:
        if isinstance(error, NotFound) and error.field == "application":
            raise
        return _detail(request, ledger, user, application_id, template, error=form_error(error),
                       status=error.http_status, values=values)
    flash(request, message or "已完成")
    return _see_other(done)


@router.post("/applications/{application_id}/approve", dependencies=CSRF)
def approve(request: Request, application_id: int, user: PageUser, ledger: LedgerDep, on: str = Form(""),
            reason: str = Form("")):
    def run():
        app = ledger.approve(user.id, application_id, on=on or None, reason=reason)
        return f"申请#{app.id}已批准，核定{len([i for i in app.installments if i.status == 'scheduled'])}期"
    return _action(request, ledger, user, application_id, run, f"/ledger/applications/{application_id}",
                   values={"on": on, "reason": reason})


@router.post("/applications/{application_id}/reject", dependencies=CSRF)
def reject(request: Request, application_id: int, user: PageUser, ledger: LedgerDep, on: str = Form(""),
           reason: str = Form("")):
    def run():
        app = ledger.reject(user.id, application_id, on=on or None, reason=reason)
        return f"申请#{app.id}已驳回：{reason}"
    return _action(request, ledger, user, application_id, run, f"/ledger/applications/{application_id}",
                   values={"on": on, "reason": reason})


@router.post("/installments/{installment_id}/pay", dependencies=CSRF)
def pay(request: Request, installment_id: int, user: PageUser, ledger: LedgerDep, on: str = Form(""),
        idempotency_key: str = Form(""), amount: str = Form(""), reference: str = Form(""),
        application_id: int = Form(...), back: str = Form("schedule")):
    page = f"/ledger/applications/{application_id}/schedule"
    if back == "payable":
        page = "/ledger/payable?" + urlencode({"on": on})

    def run():
        payment = ledger.pay(user.id, installment_id, on=on or None, idempotency_key=idempotency_key,
                             amount=amount.strip() or None, reference=reference.strip() or None)
        if payment.replayed:
            return f"支付#{payment.id}已于此前登记（重复提交，未重复支付）"
        return (f"已登记支付#{payment.id}：分期#{payment.installment_id} {display(payment.amount)}，"
                f"支付日期{payment.paid_on}")
    return _action(request, ledger, user, application_id, run, page, "schedule.html",
                   values={"installment": installment_id, "on": on, "reference": reference, "amount": amount})


# -- installments due -------------------------------------------------------------------------------
@router.get("/payable", response_class=HTMLResponse)
def payable(request: Request, user: StaffUser, ledger: LedgerDep, on: str = ""):
    on = on or today()
    error, rows = None, []
    try:
        items = ledger.payable(user.id, on=on, limit=500)
        apps = {}
        for inst in items:
            if inst.application_id not in apps:
                apps[inst.application_id] = ledger.application(user.id, inst.application_id, detail=False)
            rows.append((inst, apps[inst.application_id], _key()))
    except LedgerError as err:
        error = form_error(err)
    return ledger_page(request, "payable.html", user, 422 if error else 200, on=on, rows=rows, error=error)


def _applicant(ledger, user, kind: str, values: dict, prefix: str) -> int:
    """The applicant named by the form's ``<prefix>_id_number`` (and ``<prefix>_name`` when new)."""
    fields = (f"{prefix}_id_number", f"{prefix}_name")
    return ledger.applicant_for(user.id, kind, values[fields[0]], values[fields[1]], fields=fields).id


# -- users (admins) -------------------------------------------------------------------------------
def _users_page(request: Request, ledger, user, *, error: dict | None = None, status: int = 200,
                values: dict | None = None):
    listed = ledger.list_users(user.id)          # Forbidden unless admin
    return ledger_page(request, "users.html", user, status, users=listed, error=error, values=values or {})


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: PageUser, ledger: LedgerDep):
    return _users_page(request, ledger, user)


@router.post("/users", dependencies=CSRF)
def create_user(request: Request, user: PageUser, ledger: LedgerDep, username: str = Form(""),
                display_name: str = Form(""), role: str = Form(""), password: str = Form(""),
                applicant_kind: str = Form("person"), applicant_id_number: str = Form(""),
                applicant_name: str = Form("")):
    values = {"username": username, "display_name": display_name, "role": role, "applicant_kind": applicant_kind,
              "applicant_id_number": applicant_id_number.strip(), "applicant_name": applicant_name.strip()}
    try:
        if user.role != "admin":
            ledger.list_users(user.id)                              # the service's refusal (Forbidden)
        applicant_id = None
        if role == "applicant":
            if applicant_kind not in (ids.PERSON, ids.ORGANISATION):
                raise InvalidInput("applicant_kind", "应为个人或单位")
            applicant_id = _applicant(ledger, user, applicant_kind, values, "applicant")
        created = ledger.create_user(user.id, username, role, password=password or None,
                                     display_name=display_name.strip() or None, applicant_id=applicant_id)
    except LedgerError as error:
        return _users_page(request, ledger, user, error=form_error(error), status=error.http_status, values=values)
    flash(request, f"已创建用户 {created.username}（{created.role_label}）")
    return _see_other("/ledger/users")


@router.post("/users/{user_id}/active", dependencies=CSRF)
def set_active(request: Request, user_id: int, user: PageUser, ledger: LedgerDep, active: str = Form("")):
    try:
        changed = ledger.set_active(user.id, user_id, active == "1")
    except LedgerError as error:
        return _users_page(request, ledger, user, error=form_error(error), status=error.http_status)
    flash(request, f"用户 {changed.username} 已{'启用' if changed.active else '停用'}")
    return _see_other("/ledger/users")


@router.post("/users/{user_id}/password", dependencies=CSRF)
def set_password(request: Request, user_id: int, user: PageUser, ledger: LedgerDep,
                 credentials: CredentialsDep, password: str = Form("")):
    try:
        if user.role != "admin" and user_id != user.id:
            ledger.list_users(user.id)             # Forbidden
        ledger.set_password(user.id, user_id, password)
    except LedgerError as error:
        if user.role != "admin":
            return _tokens_page(request, credentials, user, error=form_error(error), status=error.http_status)
        return _users_page(request, ledger, user, error=form_error(error), status=error.http_status)
    target = ledger.user(user_id)
    revoked = credentials.end_all(target)             # every session and token of that account ends …
    if user_id == user.id:                            # … and the one who changed their own gets a new session
        old = request.session.get("sid")
        if old:
            credentials.end_session(old)
        csrf = request.session.get("csrf")
        request.session.clear()
        request.session["sid"] = credentials.open_session(user.id, user.username)
        if csrf:
            request.session["csrf"] = csrf
    flash(request, "密码已修改；其他登录会话已结束" + (f"，{revoked}个API令牌已撤销" if revoked else ""))
    return _see_other("/ledger/users" if user.role == "admin" else "/ledger/tokens")


# -- API tokens (and one's own password) ---------------------------------------------------------
def _tokens_page(request: Request, credentials, user, *, created: str | None = None, error: dict | None = None,
                 status: int = 200):
    return ledger_page(request, "tokens.html", user, status, tokens=credentials.tokens(user.id), created=created,
                       error=error)


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, user: PageUser, credentials: CredentialsDep):
    return _tokens_page(request, credentials, user)


@router.post("/tokens", response_class=HTMLResponse, dependencies=CSRF)
def create_token(request: Request, user: PageUser, credentials: CredentialsDep, name: str = Form("")):
    try:
        token, _ = credentials.create_token(user, name)
    except LedgerError as error:
        return _tokens_page(request, credentials, user, error=form_error(error), status=error.http_status)
    return _tokens_page(request, credentials, user, created=token, status=201)


@router.post("/tokens/{token_id}/revoke", dependencies=CSRF)
def revoke_token(request: Request, token_id: int, user: PageUser, credentials: CredentialsDep):
    try:
        info = credentials.revoke_token(user, token_id)
    except LedgerError as error:
        return _tokens_page(request, credentials, user, error=form_error(error), status=error.http_status)
    flash(request, f"令牌“{info.name}”（{info.prefix}…）已撤销")
    return _see_other("/ledger/tokens")
