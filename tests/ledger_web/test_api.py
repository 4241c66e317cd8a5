"""The ledger API under /api/v1/ledger: bearer tokens (made on /ledger/tokens, stored as a hash,
revocable), role checks by the service, problem+json errors naming the field."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import COMPANY_NUMBER, ZHANG_NUMBER, example, login, post, submit_x6, submit_x9

PROBLEM = "application/problem+json"


def token_for(app, username: str) -> str:
    from jiuye.web.deps import credentials_of
    ledger = app.state.ledger
    token, _ = credentials_of(app).create_token(ledger.user_by_name(username), f"测试 {username}")
    return token


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def problem(response, status: int, field: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["field"] == field, body
    return body


def test_a_token_is_needed(client, people):
    body = problem(client.get("/api/v1/ledger/applications"), 401, "authorization")
    assert "Bearer" in body["detail"]
    assert client.get("/api/v1/ledger/applications").headers["www-authenticate"].startswith("Bearer")
    problem(client.get("/api/v1/ledger/applications", headers={"Authorization": "Basic eDp5"}), 401, "authorization")
    problem(client.get("/api/v1/ledger/applications", headers=auth("jy_" + "A" * 43)), 401, "authorization")
    problem(client.post("/api/v1/ledger/installments/1/pay", json={}), 401, "authorization")


def test_token_made_on_the_page_works_is_stored_hashed_and_can_be_revoked(app, client, people, ledger):
    login(client, "cw")
    made = post(client, "/ledger/tokens", {"name": "财务系统对接"}, token_from="/ledger/tokens")
    assert made.status_code == 201
    token = re.search(r'<p class="token" id="new-token">([^<]+)</p>', made.text).group(1)
    assert token.startswith("jy_")
    api = TestClient(app)
    assert api.get("/api/v1/ledger/applications", headers=auth(token)).status_code == 200
    # only the hash is stored
    from jiuye.web.credentials import ApiToken, digest
    with ledger.db.read() as s:
        rows = s.query(ApiToken).all()
        assert [r.token_hash for r in rows] == [digest(token)] and all(token not in str(vars(r)) for r in rows)
    # the token is not shown again; revoking it ends it
    listing = client.get("/ledger/tokens").text
    assert token not in listing and "财务系统对接" in listing
    token_id = re.search(r'action="/ledger/tokens/(\d+)/revoke"', listing).group(1)
    assert post(client, f"/ledger/tokens/{token_id}/revoke", token_from="/ledger/tokens").status_code == 303
    problem(api.get("/api/v1/ledger/applications", headers=auth(token)), 401, "authorization")
    actions = [e["action"] for e in ledger.audit_entries(people.cw, limit=1000)]
    assert "create_api_token" in actions and "revoke_api_token" in actions and ledger.verify().ok


def test_another_user_cannot_revoke_my_token(app, client, people):
    from jiuye.web.deps import credentials_of
    _, info = credentials_of(app).create_token(app.state.ledger.user_by_name("cw"), "mine")
    login(client, "cw2")
    response = post(client, f"/ledger/tokens/{info.id}/revoke", token_from="/ledger/tokens")
    assert response.status_code == 404


def test_submit_approve_pay_through_the_api(app, client, people, ledger):
    cw, rv = auth(token_for(app, "cw")), auth(token_for(app, "rv"))
    body = {"measure_id": "xicheng/6/employer", "on": "2025-03-14",
            "beneficiary": {"id_number": COMPANY_NUMBER}, "person": {"id_number": ZHANG_NUMBER},
            "situation": example("xicheng_6_stable_employment.json"), "idempotency_key": "crm-1"}
    made = client.post("/api/v1/ledger/applications", json=body, headers=cw)
    assert made.status_code == 201, made.text
    app_json = made.json()
    assert app_json["status"] == "submitted" and app_json["result_status"] == "eligible"
    assert [(i["due"], i["amount"]) for i in app_json["installments"]] == [
        ("2025-03-14", "6000.00"), ("2026-03-14", "9000.00"), ("2027-03-14", "12000.00")]
    assert app_json["person"]["id_number_masked"] == ZHANG_NUMBER[:6] + "********" + ZHANG_NUMBER[-4:]
    assert ZHANG_NUMBER not in made.text
    replay = client.post("/api/v1/ledger/applications", json=body, headers=cw)
    assert replay.json()["id"] == app_json["id"]
    app_id = app_json["id"]
    # a case worker may not approve: 403 naming the actor
    body = problem(client.post(f"/api/v1/ledger/applications/{app_id}/approve", json={"on": "2025-03-14"},
                               headers=cw), 403, "authorization")
    assert body["code"] == "forbidden"
    approved = client.post(f"/api/v1/ledger/applications/{app_id}/approve",
                           json={"on": "2025-03-14", "reason": "材料齐全"}, headers=rv)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    body = problem(client.post(f"/api/v1/ledger/applications/{app_id}/approve", json={"on": "2025-03-15"},
                               headers=rv), 409, "application_id")
    assert body["code"] == "already_decided"
    first, second = (i["id"] for i in approved.json()["installments"][:2])
    paid = client.post(f"/api/v1/ledger/installments/{first}/pay",
                       json={"on": "2025-03-14", "idempotency_key": "bank-1"}, headers=cw)
    assert paid.status_code == 201 and paid.json()["amount"] == "6000.00"
    again = client.post(f"/api/v1/ledger/installments/{first}/pay",
                        json={"on": "2025-03-14", "idempotency_key": "bank-1"}, headers=cw)
    assert again.status_code == 200 and again.json()["replayed"] and again.json()["id"] == paid.json()["id"]
    body = problem(client.post(f"/api/v1/ledger/installments/{second}/pay",
                               json={"on": "2025-06-01", "idempotency_key": "bank-2"}, headers=cw), 409, "on")
    assert body["code"] == "not_due" and body["details"]["due"] == "2026-03-14"
    conflict = client.post(f"/api/v1/ledger/installments/{second}/pay",
                           json={"on": "2026-03-14", "idempotency_key": "bank-1"}, headers=cw)
    assert problem(conflict, 409, "idempotency_key")["code"] == "idempotency_conflict"
    got = client.get(f"/api/v1/ledger/applications/{app_id}", headers=cw).json()
    assert got["paid"] == "6000.00" and got["result"]["measure"] == "xicheng/6/employer"
    assert got["situation"]["persons"]["zhang_san"]["monthly_wage"] == 4000
    listed = client.get("/api/v1/ledger/applications", params={"status": "approved"}, headers=cw).json()
    assert [a["id"] for a in listed["applications"]] == [app_id] and listed["applications"][0]["result"] is None
    payable = client.get("/api/v1/ledger/payable", params={"on": "2026-03-14"}, headers=cw).json()
    assert [i["id"] for i in payable] == [second]


def test_reviewer_cannot_approve_own_claim_through_the_api(app, client, people, ledger):
    own = submit_x6(ledger, people, actor=people.rv).id
    body = problem(client.post(f"/api/v1/ledger/applications/{own}/approve", json={"on": "2025-03-14"},
                               headers=auth(token_for(app, "rv"))), 409, "authorization")
    assert body["code"] == "own_claim"


def test_api_errors_name_the_field(app, client, people):
    cw = auth(token_for(app, "cw"))
    body = {"measure_id": "xicheng/6/employer", "on": "2025-03-14", "beneficiary": {"id_number": COMPANY_NUMBER},
            "person": {"id_number": ZHANG_NUMBER}, "situation": example("xicheng_6_stable_employment.json")}
    problem(client.post("/api/v1/ledger/applications", json={**body, "on": "14.3.2025"}, headers=cw), 422, "on")
    problem(client.post("/api/v1/ledger/applications", json={**body, "measure_id": "nowhere/1"}, headers=cw),
            422, "measure_id")
    problem(client.post("/api/v1/ledger/applications",
                        json={**body, "person": {"id_number": ZHANG_NUMBER[:-1] + "0"}}, headers=cw),
            422, "person.id_number")
    problem(client.post("/api/v1/ledger/applications",
                        json={**body, "beneficiary": {"id_number": "91110102MA0NEW0001", "name": None}}, headers=cw),
            422, "beneficiary.id_number")
    problem(client.post("/api/v1/ledger/applications", json={**body, "extra": 1}, headers=cw), 422, "extra")
    problem(client.get("/api/v1/ledger/applications/999", headers=cw), 404, "application")
    problem(client.get("/api/v1/ledger/applications", params={"status": "paid"}, headers=cw), 422, "status")
    problem(client.get("/api/v1/ledger/applications", params={"submitted_from": "x"}, headers=cw), 422,
            "submitted_from")
    problem(client.post("/api/v1/ledger/installments/999/pay", json={"on": "2025-03-14", "idempotency_key": "k"},
                        headers=cw), 404, "installment")


def test_applicant_token_sees_only_their_own(app, client, people, ledger):
    own = submit_x9(ledger, people).id
    other = submit_x6(ledger, people).id
    zhao = auth(token_for(app, "zhao"))
    listed = client.get("/api/v1/ledger/applications", headers=zhao).json()["applications"]
    assert [a["id"] for a in listed] == [own]
    problem(client.get(f"/api/v1/ledger/applications/{other}", headers=zhao), 403, "authorization")
    problem(client.get("/api/v1/ledger/payable", params={"on": "2030-01-01"}, headers=zhao), 403, "authorization")


def test_deactivated_users_token_stops_working(app, client, people, ledger):
    token = auth(token_for(app, "cw2"))
    assert client.get("/api/v1/ledger/applications", headers=token).status_code == 200
    ledger.set_active(people.admin, people.cw2, False)
    problem(client.get("/api/v1/ledger/applications", headers=token), 401, "authorization")


def test_openapi_documents_the_ledger_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/ledger/applications", "/api/v1/ledger/applications/{application_id}",
                 "/api/v1/ledger/applications/{application_id}/approve", "/api/v1/ledger/applications/{application_id}/reject",
                 "/api/v1/ledger/installments/{installment_id}/pay"):
        assert path in spec["paths"], path
    operation = spec["paths"]["/api/v1/ledger/applications"]["post"]
    assert operation["security"] == [{"ledgerToken": []}]
    assert spec["components"]["securitySchemes"]["ledgerToken"]["scheme"] == "bearer"
    assert "application/problem+json" in operation["responses"]["409"]["content"]
    assert not any(p.startswith("/ledger") for p in spec["paths"])          # the pages are not API
