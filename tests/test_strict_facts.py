"""Strict facts (issue 9, item 3): a boolean fact given as a string ("否", "false", "no", "0") or a number
is refused before anything is computed — in `jiuye calc`, in the HTTP API and in the ledger — with a
Chinese message naming the fact, and the ledger stores nothing. (The rosters' explicit 是/否 mapping
is tested in tests/ledger_web/test_claims_by_facts.py and tests/registry/test_import.py.)"""

import copy
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jiuye.cli import app
from jiuye.web.app import create_app

from .conftest import load_example

SITUATION = load_example("xicheng_6_stable_employment.json")
ON = "2026-11-23"
NOT_BOOLEANS = ["否", "false", "no", "0", 0, 1]


def with_fact(value) -> dict:
    situation = copy.deepcopy(SITUATION)
    situation["persons"]["zhang_san"]["social_insurance_paid"] = value
    return situation


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_calc_refuses_a_boolean_given_as_anything_but_true_or_false(tmp_path, value):
    path = tmp_path / "situation.json"
    path.write_text(json.dumps(with_fact(value), ensure_ascii=False), encoding="utf-8")
    run = CliRunner().invoke(app, ["calc", str(path), "--on", ON, "--json"])
    assert run.exit_code != 0
    output = run.stdout + (run.stderr if run.stderr_bytes is not None else "")
    assert "social_insurance_paid" in output or "按规定缴纳职工社会保险" in output
    assert "true（是）或 false（否）" in output
    assert '"results"' not in output                     # nothing was computed


@pytest.mark.parametrize("value", NOT_BOOLEANS)
def test_the_api_refuses_it_naming_the_field(client, value):
    response = client.post("/api/v1/calculate", json={"situation": with_fact(value), "on": ON})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["field"] == "situation.persons.zhang_san.social_insurance_paid"
    assert "按规定缴纳职工社会保险" in body["detail"] and "true（是）或 false（否）" in body["detail"]


@pytest.mark.parametrize("value", [True, False])
def test_json_true_and_false_are_accepted(client, value):
    response = client.post("/api/v1/calculate", json={"situation": with_fact(value), "on": ON})
    assert response.status_code == 200
