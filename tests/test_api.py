"""HTTP API v1: same results as the CLI, problem+json errors naming the field, OpenFisca's API."""

import json

import pytest
from fastapi.testclient import TestClient

from jiuye.web.app import create_app

from .conftest import load_example

SITUATION = load_example("xicheng_6_stable_employment.json")


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_calculate_matches_the_cli(client):
    from typer.testing import CliRunner
    from jiuye.cli import app
    from .conftest import example_file
    cli = json.loads(CliRunner().invoke(app, ["calc", str(example_file("xicheng_6_stable_employment.json")),
                                              "--on", "2026-11-23", "--json"]).stdout)
    response = client.post("/api/v1/calculate?expand=texts", json={"situation": SITUATION, "on": "2026-11-23"})
    assert response.status_code == 200
    assert response.json() == cli


def test_the_default_answer_is_compact_and_expands_to_the_full_one(client):
    from jiuye.answers import expand
    from jiuye.model.system import get_system
    full = client.post("/api/v1/calculate?expand=texts", json={"situation": SITUATION, "on": "2026-11-23"})
    small = client.post("/api/v1/calculate", json={"situation": SITUATION, "on": "2026-11-23"})
    assert small.status_code == 200 and small.json()["compact"] is True
    assert len(small.content) * 3 < len(full.content)
    assert expand(small.json(), get_system()) == full.json()
    # the texts left out are one request away
    first = small.json()["results"][0]
    measure = client.get(f"/api/v1/measures/{first['measure']}").json()
    assert measure["title"] == full.json()["results"][0]["title"]


@pytest.mark.parametrize("body, field", [
    ({"situation": {"persons": {"p": {"salary": 1}}}, "on": "2026-11-23"}, "situation.persons.p.salary"),
    ({"situation": {"persons": {"p": {"birth_date": "1990-02-30"}}}, "on": "2026-11-23"}, "situation.persons.p.birth_date"),
    ({"situation": {"persons": {"p": {"monthly_wage": "x"}}}, "on": "2026-11-23"}, "situation.persons.p.monthly_wage"),
    ({"situation": SITUATION, "on": "2026-02-30"}, "on"),
    ({"situation": SITUATION}, "on"),
    ({"situation": SITUATION, "on": "2026-11-23", "measures": ["xicheng/99"]}, "measures"),
    ({"situation": SITUATION, "on": "2026-11-23", "extra": 1}, "extra"),
    ({"situation": {"persons": {}}, "on": "2026-11-23"}, "situation.persons"),
])
def test_errors_are_problem_json_naming_the_field(client, body, field):
    response = client.post("/api/v1/calculate", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field


def test_oversized_requests_are_refused(client):
    response = client.post("/api/v1/calculate", content=b"{" + b" " * 1_100_000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["field"] == "body"


def test_measures_and_one_measure(client):
    rows = client.get("/api/v1/measures").json()
    assert any(r["id"] == "xicheng/6/employer" for r in rows)
    one = client.get("/api/v1/measures/xicheng/6/employer").json()
    assert one["clause"] == "xicheng/6" and "每满一年" in one["quote"] and one["interpretation"]
    missing = client.get("/api/v1/measures/xicheng/99")
    assert missing.status_code == 404 and missing.json()["field"] == "measure_id"


def test_parameters_with_dates_sources_and_confidence(client):
    body = client.get("/api/v1/parameters/reference.minimum_wage.beijing", params={"on": "2020-01-01"}).json()
    assert body["value"] == 2200 and body["unconfirmed"] is True
    assert [h["value"] for h in body["history"]] == [2540, 2420, 2320, 2200]
    assert client.get("/api/v1/parameters/no.such").status_code == 404


def test_compare_moves_the_persona_between_districts(client):
    body = client.post("/api/v1/compare", json={"situation": SITUATION, "on": "2026-11-23"}).json()
    by_district = {d["district"]: d for d in body["districts"]}
    assert by_district["xicheng"]["amount_to_date"] > 0
    bad = client.post("/api/v1/compare", json={"situation": SITUATION, "on": "2026-11-23", "districts": ["mars"]})
    assert bad.status_code == 422 and bad.json()["field"] == "districts.0"


def test_coverage_and_openapi(client):
    assert "documents" in client.get("/api/v1/coverage").json()
    spec = client.get("/openapi.json").json()
    assert "/api/v1/calculate" in spec["paths"]


def test_openfisca_web_api_is_mounted(client):
    response = client.post("/openfisca/calculate", json={"persons": {"p": {
        "hukou_district": {"ETERNITY": "xicheng"}, "xicheng_hukou": {"2026-11": None}}}})
    assert response.status_code == 200
    assert response.json()["persons"]["p"]["xicheng_hukou"]["2026-11"] is True


# -- bounded work (issue 11): limits per request, a CPU budget, a response cap -------------------------
def _many_people(n: int) -> dict:
    persons = {f"p{i}": {"hukou_district": "xicheng", "birth_date": "1995-05-01", "contract_start_date": "2024-03-15",
                         "monthly_wage": 5000} for i in range(n)}
    return {"persons": persons, "organisations": {"o": {"employees": list(persons), "org_type": "limited_company",
                                                        "registration_district": "xicheng"}}}


def test_too_many_persons_or_measures_are_refused_naming_the_limit(client):
    many = client.post("/api/v1/calculate", json={"situation": _many_people(101), "on": "2026-11-23"})
    assert many.status_code == 422 and many.json()["field"] == "situation.persons" and "100" in many.json()["detail"]
    measures = client.post("/api/v1/calculate", json={"situation": SITUATION, "on": "2026-11-23",
                                                       "measures": ["xicheng/6/employer"] * 301})
    assert measures.status_code == 422 and measures.json()["field"] == "measures"
    districts = client.post("/api/v1/compare", json={"situation": SITUATION, "on": "2026-11-23",
                                                      "districts": ["xicheng"] * 11})
    assert districts.status_code == 422 and districts.json()["field"] == "districts"


def test_the_cpu_budget_stops_an_evaluation_and_names_the_limit(client, monkeypatch):
    from jiuye.web.routes import calculator_api
    monkeypatch.setattr(calculator_api, "CPU_SECONDS", 0.0)
    response = client.post("/api/v1/calculate", json={"situation": _many_people(30), "on": "2026-11-23"})
    assert response.status_code == 422 and response.json()["field"] == "situation"
    assert "CPU时间上限" in response.json()["detail"]


def test_a_cancelled_budget_stops_the_evaluation():
    """What a client's disconnect does (the endpoint polls for it and cancels the budget)."""
    import datetime as dt
    from jiuye.web.routes.calculator_api import Budget, BudgetExceeded, _alone
    budget = Budget()
    budget.cancel()
    with pytest.raises(BudgetExceeded, match="已取消"):
        _alone(_many_people(30), dt.date(2026, 11, 23), None, None, budget=budget)


def test_an_answer_over_the_response_cap_is_refused(client, monkeypatch):
    from jiuye.web.routes import calculator_api
    monkeypatch.setattr(calculator_api, "MAX_RESPONSE", 10_000)
    response = client.post("/api/v1/calculate?expand=texts", json={"situation": SITUATION, "on": "2026-11-23"})
    assert response.status_code == 413 and response.json()["field"] == "situation"
    assert "10,000" in response.json()["detail"]


def test_a_lone_surrogate_is_refused_naming_the_field(client):
    raw = '{"situation": {"persons": {"\\ud800": {}}}, "on": "2026-11-23"}'
    response = client.post("/api/v1/calculate", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["field"].startswith("situation.persons")
    assert "Unicode" in response.json()["detail"]
