"""/api/v1/supervision with the ledger's bearer tokens: a unit's report, isolation, the office's return,
bad input as problem+json naming the field."""

import pytest
from fastapi.testclient import TestClient

from jiuye.web.app import create_app


@pytest.fixture
def client(ledger, sup, staff):
    app = create_app(with_openfisca=False, ledger=ledger, secret="t" * 40)
    app.state.supervision = sup
    from jiuye.web.deps import credentials_of
    store = credentials_of(app)
    tokens = {name: store.create_token(ledger.user(getattr(staff, name)), "test")[0]
              for name in ("office", "renshe", "minzheng")}
    client = TestClient(app)
    client.auth_for = lambda name: {"Authorization": f"Bearer {tokens[name]}"}
    return client


def test_api_report_isolation_and_return(client, staff):
    body = {"task": "heping/附件1/52", "period": "2024-05", "status": "on_track", "figures": {"follow_ups": 1},
            "progress": "电话跟踪调查", "submit": True, "on": "2024-06-04"}
    saved = client.put("/api/v1/supervision/reports", json=body, headers=client.auth_for("renshe"))
    assert saved.status_code == 200, saved.text
    assert saved.json()["state"] == "submitted" and saved.json()["due"] == "2024-06-05"
    other = client.put("/api/v1/supervision/reports", json=dict(body, task="heping/附件1/15", unit_id=staff.mz, figures={}),
                       headers=client.auth_for("renshe"))
    assert other.status_code == 403 and other.headers["content-type"].startswith("application/problem+json")
    board = client.get("/api/v1/supervision/board", params={"month": "2024-05", "today": "2024-06-10"},
                       headers=client.auth_for("minzheng")).json()
    assert board and {row["unit"] for row in board} == {"区民政局"}
    follow = [r for r in client.get("/api/v1/supervision/board", params={"month": "2024-05", "today": "2024-06-10"},
                                    headers=client.auth_for("office")).json()
              if r["task"] == "heping/附件1/52" and r["unit"] == "区人社局"][0]
    assert follow["flags"] == [] and follow["figures"][0]["met"] is True and follow["figures"][0]["source"] == "entered"
    returned = client.post(f"/api/v1/supervision/reports/{saved.json()['id']}/comments",
                           json={"text": "请补充调查人数", "return_report": True}, headers=client.auth_for("office"))
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    refused = client.post(f"/api/v1/supervision/reports/{saved.json()['id']}/comments",
                          json={"text": "x", "return_report": True}, headers=client.auth_for("renshe"))
    assert refused.status_code == 403
    bad = client.put("/api/v1/supervision/reports", json=dict(body, period="2024/05"), headers=client.auth_for("renshe"))
    assert bad.status_code == 422 and bad.json()["field"] == "period"
    assert client.get("/api/v1/supervision/tasks").status_code == 401
    monthly = client.get("/api/v1/supervision/monthly", params={"month": "2024-05", "today": "2024-06-10"},
                         headers=client.auth_for("office")).json()
    assert list(monthly["headings"].values()) == ["工作进展", "政策成效", "困难问题", "下步举措", "意见建议"]
