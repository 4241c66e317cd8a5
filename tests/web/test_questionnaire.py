"""The questionnaire's pages over HTTP (no browser): counts stated instead of members, employees added
by name and their measures grouped under them, answers and their errors in Chinese, 不适用, and the
citations and place names as a person reads them."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient

from jiuye.assess.situation import InputError
from jiuye.web import answer_sheet as sheet, questions as q
from jiuye.web.templating import parameter_value, place_label, plain

WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")


@pytest.fixture(scope="module")
def client():
    from jiuye.web.app import create_app
    return TestClient(create_app(with_openfisca=False))


def visible(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def state(page: str) -> dict:
    """The hidden state fields of the questionnaire form."""
    form = page[page.index('id="questions"'):] if 'id="questions"' in page else page
    return {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)"', form)[:6]}


def keys(page: str) -> list[str]:
    return [html.unescape(k) for k in re.findall(r'<fieldset data-variable="[^"]*" data-key="([^"]*)"', page)]


def test_an_employer_states_a_count_instead_of_listing_people(client):
    """binjiang/四: the questionnaire asks the count of qualifying hires (no invented member); 80 hires
    in 2025 → 50000 + ⌊30/25⌋ × 25000 = 75000, due 2025-12-31."""
    page = client.post("/questionnaire", data={"kind": "organisation", "district": "binjiang", "on": "2026-11-23"}).text
    assert "职工甲" not in page
    answers = {"org_type": "limited_company", "binjiang_4_year": "2025", "binjiang_4_stable_hires": "80"}
    asked, seen = [], []
    for _ in range(12):
        seen.append(page)
        if 'data-measure="binjiang/四/hiring" data-settled="yes"' in page and 'status-eligible" data-measure="binjiang/四/hiring"' in page:
            break
        form = state(page)
        for key in keys(page):
            name = key.rsplit("::", 1)[-1]
            asked.append(name)
            if name in answers:
                form[f"a:{key}"] = answers[name]
            else:
                form[f"na:{key}"] = "1"
        page = client.post("/questionnaire", data=form).text
    assert "binjiang_4_stable_hires" in asked, asked
    count_page = next(p for p in seen if 'data-variable="binjiang_4_stable_hires"' in p)
    assert "请直接填写人数" in count_page and "滨江第四条" in count_page      # and why it is asked
    card = page[page.index('data-measure="binjiang/四/hiring"'):]
    card = card[:card.index("</article>")]
    assert "75,000元" in card and "2025-12-31" in card


def test_employees_added_by_name_are_assessed_and_grouped_under_their_name(client):
    page = client.post("/questionnaire", data={"kind": "organisation", "district": "xicheng", "on": "2026-11-23"}).text
    form = {k: v for k, v in state(page).items()}
    form["employee"] = "张三"
    page = client.post("/questionnaire", data=form).text
    assert "已添加：张三" in page
    assert "按职工申请：张三" in page
    situation = json.loads(state(page)["situation"])
    assert situation["organisations"]["本单位"]["employees"] == ["张三"]
    again = client.post("/questionnaire", data={**state(page), "employee": "张三"})
    assert again.status_code == 422 and "职工称呼" in again.text and "已经添加过了" in again.text


def test_a_bad_answer_is_refused_in_chinese_naming_the_question(client):
    page = client.post("/questionnaire", data={"kind": "person", "district": "xicheng", "on": "2026-11-23"}).text
    form = state(page)
    form["a:person::本人::contract_start_date"] = "2024-02-30"
    response = client.post("/questionnaire", data=form)
    assert response.status_code == 422
    text = visible(response.text)
    assert "劳动合同起始日期" in text
    assert not [w for w in WORD.findall(text)], WORD.findall(text)
    broken = client.post("/questionnaire", data={**form, "situation": "{not json"})
    assert broken.status_code == 422 and "已填写的情况" in broken.text and "JSON" not in visible(broken.text)
    district = client.post("/questionnaire", data={"kind": "person", "district": "mars", "on": "2026-11-23"})
    assert district.status_code == 422 and "所在区" in district.text


def test_a_typed_value_wins_over_unknown_and_not_applicable_means_none(system):
    situation = sheet.start_situation("person", "xicheng")
    values = {"person::本人::monthly_wage": "4000"}
    unknown = {"person::本人::monthly_wage", "person::本人::dibao"}
    not_applicable = {"person::本人::veteran", "person::本人::graduation_date", "person::本人::training_type"}
    situation, skipped, answered = sheet.apply_answers(situation, values, unknown, not_applicable)
    me = situation["persons"]["本人"]
    assert me["monthly_wage"] == 4000.0 and "person::本人::monthly_wage" not in skipped
    assert skipped == {"person::本人::dibao"} and "dibao" not in me
    assert me["veteran"] is False and me["graduation_date"] == "9999-12-31" and me["training_type"] == "none"
    with pytest.raises(InputError) as error:          # a choice with no "none" cannot be 不适用
        sheet.apply_answers(situation, {}, set(), {"person::本人::contract_type"})
    assert "劳动合同类型" in error.value.message
    assert sheet.clear_answer(situation, "person::本人::monthly_wage") == "4000" and "monthly_wage" not in me


def test_citations_places_and_policy_words_as_a_person_reads_them():
    assert q.clause_label("xicheng/6") == "西城第6条"
    assert q.clause_label("binjiang/四") == "滨江第四条"
    assert q.clause_label("xicheng/附则/一") == "西城附则（一）"
    assert q.clause_label("haidian/五是") == "海淀“五是”"
    assert q.clause_label("beijing/5") == "北京市第5条"
    assert place_label("xicheng") == "北京市西城区" and place_label("heping") == "天津市和平区"
    text = plain("另见beijing/5/flexible，见记录beijing/5/job_expansion的valid_to；所创办单位的founder")
    assert text == "另见北京市第5条，见记录北京市第5条的失效日期；所创办单位的创业者"
    assert plain("（female_50）") == "（女职工（原法定退休年龄50周岁））"
    assert parameter_value({"value": {"national": 50000, "city": 30000}, "unit": "currency-CNY"}) == \
        "国家级：50,000元；市级：30,000元"
    assert parameter_value({"value": [{"amount": 6000}, {"amount": 9000}], "unit": "currency-CNY"}) == "6,000元/9,000元"


def _crowd(n: int) -> str:
    persons = {f"p{i}": {"hukou_district": "xicheng", "birth_date": "1995-05-01"} for i in range(n)}
    return json.dumps({"persons": persons, "organisations": {"o": {"employees": list(persons)}}})


@pytest.mark.parametrize("path", ["/questionnaire", "/results", "/compare"])
def test_the_pages_keep_the_apis_limits(client, path):
    """The questionnaire's state (the situation) travels in the form, so a page is as open as the API:
    101 persons are refused naming the limit, in Chinese, instead of evaluated."""
    form = {"kind": "person", "district": "xicheng", "on": "2026-11-23", "situation": _crowd(101)}
    response = client.post(path, data=form)
    assert response.status_code == 422
    text = visible(response.text)
    assert "最多计算100名个人，收到101名" in text
    assert client.post(path, data={**form, "situation": _crowd(3)}).status_code == 200


@pytest.mark.parametrize("path", ["/questionnaire", "/compare"])
def test_the_pages_run_under_the_cpu_budget(client, path, monkeypatch):
    from jiuye.web.routes import calculator_api
    monkeypatch.setattr(calculator_api, "CPU_SECONDS", 0.0)
    form = {"kind": "person", "district": "xicheng", "on": "2026-11-23", "situation": _crowd(30)}
    response = client.post(path, data=form)
    assert response.status_code == 422 and "CPU时间上限" in visible(response.text)


def test_a_training_provider_is_asked_the_count_of_its_trainees(client):
    """heping/二十 by a stated number: a Heping provider of 困难村劳动力 training is asked how many trainees
    (a count, in 人, and why: 和平第二十条) instead of listing them one by one."""
    page = client.post("/questionnaire", data={"kind": "organisation", "district": "heping", "on": "2024-11-23"}).text
    answers = {"org_type": "private_non_enterprise", "heping_20_training_provider": "true",
               "registration_district": "heping", "heping_20_count_declared": "true"}
    for _ in range(8):
        if 'data-variable="heping_20_count_poor_village_trainees"' in page:
            break
        form = state(page)
        for key in keys(page):
            name = key.rsplit("::", 1)[-1]
            form[f"a:{key}" if name in answers else f"na:{key}"] = answers.get(name, "1")
        page = client.post("/questionnaire", data=form).text
    assert 'data-variable="heping_20_count_poor_village_trainees"' in page
    question = page[page.index('data-variable="heping_20_count_poor_village_trainees"'):]
    question = question[:question.index("</fieldset>")]
    assert "请直接填写人数" in question and "和平第二十条" in question and "人" in visible(question)


@pytest.mark.parametrize("name", ["heping_20_count_poor_village_trainees", "beijing_24_count_trainees",
                                  "xicheng_18_count_certified", "xicheng_18_skills_count_employed",
                                  "xicheng_18_skills_count_uncertified", "xicheng_18_skills_count_unemployed",
                                  "xicheng_4_count_placed",
                                  "binjiang_10_new_skilled",
                                  "binjiang_10_new_high_skilled"])
def test_the_new_stated_counts_are_asked_as_counts(system, name):
    variable = system.variables[name]
    assert q.is_count(variable) and q.widget(system, name)["unit"] == "人"



@pytest.mark.parametrize("district, on, measure, stated, count, date", [
    ("heping", "2024-11-23", "heping/十三/by_count",
     {"heping_13_training_provider": True, "heping_13_count_declared": True, "heping_13_count_certified": 5,
      "heping_13_count_end_date": "2022-03-15"}, "heping_13_count_started", "heping_13_count_success_date"),
    ("xicheng", "2026-11-23", "xicheng/18/skills_fee_by_count",
     {"xicheng_18_designated_provider": True, "xicheng_18_skills_count_declared": True,
      "xicheng_18_skills_count_uncertified": 1, "xicheng_18_skills_count_end_date": "2025-03-15",
      "xicheng_18_skills_count_fee": 2000}, "xicheng_18_skills_count_employed", "xicheng_18_skills_count_employed_date")])
def test_a_stated_outcome_asks_its_date_only_when_someone_reached_it(district, on, measure, stated, count, date):
    """The day the last counted trainee reached a later outcome (成功创业, 实现就业) is asked when that count
    is 1 or more — not left at "not given", which made the whole claim ineligible without asking — and
    not asked (nor awaited by the schedule) when the count is 0."""
    from jiuye.web.routes.calculator_pages import _assess

    def result(extra):
        situation = sheet.start_situation("organisation", district)
        next(iter(situation["organisations"].values())).update({**stated, **extra})
        return next(r for r in _assess(situation, district, on)["results"] if r["measure"] == measure)
    nobody = result({})
    assert nobody["status"] == "eligible" and not nobody["schedule_missing"]
    some = result({count: 2})
    assert some["status"] == "undetermined" and [m["variable"] for m in some["missing"]] == [date]


def _card(page: str, measure: str) -> str | None:
    """The result card of a measure (an <article>), or None when it has none (only a miss line)."""
    start = page.find(f'<article class="card status-')
    while start != -1:
        end = page.index("</article>", start)
        if f'data-measure="{measure}"' in page[start:page.index(">", start)]:
            return page[start:end]
        start = page.find('<article class="card status-', end)
    return None


def test_a_task_institution_has_a_beijing_24_card_before_it_states_its_count(client):
    """A Xicheng 承担任务的机构 (beijing_training_task_institution) had no beijing/24 result card: the
    by-count claim read its unstated count as 0 and was listed only among the collapsed misses (“还需：
    按人数申报：参加培训的重点群体人员1人及以上”), also after 不知道. A count not given is open: the card says
    what is still needed; 不适用 (0 trainees) makes it a miss; the count, declaration and end date make it
    eligible, its amount set by the city (待定)."""
    situation = sheet.start_situation("organisation", "xicheng")
    situation["organisations"][sheet.ORG_ID]["beijing_training_task_institution"] = True
    form = {"kind": "organisation", "district": "xicheng", "on": "2026-11-23", "situation": json.dumps(situation)}
    page = client.post("/questionnaire", data=form).text
    card = _card(page, "beijing/24/by_count")
    assert card is not None and "status-undetermined" in card
    assert "还需了解：按人数申报：参加本机构该期免费就业技能培训的失业人员、农村转移就业劳动力、高校毕业生人数" in visible(card)
    key = f"organisation::{sheet.ORG_ID}::beijing_24_count_trainees"
    unknown = client.post("/questionnaire", data={**state(page), f"skip:{key}": "1"}).text
    assert "status-undetermined" in (_card(unknown, "beijing/24/by_count") or "")
    none = client.post("/questionnaire", data={**state(page), f"na:{key}": "1"}).text
    assert _card(none, "beijing/24/by_count") is None and 'miss" data-measure="beijing/24/by_count"' in none
    stated = {**state(page), f"a:{key}": "30", f"a:organisation::{sheet.ORG_ID}::beijing_24_count_declared": "true",
              f"a:organisation::{sheet.ORG_ID}::beijing_24_count_end_date": "2025-06-30"}
    card = _card(client.post("/questionnaire", data=stated).text, "beijing/24/by_count")
    assert card is not None and "status-eligible" in card and "2025-06-30" in card


def _groups(page: str) -> list[tuple[str, str]]:
    """The result groups of a page, in order: (key, title)."""
    return [(k, html.unescape(t)) for k, t in
            re.findall(r'<section class="group" data-group="(\w+)">\s*<h2>([^<（]*)', page)]


def test_a_pasted_situation_names_its_organisation_as_entered(client):
    """The beijing/24 example's training school is not named 本单位: pasted into the questionnaire it
    showed no result at all (every result was taken for someone else's) and asked nothing. Its own
    measures come first under its name, asked for by its id, then its trainee's, under the name
    entered; an employee added joins it; for the trainee as a person, 您本人 then 您的用人单位."""
    from pathlib import Path
    example = Path(__file__).parents[2] / "jiuye/model/policies/beijing/c24_skills_training/example.json"
    situation = json.loads(example.read_text())
    form = {"kind": "organisation", "district": "xicheng", "on": situation["on"], "situation": json.dumps(situation)}
    page = client.post("/questionnaire", data=form).text
    assert _groups(page) == [("own", "pinggu_training_school可申请"), ("staff", "按职工申请：qian_jun")]
    staff = page[page.index('data-group="staff"'):]
    assert 'status-eligible" data-measure="beijing/24"' in staff
    asked = keys(page)
    assert asked and all(k.startswith("organisation::pinggu_training_school::") for k in asked), asked
    assert "已经可以确定全部结果" not in page
    text = visible(page)
    assert "（pinggu_training_school）" in text and "本单位可申请" not in text
    added = client.post("/questionnaire", data={**state(page), "employee": "张三"}).text
    body = json.loads(state(added)["situation"])["organisations"]
    assert list(body) == ["pinggu_training_school"] and body["pinggu_training_school"]["employees"] == ["张三"]
    assert ("staff", "按职工申请：张三") in _groups(added)
    person = client.post("/questionnaire", data={**form, "kind": "person"}).text
    assert [k for k, _ in _groups(person)] == ["own", "employer"]
    employer = person[person.index('data-group="employer"'):]
    assert 'status-eligible" data-measure="beijing/24"' in employer


def _asked_until(client, situation: dict, variable: str, pages: int = 30) -> list[str]:
    """The questions asked, in order, answering 不知道 to each, up to the page asking `variable`."""
    form = {"kind": "organisation", "district": "xicheng", "on": "2026-11-23", "situation": json.dumps(situation)}
    page = client.post("/questionnaire", data=form).text
    asked: list[str] = []
    for _ in range(pages):
        shown = keys(page)
        asked += [k.rsplit("::", 1)[-1] for k in shown]
        if not shown or variable in asked:
            break
        page = client.post("/questionnaire", data={**state(page), **{f"skip:{k}": "1" for k in shown}}).text
    return asked


def test_a_task_institution_is_asked_its_beijing_24_count_first(client):
    """A Xicheng 承担任务的机构 answering 不知道 to everything was asked its beijing/24 count as the 28th
    question (page 19): a count weighed a flat 50,000 against the 1,000,000-yuan questions of the HR
    agencies' measures. Its by-count claim is open for the count alone (the declaration and end date
    matter only once a count is stated) and pays per trainee, a count having no maximum: an amount
    unbounded above, weighed as any (MAX_POTENTIAL), which no single question's share exceeds here —
    so it is on the first page (at most 4 questions). An organisation not known to be one keeps the
    flat weight: the count is not asked ahead of the rest."""
    situation = sheet.start_situation("organisation", "xicheng")
    situation["organisations"][sheet.ORG_ID]["beijing_training_task_institution"] = True
    asked = _asked_until(client, situation, "beijing_24_count_trainees")
    assert "beijing_24_count_trainees" in asked[:4], asked
    unknown = _asked_until(client, sheet.start_situation("organisation", "xicheng"), "beijing_24_count_trainees", pages=3)
    assert "beijing_24_count_trainees" not in unknown, unknown
