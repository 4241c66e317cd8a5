"""Five personas, one per document, through the questionnaire in Chromium (issue 12).

Each persona answers what the page asks as that person would: the value they know (from the dict
below, by the fact's name), 不适用 where the thing does not apply to them, 不知道 where no 不适用 is
offered. Asserted: the persona's own measures are eligible within 15 answers; amounts and schedules
worked out from the clause text; who gets what (a person's own measures apart from the employer's);
the print view expands every card, lists every answer with its date and fits ≤ 4 A4 pages (the PDF's
pages rendered with pdftoppm and looked at); no English or key reaches a page; no page loads
anything from another host. Screenshots of each persona's result and print view: tests/artifacts/.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from .test_browser import (ARTIFACTS, CHROMIUM, XICHENG_6, answer_page, answer_questionnaire,  # noqa: F401
                           browser, card, citations, page, schedule, server, shot, start, to_results)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                 reason=f"{CHROMIUM} is not installed")]

MAX_ANSWERS = 15

# (1) 西城 — an individual: registered unemployed, hired by a Xicheng company on a 3-year fixed-term
# contract from 2024-03-15 at 4000 a month (≥ 1.2 × 2540 = 3048), insured, paid monthly in full.
# 第6条 每满一年 6000, 9000, 12000 元 (最长3年), to the person (就业奖励) and to the employer (岗位补贴);
# year k completes the day before the k-th anniversary: 2025-03-14, 2026-03-14, 2027-03-14.
# On 2026-11-23: 6000 + 9000 = 15000 each to date.
XICHENG = XICHENG_6          # the persona of tests/test_browser.py
# (2) 滨江 — an employer (limited company registered in Binjiang) that hired 80 本区户籍 people in 2025,
# all stably employed, stated as a count. (四): "招用并稳定就业50人及以上给予5万元奖补，之后每增加25人
# 再给予2.5万元": 50000 + ⌊(80 − 50) / 25⌋ × 25000 = 75000 for 2025, due when the year ends (2025-12-31).
BINJIANG = {"org_type": "limited_company", "binjiang_4_year": "2025", "binjiang_4_stable_hires": "80"}
# (3) 和平 — a founder: Tianjin hukou, registered unemployed since 2022-01-10 (more than half a year when
# the firm was registered on 2023-03-01), first business, a limited company registered in Heping,
# operating normally, 2 jobs created, 12 months of social insurance. (十四): 3000元 一次性创业补贴 once
# the firm has operated one full year: the year completes on 2024-02-29 (the day before 2024-03-01).
HEPING = {
    "hukou_city": "tianjin", "heping_registered_unemployed_at_founding": "true", "rural_labour": "false",
    "unemployment_registration_date": "2022-01-10", "heping_first_business": "true",
    "org_type": "limited_company", "registration_district": "heping", "registration_date": "2023-03-01",
    "operating_normally": "true", "heping_jobs_created": "2", "heping_consecutive_si_months": "12",
}
# (4) 海淀 — an HR agency (recognised 经营性人力资源服务机构) that placed 120 people in 2025, stated as a
# count. 五是: "100人(含)以上的，补助5万元" (the highest tier reached, not the sum): 50000, due 2025-12-31.
HAIDIAN = {"org_type": "limited_company", "haidian_hr_agency_recognised": "true", "haidian_5_year": "2025",
           "haidian_5_placements_in_year": "120"}
# (5) 北京市 — a graduate: bachelor, Beijing-sourced (生源地北京), graduated 2025-06-30, flexibly employed
# and insured in Beijing as a flexible worker from 2025-09-01. beijing/5: 灵活就业社会保险补贴, 最长不超过
# 3年: monthly from September 2025 (listed on each month's last day), 36 months to 2028-08-31; the
# amount is set by the city's policy, not this document (待定).
GRADUATE = {
    "education_level": "bachelor", "graduation_date": "2025-06-30", "student_origin_city": "beijing",
    "flexibly_employed": "true", "beijing_flexible_insured_in_beijing": "true",
    "beijing_flexible_employment_start_date": "2025-09-01", "employed": "false",
}

PERSONAS = {
    "xicheng_individual": dict(kind="person", district="xicheng", on="2026-11-23", facts=XICHENG,
                               want={"xicheng/6/person": ("15,000元", [("2025-03-14", "6,000元"),
                                                                      ("2026-03-14", "9,000元"),
                                                                      ("2027-03-14", "12,000元")])},
                               employer={"xicheng/6/employer": "15,000元"}, cite="西城第6条", quote="每满一年"),
    "binjiang_employer": dict(kind="organisation", district="binjiang", on="2026-11-23", facts=BINJIANG,
                              want={"binjiang/四/hiring": ("75,000元", [("2025-12-31", "75,000元")])},
                              cite="滨江第四条", quote="每增加25人"),
    "heping_founder": dict(kind="person", district="heping", on="2024-06-01", facts=HEPING,
                           want={"heping/十四/one_off": ("3,000元", [("2024-02-29", "3,000元")])},
                           cite="和平第十四条", quote="首次创办企业"),
    "haidian_hr_agency": dict(kind="organisation", district="haidian", on="2026-11-23", facts=HAIDIAN,
                              want={"haidian/五是/yearly": ("50,000元", [("2025-12-31", "50,000元")])},
                              cite="海淀“五是”", quote="100人(含)以上的，补助5万元"),
    "beijing_graduate": dict(kind="person", district="haidian", on="2026-11-23", facts=GRADUATE,
                             want={"beijing/5/flexible": ("待定", None)}, cite="北京市第5条", quote="灵活就业"),
}

# ASCII words allowed on a page: grade names, units, and (listed so that a new one fails) English that
# comes from reference data owned elsewhere, reported to its owners.
ALLOWED = {"AAA", "AAAA", "AAAAA", "PDF"}
FROM_REFERENCE_DATA = {"derived", "from", "the", "contribution", "ceiling"}   # a parameter's source (jiuye/model)
WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")


def english(text: str) -> set[str]:
    return {w for w in WORD.findall(text) if w not in ALLOWED and w not in FROM_REFERENCE_DATA}


def run(page, server, name: str) -> tuple[dict, list[str], list[str]]:
    persona = PERSONAS[name]
    texts = []
    start(page, server, persona["kind"], persona["district"], persona["on"])
    asked = answer_questionnaire(page, persona["facts"], list(persona["want"]), screenshot=f"{name}_questions",
                                 texts=texts)        # every questionnaire page this persona saw
    return persona, asked, texts


@pytest.mark.parametrize("name", list(PERSONAS))
def test_persona_settles_within_15_answers_and_files_a_result(page, server, name, tmp_path):
    persona, asked, texts = run(page, server, name)
    assert len(asked) <= MAX_ANSWERS, f"{name}: {len(asked)} answers: {asked}"
    shot(page, f"{name}_questionnaire_result")
    to_results(page)
    for measure, (amount, expected) in persona["want"].items():
        result = card(page, measure, group="own")
        assert result.count() == 1, f"{measure} is not among the applicant's own measures"
        assert result.locator(".amount").inner_text() == amount
        if expected is not None:
            assert schedule(result) == expected
        else:          # beijing/5: 36 monthly installments from 2025-09-30, amount set by the city
            rows = schedule(result)
            assert len(rows) == 36 and rows[0] == ("2025-09-30", "待定") and rows[-1][0] == "2028-08-31"
        assert persona["cite"] in citations(result)
        # the print view: every section of the card is open, the clause text shown
        assert result.locator("blockquote").is_visible() and persona["quote"] in result.locator("blockquote").inner_text()
        assert result.locator("ul.conditions").first.is_visible()
        assert measure not in result.inner_text()
    for measure, amount in persona.get("employer", {}).items():
        # who gets what: the employer's subsidy is listed apart, with what the employer needs to do
        assert card(page, measure, group="own").count() == 0
        employer = card(page, measure, group="employer")
        assert employer.count() == 1 and employer.locator(".amount").inner_text() == amount
        assert "由用人单位" in employer.inner_text()
    own = page.locator('section[data-group="own"] h2').inner_text()
    assert ("您本人可享受" if persona["kind"] == "person" else "本单位可申请") in own
    # every answer given is listed, with the day it was given
    answers = page.locator("section.answers table tbody tr")
    given = [v for v in asked if v in persona["facts"]]
    assert answers.count() >= len(given)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}|开始时", answers.nth(i).locator("td").nth(3).inner_text())
               for i in range(answers.count()))
    expand_all(page)
    texts.append(page.locator("body").inner_text())      # every result card, every section open
    shot(page, f"{name}_result")
    # print / PDF: ≤ 4 A4 pages; each page rendered (pdftoppm) and not blank
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / f"{name}_print.png"), full_page=True)
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = check_pdf_pages(pdf, ARTIFACTS / f"{name}_print_page")
    assert 1 <= pages <= 4, f"{name}: the print view runs to {pages} A4 pages"
    # the same answers in each district (from the results page's state)
    page.emulate_media(media="screen")
    with page.expect_navigation():
        page.get_by_role("button", name="返回修改回答").click()
    with page.expect_navigation():
        page.get_by_role("button", name="同样情况在各区能享受什么").click()
    assert page.locator("tbody tr").count() >= 1
    expand_all(page)
    texts.append(page.locator("body").inner_text())
    # plain Chinese on every page this persona saw
    for text in texts:
        assert not english(text), f"{name}: English on a page: {sorted(english(text))}"


def expand_all(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")


def check_pdf_pages(pdf, prefix) -> int:
    """The PDF's pages as PNG images (pdftoppm); each page must carry ink (not blank). Returns the count."""
    from PIL import Image
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(prefix.name + "-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(ARTIFACTS.glob(prefix.name + "-*.png"))
    for image in images:
        with Image.open(image) as picture:
            grey = picture.convert("L")
            dark = sum(grey.histogram()[:128])
            assert dark > 500, f"{image.name} is blank"
    return len(images)


def _fill(question) -> str:
    """Give the question some value (the first choice, a date, 是); returns it as the form sends it."""
    if question.locator("select").count():
        value = question.locator("select option").nth(1).get_attribute("value")
        question.get_by_label("请选择").select_option(value)
    elif question.locator('input[type="date"]').count():
        value = "2024-03-15"
        question.get_by_label("日期").fill(value)
    elif question.locator('input[type="number"]').count():
        value = "12"
        question.get_by_label("数值", exact=False).fill(value)
    else:
        value = "true"
        question.get_by_label("是", exact=True).check()
    return value


def _next(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()


def _press(page, scope, name: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=re.compile(name)).click()


def test_answers_can_be_changed_cleared_and_unknown_undone(page, server):
    """A typed value wins over a ticked 不知道; 不知道 can be undone (重新回答); an answer can be
    changed (asked again first, showing the value given) or cleared (asked again)."""
    start(page, server, "person", "xicheng", "2026-11-23")
    first = page.locator("form#questions fieldset").first
    variable = first.get_attribute("data-variable")
    value = _fill(first)
    first.get_by_label("不知道", exact=True).check()
    _next(page)
    row = page.locator(f'section.answers tr[data-key$="::{variable}"]')
    assert row.count() == 1, "the typed value did not win over 不知道"
    assert page.locator(f'section.answers ul.unknown li[data-key$="::{variable}"]').count() == 0
    # 不知道 on the next question: listed apart, not asked again
    second = page.locator("form#questions fieldset").first
    second_variable = second.get_attribute("data-variable")
    second.get_by_label("不知道", exact=True).check()
    _next(page)
    unknown = page.locator(f'section.answers ul.unknown li[data-key$="::{second_variable}"]')
    assert unknown.count() == 1
    assert page.locator(f'form#questions fieldset[data-variable="{second_variable}"]').count() == 0
    # undo it: the question comes back first
    _press(page, unknown, "重新回答")
    assert page.locator("form#questions fieldset").first.get_attribute("data-variable") == second_variable
    assert page.locator(f'section.answers ul.unknown li[data-key$="::{second_variable}"]').count() == 0
    # change the first answer: asked again first, with the value given
    _press(page, page.locator(f'section.answers tr[data-key$="::{variable}"]'), "修改")
    again = page.locator("form#questions fieldset").first
    assert again.get_attribute("data-variable") == variable
    typed = again.locator("select, input[type=date], input[type=number]")
    if typed.count():
        assert typed.first.input_value() == value
    else:
        assert again.get_by_label("是", exact=True).is_checked()
    _next(page)                              # submitted as shown: the answer is back
    assert page.locator(f'section.answers tr[data-key$="::{variable}"]').count() == 1
    # clear it: gone from the answers, asked again
    _press(page, page.locator(f'section.answers tr[data-key$="::{variable}"]'), "清除")
    assert page.locator(f'section.answers tr[data-key$="::{variable}"]').count() == 0
    assert page.locator(f'form#questions fieldset[data-variable="{variable}"]').count() == 1


def test_not_applicable_settles_a_measure(page, server):
    """不适用 on 'registered unemployed when hired' (and the other target groups) makes xicheng/6's
    award ineligible rather than open."""
    facts = {k: v for k, v in XICHENG.items() if k not in ("registered_unemployed_at_hire",)}
    start(page, server, "person", "xicheng", "2026-11-23")
    for _ in range(30):
        if page.locator('article[data-measure="xicheng/6/person"].status-undetermined').count() == 0 and \
                page.locator('[data-measure="xicheng/6/person"].status-ineligible').count():
            break
        if page.locator("form#questions fieldset").count() == 0:
            break
        answer_page(page, facts)
        with page.expect_navigation():
            page.get_by_role("button", name="下一步").click()
    assert page.locator('[data-measure="xicheng/6/person"].status-ineligible').count() == 1
    assert page.locator('section.answers tr[data-key$="::registered_unemployed_at_hire"]').inner_text().count("否") == 1


def test_compare_from_the_questionnaire(page, server):
    """The same answers placed in each district, no JSON typed: Xicheng's row counts only the
    person's own award (就业奖励 15000 to date), not the employer's subsidy."""
    persona, asked, texts = run(page, server, "xicheng_individual")
    with page.expect_navigation():
        page.get_by_role("button", name="同样情况在各区能享受什么").click()
    row = page.locator('tr[data-district="xicheng"]')
    assert row.count() == 1 and "北京市西城区" in row.inner_text()
    assert "15,000元" in row.inner_text() and "30,000元" not in row.inner_text()
    assert not english(page.locator("body").inner_text())
    shot(page, "xicheng_individual_compare")


# Rendered when a page is ready (its scripts have drawn it): the DOM is then checked, not only the HTML.
READY = {"/docs": ".swagger-ui .info", "/redoc": "redoc, [role=navigation], .api-content"}
# A host name that is not localhost/127.0.0.1, as a 区人社局 intranet's is: Swagger UI draws its online
# validator badge (an image from validator.swagger.io) only on such a host.
INTRANET = "http://jiuye.intranet.test"


def outside_links(page, served: str, own: str) -> list[str]:
    """Every src/href pointing to another host: in the page as served and in its DOM once drawn (ReDoc
    and Swagger UI put their links and images there from their scripts)."""
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", served)
    links += page.evaluate("""() => [...document.querySelectorAll('[src],[href]')]
        .map(el => el.getAttribute('src') || el.getAttribute('href'))""")
    return [link for link in links if re.match(r"(https?:)?//", link or "") and not link.startswith(own)]


def test_no_page_loads_anything_from_another_host(page, server):
    """Every src/href of the calculator's pages and of /docs and /redoc is local, and no page loads
    anything from another host (an intranet has no internet) — on 127.0.0.1 and on an intranet name."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    def elsewhere(own):
        return [u for u in requests if not u.startswith((own, "data:", "blob:" + own))]

    for path in ["/", "/compare", "/catalogue", "/docs", "/redoc"]:
        served = page.goto(server + path).text()
        page.wait_for_load_state("networkidle")
        if path in READY:
            page.wait_for_selector(READY[path], timeout=20_000)
        assert outside_links(page, served, server) == [], f"{path} links outside"
        assert elsewhere(server) == [], f"{path} loaded from another host"
    start(page, server, "person", "xicheng", "2026-11-23")
    assert elsewhere(server) == []
    page.goto(server + "/docs")
    page.wait_for_selector(READY["/docs"], timeout=20_000)
    shot(page, "docs_offline")
    page.goto(server + "/redoc")
    page.wait_for_selector(READY["/redoc"], timeout=20_000)
    shot(page, "redoc_offline")
    # the same documentation under an intranet host name (every request of that host answered by the server)
    page.route(INTRANET + "/**", lambda route: route.fulfill(
        response=route.fetch(url=server + route.request.url[len(INTRANET):])))
    requests.clear()
    for path in ["/docs", "/redoc"]:
        served = page.goto(INTRANET + path).text()
        page.wait_for_selector(READY[path], timeout=20_000)
        page.wait_for_load_state("networkidle")
        assert outside_links(page, served, INTRANET) == [], f"{path} on an intranet host links outside"
        assert elsewhere(INTRANET) == [], f"{path} on an intranet host loaded from another host"
