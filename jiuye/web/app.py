"""The jiuye web application: API v1, Chinese pages, and OpenFisca's own web API under /openfisca."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..engine import InputError
from .api import PROBLEM, problem, router

MAX_BODY = 1_000_000   # bytes; a situation is a few kilobytes


def create_app(with_openfisca: bool = True, with_pages: bool = True) -> FastAPI:
    app = FastAPI(title="jiuye 就业政策引擎 API", version="1",
                  description="政策计算器: every measure a person or organisation qualifies for, how much, "
                              "when and why, citing the clause. Nothing sent is stored.")

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return problem(413, "Request too large", f"the body must be at most {MAX_BODY} bytes", "body")
        if request.method in ("POST", "PUT", "PATCH") and length is None:
            body = await request.body()
            if len(body) > MAX_BODY:
                return problem(413, "Request too large", f"the body must be at most {MAX_BODY} bytes", "body")
        return await call_next(request)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError):
        return problem(422, "Invalid input", error.message, error.field)

    @app.exception_handler(LookupError)
    async def not_found(request: Request, error: LookupError):
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
        response = problem(error.status_code, "HTTP error", str(error.detail), field)
        response.headers.update(error.headers or {})     # e.g. Allow on 405
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        import logging
        logging.getLogger("jiuye").exception("unexpected error on %s", request.url.path)
        return problem(500, "Internal error", "an unexpected error occurred; it has been logged")

    app.include_router(router)
    # -- 经办台账 (issue 5): pages under /ledger, API under /api/v1/ledger, session cookie; see jiuye/ledger_web
    from ..ledger_web import install as install_ledger
    install_ledger(app)
    # -- end 经办台账
    app.openapi = lambda: _openapi(app)
    if with_pages:
        try:
            from .pages import router as pages_router, mount_static
        except ImportError:
            pages_router = None
        if pages_router is not None:
            app.include_router(pages_router)
            mount_static(app)
    if with_openfisca:
        from a2wsgi import WSGIMiddleware
        from openfisca_web_api.app import create_app as openfisca_app
        from ..model.system import get_system
        app.mount("/openfisca", WSGIMiddleware(openfisca_app(get_system())))
    return app


def _openapi(app: FastAPI) -> dict:
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
