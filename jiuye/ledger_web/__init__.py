"""经办台账 on the web: pages under /ledger and the API under /api/v1/ledger, on the claims ledger
(``jiuye.ledger.Ledger``). ``install(app)`` adds them to the web app (``jiuye.web.app.create_app``).

* ``core.py`` — the app's Ledger, login sessions, CSRF, bearer tokens, the errors.
* ``store.py`` — the tables of login sessions and API tokens (hashes only).
* ``pages.py`` — the Chinese pages (templates in ``jiuye/web/templates/ledger/``).
* ``api.py`` — the JSON API (problem+json errors naming the field).
* ``tables.py`` — export to Excel/CSV and bulk import.
* ``demo.py`` — ``python -m jiuye.ledger_web.demo``: what ``make run`` runs before the server
  (seeds the demo ledger in demo mode and prints the demo accounts).

Dependencies: ``itsdangerous`` signs the session cookie (Starlette's ``SessionMiddleware`` uses it);
``python-multipart`` parses the forms and uploads; ``openpyxl`` reads and writes Excel files.
"""

from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from ..web.api import PROBLEM

from ..ledger.errors import LedgerError
from .core import SESSION_COOKIE, STAFF, LoginRequired, secret_key

SECURITY_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}


def install(app: FastAPI, *, ledger=None, secret: str | None = None) -> None:
    """Add the ledger's pages, API, session cookie and error handling to ``app``. ``ledger``: use
    this Ledger (tests); default: opened on first use from ``JIUYE_DATABASE_URL``."""
    from .api import router as api_router
    from .pages import router as pages_router
    from .store import SESSION_HOURS

    if ledger is not None:
        app.state.ledger = ledger
    app.include_router(api_router)
    app.include_router(pages_router)

    @app.middleware("http")
    async def ledger_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path.startswith(("/ledger", "/api/v1/ledger")):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    # the signed cookie holds the session id and the form token; sent only to /ledger pages
    app.add_middleware(LedgerSessions, secret=secret, options=dict(
        session_cookie=SESSION_COOKIE, max_age=SESSION_HOURS * 3600, path="/ledger", same_site="lax",
        https_only=os.environ.get("JIUYE_COOKIE_SECURE", "") in ("1", "true", "yes")))

    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, error: LedgerError):
        if request.url.path.startswith("/api/"):
            body = {"type": "about:blank", "title": _TITLES.get(error.http_status, "Refused"),
                    "status": error.http_status, "detail": error.message, "field": error.field or "request",
                    "code": error.code}
            if error.details:
                body["details"] = _jsonable(error.details)
            headers = {"WWW-Authenticate": 'Bearer realm="jiuye-ledger"'} if isinstance(error, LoginRequired) else None
            return JSONResponse(body, status_code=error.http_status, media_type=PROBLEM, headers=headers)
        if isinstance(error, LoginRequired):
            from urllib.parse import quote
            target = request.url.path + (("?" + request.url.query) if request.url.query else "")
            return RedirectResponse("/ledger/login?next=" + quote(target if request.method == "GET" else "/ledger"),
                                    status_code=303)
        from ..web.pages import templates
        from .core import csrf_token
        user = getattr(request.state, "user", None)
        return templates.TemplateResponse(request, "ledger/error.html", {
            "request": request, "user": user, "error": error, "flash": None, "STAFF": STAFF,
            "csrf": csrf_token(request) if "session" in request.scope else ""},
            status_code=error.http_status)


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


_TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 409: "Refused", 422: "Invalid input"}


def _jsonable(value):
    import datetime as dt
    from decimal import Decimal
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
