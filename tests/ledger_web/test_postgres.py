"""The web side on PostgreSQL too: login sessions and API tokens (tables made by the web app beside
the ledger's), a claim approved and paid through the pages and the API. PostgreSQL comes from
`.ci/with-postgres` (what `make test` runs); without it this is skipped, unless JIUYE_REQUIRE_PG."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from jiuye.ledger import Ledger
from jiuye.ledger.db import wipe

from .conftest import PASSWORD, example, login, post


@pytest.fixture
def pg_ledger(monkeypatch):
    url = os.environ.get("JIUYE_TEST_PG_URL")
    if not url:
        if os.environ.get("JIUYE_REQUIRE_PG"):
            pytest.fail("JIUYE_REQUIRE_PG is set but JIUYE_TEST_PG_URL is not")
        pytest.skip("no PostgreSQL: run through `make test` or `.ci/with-postgres pytest tests/ledger_web`")
    import psycopg
    name = f"jiuye_web_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    monkeypatch.setenv("JIUYE_SECRET_KEY", "pg-test-secret")
    monkeypatch.setenv("JIUYE_INSECURE_COOKIES", "1")          # the test client speaks http
    monkeypatch.setenv("JIUYE_AUDIT_KEY", "pg-test-audit-key")
    ledger = Ledger(url.rsplit("/", 1)[0] + "/" + name)
    wipe(ledger.db.engine)
    yield ledger
    ledger.close()


def test_sessions_tokens_and_a_paid_claim_on_postgresql(pg_ledger):
    from jiuye.ids import make_id_number, make_uscc
    from jiuye.web.deps import credentials_of
    from jiuye.web.app import create_app
    import datetime as dt
    ledger = pg_ledger
    admin = ledger.create_user(None, "admin", "admin", password=PASSWORD).id
    cw = ledger.create_user(admin, "cw", "case_worker", password=PASSWORD).id
    ledger.create_user(admin, "rv", "reviewer", password=PASSWORD)
    company = ledger.register_applicant(cw, "organisation", make_uscc("91", "110102", "MA01XC6A0"), "西城示范科技有限公司")
    person = ledger.register_applicant(cw, "person", make_id_number("110102", dt.date(1995, 5, 1), 235), "张三")
    claim = ledger.submit(cw, measure_id="xicheng/6/employer", beneficiary_id=company.id, person_id=person.id,
                          situation=example("xicheng_6_stable_employment.json"), on="2025-03-14")
    app = create_app(with_openfisca=False)
    app.state.ledger = ledger
    reviewer = TestClient(app)
    assert login(reviewer, "rv").status_code == 303
    assert post(reviewer, f"/ledger/applications/{claim.id}/approve", {"on": "2025-03-14"}).status_code == 303
    token, _ = credentials_of(app).create_token(ledger.user(cw), "pg")
    api = TestClient(app)
    first = ledger.application(cw, claim.id).installments[0].id
    paid = api.post(f"/api/v1/ledger/installments/{first}/pay", json={"on": "2025-03-14", "idempotency_key": "b1"},
                    headers={"Authorization": f"Bearer {token}"})
    assert paid.status_code == 201 and paid.json()["amount"] == "6000.00"
    assert post(reviewer, "/ledger/logout").status_code == 303
    assert reviewer.get("/ledger", follow_redirects=False).status_code == 303
    assert ledger.verify().ok
