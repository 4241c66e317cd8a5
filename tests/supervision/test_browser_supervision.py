"""督办与调度 in a real browser (Debian's Chromium through Playwright, as tests/test_browser.py): on the
demo data (`python -m jiuye.ledger.demo`, what `make run` runs), 区人社局 fills and submits its
2024-07 report on heping/附件1/54 (每月不少于2场招聘活动, counted from the recorded job fairs), sees only
its own tasks; the office (就业工作领导小组办公室) sees every unit's, opens the dashboard with its charts
and the ledger's figures, and returns a report. Screenshots: tests/artifacts/supervision_*.png."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from jiuye.supervision.demo import DEMO_USERS
from tests.test_browser import CHROMIUM, DESKTOP, ROOT, shot
from tests.test_browser import browser  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")]
PASSWORDS = {username: password for username, _, password, _ in DEMO_USERS}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("supervision-browser")
    env = {**os.environ, "JIUYE_DATABASE_URL": f"sqlite:///{folder / 'ledger.db'}", "JIUYE_DEMO": "1",
           "JIUYE_SECRET_KEY": "browser-test-secret", "JIUYE_INSECURE_COOKIES": "1"}   # served over http
    seeded = subprocess.run([sys.executable, "-m", "jiuye.ledger.demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    from tests.conftest import running_server
    with running_server(folder, env, ready_path="/supervision/login") as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base, username):
    page.goto(base + "/supervision/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.locator(".ledger-nav .who").count() == 1, page.locator("main").inner_text()[:400]


def test_a_unit_reports_and_the_office_follows_up(server, page):
    # 区人社局: its own tasks only
    log_in(page, server, "renshe")
    page.goto(server + "/supervision?month=2024-07&document=heping")
    units = set(page.locator("#board tbody tr td:nth-child(2)").all_inner_texts())
    assert units and all(u.startswith("区人社局") for u in units), units
    row = page.locator("#board tbody tr", has_text="heping/附件1/54")
    assert row.locator(".flag-overdue").count() == 1                  # no July report, due 2024-08-05, long past
    with page.expect_navigation():
        row.get_by_role("link", name="填报").click()
    assert "每月开展不少于2场" in page.locator("main").inner_text()
    page.get_by_label("进展状态").select_option("on_track")
    page.get_by_label("工作进展").fill("开展“高校毕业生离校季”招聘活动。")
    page.get_by_label("困难问题").fill("线上平台访问量高峰时卡顿。")
    page.get_by_label("下步举措").fill("8月继续开展专场招聘会。")
    with page.expect_navigation():
        page.get_by_role("button", name="报送").click()
    assert "已报送" in page.locator("#report-state").inner_text()
    # July: no job fair recorded, so the target (不少于2场) is missed, counted from the events
    figures = page.locator("main").inner_text()
    assert "线上或线下招聘活动（场/月）：0" in figures and "来源：招聘活动记录" in figures and "未达标" in figures
    shot(page, "supervision_unit_report")
    # a unit cannot open another unit's report page for editing
    page.goto(server + "/supervision?month=2024-05&document=heping&status=missed")
    assert set(page.locator("#board tbody tr td:nth-child(2)").all_inner_texts()) <= {"区人社局（牵头）", "区人社局"}
    page.get_by_role("button", name="退出").click()

    # the office: every unit, the dashboard, and a return
    log_in(page, server, "bangongshi")
    page.goto(server + "/supervision?month=2024-07&document=heping")
    units = set(page.locator("#board tbody tr td:nth-child(2)").all_inner_texts())
    assert any(u.startswith("区民政局") for u in units) and any(u.startswith("区人社局") for u in units)
    page.goto(server + "/supervision/dashboard?month=2024-06&document=heping")
    assert page.locator("svg.bars").count() == 2
    total = page.locator("#ledger-total").inner_text()
    assert "本月登记申请1件、1人，批准1件，批准金额1,000元，本月支付1,000元" in total
    shot(page, "supervision_dashboard")
    page.goto(server + "/supervision?month=2024-07&document=heping")
    with page.expect_navigation():
        page.locator("#board tbody tr", has_text="heping/附件1/54").get_by_role("link", name="查看").click()
    page.get_by_label("批注 / 退回理由").fill("请补充7月未开展招聘活动的原因。")
    with page.expect_navigation():
        page.get_by_role("button", name="退回").click()
    assert "已退回" in page.locator("#report-state").inner_text()
    assert "请补充7月未开展招聘活动的原因" in page.locator("#comments").inner_text()
    shot(page, "supervision_office_return")
    with page.expect_download() as download:
        page.goto(server + "/supervision/dashboard?month=2024-06&document=heping")
        page.locator("#download-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
