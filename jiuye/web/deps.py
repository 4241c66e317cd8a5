"""Typed FastAPI dependencies of the routes: the ledger, the credential store, who is asking (a page
user by session, a staff member, an API user by bearer token), the CSRF check of every POST form,
and the filters of the application list.

    @router.get("/ledger/payable")
    def payable(request: Request, ledger: LedgerDep, user: StaffUser, on: str = ""): ...

* The ledger: ``app.state.ledger`` when set (tests), else ``Ledger()`` opened on first use from
  ``JIUYE_DATABASE_URL`` (default SQLite ``./var/jiuye.db``), like the ledger's CLI.
* Pages: a signed cookie (Starlette's SessionMiddleware, i.e. itsdangerous) scoped to ``/ledger``
  carries a random session id and the form token; the session itself lives in ``web_sessions``
  (``credentials.py``). Every POST form carries ``csrf_token``, compared with the session's.
* API: ``Authorization: Bearer jy_…`` (tokens made on /ledger/tokens).
* Every request re-reads the user: a deactivated user, or a demo user outside demo mode, is out.
  What each role may do is decided by the service (``Ledger``), which raises ``Forbidden``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.security import HTTPBearer

from ..day import DayError, parse_day
from ..ledger import Ledger, UserInfo
from ..ledger.config import demo_mode
from ..ledger.errors import Forbidden, LedgerError, NotFound
from ..ledger.models import APPLICATION_STATUSES, ROLES
from ..numerals import ForeignDigit, whole_number
from .credentials import TOKEN_PATTERN, CredentialStore

STAFF = ("case_worker", "reviewer", "admin")
_opening = threading.Lock()


class LoginRequired(LedgerError):
    """No (live) login: pages redirect to the login page, the API answers 401."""
    http_status = 401

    def __init__(self, message: str = "请先登录") -> None:
        super().__init__("unauthorized", message, "authorization")


class CsrfFailed(LedgerError):
    http_status = 403

    def __init__(self) -> None:
        super().__init__("csrf", "表单校验失败（表单已过期或并非来自本站）：请刷新页面后重试", "csrf_token")


# -- the ledger -------------------------------------------------------------------------------------
def credentials_of(app) -> CredentialStore:
    """The app's credential store (and its Ledger), opened once."""
    state = app.state
    if getattr(state, "ledger_store", None) is None:
        with _opening:
            if getattr(state, "ledger", None) is None:
                state.ledger = Ledger()
            if getattr(state, "ledger_store", None) is None:
                state.ledger_store = CredentialStore(state.ledger)
    return state.ledger_store


def get_ledger(request: Request) -> Ledger:
    """The app's Ledger: ``app.state.ledger``, else opened on first use."""
    return credentials_of(request.app).ledger


def get_credentials(request: Request) -> CredentialStore:
    return credentials_of(request.app)


LedgerDep = Annotated[Ledger, Depends(get_ledger)]
CredentialsDep = Annotated[CredentialStore, Depends(get_credentials)]


def _live_user(ledger: Ledger, found: tuple | None) -> UserInfo | None:
    """The user of a session or token, if still the same account, active, (for demo accounts) in demo
    mode, and opened after the account's credentials last changed (a password change or reset ends
    every older session and token)."""
    if found is None:
        return None
    user_id, username, opened = found
    try:
        user = ledger.user(user_id)
    except NotFound:
        return None
    if user.username != username or not user.active or (user.is_demo and not demo_mode()):
        return None
    if user.credentials_changed_at is not None and opened < user.credentials_changed_at:
        return None
    return user


# -- pages: session and CSRF ------------------------------------------------------------------------------
def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def optional_page_user(request: Request) -> UserInfo | None:
    """The logged-in user, or None (without a session id the database is not opened)."""
    sid = request.session.get("sid")
    return _live_user(get_ledger(request), get_credentials(request).session_user(sid)) if sid else None


def page_user(request: Request, user: Annotated[UserInfo | None, Depends(optional_page_user)]) -> UserInfo:
    """The logged-in user, or LoginRequired (the handler redirects to the login page)."""
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


def staff_user(user: Annotated[UserInfo, Depends(page_user)]) -> UserInfo:
    """A logged-in 经办, 审核 or 管理员 (pages an applicant may not use)."""
    if user.role not in STAFF:
        raise Forbidden(f"{ROLES[user.role]}（{user.username}）无权使用此页面；需要：经办、审核或管理员")
    return user


MaybePageUser = Annotated[UserInfo | None, Depends(optional_page_user)]
PageUser = Annotated[UserInfo, Depends(page_user)]
StaffUser = Annotated[UserInfo, Depends(staff_user)]


def check_csrf(request: Request, csrf_token: str | None = Form(None)) -> None:
    """Dependency of every POST form: the form's token must equal the session's."""
    expected = request.session.get("csrf")
    if not expected or not csrf_token or not hmac.compare_digest(str(expected), str(csrf_token)):
        raise CsrfFailed()


CSRF = [Depends(check_csrf)]


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [kind, message]


# -- API: bearer tokens ----------------------------------------------------------------------------
# documents the scheme in /openapi.json; the check itself is api_user (problem+json 401)
bearer = HTTPBearer(auto_error=False, scheme_name="ledgerToken",
                    description="经办台账 API 令牌（在 /ledger/tokens 创建）: `Authorization: Bearer jy_…`")


def api_user(request: Request, _documented=Depends(bearer)) -> UserInfo:
    """The user of the bearer token. Declare it before the route's other dependencies: a request
    without a well-formed token is refused before the database is opened (fuzzed requests touch no file)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise LoginRequired("缺少 Authorization: Bearer 令牌（在 /ledger/tokens 创建）")
    if scheme.lower() != "bearer" or not token.strip():
        raise LoginRequired("Authorization 应为 Bearer 令牌：Authorization: Bearer <令牌>")
    token = token.strip()
    user = None
    if TOKEN_PATTERN.fullmatch(token):
        user = _live_user(get_ledger(request), get_credentials(request).token_user(token))
    if user is None:
        raise LoginRequired("令牌无效、已撤销，或其用户已停用")
    request.state.user = user
    return user


ApiUser = Annotated[UserInfo, Depends(api_user)]


# -- the application list's filters ----------------------------------------------------------------------
@dataclass
class ListFilters:
    """The list's query string: ``kwargs`` for ``Ledger.list_applications``, the form's values, errors."""
    kwargs: dict[str, Any] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def list_filters(request: Request) -> ListFilters:
    q = request.query_params
    out = ListFilters(form={k: q.get(k, "").strip() for k in ("status", "measure", "beneficiary", "from", "to",
                                                              "applicant")})
    form, kwargs = out.form, out.kwargs
    if form["status"]:
        if form["status"] in APPLICATION_STATUSES:
            kwargs["status"] = form["status"]
        else:
            out.errors.append({"field": "status", "message": "未知状态"})
    if form["measure"]:
        kwargs["measure_id"] = form["measure"]
    if form["beneficiary"]:
        try:
            number = whole_number(form["beneficiary"])
        except ForeignDigit as error:
            out.errors.append({"field": "beneficiary", "message": f"申请人编号{error}"})
        else:
            if number is not None:
                kwargs["beneficiary_id"] = number
            else:
                out.errors.append({"field": "beneficiary", "message": "申请人编号应为数字"})
    for key, arg in (("from", "submitted_from"), ("to", "submitted_to")):
        if form[key]:
            try:
                kwargs[arg] = parse_day(form[key])
            except DayError as error:
                out.errors.append({"field": key, "message": str(error)})
    return out


Filters = Annotated[ListFilters, Depends(list_filters)]
