"""The web calculator in a real browser: Debian's Chromium driven by Playwright.

Personas answer THROUGH THE QUESTIONNAIRE: the test fills only the fields the page asks for (by their
labels), answers 不知道 to the rest, and submits until the wanted measure is eligible; then it checks
the amounts, the payment schedule and the clause citations shown. Expected amounts are worked out
from the clause text (see each test). Screenshots go to tests/artifacts/ (gitignored).

`make test` installs chromium and fonts-noto-cjk (see the Makefile); these tests are skipped only
where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed")]


# --- fixtures: the app under uvicorn (a subprocess on a free loopback port), one browser ------------
@pytest.fixture(scope="module")
def server():
    from .conftest import running_server
    with running_server(ROOT) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str, element=None) -> None:
    """A screenshot of the viewport (or of one element) into tests/artifacts/NAME.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (element or page).screenshot(path=str(ARTIFACTS / f"{name}.png"))


# --- driving the pages -------------------------------------------------------------------------
def start(page, base: str, kind: str, district: str, on: str) -> None:
    """The start page: who applies, the district, the assessment date; then 开始."""
    page.goto(base + "/")
    page.get_by_label("个人" if kind == "person" else "单位", exact=False).first.check()
    page.get_by_label("所在区").select_option(district)
    page.get_by_label("评估日期").fill(on)
    with page.expect_navigation():
        page.get_by_role("button", name="开始").click()


def card(page, measure: str, status: str = "eligible", group: str | None = None):
    scope = f'section[data-group="{group}"] ' if group else ""
    return page.locator(f'{scope}article.status-{status}[data-measure="{measure}"]')


def answer_questionnaire(page, facts: dict[str, str], want: list[str], rounds: int = 30,
                         screenshot: str | None = None, texts: list | None = None) -> list[str]:
    """Answer the questions the page asks, as the persona would: the value from `facts` (by the
    fact's name); 不适用 where the persona has no such thing (the box is offered); 不知道 otherwise.
    Submit until every measure in `want` is eligible. Returns the facts asked (one per answer)."""
    asked: list[str] = []
    for round_ in range(rounds):
        assert page.get_by_role("heading", name="还需要了解的情况").count() == 1, page.content()[:2000]
        if texts is not None:
            texts.append(page.locator("body").inner_text())
        if all(card(page, m).and_(page.locator('[data-settled="yes"]')).count() >= 1 for m in want):
            return asked        # eligible, and the amount and dates known
        questions = page.locator("form#questions fieldset")
        assert questions.count() > 0, (f"no more questions but {want} not eligible; asked {asked}; "
                                       f"open: {page.locator('article.status-undetermined h3').all_inner_texts()}")
        if screenshot and round_ == 0:
            shot(page, screenshot)
        asked += answer_page(page, facts)
        with page.expect_navigation():
            page.get_by_role("button", name="下一步").click()
    raise AssertionError(f"{want} not eligible after {rounds} rounds; asked {asked}")


def answer_page(page, facts: dict[str, str]) -> list[str]:
    """Fill in the questions of this page as the persona would (see answer_questionnaire)."""
    asked = []
    questions = page.locator("form#questions fieldset")
    for i in range(questions.count()):
        question = questions.nth(i)
        variable = question.get_attribute("data-variable")
        asked.append(variable)
        value = facts.get(variable)
        if value is None:
            box = question.get_by_label("不适用", exact=True)
            (box if box.count() else question.get_by_label("不知道", exact=True)).check()
        elif value in ("true", "false"):
            question.get_by_label("是" if value == "true" else "否", exact=True).check()
        elif question.locator("select").count():
            question.get_by_label("请选择").select_option(value)
        elif question.locator('input[type="date"]').count():
            question.get_by_label("日期").fill(value)
        else:
            question.get_by_label("数值", exact=False).fill(value)
    return asked


def to_results(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="查看完整结果（可打印）").click()
    assert page.get_by_role("heading", name="政策计算结果").count() == 1


def schedule(result_card) -> list[tuple[str, str]]:
    rows = result_card.locator("table.schedule tbody tr")
    return [tuple(rows.nth(i).locator("td").all_inner_texts()) for i in range(rows.count())]


def citations(result_card) -> str:
    return " ".join(result_card.locator(".clause").all_inner_texts())


def expand(result_card) -> None:
    for i in range(result_card.locator("details").count()):
        result_card.locator("details").nth(i).evaluate("d => d.open = true")


# --- personas ----------------------------------------------------------------------------------
# (a) xicheng/6: a Xicheng-registered unemployed person hired by a Xicheng company on a 3-year
# fixed-term contract from 2024-03-15, wage 4000 (≥ 1.2 × 2540 = 3048), insured, paid monthly in full.
# 第6条: 岗位补贴/就业奖励 每满一年 6000, 9000, 12000 元 (最长3年). Year k completes the day before the
# k-th anniversary: 2025-03-14, 2026-03-14, 2027-03-14. On 2026-11-23: 6000 + 9000 = 15000 to date.
XICHENG_6 = {
    "hukou_district": "xicheng", "registered_unemployed_at_hire": "true", "dibao": "false", "dibao_at_hire": "false",
    "contract_start_date": "2024-03-15", "contract_type": "fixed_term", "contract_term_months": "36",
    "monthly_wage": "4000", "wage_paid_monthly_in_full": "true", "social_insurance_paid": "true",
    "org_type": "limited_company", "registration_district": "xicheng", "tax_district": "xicheng",
    "social_insurance_district": "xicheng", "birth_date": "1995-05-01", "veteran": "false",
    "education_level": "high_school", "public_welfare_placed_at_hire": "false", "city_diverted_worker_at_hire": "false",
}
SCHEDULE_6 = [("2025-03-14", "6,000元"), ("2026-03-14", "9,000元"), ("2027-03-14", "12,000元")]


def test_xicheng_unemployed_person_hired_on_a_three_year_contract(page, server):
    page.goto(server + "/")
    shot(page, "start")
    start(page, server, "person", "xicheng", "2026-11-23")
    answer_questionnaire(page, XICHENG_6, ["xicheng/6/employer", "xicheng/6/person"], screenshot="questionnaire")
    to_results(page)
    for measure, title, group in (("xicheng/6/employer", "岗位补贴", "employer"),
                                  ("xicheng/6/person", "就业奖励", "own")):
        result = card(page, measure, group=group)
        assert result.count() == 1
        assert title in result.locator("h3").inner_text()
        assert result.locator(".amount").inner_text() == "15,000元"
        assert schedule(result) == SCHEDULE_6
        if group == "employer":       # the print view shows another beneficiary's card compact
            assert "由用人单位" in result.inner_text()
            continue
        expand(result)
        assert "西城第6条" in citations(result)
        assert "每满一年" in result.locator("blockquote").inner_text()
        assert "6,000元/9,000元/12,000元" in result.inner_text()    # the parameter, with its source
        text = result.inner_text()                                # facts read, as a person reads them
        assert "有限责任公司" in text and "limited_company" not in text and "True" not in text
    shot(page, "results")
    shot(page, "results_card", card(page, "xicheng/6/employer"))


# (b) xicheng/27: a Xicheng HR service agency (licensed in Xicheng, pays tax, operating normally),
# rated AAAAA on 2024-09-01. 第27条: "被评为AAAAA级，每年按照50万元标准申请服务提升补贴。补贴期限最长不超过
# 三年。同一机构符合多项补贴标准，按照最高额度申请。" Subsidy years from the rating date: 2024-09-01,
# 2025-09-01, 2026-09-01, 500000 each; all due by 2026-11-23: 1,500,000 to date. Not a
# 全国/北京市 诚信服务示范 unit, so the lower tiers (AAA 15万, AAAA 25万) do not apply.
XICHENG_27 = {
    "org_type": "joint_stock_company", "registration_district": "xicheng", "tax_district": "xicheng",
    "xicheng_hr_licence_district": "xicheng", "xicheng_pays_tax_lawfully": "true", "operating_normally": "true",
    "xicheng_27_hr_grade": "aaaaa", "xicheng_27_grade_date": "2024-09-01",
    "xicheng_27_beijing_integrity_demo": "false", "xicheng_27_national_integrity_demo": "false",
}


def test_xicheng_hr_agency_rated_aaaaa(page, server):
    start(page, server, "organisation", "xicheng", "2026-11-23")
    asked = answer_questionnaire(page, XICHENG_27, ["xicheng/27/aaaaa"])
    assert "xicheng_27_hr_grade" in asked and "xicheng_27_grade_date" in asked
    to_results(page)
    result = card(page, "xicheng/27/aaaaa")
    assert "服务提升补贴（AAAAA级）" in result.locator("h3").inner_text()
    assert result.locator(".amount").inner_text() == "1,500,000元"
    assert schedule(result) == [("2024-09-01", "500,000元"), ("2025-09-01", "500,000元"),
                                ("2026-09-01", "500,000元")]
    expand(result)
    assert "西城第27条" in citations(result) and "西城附则（一）" in citations(result)
    assert "50万元" in result.locator("blockquote").inner_text()
    assert card(page, "xicheng/27/aaaa").count() == 0 and card(page, "xicheng/27/aaa").count() == 0


# (c) heping/二十八 (天津市和平区, in force 2020-06-30 … 2025-06-29): a Heping-registered member of a
# 低保 family, jobless, who signs a first labour contract (fixed term, 12 months) from 2023-03-01.
# Clause: "自正式签订劳动合同当月起1年内，核定家庭收入时每月扣减600元" — 12 months March 2023 … February
# 2024, 600 yuan each (total 7200), listed on each month's last day. On 2023-08-15 the months
# March–July have ended: 5 × 600 = 3000 to date. (低保家庭 is answered under the fact names the
# Heping encoding has used, `dibao`, `dibao_family` and, at the signing, `dibao_at_hire`.)
HEPING_28 = {
    "hukou_district": "heping", "dibao": "true", "dibao_family": "true", "heping_28_low_income_family": "false",
    "dibao_at_hire": "true", "heping_28_low_income_family_at_contract": "false",
    "heping_28_jobless_or_graduate": "true", "heping_28_first_employment": "true",
    "contract_start_date": "2023-03-01", "contract_type": "fixed_term", "contract_term_months": "12",
}
HEPING_MEASURE = "heping/二十八/income_disregard"


def test_heping_low_income_family_member_first_job(page, server):
    from jiuye.catalogue import load_catalogue
    if HEPING_MEASURE not in {m.id for m in load_catalogue().executable()}:
        pytest.skip(f"{HEPING_MEASURE} is not (yet) an executable measure")
    start(page, server, "person", "heping", "2023-08-15")
    answer_questionnaire(page, HEPING_28, [HEPING_MEASURE])
    to_results(page)
    result = card(page, HEPING_MEASURE)
    assert result.locator(".amount").inner_text() == "3,000元"
    months = ["2023-03-31", "2023-04-30", "2023-05-31", "2023-06-30", "2023-07-31", "2023-08-31",
              "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31", "2024-01-31", "2024-02-29"]
    assert schedule(result) == [(day, "600元") for day in months]
    expand(result)
    assert "和平第二十八条" in citations(result)
    assert "每月扣减600元" in result.locator("blockquote").inner_text()


# --- the 对标 page, phone layout, labels, keyboard ------------------------------------------------
def test_compare_page_table_and_chart(page, server):
    import json
    situation = {"persons": {"zhang_san": {k: v for k, v in {
        "birth_date": "1995-05-01", "hukou_district": "xicheng", "registered_unemployed_at_hire": True,
        "dibao": False, "dibao_at_hire": False, "contract_start_date": "2024-03-15", "contract_type": "fixed_term",
        "contract_term_months": 36, "monthly_wage": 4000, "wage_paid_monthly_in_full": True,
        "social_insurance_paid": True}.items()}},
        "organisations": {"c": {"employees": ["zhang_san"], "org_type": "limited_company",
                                "registration_district": "xicheng"}}}
    page.goto(server + "/compare")
    page.get_by_label("情形数据", exact=False).fill(json.dumps(situation, ensure_ascii=False))
    page.get_by_label("评估日期").fill("2026-11-23")
    with page.expect_navigation():
        page.get_by_role("button", name="对标").click()
    row = page.locator('tr[data-district="xicheng"]')
    assert row.count() == 1 and "北京市西城区" in row.inner_text()
    assert "30,000元" in row.inner_text()       # 岗位补贴 15000 + 就业奖励 15000 to date (xicheng/6)
    assert page.locator("svg[role=img] rect").count() == page.locator("tbody tr").count()
    shot(page, "compare")
    shot(page, "compare_chart", page.locator("figure"))


@pytest.mark.parametrize("path", ["/", "/compare", "/catalogue"])
def test_pages_fit_a_phone(browser, server, path):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 390px-wide screen"
        shot(page, "phone" + (path.replace("/", "_") if path != "/" else "_start"))
    finally:
        context.close()


def test_phone_questionnaire_and_results(browser, server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        start(page, server, "person", "xicheng", "2026-11-23")
        shot(page, "phone_questionnaire")
        width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(width) <= 0
        answer_questionnaire(page, XICHENG_6, ["xicheng/6/employer"])
        to_results(page)
        assert page.evaluate(width) <= 0
        shot(page, "phone_results")
    finally:
        context.close()


PHONE_SITUATION = '{"persons": {"本人": {"hukou_district": "xicheng"}}, "organisations": {"本单位": {"employees": ["本人"]}}}'


def test_phone_compare_results(browser, server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(server + "/compare")
        page.get_by_label("情形数据", exact=False).fill(PHONE_SITUATION)
        page.get_by_label("评估日期").fill("2026-11-23")
        with page.expect_navigation():
            page.get_by_role("button", name="对标").click()
        assert page.locator('tr[data-district="xicheng"]').count() == 1
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.locator("figure").scroll_into_view_if_needed()
        shot(page, "phone_compare_results")
    finally:
        context.close()


LABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML)"""


def test_every_form_field_has_a_label(page, server):
    for path in ("/", "/compare"):
        page.goto(server + path)
        assert page.evaluate(LABELLED) == [], path
    start(page, server, "person", "xicheng", "2026-11-23")
    assert page.locator("form#questions fieldset").count() > 0
    assert page.evaluate(LABELLED) == []
    for i in range(page.locator("fieldset").count()):
        assert page.locator("fieldset").nth(i).locator("legend").inner_text().strip()


def _tab_to(page, locator, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} cannot be reached with Tab")


def test_questionnaire_with_the_keyboard(page, server):
    """Start with Enter, Tab to the first question, answer it with the keyboard (Space on a radio,
    ArrowDown in a list, typing in a field), Tab to 下一步 and press Enter: the answer is taken."""
    page.goto(server + "/")
    page.locator("body").focus()
    _tab_to(page, page.get_by_label("所在区"))
    page.keyboard.press("End")                                   # the last district in the list
    district = page.get_by_label("所在区").input_value()
    _tab_to(page, page.get_by_role("button", name="开始"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.locator("form#questions fieldset").first
    legend = first.locator("legend").inner_text()
    target = first.locator("input:not([type=hidden]), select").first
    variable = target.get_attribute("name").split("::")[-1]
    _tab_to(page, target)
    kind = target.evaluate("el => el.type")
    if kind == "radio":
        page.keyboard.press("Space")
        assert target.is_checked()
    elif kind.startswith("select"):
        page.keyboard.press("ArrowDown")
        assert target.input_value() != ""
    elif kind == "date":          # typed segment by segment, in the order headless Chromium shows them (月/日/年)
        page.keyboard.type("03152024")
        assert target.input_value() == "2024-03-15"
    else:
        page.keyboard.type("12")
    _tab_to(page, page.get_by_role("button", name="下一步"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="还需要了解的情况").count() == 1, page.locator("main").inner_text()
    assert page.locator("form#questions legend", has_text=legend).count() == 0, "the answer was not taken"
    situation = page.locator('input[name="situation"]')
    assert f'"{variable}"' in situation.first.get_attribute("value")
    assert page.locator('input[name="district"]').first.get_attribute("value") == district
