"""实名制就业帮扶台账 in a real browser (Debian's Chromium through Playwright, as tests/test_browser.py):
a 专员 of 新街口社区 walks a month on the demo data (`jiuye serve` in demo mode seeds it): imports a
roster, reads the due list, records contacts, a referral, a plan and a placement, and opens the
figures. Screenshots: tests/artifacts/registry_*.png."""

from __future__ import annotations

import csv
import datetime as dt
import os

import pytest

from jiuye.ids import make_id_number
from jiuye.registry.demo import USERS
from tests.test_browser import CHROMIUM, DESKTOP, ROOT, shot
from tests.test_browser import browser  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")]
PASSWORDS = {u: p for u, _, _, p, _ in USERS}
NEW = make_id_number("110102", dt.date(2004, 9, 9), 211)
DAY = "2026-11-23"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registry-browser")
    env = {**os.environ, "JIUYE_DATABASE_URL": f"sqlite:///{folder / 'jiuye.db'}", "JIUYE_DEMO": "1",
           "JIUYE_SECRET_KEY": "browser-test-secret", "JIUYE_INSECURE_COOKIES": "1"}   # served over http
    from ..conftest import running_server
    with running_server(ROOT, env, ready_path="/registry/login") as base:
        yield base, folder


def test_a_specialists_month(browser, server):  # noqa: F811
    base, folder = server
    roster = folder / "花名册.csv"
    with open(roster, "w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows([
            ["身份证号", "姓名", "社区", "户籍所在区", "离校未就业", "毕业日期", "生源地", "困难家庭", "有就业意愿"],
            [NEW, "郑晓", "新街口社区", "西城区", "是", "2026-06-30", "北京市", "是", "是"],
            ["110102199001011234", "错号", "新街口社区", "", "", "", "", "", ""]])
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(base + "/registry")
    assert "/registry/login" in page.url
    page.get_by_label("用户名").fill("zhuanyuan")
    page.get_by_label("密码").fill(PASSWORDS["zhuanyuan"])
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    # import
    page.goto(base + "/registry/import")
    page.get_by_label("文件（.csv：UTF-8或GBK；.xlsx）").set_input_files(str(roster))
    page.get_by_label("导入日期").fill("2026-11-02")
    with page.expect_navigation():
        page.get_by_role("button", name="导入").click()
    result = page.locator("main").inner_text()
    assert "新增1人" in result and "拒绝1行" in result and "校验码" in result
    shot(page, "registry_import")
    # the due list
    page.goto(f"{base}/registry?on={DAY}")
    text = page.locator("main").inner_text()
    assert "逾期" in text and "beijing/13" in text and "郑晓" in text and "xicheng/8" in text
    shot(page, "registry_due")
    # contacts: 李娜 by phone, 吴敏 online
    for name, kind in (("李娜", "电话"), ("吴敏", "线上")):
        page.goto(f"{base}/registry/persons?q={name}")
        with page.expect_navigation():
            page.get_by_role("link", name=name).click()
        page.get_by_label("方式/服务").select_option(label=kind)
        page.locator("#rec-on").fill(DAY)
        page.get_by_label("结果").fill("回访：有求职意向")
        with page.expect_navigation():
            page.get_by_role("button", name="记录", exact=True).click()
        assert "办结义务：xicheng/8/visit" in page.locator("main").inner_text()
    shot(page, "registry_person")
    # a plan for the imported graduate (一生一策)
    page.goto(f"{base}/registry/persons?q=郑晓")
    with page.expect_navigation():
        page.get_by_role("link", name="郑晓").click()
    page.get_by_label("目标").fill("三个月内实现就业")
    page.locator("#plan-on").fill(DAY)
    page.get_by_label("步骤1").fill("职业指导")
    page.locator("#due1").fill("2026-11-30")
    with page.expect_navigation():
        page.get_by_role("button", name="制定计划").click()
    assert "计划#" in page.locator("main").inner_text()
    # a referral (岗位推荐) and a placement (托底安置) for 赵军
    page.goto(f"{base}/registry/persons?q=赵军")
    with page.expect_navigation():
        page.get_by_role("link", name="赵军").click()
    page.get_by_label("方式/服务").select_option(label="岗位推荐")
    page.locator("#rec-on").fill(DAY)
    page.get_by_label("单位（岗位推荐、托底安置）").fill("新街口物业公司")
    page.get_by_label("岗位", exact=True).fill("保安")
    with page.expect_navigation():
        page.get_by_role("button", name="记录", exact=True).click()
    page.get_by_label("方式/服务").select_option(label="托底安置（公益性岗位）")
    page.locator("#rec-on").fill(DAY)
    page.get_by_label("单位（岗位推荐、托底安置）").fill("新街口社区服务站")
    page.get_by_label("岗位", exact=True).fill("社区公益性岗位（保洁）")
    with page.expect_navigation():
        page.get_by_role("button", name="记录", exact=True).click()
    assert "新街口社区服务站" in page.locator("main").inner_text()
    # the due list again: the visits and the plan are done; 赵家 is cleared from November (赵军 placed),
    # its missed September and October follow-ups stay overdue
    page.goto(f"{base}/registry?on={DAY}")
    text = page.locator("main").inner_text()
    assert text.count("郑晓") == 1 and "吴敏" not in text   # 郑晓's plan is made, her 回访 still owed
    assert "（2026-09）" in text and "（2026-11）" not in text
    # the figures
    page.goto(base + "/registry/figures?month=2026-11")
    text = page.locator("main").inner_text()
    assert "新街口社区" in text and "95%" in text and "零就业家庭" in text
    shot(page, "registry_figures")
    context.close()
