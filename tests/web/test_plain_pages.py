"""Plain Chinese on the pages that list every record (issue 12 item 6): the catalogue shows every
measure's title, clause text and reading, so no measure id, variable key, parameter path, YAML field
or formula word may reach it; the ASCII-word rule of the persona tests, run over the whole page."""

from __future__ import annotations

import pytest

from jiuye.web.templating import plain

from ..test_questionnaire_browser import english
from .test_questionnaire import client, visible  # noqa: F401  (the app's test client, a page's text)


@pytest.mark.parametrize("path", ["/", "/compare", "/catalogue"])
def test_no_english_word_on_the_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert english(visible(response.text)) == set()


def test_a_label_naming_a_parameter_is_shown_in_words():
    # binjiang_in_force's label names the parameter binjiang.effective_date
    shown = plain("binjiang_in_force")
    assert "本意见已施行" in shown and "本意见施行日期" in shown and "effective" not in shown


def test_a_parameter_with_parts_is_shown_by_its_description():
    assert plain("年龄范围为参数xicheng.common.unemployed_youth_age") == "年龄范围为参数“青年失业人员的年龄范围（周岁，含两端）”"


def test_a_formula_minimum_in_words():
    assert plain("补贴=min(参加天数,3)×min(实际费用, 200)元") == "补贴=参加天数（不超过3）×实际费用（不超过200）元"


def test_a_condition_line_lists_only_the_facts_that_took_part(client):
    """xicheng/6's 本区户籍（签订劳动合同之日）: the hukou district is given, the hukou never moved (no
    moved-in date given), so the district moved from is not read: it is not listed as 未提供 under
    the ✓. A condition still open lists the fact it needs."""
    import json
    situation = {"persons": {"张三": {
        "birth_date": "1995-05-01", "hukou_district": "xicheng", "registered_unemployed_at_hire": True,
        "dibao_at_hire": False, "contract_start_date": "2024-03-15", "contract_type": "fixed_term",
        "contract_term_months": 36, "monthly_wage": 4000, "social_insurance_paid": True}},
        "organisations": {"本单位": {"employees": ["张三"], "registration_district": "xicheng",
                                  "org_type": "limited_company"}}}
    page = client.post("/questionnaire", data={"situation": json.dumps(situation, ensure_ascii=False), "kind": "person",
                                         "district": "xicheng", "on": "2025-03-14", "skipped": "[]", "log": "{}"})
    assert page.status_code == 200, page.text[:500]
    text = visible(page.text)
    assert "户籍所在区：西城区" in text
    assert "迁入现户籍所在区之前的户籍所在区：未提供" not in text
    assert "户籍迁入现户籍所在区的日期（户籍未曾迁移的不填）：未提供" not in text
    assert "：未提供" in text          # open conditions still show the facts they need (e.g. the wage paid in full)
