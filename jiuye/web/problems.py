"""Errors of the HTTP API as ``application/problem+json`` (RFC 9457) naming the ``field`` at fault,
and their documentation in ``/openapi.json``.

Every 4xx of ``/api/v1`` is a ``Problem``: the calculator's (bad input 422, unknown measure 404, a
body too large 413 …) and the ledger's, which add the ledger's stable ``code`` (``own_claim``,
``already_paid``, ``not_due`` …) and the ``details`` the reason refers to.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..ledger.errors import LedgerError
from ..numerals import ascii_whole_number

PROBLEM = "application/problem+json"
TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not found", 409: "Refused", 413: "Request too large",
          422: "Invalid input"}


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    field: Optional[str] = None
    code: Optional[str] = None                 # the ledger's refusal code
    details: Optional[dict[str, Any]] = None   # what the ledger's reason refers to (ids, amounts, clauses)


def problem(status: int, title: str, detail: str, field: str | None = None, *, headers: dict | None = None,
            **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if field is not None:
        body["field"] = field
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(_encodable(body), status_code=status, media_type=PROBLEM, headers=headers)


def _encodable(value):
    """Texts that echo the input with a lone surrogate (``"\ud800"``) shown as U+FFFD: the refusal
    must not fail when it is encoded."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
        return value
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encodable(v) for v in value]
    return value


def documented(*statuses: int) -> dict:
    """The ``responses`` of a route: each status a Problem."""
    return {status: {"model": Problem, "content": {PROBLEM: {}}} for status in statuses}


def ledger_problem(error: LedgerError, headers: dict | None = None) -> JSONResponse:
    """A refusal of the ledger, with its code and details; the field is always named."""
    return problem(error.http_status, TITLES.get(error.http_status, "Refused"), error.message, error.field or "request",
                   headers=headers, code=error.code, details=_jsonable(error.details) if error.details else None)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def problem_openapi(app: FastAPI) -> dict:
    """FastAPI's schema, with every 4xx documented as what the handlers send: application/problem+json
    with the Problem schema (FastAPI would put it under application/json, or its own validation
    error shape)."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for operation in (op for path in schema["paths"].values() for op in path.values()):
            for status, response in operation.get("responses", {}).items():
                if status.startswith("4"):
                    response["content"] = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        schemas = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = schema
    return app.openapi_schema


# -- request bodies: limited while they stream in ----------------------------------------------------
class BodyLimit:
    """ASGI middleware: a request body larger than its limit is answered 413 (problem+json naming
    ``body`` and the limit) as soon as that many bytes have arrived — a declared Content-Length
    over the limit before any is read, a chunked body when its running total passes it — so no more
    than the limit is ever held in memory. ``limits``: path prefix → bytes (e.g. imports), else
    ``default``."""

    def __init__(self, app, default: int, limits: dict[str, int] | None = None) -> None:
        self.app, self.default, self.limits = app, default, dict(limits or {})

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.limits.items():
            if path.startswith(prefix):
                return limit
        return self.default

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope.get("path", ""))
        headers = dict((k.lower(), v) for k, v in scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            text = declared.decode("latin-1").strip()
            size = ascii_whole_number(text)
            if size is None or size > limit:
                return await self._too_large(scope, receive, send, limit)
            return await self.app(scope, receive, send)
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        chunks, total = [], 0
        while True:                                  # a chunked body: counted as it arrives
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            total += len(body)
            if total > limit:
                return await self._too_large(scope, receive, send, limit)
            chunks.append(body)
            if not message.get("more_body"):
                break
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replayed():
            return replay.pop() if replay else await receive()

        return await self.app(scope, replayed, send)

    async def _too_large(self, scope, receive, send, limit: int):
        response = problem(413, "Request too large", f"请求体最多{limit:,}字节（超过上限，未读取） at most {limit:,} bytes",
                           "body", limit=limit)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
