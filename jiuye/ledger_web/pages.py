"""经办台账 pages under /ledger (Chinese, server-rendered): login, the application list with filters,
an application's detail (the frozen explanation), approve/reject, the payment schedule with
"record payment", reassessment, a new application, export (Excel, CSV), bulk import, the installments
due for payment, users (admins) and API tokens.

Every POST form carries the session's CSRF token (checked before anything else). Who may do what
is decided by the ledger service; its refusals are shown on the page with their reason and the
HTTP status of the refusal (403 forbidden, 404 not found, 409 refused, 422 bad input).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..catalogue import CatalogueError, load_catalogue
from ..ledger.config import demo_mode
from ..ledger.errors import InvalidInput, LedgerError, NotFound
from ..ledger.users import checked_number
from ..ledger.models import APPLICATION_STATUSES, ROLES
from ..web.pages import templates
from . import tables
from .core import STAFF, check_csrf, csrf_token, flash, ledger_of, page_user, page_user_or_none, store_of

router = APIRouter(prefix="/ledger", include_in_schema=False)
log = logging.getLogger("jiuye.ledger_web")
CSRF = [Depends(check_csrf)]
PAGE_SIZE = 50


# -- helpers ------------------------------------------------------------------------------------------
def _today() -> str:
    return dt.date.today().isoformat()


def _context(request: Request, user, **extra) -> dict:
    message = request.session.pop("flash", None)
    return {"request": request, "user": user, "csrf": csrf_token(request), "flash": message, "ROLES": ROLES,
            "STATUSES": APPLICATION_STATUSES, "today": _today(), "demo": demo_mode(), "STAFF": STAFF, **extra}


def _render(request: Request, name: str, user, status: int = 200, **extra):
    return templates.TemplateResponse(request, f"ledger/{name}", _context(request, user, **extra), status_code=status)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _measures() -> list[tuple[str, list]]:
    """Executable measures grouped by document, for the selects."""
    groups: dict[str, list] = {}
    for m in load_catalogue().executable():
        groups.setdefault(m.document, []).append(m)
    return list(groups.items())


def _error(error: LedgerError) -> dict:
    return {"field": error.field, "message": error.message, "code": error.code}


def _staff(user) -> None:
    if user.role not in STAFF:
        from ..ledger.errors import Forbidden
        raise Forbidden(f"{ROLES[user.role]}（{user.username}）无权使用此页面；需要：经办、审核或管理员")


def _safe_next(target: str | None) -> str:
    return target if isinstance(target, str) and target.startswith("/ledger") and "//" not in target else "/ledger"


# -- login / logout ---------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/ledger"):
    from ..ledger.demo import DEMO_USERS
    demo_users = DEMO_USERS if demo_mode() else []
    return _render(request, "login.html", page_user_or_none(request), next=_safe_next(next), demo_users=demo_users)


@router.post("/login", response_class=HTMLResponse, dependencies=CSRF)
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/ledger")):
    from ..ledger.demo import DEMO_USERS
    ledger = ledger_of(request.app)
    user = ledger.authenticate(username.strip(), password) if username.strip() and password else None
    if user is None:
        log.warning("ledger login refused for %r", username[:64])
        return _render(request, "login.html", None, status=401, next=_safe_next(next), username=username,
                       demo_users=DEMO_USERS if demo_mode() else [],
                       error={"field": "password", "message": "用户名或密码不正确，或账号已停用"
                              + ("" if demo_mode() else "（演示账号只在演示模式下可用）")})
    old = request.session.get("sid")
    if old:
        store_of(request.app).end_session(old)
    request.session.clear()                       # a new session (and form token) at each login
    request.session["sid"] = store_of(request.app).open_session(user.id, user.username)
    flash(request, f"欢迎，{user.display_name}（{user.role_label}）")
    return _see_other(_safe_next(next))


@router.post("/logout", dependencies=CSRF)
def logout(request: Request):
    sid = request.session.get("sid")
    if sid:
        store_of(request.app).end_session(sid)
    request.session.clear()
    flash(request, "已退出登录")
    return _see_other("/ledger/login")


# -- list, export -------------------------------------------------------------------------------------
def _filters(request: Request) -> tuple[dict, dict, list]:
    """(filters for list_applications, the form's values, errors) from the query string."""
    q = request.query_params
    form = {k: q.get(k, "").strip() for k in ("status", "measure", "beneficiary", "from", "to", "applicant")}
    kwargs: dict[str, Any] = {}
    errors = []
    if form["status"]:
        if form["status"] in APPLICATION_STATUSES:
            kwargs["status"] = form["status"]
        else:
            errors.append({"field": "status", "message": "未知状态"})
    if form["measure"]:
        kwargs["measure_id"] = form["measure"]
    if form["beneficiary"]:
        if form["beneficiary"].isdigit():
            kwargs["beneficiary_id"] = int(form["beneficiary"])
        else:
            errors.append({"field": "beneficiary", "message": "申请人编号应为数字"})
    for key, arg in (("from", "submitted_from"), ("to", "submitted_to")):
        if form[key]:
            try:
                kwargs[arg] = dt.date.fromisoformat(form[key])
            except ValueError:
                errors.append({"field": key, "message": f"日期格式应为YYYY-MM-DD，而不是{form[key]!r}"})
    return kwargs, form, errors


def _find_applicant(ledger, user, number: str):
    """The applicant with this 身份证号 or 统一社会信用代码, or an error message."""
    number = number.strip().upper()
    for kind in ("person", "organisation"):
        try:
            checked_number(kind, number, "applicant")
        except InvalidInput:
            continue
        found = ledger.find_applicant(user.id, kind, number)
        return found, None if found else "台账中没有该证件号的申请人"
    return None, "应为18位居民身份证号或统一社会信用代码（校验码须正确）"


@router.get("", response_class=HTMLResponse)
def application_list(request: Request, user=Depends(page_user)):
    ledger = ledger_of(request.app)
    kwargs, form, errors = _filters(request)
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
    offset = int(offset_text) if offset_text.isdigit() else 0
    apps, beneficiary = [], None
    if not errors:
        try:
            apps = ledger.list_applications(user.id, limit=PAGE_SIZE + 1, offset=offset, **kwargs)
            if "beneficiary_id" in kwargs:
                beneficiary = ledger.applicant(user.id, kwargs["beneficiary_id"])
        except LedgerError as error:
            errors.append(_error(error))
    query = urlencode({k: v for k, v in form.items() if v and k != "applicant"})
    return _render(request, "list.html", user, status=422 if errors else 200, apps=apps[:PAGE_SIZE],
                   more=len(apps) > PAGE_SIZE, offset=offset, page_size=PAGE_SIZE, form=form, errors=errors,
                   measures=_measures(), query=query, beneficiary=beneficiary)


def _all_applications(ledger, user, kwargs: dict) -> list:
    out, offset = [], 0
    while True:
        part = ledger.list_applications(user.id, limit=1000, offset=offset, **kwargs)
        out.extend(part)
        if len(part) < 1000:
            return out
        offset += 1000


def _export_name(ext: str) -> str:
    return f"jiuye-ledger-{dt.date.today():%Y%m%d}.{ext}"


@router.get("/export.csv")
def export_csv(request: Request, user=Depends(page_user)):
    _staff(user)
    kwargs, _, errors = _filters(request)
    if errors:
        raise InvalidInput(errors[0]["field"], errors[0]["message"])
    data = tables.to_csv(_all_applications(ledger_of(request.app), user, kwargs))
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name("csv")}"'})


@router.get("/export.xlsx")
def export_xlsx(request: Request, user=Depends(page_user)):
    _staff(user)
    kwargs, _, errors = _filters(request)
    if errors:
        raise InvalidInput(errors[0]["field"], errors[0]["message"])
    data = tables.to_xlsx(_all_applications(ledger_of(request.app), user, kwargs))
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name("xlsx")}"'})


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


def _detail(request: Request, user, application_id: int, template: str = "detail.html", *,
            error: dict | None = None, status: int = 200, values: dict | None = None):
    ledger = ledger_of(request.app)
    app = ledger.application(user.id, application_id)
    entries = []
    if user.role in STAFF:
        entries = ledger.audit_entries(user.id, entity="application", entity_id=app.id, limit=200)
    situation = json.dumps(app.situation, ensure_ascii=False, indent=1) if app.situation else ""
    pay_keys = {i.id: f"web-{uuid.uuid4()}" for i in app.installments}
    return _render(request, template, user, status=status, app=app, r=_result_card(app), entries=entries,
                   situation=situation, pay_keys=pay_keys, error=error, values=values or {},
                   can_decide=user.role in ("reviewer", "admin") and app.status == "submitted",
                   own=app.submitted_by == user.username, can_pay=user.role in STAFF,
                   can_reassess=user.role in STAFF and app.status == "approved")


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application_detail(request: Request, application_id: int, user=Depends(page_user)):
    return _detail(request, user, application_id)


@router.get("/applications/{application_id}/schedule", response_class=HTMLResponse)
def application_schedule(request: Request, application_id: int, user=Depends(page_user)):
    return _detail(request, user, application_id, "schedule.html")


def _action(request: Request, user, application_id: int, run, done: str, template: str = "detail.html",
            values: dict | None = None):
    """Run a write; on success flash and redirect to the page, on refusal show it with the reason."""
    try:
        message = run()
    except LedgerError as error:
        if isinstance(error, NotFound) and error.field == "application":
            raise
        return _detail(request, user, application_id, template, error=_error(error), status=error.http_status,
                       values=values)
    flash(request, message or "已完成")
    return _see_other(done)


@router.post("/applications/{application_id}/approve", dependencies=CSRF)
def approve(request: Request, application_id: int, on: str = Form(""), reason: str = Form(""),
            user=Depends(page_user)):
    ledger = ledger_of(request.app)

    def run():
        app = ledger.approve(user.id, application_id, on=on or None, reason=reason)
        return f"申请#{app.id}已批准，核定{len([i for i in app.installments if i.status == 'scheduled'])}期"
    return _action(request, user, application_id, run, f"/ledger/applications/{application_id}",
                   values={"on": on, "reason": reason})


@router.post("/applications/{application_id}/reject", dependencies=CSRF)
def reject(request: Request, application_id: int, on: str = Form(""), reason: str = Form(""),
           user=Depends(page_user)):
    ledger = ledger_of(request.app)

    def run():
        app = ledger.reject(user.id, application_id, on=on or None, reason=reason)
        return f"申请#{app.id}已驳回：{reason}"
    return _action(request, user, application_id, run, f"/ledger/applications/{application_id}",
                   values={"on": on, "reason": reason})


@router.post("/installments/{installment_id}/pay", dependencies=CSRF)
def pay(request: Request, installment_id: int, on: str = Form(""), idempotency_key: str = Form(""),
        amount: str = Form(""), reference: str = Form(""), application_id: int = Form(...),
        back: str = Form("schedule"), user=Depends(page_user)):
    ledger = ledger_of(request.app)
    page = {"schedule": f"/ledger/applications/{application_id}/schedule", "payable": "/ledger/payable"}.get(
        back, f"/ledger/applications/{application_id}/schedule")
    if back == "payable":
        page += "?" + urlencode({"on": on})

    def run():
        payment = ledger.pay(user.id, installment_id, on=on or None, idempotency_key=idempotency_key,
                             amount=amount.strip() or None, reference=reference.strip() or None)
        if payment.replayed:
            return f"支付#{payment.id}已于此前登记（重复提交，未重复支付）"
        return f"已登记支付#{payment.id}：分期#{payment.installment_id} {payment.amount:,.2f}元，支付日期{payment.paid_on}"
    return _action(request, user, application_id, run, page, "schedule.html",
                   values={"installment": installment_id, "on": on, "reference": reference, "amount": amount})


CONTRACT_END = "contract_termination_date"


@router.post("/applications/{application_id}/reassess", dependencies=CSRF)
def reassess(request: Request, application_id: int, on: str = Form(""), reason: str = Form(""),
             situation: str = Form(""), contract_end: str = Form(""), user=Depends(page_user)):
    ledger = ledger_of(request.app)
    values = {"on": on, "reason": reason, "situation": situation, "contract_end": contract_end}

    def run():
        try:
            facts = json.loads(situation)
        except json.JSONDecodeError as error:
            raise InvalidInput("situation", f"情形不是有效的JSON（第{error.lineno}行第{error.colno}列：{error.msg}）") from None
        if contract_end.strip():
            try:
                dt.date.fromisoformat(contract_end.strip())
            except ValueError:
                raise InvalidInput("contract_end", "日期格式应为YYYY-MM-DD") from None
            current = ledger.application(user.id, application_id)
            key = _person_key(current)
            if key is None or not isinstance(facts, dict) or key not in (facts.get("persons") or {}):
                raise InvalidInput("contract_end", "该申请的情形中没有对应的职工，请直接在情形JSON中修改")
            facts["persons"][key][CONTRACT_END] = contract_end.strip()
        app = ledger.reassess(user.id, application_id, on=on or None, situation=facts, reason=reason)
        details = app.decisions[-1].details if app.decisions else {}
        return (f"已重新核定申请#{app.id}：取消{len(details.get('cancelled', []))}期，核减{len(details.get('reduced', []))}期，"
                f"保留{len(details.get('kept', []))}期")
    return _action(request, user, application_id, run, f"/ledger/applications/{application_id}/schedule",
                   values=values)


def _person_key(app) -> str | None:
    """The person's id in the frozen situation (from the frozen result)."""
    if app.result:
        return app.result.get("person") or (app.result.get("beneficiary") if app.beneficiary.kind == "person" else None)
    return None


# -- installments due -------------------------------------------------------------------------------
@router.get("/payable", response_class=HTMLResponse)
def payable(request: Request, on: str = "", user=Depends(page_user)):
    _staff(user)
    ledger = ledger_of(request.app)
    on = on or _today()
    error, rows = None, []
    try:
        items = ledger.payable(user.id, on=on, limit=500)
        apps = {}
        for inst in items:
            if inst.application_id not in apps:
                apps[inst.application_id] = ledger.application(user.id, inst.application_id, detail=False)
            rows.append((inst, apps[inst.application_id], f"web-{uuid.uuid4()}"))
    except LedgerError as err:
        error = _error(err)
    return _render(request, "payable.html", user, status=error and 422 or 200, on=on, rows=rows, error=error)


# -- new application ----------------------------------------------------------------------------
NEW_FIELDS = ("measure_id", "on", "beneficiary_id_number", "beneficiary_name", "person_id_number", "person_name",
              "situation", "beneficiary_key", "person_key", "idempotency_key")


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, user=Depends(page_user)):
    values = {"on": _today(), "idempotency_key": f"web-{uuid.uuid4()}"}
    return _render(request, "new.html", user, values=values, measures=_measures(), error=None)


@router.post("/new", dependencies=CSRF)
async def new_submit(request: Request, user=Depends(page_user)):
    from starlette.concurrency import run_in_threadpool
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in NEW_FIELDS}
    ledger = ledger_of(request.app)
    try:
        app = await run_in_threadpool(_submit_from_form, ledger, user, values)
    except LedgerError as error:
        values["idempotency_key"] = values["idempotency_key"] or f"web-{uuid.uuid4()}"
        return _render(request, "new.html", user, status=error.http_status, values=values, measures=_measures(),
                       error=_error(error))
    flash(request, f"已记录申请#{app.id}：{app.title}，计算结果“{app.result_label}”")
    return _see_other(f"/ledger/applications/{app.id}")


def _submit_from_form(ledger, user, v: dict):
    if not v["measure_id"]:
        raise InvalidInput("measure_id", "请选择措施")
    try:
        measure = load_catalogue().measure(v["measure_id"])
    except CatalogueError as error:
        raise InvalidInput("measure_id", str(error)) from None
    if not v["situation"]:
        raise InvalidInput("situation", "请填写情形JSON（persons、organisations）")
    try:
        situation = json.loads(v["situation"])
    except json.JSONDecodeError as error:
        raise InvalidInput("situation", f"不是有效的JSON（第{error.lineno}行第{error.colno}列：{error.msg}）") from None
    if user.role == "applicant":
        beneficiary_id = user.applicant_id
    else:
        beneficiary_id = _register(ledger, user, measure.beneficiary, v["beneficiary_id_number"],
                                   v["beneficiary_name"], "beneficiary")
    person_id = None
    if measure.entity == "person" and measure.beneficiary == "organisation":
        if not v["person_id_number"]:
            raise InvalidInput("person_id_number", f"{measure.id}按人员计算（{measure.role or '职工'}），请填写该人员的身份证号")
        person_id = _register(ledger, user, "person", v["person_id_number"], v["person_name"], "person")
    return ledger.submit(user.id, measure_id=measure.id, beneficiary_id=beneficiary_id, person_id=person_id,
                         situation=situation, on=v["on"] or None, beneficiary_key=v["beneficiary_key"] or None,
                         person_key=v["person_key"] or None, idempotency_key=v["idempotency_key"] or None)


def _register(ledger, user, kind: str, number: str, name: str, prefix: str) -> int:
    if not number:
        raise InvalidInput(f"{prefix}_id_number", "请填写" + ("居民身份证号" if kind == "person" else "统一社会信用代码"))
    try:
        number = checked_number(kind, number, f"{prefix}_id_number")
        found = ledger.find_applicant(user.id, kind, number)
        if found is not None:
            return found.id
        if not name:
            raise InvalidInput(f"{prefix}_name", "新申请人：请填写姓名或单位名称")
        return ledger.register_applicant(user.id, kind, number, name).id
    except InvalidInput as error:
        if error.field in ("id_number", "name"):
            raise InvalidInput(f"{prefix}_{error.field}", error.message) from None
        raise


# -- import ----------------------------------------------------------------------------------------
@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user=Depends(page_user)):
    _staff(user)
    return _render(request, "import.html", user, columns=tables.IMPORT_COLUMNS, report=None, error=None)


@router.get("/import/template.csv")
def import_template(request: Request, user=Depends(page_user)):
    _staff(user)
    return Response(tables.template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="jiuye-import-template.csv"'})


@router.post("/import", response_class=HTMLResponse, dependencies=CSRF)
def import_file(request: Request, file: Optional[UploadFile] = File(None), user=Depends(page_user)):
    _staff(user)
    error, report = None, None
    if file is None or not file.filename:
        error = {"field": "file", "message": "请选择要导入的 Excel（.xlsx）或 CSV 文件"}
    else:
        try:
            report = tables.import_applications(ledger_of(request.app), user.id, file.filename, file.file.read())
        except LedgerError as err:
            error = _error(err)
    status = 422 if error else 200
    return _render(request, "import.html", user, status=status, columns=tables.IMPORT_COLUMNS, report=report,
                   error=error)


# -- users (admins) -------------------------------------------------------------------------------
@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user=Depends(page_user)):
    return _users_page(request, user)


def _users_page(request: Request, user, *, error: dict | None = None, status: int = 200, values: dict | None = None):
    listed = ledger_of(request.app).list_users(user.id)          # Forbidden unless admin
    return _render(request, "users.html", user, status=status, users=listed, error=error, values=values or {})


@router.post("/users", dependencies=CSRF)
def create_user(request: Request, username: str = Form(""), display_name: str = Form(""), role: str = Form(""),
                password: str = Form(""), applicant_kind: str = Form("person"), applicant_id_number: str = Form(""),
                applicant_name: str = Form(""), user=Depends(page_user)):
    ledger = ledger_of(request.app)
    values = {"username": username, "display_name": display_name, "role": role, "applicant_kind": applicant_kind,
              "applicant_id_number": applicant_id_number, "applicant_name": applicant_name}
    try:
        if user.role != "admin":
            ledger.list_users(user.id)                              # the service's refusal (Forbidden)
        applicant_id = None
        if role == "applicant":
            if applicant_kind not in ("person", "organisation"):
                raise InvalidInput("applicant_kind", "应为个人或单位")
            applicant_id = _register(ledger, user, applicant_kind, applicant_id_number.strip(), applicant_name.strip(),
                                     "applicant")
        created = ledger.create_user(user.id, username, role, password=password or None,
                                     display_name=display_name.strip() or None, applicant_id=applicant_id)
    except LedgerError as error:
        return _users_page(request, user, error=_error(error), status=error.http_status, values=values)
    flash(request, f"已创建用户 {created.username}（{created.role_label}）")
    return _see_other("/ledger/users")


@router.post("/users/{user_id}/active", dependencies=CSRF)
def set_active(request: Request, user_id: int, active: str = Form(""), user=Depends(page_user)):
    try:
        changed = ledger_of(request.app).set_active(user.id, user_id, active == "1")
    except LedgerError as error:
        return _users_page(request, user, error=_error(error), status=error.http_status)
    flash(request, f"用户 {changed.username} 已{'启用' if changed.active else '停用'}")
    return _see_other("/ledger/users")


@router.post("/users/{user_id}/password", dependencies=CSRF)
def set_password(request: Request, user_id: int, password: str = Form(""), user=Depends(page_user)):
    try:
        if user.role != "admin" and user_id != user.id:
            ledger_of(request.app).list_users(user.id)             # Forbidden
        ledger_of(request.app).set_password(user.id, user_id, password)
    except LedgerError as error:
        if user.role != "admin":
            return _tokens_page(request, user, error=_error(error), status=error.http_status)
        return _users_page(request, user, error=_error(error), status=error.http_status)
    flash(request, "密码已修改")
    return _see_other("/ledger/users" if user.role == "admin" else "/ledger/tokens")


# -- API tokens (and one's own password) ---------------------------------------------------------
def _tokens_page(request: Request, user, *, created: str | None = None, error: dict | None = None, status: int = 200):
    tokens = store_of(request.app).tokens(user.id)
    return _render(request, "tokens.html", user, status=status, tokens=tokens, created=created, error=error)


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, user=Depends(page_user)):
    return _tokens_page(request, user)


@router.post("/tokens", response_class=HTMLResponse, dependencies=CSRF)
def create_token(request: Request, name: str = Form(""), user=Depends(page_user)):
    try:
        token, _ = store_of(request.app).create_token(user, name)
    except LedgerError as error:
        return _tokens_page(request, user, error=_error(error), status=error.http_status)
    return _tokens_page(request, user, created=token, status=201)


@router.post("/tokens/{token_id}/revoke", dependencies=CSRF)
def revoke_token(request: Request, token_id: int, user=Depends(page_user)):
    try:
        info = store_of(request.app).revoke_token(user, token_id)
    except LedgerError as error:
        return _tokens_page(request, user, error=_error(error), status=error.http_status)
    flash(request, f"令牌“{info.name}”（{info.prefix}…）已撤销")
    return _see_other("/ledger/tokens")
