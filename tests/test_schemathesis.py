"""Property-based tests of the HTTP API against its own /openapi.json (schemathesis).

Bounded and repeatable: at most 25 generated requests per operation (plus schemathesis' explicit
examples, boundary cases and unsupported methods), derandomized. For every request the API must not
fail (no 5xx), and every 4xx must be application/problem+json naming the `field` at fault.
"""

from __future__ import annotations

import json

import schemathesis
from schemathesis import checks
from hypothesis import HealthCheck, settings

from jiuye.web.app import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


def header(response, name: str) -> str:
    values = {k.lower(): v for k, v in response.headers.items()}.get(name, [""])
    return values[0] if isinstance(values, list) else values


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_explains_its_refusals(case):
    # schemathesis' own checks too (status codes, content types and bodies as documented, invalid
    # data rejected, 405 for unsupported methods), except "schema-valid data accepted": ids of
    # measures, documents and districts are plain strings in the schema, and unknown ones are refused.
    response = case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])
    where = f"{case.method} {case.formatted_path} {case.query or ''} {case.body!r:.300}"
    assert response.status_code < 500, f"{where} -> {response.status_code} {response.text[:500]}"
    if 400 <= response.status_code < 500:
        assert header(response, "content-type").split(";")[0] == "application/problem+json", \
            f"{where} -> {response.status_code} {header(response, 'content-type')} {response.text[:300]}"
        body = json.loads(response.text)
        assert body["status"] == response.status_code, where
        assert isinstance(body.get("field"), str) and body["field"], f"{where} -> {body}"
