"""The jiuye web application: ``create_app()`` — the routers of ``routes/``, the middleware (body size,
the ledger's session cookie and security headers) and the exception handlers (problem+json for the
API, a Chinese page for the pages); OpenFisca's own web API under /openfisca."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..assess.situation import InputError
from ..ledger.errors import LedgerError
from .credentials import SESSION_HOURS, secure_cookies, security_headers
from .deps import LoginRequired
from .problems import BodyLimit, ledger_problem, problem, problem_openapi
from .routes import calculator_api, calculator_pages, ledger_api, ledger_claims, ledger_files, ledger_pages, registry_pages
from .routes import supervision_pages
from .templating import HERE, ledger_page

MAX_BODY = 1_000_000   # bytes; a situation is a few kilobytes
MAX_IMPORT_BODY = 30_000_000   # an import file of 10,000 claims (Excel or CSV)
SESSION_COOKIE = "jiuye_ledger"


def create_app(with_openfisca: bool = True, with_pages: bool = True, *, ledger=None,
               secret: str | None = None) -> FastAPI:
    """``ledger``: use this Ledger (tests; also ``app.state.ledger``); default: opened on first use
    from ``JIUYE_DATABASE_URL``. ``secret``: the session cookie's key (default ``secret_key()``)."""
    from .docs import offline_docs_app      # /docs and /redoc from bundled assets, nothing from another host
    app = offline_docs_app(title="jiuye 就业政策引擎 API", version="1",
                  description="政策计算器: every measure a person or organisation qualifies for, how much, "
                              "when and why, citing the clause. Nothing sent is stored. "
                              "经办台账 (/api/v1/ledger): claims, decisions, installments, payments.")
    if ledger is not None:
        app.state.ledger = ledger
    app.include_router(calculator_api.router)
    app.include_router(ledger_api.router)
    app.include_router(ledger_pages.router)
    app.include_router(ledger_claims.router)
    app.include_router(ledger_files.router)
    if with_pages:
        app.include_router(calculator_pages.router)
        app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    supervision_pages.install(app, lambda: secret or secret_key())     # 督办与调度: /supervision, /api/v1/supervision
    _middleware(app, secret)
    _handlers(app)
    registry_pages.install(app, lambda: secret or secret_key())   # 实名制就业帮扶台账 /registry
    app.openapi = lambda: problem_openapi(app)
    if with_openfisca:
        from a2wsgi import WSGIMiddleware
        from openfisca_web_api.app import create_app as openfisca_app
        from ..model.system import get_system
        app.mount("/openfisca", WSGIMiddleware(openfisca_app(get_system())))
    return app


# -- middleware -------------------------------------------------------------------------------------------
def _middleware(app: FastAPI, secret: str | None) -> None:
    # added innermost first: the session cookie outermost, then the security headers, the body limit
    # bodies limited as they stream in (a chunked body is not read whole first); imports may be larger
    app.add_middleware(BodyLimit, default=MAX_BODY, limits={"/ledger/import": MAX_IMPORT_BODY,
                                                           "/api/v1/ledger/import": MAX_IMPORT_BODY})

    app.add_middleware(SecurityHeaders)

    # the signed cookie holds the session id and the form token; sent only to /ledger pages
    app.add_middleware(LedgerSessions, secret=secret, options=dict(
        session_cookie=SESSION_COOKIE, max_age=SESSION_HOURS * 3600, path="/ledger", same_site="lax",
        https_only=secure_cookies()))


class SecurityHeaders:
    """The security headers on every response (no-store too on the staff's paths: ledger, registry,
    supervision; credentials.security_headers), where the response does not set them itself; plain
    ASGI (Starlette's `@app.middleware("http")` costs a task and a stream per request: the registry's
    and supervision's own header middlewares of that kind cost every API request ~1 ms)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = security_headers(scope["path"])

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)
        return await self.app(scope, receive, send_with_headers)


class LedgerSessions:
    """Starlette's SessionMiddleware for /ledger only, made on the first /ledger request (so the
    secret key is read, or made, only by an app that serves the pages)."""

    def __init__(self, app, secret: str | None, options: dict) -> None:
        self.app, self.secret, self.options, self.inner = app, secret, options, None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/ledger"):
            return await self.app(scope, receive, send)
        if self.inner is None:
            from starlette.middleware.sessions import SessionMiddleware
            self.inner = SessionMiddleware(self.app, secret_key=self.secret or secret_key(), **self.options)
        return await self.inner(scope, receive, send)


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


# -- exception handlers -----------------------------------------------------------------------------------
def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, error: LedgerError):
        if request.url.path.startswith("/api/"):
            headers = {"WWW-Authenticate": 'Bearer realm="jiuye-ledger"'} if isinstance(error, LoginRequired) else None
            return ledger_problem(error, headers)
        if isinstance(error, LoginRequired):
            target = request.url.path + (("?" + request.url.query) if request.url.query else "")
            return RedirectResponse("/ledger/login?next=" + quote(target if request.method == "GET" else "/ledger"),
                                    status_code=303)
        return ledger_page(request, "error.html", getattr(request.state, "user", None), error.http_status,
                           error=error)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return problem(422, "Invalid input", error.message, error.field)

    @app.exception_handler(LookupError)
    async def not_found(request: Request, error: LookupError):
        if type(error) is not LookupError:     # numpy's IndexError, a KeyError: a bug, not "not found"
            return await unexpected(request, error)
        field, detail = (error.args + ("", ""))[:2] if len(error.args) >= 2 else ("path", str(error))
        return problem(404, "Not found", detail, field)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        first = error.errors()[0] if error.errors() else {"loc": ("body",), "msg": "invalid"}
        loc = [str(part) for part in first.get("loc", ()) if part != "body"] or ["body"]
        return problem(422, "Invalid input", first.get("msg", "invalid"), ".".join(loc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        field = {404: "path", 405: "method"}.get(error.status_code, "request")
        return problem(error.status_code, "HTTP error", str(error.detail), field, headers=error.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        logging.getLogger("jiuye").exception("unexpected error on %s", request.url.path)
        return problem(500, "Internal error", "发生意外错误，已记录日志")
