"""经办台账 in a real browser (Debian's Chromium through Playwright, as tests/test_browser.py): a case
worker and a reviewer take a 西城 岗位补贴 claim (xicheng/6/employer, examples/
xicheng_6_stable_employment.json) from application to its third-year payment, every date typed into
the forms. 第6条: 每满一年 6000, 9000, 12000 元; contract from 2024-03-15, so the years complete on
2025-03-14, 2026-03-14 and 2027-03-14. Screenshots go to tests/artifacts/ledger_*.png.

The server is `jiuye serve` on a fresh SQLite ledger, seeded first by what `make run` runs
(`python -m jiuye.ledger.demo`, demo mode): the demo accounts log in.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest

from jiuye.examples import load_example
from jiuye.ledger.demo import DEMO_USERS
from jiuye.ids import make_id_number, make_uscc
# the launch settings and the `browser` fixture of tests/test_browser.py (Debian's Chromium, no download)
from tests.test_browser import (CHROMIUM, DESKTOP, LABELLED, PHONE, ROOT, XICHENG_6, _tab_to, answer_questionnaire,
                                card, shot, start, to_results)
from tests.test_browser import browser  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")]

PASSWORDS = {username: password for username, _, _, password in DEMO_USERS}
COMPANY = make_uscc("91", "110102", "MA03BRW60")
EMPLOYEE = make_id_number("110102", dt.date(1996, 7, 2), 318)
SITUATION = load_example("xicheng_6_stable_employment.json")[0]
YEARS = [("2025-03-14", "6,000元"), ("2026-03-14", "9,000元"), ("2027-03-14", "12,000元")]
WIDTH = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def ledger_server(tmp_path_factory):
    """`make run`'s two steps on a fresh ledger: seed the demo data, then serve."""
    folder = tmp_path_factory.mktemp("ledger-browser")
    env = {**os.environ, "JIUYE_DATABASE_URL": f"sqlite:///{folder / 'ledger.db'}", "JIUYE_DEMO": "1",
           "JIUYE_SECRET_KEY": "browser-test-secret", "JIUYE_INSECURE_COOKIES": "1",     # served over http
           "JIUYE_AUDIT_KEY": "browser-test-audit-key", "JIUYE_AUDIT_ANCHORS": str(folder / "anchors.jsonl")}
    seeded = subprocess.run([sys.executable, "-m", "jiuye.ledger.demo"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    assert "jingban" in seeded.stdout and PASSWORDS["jingban"] in seeded.stdout   # the demo accounts are printed
    from ..conftest import running_server
    with running_server(folder, env, ready_path="/ledger/login") as base:
        yield base


def _context(browser, viewport=DESKTOP, **kw):
    context = browser.new_context(viewport=viewport, locale="zh-CN", **kw)
    context.set_default_timeout(20_000)
    return context


# the facts of examples/xicheng_6_stable_employment.json, by the labels the forms show them with
X6_FACTS = {"劳动合同起始日期": "2024-03-15", "签订劳动合同时为本市分流职工": "否", "最高学历": "普通高中", "签订劳动合同时为社会公益性就业组织安置人员": "否",
            "签订劳动合同时为登记失业人员": "是", "退役士兵（退役军人）": "否", "劳动合同期限（月）": "36",
            "劳动合同类型": "固定期限劳动合同", "户籍所在区": "西城区", "按规定缴纳职工社会保险": "是", "月工资（元）": "4000",
            "按月足额发放工资": "是", "单位类型": "有限责任公司", "注册地（所在区）": "西城区"}


def fill_facts(page, facts: dict[str, str]) -> None:
    """Type or choose each fact by its label (a select by the choice's words)."""
    for label, value in facts.items():
        field = page.locator(f'div.fact:has(> label:text-is("{label}"))').locator("select, input")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/ledger/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORDS[username])
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.locator(".ledger-nav .who").count() == 1, page.locator("main").inner_text()[:500]


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    assert "/ledger/login" in page.url


def schedule_rows(page) -> list[tuple[str, str, str]]:
    rows = page.locator("#schedule tbody tr")
    out = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        out.append((cells.nth(1).inner_text().strip(), cells.nth(2).inner_text().split("\n")[0].strip(),
                    cells.nth(3).inner_text().strip()))
    return out


def pay(page, seq: int, on: str, reference: str) -> None:
    row = page.locator("#schedule tbody tr").nth(seq - 1)
    row.get_by_label(f"第{seq}期支付日期").fill(on)
    row.get_by_label(f"第{seq}期银行流水号（可选）").fill(reference)
    with page.expect_navigation():
        row.get_by_role("button", name="登记支付").click()


def test_case_worker_and_reviewer_take_a_claim_to_its_third_year_payment(browser, ledger_server):
    base = ledger_server
    context = _context(browser)
    page = context.new_page()
    try:
        # 经办: a new application, applicant and employee by ID number, the facts by their labels
        log_in(page, base, "jingban")
        page.goto(base + "/ledger/new")
        page.get_by_label("措施").select_option("xicheng/6/employer")
        with page.expect_navigation():
            page.get_by_role("button", name="选择").click()
        page.get_by_label("申请日期（评估日）").fill("2025-03-14")
        fill_facts(page, X6_FACTS)
        assert page.locator("textarea").count() == 0
        shot(page, "ledger_new_by_facts")
        page.get_by_label("受益方证件号", exact=False).fill(COMPANY)
        page.get_by_label("受益方名称", exact=False).fill("西城浏览器测试科技有限公司")
        page.get_by_label("人员身份证号", exact=True).fill(EMPLOYEE)
        page.get_by_label("人员姓名", exact=False).fill("李四")
        with page.expect_navigation():
            page.get_by_role("button", name="计算并记录申请").click()
        assert re.search(r"/ledger/applications/\d+$", page.url), page.locator("main").inner_text()[:800]
        app_id = page.url.rsplit("/", 1)[1]
        assert f"已记录申请#{app_id}" in page.locator("[role=status]").inner_text()
        assert "待审核" in page.locator("dl.facts").inner_text()
        assert [(due, amount) for due, amount, _ in schedule_rows(page)] == YEARS
        assert page.locator('article[data-measure="xicheng/6/employer"]').count() == 1      # the frozen card
        assert page.get_by_role("button", name="批准").count() == 0                          # a case worker cannot
        log_out(page)

        # 审核: approve with the decision date and a reason
        log_in(page, base, "shenhe")
        page.goto(f"{base}/ledger/applications/{app_id}")
        page.get_by_label("决定日期").fill("2025-03-14")
        page.get_by_label("理由", exact=False).fill("材料齐全，劳动合同、社保缴费记录核验无误")
        with page.expect_navigation():
            page.get_by_role("button", name="批准").click()
        assert "已批准" in page.locator("dl.facts").inner_text()
        assert [s for _, _, s in schedule_rows(page)] == ["已核定"] * 3
        page.locator("details").filter(has_text="条件逐项说明").first.evaluate("d => d.open = true")
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "ledger_detail.png"), full_page=True)
        log_out(page)

        # 经办: each year's payment on its date, on the schedule page
        log_in(page, base, "jingban")
        page.goto(f"{base}/ledger/applications/{app_id}/schedule")
        assert page.locator("form.pay-form").count() == 3
        shot(page, "ledger_schedule_to_pay")
        pay(page, 1, "2025-03-14", "XC-2025-0001")
        assert "已登记支付" in page.locator("[role=status]").inner_text()
        pay(page, 3, "2026-03-14", "XC-EARLY")                      # the third year is not due yet: refused
        assert "尚未到期" in page.locator("[role=alert]").inner_text()
        pay(page, 2, "2026-03-14", "XC-2026-0001")
        pay(page, 3, "2027-03-14", "XC-2027-0001")
        rows = schedule_rows(page)
        assert [(due, amount) for due, amount, _ in rows] == YEARS and [s for _, _, s in rows] == ["已支付"] * 3
        assert "27,000元" in page.locator("#schedule tfoot").inner_text()
        assert "XC-2027-0001" in page.locator("#schedule").inner_text()
        shot(page, "ledger_schedule")

        # the list: filtered by the employer's code (typed; the address keeps only the record id)
        page.goto(base + "/ledger")
        page.get_by_label("受益方证件号", exact=False).fill(COMPANY)
        with page.expect_navigation():
            page.get_by_role("button", name="筛选").click()
        assert COMPANY not in page.url
        row = page.locator(f'#applications tr[data-application="{app_id}"]')
        assert row.count() == 1 and "已批准" in row.inner_text() and "27,000元" in row.inner_text()
        assert EMPLOYEE not in page.content() and EMPLOYEE[-4:] in row.inner_text()      # masked
        page.goto(base + "/ledger")
        assert page.locator("#applications tbody tr").count() >= 4                         # with the demo claims
        shot(page, "ledger_list")

        # print: navigation and forms are not printed
        page.goto(f"{base}/ledger/applications/{app_id}/schedule")
        page.emulate_media(media="print")
        assert not page.locator(".ledger-nav").is_visible() and not page.get_by_role("button", name="打印").is_visible()
        assert page.locator("#schedule").is_visible() and page.locator("dl.facts").is_visible()
        page.emulate_media(media="screen")
    finally:
        context.close()


def test_ledger_pages_fit_a_phone_and_label_every_field(browser, ledger_server):
    base = ledger_server
    context = _context(browser, PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, base, "admin")
        for path, name in (("/ledger", "list"), ("/ledger/applications/1", "detail"),
                           ("/ledger/applications/1/schedule", "schedule"), ("/ledger/new", "new"),
                           ("/ledger/import", "import"), ("/ledger/users", "users"), ("/ledger/tokens", "tokens")):
            page.goto(base + path)
            assert page.evaluate(WIDTH) <= 0, f"{path} scrolls sideways on a 390px-wide screen"
            assert page.evaluate(LABELLED) == [], path
            if name in ("list", "detail", "schedule"):
                page.screenshot(path=str(ROOT / "tests" / "artifacts" / f"ledger_phone_{name}.png"), full_page=True)
    finally:
        context.close()


def test_login_and_record_with_the_keyboard(browser, ledger_server):
    base = ledger_server
    context = _context(browser)
    page = context.new_page()
    try:
        page.goto(base + "/ledger/login")
        page.locator("body").focus()
        _tab_to(page, page.get_by_label("用户名"))
        page.keyboard.type("shenhe")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORDS["shenhe"])
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "审核员" in page.locator(".ledger-nav .who").inner_text()
        # the demo's pending 西城 start-up claim (submitted by 经办): open it and reject it by keyboard
        page.goto(base + "/ledger?status=submitted&measure=xicheng%2F15")
        link = page.locator("#applications tbody a").first
        _tab_to(page, link)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, page.get_by_label("理由", exact=False))
        page.keyboard.type("缺少场地租赁合同")
        _tab_to(page, page.get_by_role("button", name="驳回"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "已驳回" in page.locator("dl.facts").inner_text() and "缺少场地租赁合同" in page.locator("main").inner_text()
    finally:
        context.close()


def test_questionnaire_result_recorded_as_a_claim_then_reassessed_by_label(browser, ledger_server):
    """政策计算器 → 计算结果 → 据此申请 (log in there) → the claim stored with the answers → approved →
    reassessed by label: the contract ended on 2026-06-30, so the third year (due 2027-03-14) is
    cancelled and the years paid or due before stay (第6条 每满一年: 6,000 / 9,000 / 12,000 元)."""
    base = ledger_server
    context = _context(browser)
    page = context.new_page()
    person = make_id_number("110102", dt.date(1995, 5, 1), 417)
    try:
        start(page, base, "person", "xicheng", "2026-11-23")
        answer_questionnaire(page, XICHENG_6, ["xicheng/6/person"])
        to_results(page)
        result = card(page, "xicheng/6/person", group="own")
        assert result.get_by_role("button", name="据此申请").count() == 1
        assert card(page, "xicheng/6/employer", group="employer").get_by_role("button", name="据此申请").count() == 0
        with page.expect_navigation():
            result.get_by_role("button", name="据此申请").click()
        # not logged in: the page asks for a login, the answers are listed by label
        assert page.get_by_role("heading", name="请先登录经办台账").count() == 1
        facts = page.locator("#claim-facts").inner_text()
        assert "月工资（元）" in facts and "4000元" in facts and "劳动合同起始日期" in facts and "JSON" not in page.content()
        shot(page, "ledger_from_calculator_login")
        page.get_by_label("用户名").fill("jingban")
        page.get_by_label("密码").fill(PASSWORDS["jingban"])
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()
        page.get_by_label("居民身份证号").fill(person)
        page.get_by_label("姓名", exact=False).fill("王五")
        assert page.get_by_label("申请日期（评估日）").input_value() == "2026-11-23"
        shot(page, "ledger_from_calculator")
        with page.expect_navigation():
            page.get_by_role("button", name="记录申请").click()
        assert re.search(r"/ledger/applications/\d+$", page.url), page.locator("main").inner_text()[:800]
        app_id = page.url.rsplit("/", 1)[1]
        assert "已据计算结果记录申请" in page.locator("[role=status]").inner_text()
        assert [(due, amount) for due, amount, _ in schedule_rows(page)] == YEARS
        log_out(page)

        log_in(page, base, "shenhe")
        page.goto(f"{base}/ledger/applications/{app_id}")
        page.get_by_label("决定日期").fill("2026-11-23")
        with page.expect_navigation():
            page.get_by_role("button", name="批准").click()
        log_out(page)

        # 经办: the reassessment form asks for the facts by label, prefilled with the frozen answers
        log_in(page, base, "jingban")
        page.goto(f"{base}/ledger/applications/{app_id}")
        form = page.locator("#reassess")
        assert form.get_by_label("月工资（元）").input_value() == "4000"
        assert form.get_by_label("劳动合同起始日期").input_value() == "2024-03-15"
        assert form.locator("textarea").count() == 0 and "JSON" not in page.content()
        form.get_by_label("核定日期").fill("2026-12-01")
        form.get_by_label("理由（必填）").fill("劳动合同于2026-06-30解除")
        form.get_by_label("劳动合同提前解除或终止日期").fill("2026-06-30")
        page.locator("#frozen-facts").evaluate("d => d.open = true")
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "ledger_reassess_by_label.png"), full_page=True)
        with page.expect_navigation():
            form.get_by_role("button", name="重新核定").click()
        assert "已重新核定" in page.locator("[role=status]").inner_text()
        statuses = [s for _, _, s in schedule_rows(page)]
        assert statuses[:2] == ["已核定", "已核定"] and statuses[2] == "已取消", statuses
        assert "劳动合同提前解除或终止日期：未填→2026-06-30" in page.locator("main").inner_text()
        shot(page, "ledger_reassessed_schedule")
        page.goto(base + "/ledger/import?measure=xicheng/6/employer")
        assert "月工资（元）" in page.locator("#fact-columns").inner_text()
        page.screenshot(path=str(ROOT / "tests" / "artifacts" / "ledger_import_columns.png"), full_page=True)
    finally:
        context.close()
