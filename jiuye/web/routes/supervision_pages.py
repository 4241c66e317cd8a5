"""督办与调度 pages under /supervision (Chinese, server-rendered): login, the task board (filter by
unit, status, document, month), a unit's reporting form, the office's dashboard with charts (inline
SVG, nothing loaded from elsewhere), comments and returns, and the monthly report as Excel or PDF.

``install(app)`` adds these routes, the API (``supervision_api``), a session cookie of its own scoped
to ``/supervision`` (the ledger's is scoped to ``/ledger``; both sessions live in ``web_sessions``) and
the redirect to /supervision/login. Users are the ledger's; what they see is decided by
``jiuye.supervision`` (a unit sees its own tasks, the office all of its document's).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...ledger.config import demo_mode
from ...ledger.errors import InvalidInput, LedgerError
from ...supervision import Supervision
from ...numerals import ascii_whole_number
from . import supervision_api
from .supervision_api import SupDep
from ...supervision.models import STATUSES
from ...supervision.tasks import KINDS, SOURCES
from ..deps import CSRF, LedgerDep, csrf_token, get_credentials, optional_page_user
from ..templating import templates, today

router = APIRouter(prefix="/supervision", include_in_schema=False)
log = logging.getLogger("jiuye.supervision")
COOKIE = "jiuye_supervision"
FLAGS = {"overdue": "逾期未报", "late": "逾期报送", "returned": "已退回", "missed": "未达目标"}
DOCUMENTS = {"heping": "和平区", "beijing": "北京市", "xicheng": "西城区", "haidian": "海淀区", "binjiang": "滨江区"}


class SupervisionLogin(LedgerError):
    http_status = 401

    def __init__(self) -> None:
        super().__init__("unauthorized", "请先登录", "authorization")


def sup_user(request: Request, user=Depends(optional_page_user)):
    if user is None:
        raise SupervisionLogin()
    request.state.user = user
    return user


User = Annotated[object, Depends(sup_user)]


def page(request: Request, name: str, user, status: int = 200, **extra):
    has_session = "session" in request.scope
    context = {"request": request, "user": user, "csrf": csrf_token(request) if has_session else "",
               "flash": request.session.pop("flash", None) if has_session else None, "today": today(),
               "demo": demo_mode(), "FLAGS": FLAGS, "STATUSES": STATUSES, "SOURCES": SOURCES, "KINDS": KINDS,
               "DOCUMENTS": DOCUMENTS, **extra}
    return templates.TemplateResponse(request, f"supervision/{name}", context, status_code=status)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/supervision") and not target.startswith("//") else "/supervision"


def _flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [kind, message]


def _month(value: str | None, sup: Supervision, user) -> str:
    """The month asked for, else the latest month with a report the user may see, else last month."""
    if value:
        return value
    reports = sup.reports(user.id)
    if reports:
        return max(r.period for r in reports)
    first = dt.date.today().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _scope(sup: Supervision, user, document: str | None) -> str:
    if document:
        return document
    viewer = sup.viewer(user.id)
    scopes = sorted(viewer.offices) or sorted({u.scope for u in viewer.units}) or ["heping"]
    return scopes[0]


# -- login ------------------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/supervision"):
    from ...supervision.demo import DEMO_USERS
    return page(request, "login.html", None, next=_safe_next(next), demo_users=DEMO_USERS if demo_mode() else [])


@router.post("/login", response_class=HTMLResponse, dependencies=CSRF)
def login(request: Request, ledger: LedgerDep, username: str = Form(""), password: str = Form(""),
          next: str = Form("/supervision")):
    from ...supervision.demo import DEMO_USERS
    user = ledger.authenticate(username.strip(), password) if username.strip() and password else None
    if user is None:
        log.warning("supervision login refused for %r", username[:64])
        return page(request, "login.html", None, 401, next=_safe_next(next), username=username,
                    demo_users=DEMO_USERS if demo_mode() else [],
                    error={"field": "password", "message": "用户名或密码不正确，或账号已停用"})
    credentials = get_credentials(request)
    old = request.session.get("sid")
    if old:
        credentials.end_session(old)
    request.session.clear()
    request.session["sid"] = credentials.open_session(user.id, user.username)
    _flash(request, f"欢迎，{user.display_name}")
    return _see_other(_safe_next(next))


@router.post("/logout", dependencies=CSRF)
def logout(request: Request):
    sid = request.session.get("sid")
    if sid:
        get_credentials(request).end_session(sid)
    request.session.clear()
    return _see_other("/supervision/login")


# -- the board ---------------------------------------------------------------------------------------------
@router.get("", response_class=HTMLResponse)
def board(request: Request, user: User, sup: SupDep, month: str = "", unit: str = "", status: str = "",
          document: str = ""):
    month = _month(month.strip(), sup, user)
    error = None
    try:
        rows = sup.board(user.id, month, today=dt.date.today(), unit=unit or None, document=document or None,
                         status=status or None)
    except InvalidInput as exc:
        rows, error = [], exc
    viewer = sup.viewer(user.id)
    units = sorted({(r["unit"].scope, r["unit"].name) for r in sup.board(user.id, month, today=dt.date.today())}
                   if not error else set())
    return page(request, "board.html", user, 422 if error else 200, rows=rows, month=month, error=error,
                form={"unit": unit, "status": status, "document": document}, units=units, viewer=viewer)


# -- a unit's report ----------------------------------------------------------------------------------------
def _report_context(sup: Supervision, user, task_id: str, unit_id: int, period: str):
    from ...supervision.tasks import get_task
    task = get_task(task_id)
    report = sup.find_report(user.id, task_id, unit_id, period)
    row = next((r for r in sup.board(user.id, period, today=dt.date.today(), document=task.document)
                if r["task"].id == task_id and r["unit"].id == unit_id), None)
    if report is not None:
        report = sup.report(user.id, report.id)
    viewer = sup.viewer(user.id)
    return {"task": task, "report": report, "row": row, "unit_id": unit_id, "period": period,
            "may_edit": unit_id in viewer.unit_ids and (report is None or report.editable),
            "office": viewer.office_of(task.document)}


@router.get("/report", response_class=HTMLResponse)
def report_form(request: Request, user: User, sup: SupDep, task: str, unit: int, period: str):
    return page(request, "report.html", user, **_report_context(sup, user, task, unit, period))


@router.post("/report", response_class=HTMLResponse, dependencies=CSRF)
async def report_save(request: Request, user: User, sup: SupDep):
    form = await request.form()
    task, period = str(form.get("task", "")), str(form.get("period", ""))
    try:
        unit_id = int(str(form.get("unit", "")))
    except ValueError:
        raise InvalidInput("unit", "单位编号应为数字") from None
    figures = {key[len("figure_"):]: str(value).strip() for key, value in form.items()
               if key.startswith("figure_") and str(value).strip()}
    texts = {k: str(form.get(k, "")) for k in ("progress", "effects", "difficulties", "next_steps", "suggestions")}
    submit = form.get("action") == "submit"
    version = str(form.get("version", ""))
    try:
        saved = sup.save_report(user.id, task, period, unit_id=unit_id, status=str(form.get("status", "")),
                                figures=figures, on=dt.date.today(), submit=submit,
                                expected_version=ascii_whole_number(version), **texts)
        upload = form.get("attachment")
        if upload is not None and getattr(upload, "filename", ""):
            data = await upload.read(sup_max_attachment() + 1)
            sup.add_attachment(user.id, saved.id, upload.filename, upload.content_type or "", data)
    except LedgerError as exc:
        context = _report_context(sup, user, task, unit_id, period)
        context["values"] = dict(texts, status=str(form.get("status", "")), **{f"figure_{k}": v for k, v in figures.items()})
        return page(request, "report.html", user, exc.http_status, error=exc, **context)
    _flash(request, f"月报已{'报送' if submit else '保存'}（{saved.state_label}）")
    return _see_other("/supervision/report?" + urlencode({"task": task, "unit": unit_id, "period": period}))


def sup_max_attachment() -> int:
    from ...supervision.service import MAX_ATTACHMENT
    return MAX_ATTACHMENT


@router.post("/reports/{report_id}/comment", response_class=HTMLResponse, dependencies=CSRF)
def comment(request: Request, report_id: int, user: User, sup: SupDep, text: str = Form(""),
            action: str = Form("comment")):
    report = sup.report(user.id, report_id)
    try:
        sup.comment(user.id, report_id, text, return_report=action == "return")
    except LedgerError as exc:
        context = _report_context(sup, user, report.task_id, report.unit.id, report.period)
        return page(request, "report.html", user, exc.http_status, error=exc, **context)
    _flash(request, "已退回月报" if action == "return" else "已批注")
    return _see_other("/supervision/report?" + urlencode({"task": report.task_id, "unit": report.unit.id,
                                                           "period": report.period}))


@router.get("/attachments/{attachment_id}")
def attachment(attachment_id: int, user: User, sup: SupDep):
    name, content_type, data = sup.attachment(user.id, attachment_id)
    return Response(data, media_type=content_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


# -- the office's dashboard ------------------------------------------------------------------------------
@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, user: User, sup: SupDep, month: str = "", document: str = ""):
    from ...supervision.assessment import assessments
    from ...supervision.report import monthly
    month = _month(month.strip(), sup, user)
    scope = _scope(sup, user, document.strip() or None)
    report = monthly(sup, user.id, scope, month, today=dt.date.today())
    by_unit: dict[str, dict] = {}
    for p in report["progress"]:
        counts = by_unit.setdefault(p["unit"], {"submitted": 0, "missing": 0, "flags": 0})
        counts["missing" if p["state"] == "未报送" else "submitted"] += 1
        counts["flags"] += bool(p["flags"])
    viewer = sup.viewer(user.id)
    grades = assessments(sup, user.id, "xicheng") if viewer.office_of("xicheng") else []
    return page(request, "dashboard.html", user, report=report, month=month, scope=scope, by_unit=by_unit,
                office=viewer.office_of(scope), grades=grades)


@router.get("/monthly.{fmt}")
def monthly_file(fmt: str, user: User, sup: SupDep, month: str = "", document: str = ""):
    import tempfile
    from pathlib import Path
    from ...supervision.report import monthly, write
    if fmt not in ("xlsx", "pdf"):
        raise InvalidInput("format", "应为 xlsx 或 pdf")
    month = _month(month.strip(), sup, user)
    scope = _scope(sup, user, document.strip() or None)
    data = monthly(sup, user.id, scope, month, today=dt.date.today())
    with tempfile.TemporaryDirectory() as folder:
        path = write(data, Path(folder) / f"report.{fmt}")
        body = path.read_bytes()
    media = "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = quote(f"月调度-{scope}-{month}.{fmt}")
    return Response(body, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


# -- install ----------------------------------------------------------------------------------------------
class SupervisionSessions:
    """Starlette's SessionMiddleware for /supervision only (cookie scoped to /supervision)."""

    def __init__(self, app, secret) -> None:
        self.app, self.secret, self.inner = app, secret, None      # secret: a function returning the key

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/supervision"):
            return await self.app(scope, receive, send)
        if self.inner is None:
            from starlette.middleware.sessions import SessionMiddleware
            from ..credentials import SESSION_HOURS, secure_cookies
            self.inner = SessionMiddleware(
                self.app, secret_key=self.secret(), session_cookie=COOKIE, max_age=SESSION_HOURS * 3600,
                path="/supervision", same_site="lax",
                https_only=secure_cookies())                 # as the ledger's: Secure unless JIUYE_INSECURE_COOKIES=1
        return await self.inner(scope, receive, send)


def install(app, secret) -> None:
    """The supervision pages and API on ``app`` (``create_app`` calls this); ``secret``: a function
    returning the session cookie's key (called on the first /supervision request)."""
    app.include_router(router)
    app.include_router(supervision_api.router)
    app.add_middleware(SupervisionSessions, secret=secret)

    @app.exception_handler(SupervisionLogin)
    async def to_login(request: Request, error: SupervisionLogin):
        target = request.url.path + (("?" + request.url.query) if request.url.query else "")
        return RedirectResponse("/supervision/login?next=" + quote(target if request.method == "GET" else "/supervision"),
                                status_code=303)


