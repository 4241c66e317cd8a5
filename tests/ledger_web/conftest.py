"""Fixtures of the ledger's web side: a ledger on a fresh SQLite file, users with passwords, the
web app on it (TestClient), and helpers to log in and post forms with the session's CSRF token."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiuye.ledger import Ledger
from jiuye.ledger.db import Database, migrate
from jiuye.ids import make_id_number, make_uscc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PASSWORD = "correct-horse-9"
COMPANY_NUMBER = make_uscc("91", "110102", "MA01XC6A0")
ZHANG_NUMBER = make_id_number("110102", dt.date(1995, 5, 1), 235)
INTERN_NUMBER = make_id_number("110102", dt.date(2003, 5, 8), 146)


def example(name: str) -> dict:
    """An example situation by name (jiuye.examples: a clause folder's example, or examples/)."""
    from jiuye.examples import load_example
    return load_example(name)[0]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ledger-web-template") / "template.db"
    db = Database(f"sqlite:///{path}")
    migrate(db.engine)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def ledger(sqlite_template, tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_SECRET_KEY", "test-secret-key-for-ledger-web")
    monkeypatch.delenv("JIUYE_DEMO", raising=False)
    monkeypatch.setenv("JIUYE_INSECURE_COOKIES", "1")     # the test client speaks http://testserver
    monkeypatch.setenv("JIUYE_AUDIT_KEY", "test-audit-key-web")
    monkeypatch.setenv("JIUYE_AUDIT_ANCHORS", str(tmp_path / "audit-anchors.jsonl"))
    path = tmp_path / "ledger.db"
    shutil.copy(sqlite_template, path)
    instance = Ledger(f"sqlite:///{path}")
    yield instance
    instance.close()


@dataclass
class People:
    admin: int
    cw: int
    cw2: int
    rv: int
    rv2: int
    applicant: int       # an applicant user (the intern)
    company: int
    zhang: int
    intern: int


@pytest.fixture
def people(ledger) -> People:
    make = ledger.create_user
    admin = make(None, "admin", "admin", password=PASSWORD, display_name="管理员").id
    cw = make(admin, "cw", "case_worker", password=PASSWORD, display_name="经办员甲").id
    cw2 = make(admin, "cw2", "case_worker", password=PASSWORD).id
    rv = make(admin, "rv", "reviewer", password=PASSWORD, display_name="审核员乙").id
    rv2 = make(admin, "rv2", "reviewer", password=PASSWORD).id
    reg = ledger.register_applicant
    company = reg(cw, "organisation", COMPANY_NUMBER, "西城示范科技有限公司").id
    zhang = reg(cw, "person", ZHANG_NUMBER, "张三").id
    intern = reg(cw, "person", INTERN_NUMBER, "赵六").id
    applicant = make(admin, "zhao", "applicant", password=PASSWORD, applicant_id=intern).id
    return People(admin=admin, cw=cw, cw2=cw2, rv=rv, rv2=rv2, applicant=applicant, company=company, zhang=zhang,
                  intern=intern)


@pytest.fixture
def app(ledger):
    from jiuye.web.app import create_app
    application = create_app(with_openfisca=False)
    application.state.ledger = ledger
    return application


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


def new_client(app) -> TestClient:
    return TestClient(app)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client, path: str = "/ledger/login") -> str:
    page = client.get(path)
    found = CSRF_RE.search(page.text)
    assert found, f"no csrf token on {path}: {page.status_code} {page.text[:300]}"
    return found.group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_of(client, "/ledger/login")
    return client.post("/ledger/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


def post(client, path: str, data: dict | None = None, files=None, *, token_from: str = "/ledger"):
    """POST a form with the session's CSRF token (read from a page, as a browser would have it)."""
    body = {"csrf_token": csrf_of(client, token_from), **(data or {})}
    return client.post(path, data=body, files=files, follow_redirects=False)


def submit_x6(ledger, people, on="2025-03-14", actor=None, contract_start=None, **kw):
    """Zhang's xicheng/6 claim; ``contract_start``: another contract (one entitlement, one claim)."""
    situation = example("xicheng_6_stable_employment.json")
    if contract_start:
        situation["persons"]["zhang_san"]["contract_start_date"] = contract_start
    return ledger.submit(actor or people.cw, measure_id="xicheng/6/employer", beneficiary_id=people.company,
                         person_id=people.zhang, situation=situation, on=on, **kw)


def submit_x9(ledger, people, actor=None):
    return ledger.submit(actor or people.cw, measure_id="xicheng/9", beneficiary_id=people.intern,
                         situation=example("xicheng_9_internship.json"), on="2026-11-23")


def form_values(page: str, form_id: str) -> dict[str, str]:
    """What a browser would send from the form ``form_id`` of ``page`` as it stands: its inputs'
    values and each select's selected option (hidden fields included)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.values, self.select, self.first = False, {}, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = a.get("id") == form_id
            elif not self.inside:
                return
            elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
                self.values[a["name"]] = a.get("value") or ""
            elif tag == "select":
                self.select, self.first = a.get("name"), None
                self.values[self.select] = ""
            elif tag == "option" and self.select:
                if self.first is None:
                    self.first = a.get("value") or ""
                    self.values[self.select] = self.first
                if "selected" in a:
                    self.values[self.select] = a.get("value") or ""
            elif tag == "textarea" and a.get("name"):
                self.values[a["name"]] = ""

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "select":
                self.select = None

    reader = Reader()
    reader.feed(page)
    assert reader.values, f"no form {form_id!r} on the page"
    return reader.values


def fact_name(page: str, label: str) -> str:
    """The form field of the fact labelled ``label`` on ``page``."""
    found = re.search(r'<label for="([^"]+)">' + re.escape(label) + r"[<（]", page)
    assert found, f"no field labelled {label!r}"
    name = re.search(r'id="' + re.escape(found.group(1)) + r'" name="([^"]+)"', page)
    assert name, found.group(1)
    return name.group(1)



def xlsx_of(header: list, rows: list) -> bytes:
    """A workbook of one sheet: the header row, then the rows (written streaming)."""
    import io
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

# -- both backends: the SQLite ledger above, or PostgreSQL (.ci/with-postgres; skipped without it) ----------
from .test_postgres import pg_ledger  # noqa: E402,F401  (a fixture; imported last: test_postgres imports this module)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, people, ledger, client):
    if request.param == "sqlite":
        return ledger, people, client
    from fastapi.testclient import TestClient
    from jiuye.web.app import create_app
    pg = request.getfixturevalue("pg_ledger")
    make, reg = pg.create_user, pg.register_applicant
    admin = make(None, "admin", "admin", password=PASSWORD).id
    cw = make(admin, "cw", "case_worker", password=PASSWORD).id
    rv = make(admin, "rv", "reviewer", password=PASSWORD).id
    company = reg(cw, "organisation", COMPANY_NUMBER, "西城示范科技有限公司").id
    zhang = reg(cw, "person", ZHANG_NUMBER, "张三").id
    intern = reg(cw, "person", make_id_number("110102", dt.date(2003, 5, 8), 146), "赵六").id
    pg_people = People(admin=admin, cw=cw, cw2=cw, rv=rv, rv2=rv, applicant=0, company=company, zhang=zhang,
                       intern=intern)
    app = create_app(with_openfisca=False)
    app.state.ledger = pg
    return pg, pg_people, TestClient(app)
