"""The /registry pages and /api/v1/registry on the demo data (SQLite): login, the work queue, the
file of a person (masked ID, reveal), forms, role isolation (404/403, nothing in lists or search),
figures and Excel, the API with a bearer token and in the OpenAPI spec."""

from __future__ import annotations

import re
import shutil

import pytest
from fastapi.testclient import TestClient

from jiuye.ledger import Ledger
from jiuye.registry import Registry, demo


@pytest.fixture
def app_client(sqlite_template, tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_SECRET_KEY", "test-secret-key-for-registry")
    monkeypatch.setenv("JIUYE_DEMO", "1")
    monkeypatch.setenv("JIUYE_INSECURE_COOKIES", "1")          # the test client speaks http
    path = tmp_path / "ledger.db"
    shutil.copy(sqlite_template, path)
    ledger = Ledger(f"sqlite:///{path}")
    registry = Registry(ledger=ledger)
    demo.seed(registry)
    from jiuye.web.app import create_app
    app = create_app(with_openfisca=False, ledger=ledger, secret="test-secret-key-for-registry")
    with TestClient(app) as client:
        client.registry = registry
        yield client
    ledger.close()


def csrf(client, url="/registry/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def login(client, username):
    password = next(p for u, _, _, p, _ in demo.USERS if u == username)
    response = client.post("/registry/login", data={"csrf_token": csrf(client), "username": username,
                                                   "password": password, "next": "/registry"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text[:500]


def test_pages_require_login(app_client):
    response = app_client.get("/registry", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/registry/login")
    assert app_client.get("/registry/login").headers["X-Frame-Options"] == "DENY"


def test_a_specialists_queue_and_file(app_client):
    login(app_client, "zhuanyuan")
    page = app_client.get("/registry?on=2026-11-23").text
    assert "逾期" in page and "beijing/13" in page and "赵军" in page and "应办事项" in page
    assert "110102********" in page and not re.search(r"110102\d{8}", page)
    person = app_client.registry.persons(None, search="李娜")[0]
    file = app_client.get(f"/registry/persons/{person['id']}").text
    assert person["id_number"] in file
    token = re.search(r'name="csrf_token" value="([^"]+)"', file).group(1)
    full = app_client.post(f"/registry/persons/{person['id']}/reveal", data={"csrf_token": token}).text
    assert re.search(r"110102\d{11}[\dX]", full)
    done = app_client.post(f"/registry/persons/{person['id']}/records",
                           data={"csrf_token": token, "kind": "phone", "on": "2026-11-23", "outcome": "电话回访"})
    assert done.status_code == 200 and "办结义务：xicheng/8/visit" in done.text
    bad = app_client.post(f"/registry/persons/{person['id']}/records",
                          data={"csrf_token": token, "kind": "phone", "on": "2026-11-31"})
    assert bad.status_code == 422 and "<code>on</code>" in bad.text
    forged = app_client.post(f"/registry/persons/{person['id']}/records",
                             data={"csrf_token": "forged", "kind": "phone", "on": "2026-11-23"})
    assert forged.status_code == 403


def test_another_communitys_specialist_gets_404_and_sees_nothing(app_client):
    login(app_client, "zhuanyuan2")
    person = app_client.registry.persons(None, search="李娜")[0]
    assert app_client.get(f"/registry/persons/{person['id']}").status_code == 404
    found = app_client.get("/registry/persons?q=李娜").text
    assert "没有人员" in found and f"/registry/persons/{person['id']}" not in found
    assert "李娜" not in app_client.get("/registry?on=2026-11-23").text
    token = csrf(app_client, "/registry/persons")
    response = app_client.post(f"/registry/persons/{person['id']}/records",
                               data={"csrf_token": token, "kind": "phone", "on": "2026-11-23"})
    assert response.status_code == 404
    figures = app_client.get("/registry/figures?month=2026-11").text
    assert "新街口社区" not in figures


def test_hr_agency_sees_only_its_plans(app_client):
    login(app_client, "jigou")
    page = app_client.get("/registry").text
    assert "陈刚" in page and "赵军" not in page
    assert app_client.get("/registry/persons").status_code == 403


def test_figures_page_chart_and_excel(app_client):
    login(app_client, "dudao")
    page = app_client.get("/registry/figures?month=2026-11").text
    assert "<svg" in page and "95%目标" in page and "1/3" in page and "http" not in page.split("<main")[1]
    book = app_client.get("/registry/figures.xlsx?month=2026-11")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert "德胜街道" in app_client.get("/registry?on=2026-11-23").text        # the per-street view
    assert app_client.get("/registry/figures?month=2026-13").status_code == 422


def test_api_with_a_token_and_in_the_openapi_spec(app_client):
    ledger = app_client.registry.claims_ledger()
    from jiuye.web.credentials import CredentialStore
    user = ledger.user_by_name("zhuanyuan")
    token, _ = CredentialStore(ledger).create_token(user, "test")
    headers = {"Authorization": f"Bearer {token}"}
    lines = app_client.get("/api/v1/registry/due?on=2026-11-23", headers=headers).json()
    assert {x["duty"] for x in lines} >= {"xicheng/8/visit", "beijing/13/monitoring"}
    assert app_client.get("/api/v1/registry/due?on=2026-11-23").status_code == 401
    other = ledger.user_by_name("zhuanyuan2")
    token2, _ = CredentialStore(ledger).create_token(other, "test")
    pid = lines[0]["person_id"]
    response = app_client.get(f"/api/v1/registry/persons/{pid}", headers={"Authorization": f"Bearer {token2}"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("application/problem+json")
    bad = app_client.post(f"/api/v1/registry/persons/{pid}/records", headers=headers, json={"kind": "fax", "on": "2026-11-23"})
    assert bad.status_code == 422 and bad.json()["field"] == "kind"
    spec = app_client.get("/openapi.json").json()
    assert "/api/v1/registry/due" in spec["paths"] and "/api/v1/registry/persons/{person_id}/claims" in spec["paths"]



def test_the_hukou_move_on_the_file_and_by_the_api(app_client):
    """户籍迁移: the form of a person's file records the move (the former district as previous), shown on
    the file; a bad date is refused naming the field; the API's POST /persons/{id}/hukou does the same."""
    login(app_client, "zhuanyuan")
    person = app_client.registry.persons(None, search="李娜")[0]
    url = f"/registry/persons/{person['id']}"
    file = app_client.get(url).text
    assert "登记户籍迁移" in file and "未登记迁移" in file
    token = re.search(r'name="csrf_token" value="([^"]+)"', file).group(1)
    bad = app_client.post(f"{url}/hukou", data={"csrf_token": token, "hukou_district": "chaoyang",
                                                "hukou_moved_in_on": "2026-11-31", "on": "2026-11-23"})
    assert bad.status_code == 422 and "户籍迁入日期：“2026-11-31”不是存在的日期" in bad.text
    later = app_client.post(f"{url}/hukou", data={"csrf_token": token, "hukou_district": "chaoyang",
                                                  "hukou_moved_in_on": "2026-11-24", "on": "2026-11-23"})
    assert later.status_code == 422 and "晚于登记之日2026-11-23" in later.text
    done = app_client.post(f"{url}/hukou", data={"csrf_token": token, "hukou_district": "chaoyang",
                                                 "hukou_moved_in_on": "2026-11-20", "on": "2026-11-23"})
    assert done.status_code == 200 and "已登记户籍迁移" in done.text
    assert "2026-11-20（由西城区迁入）" in done.text and "朝阳区" in done.text
    ledger = app_client.registry.claims_ledger()
    from jiuye.web.credentials import CredentialStore
    token, _ = CredentialStore(ledger).create_token(ledger.user_by_name("zhuanyuan"), "test")
    headers = {"Authorization": f"Bearer {token}"}
    api = f"/api/v1/registry/persons/{person['id']}/hukou"
    wrong = app_client.post(api, headers=headers, json={"hukou_district": "xicheng", "hukou_moved_in_on": "2026-11-22",
                                                        "previous_hukou_district": "火星区", "on": "2026-11-23"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "previous_hukou_district"
    back = app_client.post(api, headers=headers, json={"hukou_district": "xicheng", "hukou_moved_in_on": "2026-11-22",
                                                       "on": "2026-11-23"}).json()
    assert (back["hukou_district"], back["hukou_moved_in_on"], back["previous_hukou_district"]) == \
        ("xicheng", "2026-11-22", "chaoyang")


@pytest.mark.parametrize("demo_on", [True, False])
def test_startup_seeds_the_demo_in_demo_mode_only(sqlite_template, tmp_path, monkeypatch, demo_on):
    """The registry router's lifespan (FastAPI's, not the deprecated ``on_event``): an app opening its
    own ledger (no ledger handed in) gets the demo registry written when it starts, in demo mode only."""
    import warnings
    from sqlalchemy import text
    path = tmp_path / "own.db"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("JIUYE_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("JIUYE_SECRET_KEY", "test-secret-key-for-registry")
    if demo_on:
        monkeypatch.setenv("JIUYE_DEMO", "1")
    else:
        monkeypatch.delenv("JIUYE_DEMO", raising=False)
    from jiuye.web.app import create_app
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"\s*on_event is deprecated", category=DeprecationWarning)
        app = create_app(with_openfisca=False)
    ledger = Ledger(f"sqlite:///{path}")

    def count() -> int:
        with ledger.db.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM reg_persons")).scalar_one()
    assert count() == 0
    with TestClient(app):
        pass
    assert (count() > 0) is demo_on
    if getattr(app.state, "ledger", None) is not None:      # opened by the seeding
        app.state.ledger.close()
    ledger.close()
