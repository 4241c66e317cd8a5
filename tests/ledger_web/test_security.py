"""Access and availability on the web side (issue 11): security headers on every response, Secure
cookies, login throttling, a password change ending other sessions and tokens, request bodies limited
as they stream, and database and backup files only their owner can read."""

from __future__ import annotations

import os
import stat

import pytest
from fastapi.testclient import TestClient

from .conftest import PASSWORD, csrf_of, login, new_client, post


@pytest.mark.parametrize("path", ["/", "/compare", "/docs", "/openapi.json", "/api/v1/measures", "/ledger/login",
                                  "/api/v1/ledger/applications", "/no-such-page", "/static/style.css"])
def test_every_response_has_csp_frame_and_nosniff_headers(client, path):
    response = client.get(path)
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers.get("x-frame-options") == "DENY"
    assert response.headers.get("x-content-type-options") == "nosniff"
    if not path.startswith("/docs"):
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]


def test_session_cookies_are_secure_unless_insecure_is_asked_for(ledger, people, monkeypatch):
    from jiuye.web.app import create_app
    monkeypatch.delenv("JIUYE_INSECURE_COOKIES", raising=False)
    app = create_app(with_openfisca=False)
    app.state.ledger = ledger
    cookie = TestClient(app).get("/ledger/login").headers.get("set-cookie", "")
    assert "secure" in cookie.lower() and "httponly" in cookie.lower()
    monkeypatch.setenv("JIUYE_INSECURE_COOKIES", "1")
    app = create_app(with_openfisca=False)
    app.state.ledger = ledger
    assert "secure" not in TestClient(app).get("/ledger/login").headers.get("set-cookie", "").lower()


def test_login_is_throttled_then_locked_even_for_the_right_password(client, people):
    for _ in range(5):
        assert login(client, "cw", "not-the-password").status_code == 401
    locked = login(client, "cw", PASSWORD)
    assert locked.status_code == 429 and "登录失败次数过多" in locked.text
    assert int(locked.headers["retry-after"]) > 0
    assert login(client, "rv", PASSWORD).status_code == 303          # another account is not locked


def test_a_password_change_ends_other_sessions_and_api_tokens(app, client, people):
    other = new_client(app)
    assert login(other, "cw").status_code == 303 and other.get("/ledger").status_code == 200
    assert login(client, "cw").status_code == 303
    created = post(client, "/ledger/tokens", {"name": "脚本"}, token_from="/ledger/tokens")
    token = next(word for word in created.text.replace("<", " ").replace(">", " ").split() if word.startswith("jy_"))
    api = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/ledger/applications", headers=api).status_code == 200
    changed = post(client, f"/ledger/users/{people.cw}/password", {"password": "plum-ocean-ladder-63"},
                   token_from="/ledger/tokens")
    assert changed.status_code == 303
    assert client.get("/ledger").status_code == 200                 # this session goes on
    assert other.get("/ledger", follow_redirects=False).status_code == 303     # the other one has ended
    assert client.get("/api/v1/ledger/applications", headers=api).status_code == 401
    # an admin's reset (or the CLI's) ends the user's sessions too
    admin = new_client(app)
    login(admin, "admin")
    assert post(admin, f"/ledger/users/{people.cw}/password", {"password": "cedar-lantern-moss-82"},
                token_from="/ledger/users").status_code == 303
    assert client.get("/ledger", follow_redirects=False).status_code == 303


def test_weak_password_refused_on_the_page(client, people):
    login(client, "admin")
    response = post(client, "/ledger/users", {"username": "newbie", "role": "case_worker", "password": "password1234",
                                              "display_name": "新人"}, token_from="/ledger/users")
    assert response.status_code == 422 and "太容易被猜中" in response.text


def test_a_chunked_body_is_refused_before_it_is_read_whole(client):
    """500 MB sent chunked raised the server's memory by 500 MB before the 413: now the body is counted
    as it arrives and refused once past the limit (the middleware driven with ASGI messages: the test
    client would read a streamed body whole before sending it)."""
    import asyncio
    from jiuye.web.problems import BodyLimit
    reached, received, sent = [], [], []

    async def app(scope, receive, send):         # the application behind the limit
        reached.append(scope["path"])

    async def receive():
        received.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": len(received) < 8000}   # 500 MB

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/calculate", "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(BodyLimit(app, default=1_000_000)(scope, receive, send))
    assert sent[0]["status"] == 413 and not reached
    assert len(received) == 1_000_000 // 65536 + 1          # 16 chunks read, not 8000
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert b'"field":"body"' in body and "1,000,000".encode() in body
    declared = client.post("/api/v1/calculate", content=b"{}", headers={"content-length": "5000000",
                                                                        "content-type": "application/json"})
    assert declared.status_code == 413 and declared.json()["field"] == "body"


def test_database_wal_and_backups_are_private(tmp_path):
    from jiuye.ledger import Ledger
    from jiuye.ledger.backup import backup
    path = tmp_path / "var" / "jiuye.db"
    ledger = Ledger(f"sqlite:///{path}")
    ledger.create_user(None, "owner", "admin", password="granite-willow-echo-5")
    for name in (path, path.with_name("jiuye.db-wal"), path.with_name("jiuye.db-shm")):
        assert name.exists() and stat.S_IMODE(os.stat(name).st_mode) == 0o600, name
    out = backup(ledger.db, tmp_path / "backups" / "b.json.gz")
    assert stat.S_IMODE(os.stat(out["file"]).st_mode) == 0o600
    ledger.close()
    # a database left world-readable by an older version is made private when opened
    os.chmod(path, 0o644)
    Ledger(f"sqlite:///{path}").close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
