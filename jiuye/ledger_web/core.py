"""Shared plumbing of the ledger's pages and API: the Ledger of the app, who is asking (session or
bearer token), CSRF, and the errors these raise.

* The ledger: ``app.state.ledger`` when set (tests), else ``Ledger()`` opened on first use from
  ``JIUYE_DATABASE_URL`` (default SQLite ``./var/jiuye.db``), like the ledger's CLI.
* Pages: a signed cookie (Starlette's SessionMiddleware, i.e. itsdangerous) scoped to ``/ledger``
  carries a random session id and the form token; the session itself lives in ``web_sessions``
  (``store.py``). Every POST form carries ``csrf_token``, compared with the session's.
* API: ``Authorization: Bearer jy_…`` (tokens made on /ledger/tokens).
* Every request re-reads the user: a deactivated user, or a demo user outside demo mode, is out.
  What each role may do is decided by the service (``Ledger``), which raises ``Forbidden``.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from pathlib import Path

from fastapi import Form, Request

from ..ledger.config import demo_mode
from ..ledger.errors import LedgerError
from .store import TOKEN_PATTERN, CredentialStore

_lock = threading.Lock()
SESSION_COOKIE = "jiuye_ledger"
STAFF = ("case_worker", "reviewer", "admin")


class LoginRequired(LedgerError):
    """No (live) login: pages redirect to the login page, the API answers 401."""
    http_status = 401

    def __init__(self, message: str = "请先登录 login required") -> None:
        super().__init__("unauthorized", message, "authorization")


class CsrfFailed(LedgerError):
    http_status = 403

    def __init__(self) -> None:
        super().__init__("csrf", "表单校验失败（表单已过期或并非来自本站）：请刷新页面后重试 "
                         "CSRF token missing or wrong", "csrf_token")


def secret_key() -> str:
    """``JIUYE_SECRET_KEY``, else a random key kept in ``var/session-secret`` (0600) so that several
    workers and restarts share it."""
    key = os.environ.get("JIUYE_SECRET_KEY", "").strip()
    if key:
        return key
    path = Path("var") / "session-secret"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:                       # another worker made it first
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def ledger_of(app):
    """The app's Ledger (and its credential store), opened once."""
    state = app.state
    if getattr(state, "ledger_store", None) is None:
        with _lock:
            if getattr(state, "ledger", None) is None:
                from ..ledger import Ledger
                state.ledger = Ledger()
            if getattr(state, "ledger_store", None) is None:
                state.ledger_store = CredentialStore(state.ledger)
    return state.ledger


def store_of(app) -> CredentialStore:
    ledger_of(app)
    return app.state.ledger_store


def live_user(app, user_id: int, username: str):
    """The user, if still the same account, active, and (for demo accounts) in demo mode."""
    from ..ledger.errors import NotFound
    try:
        user = ledger_of(app).user(user_id)
    except NotFound:
        return None
    if user.username != username or not user.active or (user.is_demo and not demo_mode()):
        return None
    return user


# -- pages: session and CSRF -------------------------------------------------------------------
def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def page_user_or_none(request: Request):
    data = request.session.get("sid")
    if not data:
        return None
    found = store_of(request.app).session_user(data)
    if found is None:
        return None
    return live_user(request.app, *found)


def page_user(request: Request):
    """Dependency: the logged-in user, or LoginRequired (the handler redirects to the login page)."""
    user = page_user_or_none(request)
    if user is None:
        raise LoginRequired()
    request.state.user = user
    return user


def check_csrf(request: Request, csrf_token: str | None = Form(None)) -> None:
    """Dependency of every POST form: the form's token must equal the session's."""
    expected = request.session.get("csrf")
    if not expected or not csrf_token or not hmac.compare_digest(str(expected), str(csrf_token)):
        raise CsrfFailed()


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [kind, message]


# -- API: bearer tokens ----------------------------------------------------------------------------
def api_user(request: Request):
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise LoginRequired("缺少 Authorization: Bearer 令牌 a bearer token is required (create one on /ledger/tokens)")
    if scheme.lower() != "bearer" or not token.strip():
        raise LoginRequired("Authorization 应为 Bearer 令牌 expected 'Authorization: Bearer <token>'")
    token = token.strip()
    # a malformed token is refused before the database is opened (fuzzed requests touch no file)
    found = store_of(request.app).token_user(token) if TOKEN_PATTERN.fullmatch(token) else None
    user = live_user(request.app, *found) if found else None
    if user is None:
        raise LoginRequired("令牌无效、已撤销，或其用户已停用 invalid or revoked token")
    request.state.user = user
    return user
