"""The security headers of every response, set by one plain ASGI middleware (app.SecurityHeaders):
no-store on the staff's paths (ledger, registry, supervision: personal data), the framing,
sniffing, referrer and content-security headers everywhere; no `@app.middleware("http")`, whose
task and stream per request cost every calculator request."""

from __future__ import annotations

import pytest
from starlette.middleware.base import BaseHTTPMiddleware

from .test_questionnaire import client  # noqa: F401  (the app's test client)


@pytest.mark.parametrize("path", ["/ledger/login", "/registry/login", "/supervision/login",
                                  "/api/v1/registry/persons", "/api/v1/supervision/tasks", "/api/v1/ledger/applications"])
def test_the_staff_paths_are_not_stored(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.headers["cache-control"] == "no-store", (path, response.status_code)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_the_calculator_api_gets_the_security_headers_but_may_be_stored(client):
    response = client.get("/api/v1/districts")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "cache-control" not in response.headers


def test_no_middleware_costs_a_task_per_request(client):
    kinds = [m.cls for m in client.app.user_middleware]
    assert not [k for k in kinds if isinstance(k, type) and issubclass(k, BaseHTTPMiddleware)], kinds
