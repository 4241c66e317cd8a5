"""Claims without JSON: imports from named fact columns (strict cells, row + column + reason), the
ledger's export read back (an edited row reassesses its claim, an unchanged row changes nothing, a
new row is a new claim), and a claim recorded from a calculator result. The amounts are those the
clause sets for a 36-month contract (xicheng/6: 6,000, 9,000 and 12,000 for contract years 1–3)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
from jiuye.ids import make_id_number, make_uscc
from jiuye.web.routes import ledger_files as tables

from .conftest import COMPANY_NUMBER, PASSWORD, ZHANG_NUMBER, login, post, submit_x6, submit_x9, xlsx_of

ORG_N = make_uscc("91", "110102", "MA0RTN010")
QIAN = make_id_number("110102", dt.date(1991, 7, 8), 51)
SUN = make_id_number("110102", dt.date(1992, 8, 9), 62)


def _import(client, name: str, data: bytes):
    response = post(client, "/ledger/import", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 200, response.text[:2000]
    return response.text


def _refused(page: str) -> dict[str, tuple[str, str]]:
    return {row: (column, reason) for row, column, reason in
            re.findall(r'<tr data-row="(\d+)"><td>第\d+行</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)}


def _summary(page: str) -> str:
    found = re.search(r"已记录.*?未导入[^<]*<", page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(0)) if found else ""


# -- the template: one column per fact, by the roster's names ----------------------------------------
def test_template_has_a_column_per_fact_by_label_and_imports(client, people, ledger):
    login(client, "cw")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/ledger/import/template.xlsx").content))
    header, example = [[c.value for c in row] for row in book.active.iter_rows(max_row=2)]
    assert header[:6] == ["措施编号", "申请日期", "受益方证件号", "受益方名称", "人员身份证号", "人员姓名"]
    assert {"月工资（元）", "劳动合同起始日期", "劳动合同类型", "签订劳动合同时为登记失业人员", "单位类型"} <= set(header)
    assert "情形JSON" not in header and not any("{" in str(v) for v in example)
    row = dict(zip(header, example))
    assert row["月工资（元）"] == 4000 and row["劳动合同类型"] == "固定期限劳动合同" and row["按月足额发放工资"] == "是"
    page = _import(client, "template.xlsx", client.get("/ledger/import/template.xlsx").content)
    assert _summary(page).startswith("已记录 1 条")
    [app] = ledger.list_applications(people.cw)
    assert app.measure_id == "xicheng/6/employer" and app.total == Decimal("27000.00")
    # another measure's template: its own facts (xicheng/15: the organisation's, no person columns)
    text = client.get("/ledger/import/template.csv", params={"measure": "xicheng/15"}).content.decode("utf-8-sig")
    first = text.splitlines()[0].split(",")
    assert "人员身份证号" not in first and "工商（法人）登记日期" in first and "经营场所所在区" in first
    assert client.get("/ledger/import/template.csv", params={"measure": "xicheng/999"}).status_code == 422


def test_import_by_named_columns_checks_every_cell(client, people, ledger):
    login(client, "cw")
    header, [example] = tables.template_rows("xicheng/6/employer")
    col = {h: n for n, h in enumerate(header)}

    def row(org, person, name, **cells):
        r = list(example)
        r[col["受益方证件号"]], r[col["人员身份证号"]], r[col["人员姓名"]] = org, person, name
        for h, v in cells.items():
            r[col[h]] = v
        return r
    rows = [row(ORG_N, QIAN, "钱一"),                                              # 2 good
            row(ORG_N, SUN, "孙二", 按月足额发放工资="Y"),                            # 3 是/否 only
            row(ORG_N, SUN, "孙二", 劳动合同起始日期="2024/03/15"),                   # 4 ISO dates only
            row(ORG_N, SUN, "孙二", **{"月工资（元）": "四千"}),                       # 5 a number
            row(ORG_N, SUN, "孙二", **{"劳动合同期限（月）": "36.5"}),                 # 6 an integer
            row(ORG_N, SUN, "孙二", 劳动合同类型="长期"),                             # 7 a choice of the list
            row(ORG_N, SUN, "孙二", **{"月工资（元）": "-1"}),                         # 8 within the fact's range
            row(ORG_N, SUN, "孙二", 最高学历="本科", 户籍所在区="西城区")]              # 9 good: choices by label
    page = _import(client, "named.xlsx", xlsx_of(header, rows))
    refused = _refused(page)
    assert sorted(map(int, refused)) == [3, 4, 5, 6, 7, 8], refused
    assert refused["3"] == ("按月足额发放工资", "“按月足额发放工资”：应填“是”或“否”，而不是“Y”")
    assert refused["4"][0] == "劳动合同起始日期" and "YYYY-MM-DD" in refused["4"][1]
    assert refused["5"][0] == "月工资（元）" and "应为数字" in refused["5"][1]
    assert refused["6"][0] == "劳动合同期限（月）" and "整数" in refused["6"][1]
    assert refused["7"][0] == "劳动合同类型" and "固定期限劳动合同" in refused["7"][1]
    assert refused["8"][0] == "月工资（元）"
    apps = {a.person.name: a for a in ledger.list_applications(people.cw)}
    assert set(apps) == {"钱一", "孙二"}
    assert apps["钱一"].total == Decimal("27000.00")
    sun = ledger.application(people.cw, apps["孙二"].id)
    assert sun.situation["persons"]["职工"]["education_level"] == "bachelor"
    assert sun.situation["persons"]["职工"]["hukou_district"] == "xicheng"
    # the same rows again (another file name): nothing recorded twice
    again = _import(client, "named-again.xlsx", xlsx_of(header, rows))
    assert _summary(again).startswith("已记录 2 条") and len(ledger.list_applications(people.cw)) == 2


# -- export -> edit -> import -------------------------------------------------------------------------
def _export(client) -> tuple[list, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(client.get("/ledger/export.xlsx").content))
    sheet = book["申请台账"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def test_export_edit_import_round_trips(backend):
    ledger, people, client = backend
    approved = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14")
    ledger.pay(people.cw, approved.installments[0].id, on="2025-03-14", idempotency_key="rt-1")
    waiting = submit_x6(ledger, people, contract_start="2024-06-01")          # another contract: submitted only
    submit_x9(ledger, people)
    login(client, "cw")
    header, rows = _export(client)
    col = {h: n for n, h in enumerate(header)}
    assert {"月工资（元）", "劳动合同解除或终止日期", "受益方证件号", "人员身份证号"} <= set(col)    # the roster's header
    before = (ledger.counts(), [len(ledger.application(people.cw, a.id).decisions) for a in (approved, waiting)])

    # unchanged: nothing is written
    page = _import(client, "export.xlsx", xlsx_of(header, rows))
    assert _summary(page).startswith("已记录 0 条，重新核定 0 条，事实未变 3 条，未导入 0 条"), _summary(page)
    assert ledger.counts() == before[0]

    # edited: the approved claim's contract ended early; the waiting one's wage changed; a new row
    by_id = {r[col["申请编号"]]: r for r in rows}
    a, w = by_id[approved.id], by_id[waiting.id]
    a[col["劳动合同解除或终止日期"]] = "2026-01-31"
    w[col["月工资（元）"]] = 5000
    new = list(a)
    new[col["申请编号"]] = None
    new[col["申请日期"]] = "2025-03-14"
    new[col["受益方证件号"]], new[col["受益方名称"]] = ORG_N, "新增测试公司"
    new[col["人员身份证号"]], new[col["人员姓名"]] = QIAN, "钱一"
    new[col["劳动合同解除或终止日期"]] = None
    edited = [a, w, new] + [r for r in rows if r not in (a, w)]
    edited_header = header + ["核定日期"]
    edited = [r + ["2026-02-15" if r is a else None] for r in edited]
    page = _import(client, "export-edited.xlsx", xlsx_of(edited_header, edited))
    refused = _refused(page)
    assert list(refused) == ["3"] and refused["3"][0] == "申请编号" and "只有已批准的申请可重新核定" in refused["3"][1]
    assert _summary(page).startswith("已记录 1 条，重新核定 1 条，事实未变 1 条，未导入 1 条"), _summary(page)
    after = ledger.application(people.cw, approved.id)
    assert [i.status for i in after.installments] == ["paid", "cancelled", "cancelled"]
    assert after.decisions[-1].kind == "reassess" and after.decisions[-1].decided_on == dt.date(2026, 2, 15)
    assert "劳动合同提前解除或终止日期：未填→2026-01-31" in after.decisions[-1].reason
    assert after.total == Decimal("6000.00")
    assert len(ledger.application(people.cw, waiting.id).decisions) == before[1][1]      # refused: nothing written
    added = [x for x in ledger.list_applications(people.cw) if x.beneficiary.name == "新增测试公司"]
    assert len(added) == 1 and added[0].total == Decimal("27000.00")
    counts = ledger.counts()

    # the same edited file again: the reassessed row is unchanged now, the new row is the same claim
    again = _import(client, "export-edited.xlsx", xlsx_of(edited_header, edited))
    assert _summary(again).startswith("已记录 1 条，重新核定 0 条，事实未变 2 条，未导入 1 条"), _summary(again)
    assert ledger.counts() == counts
    assert len(ledger.application(people.cw, approved.id).decisions) == len(after.decisions)
    # and a fresh export of it reads back unchanged (the reassessed facts are the claim's facts now)
    header2, rows2 = _export(client)
    assert _summary(_import(client, "export2.xlsx", xlsx_of(header2, rows2))).startswith("已记录 0 条，重新核定 0 条")
    assert ledger.counts() == counts and ledger.verify().ok


# -- from a calculator result --------------------------------------------------------------------------
def _calculator_results(client) -> str:
    """An organisation's questionnaire state with one employee, every fact of xicheng/6 given, posted
    to /results as the questionnaire's last page would."""
    import json
    situation = {"persons": {"经办人": {}, "张三": {
        "birth_date": "1995-05-01", "hukou_district": "xicheng", "registered_unemployed_at_hire": True, "dibao": False, "dibao_at_hire": False,
        "veteran": False, "education_level": "high_school", "public_welfare_placed_at_hire": False,
        "city_diverted_worker_at_hire": False, "contract_start_date": "2024-03-15", "contract_type": "fixed_term",
        "contract_term_months": 36, "monthly_wage": 4000, "wage_paid_monthly_in_full": True,
        "social_insurance_paid": True}},
        "organisations": {"本单位": {"employees": ["张三"], "registration_district": "xicheng",
                                  "org_type": "limited_company"}}}
    page = client.post("/results", data={"situation": json.dumps(situation, ensure_ascii=False), "kind": "organisation",
                                         "district": "xicheng", "on": "2025-03-14", "skipped": "[]", "log": "{}"})
    assert page.status_code == 200, page.text[:500]
    return page.text


def _claim_form(page: str, measure: str) -> dict:
    import html
    found = re.search(r'<article class="card status-eligible" data-measure="' + re.escape(measure)
                      + r'".*?<form method="post" action="/ledger/from-calculator"[^>]*>(.*?)</form>', page, re.S)
    assert found, "no 据此申请 on the card"
    assert "据此申请" in found.group(1)
    return {k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', found.group(1))}


def test_a_claim_from_a_calculator_result(client, people, ledger):
    page = _calculator_results(client)
    form = _claim_form(page, "xicheng/6/employer")
    assert form["person"] == "张三" and form["beneficiary"] == "本单位"
    # not logged in: the page asks for a login and keeps the answers
    shown = client.post("/ledger/from-calculator", data=form)
    assert shown.status_code == 200 and 'id="calc-login"' in shown.text and "月工资（元）" in shown.text
    visible = re.sub(r'<input type="hidden"[^>]*>|<script.*?</script>|<style.*?</style>', "", shown.text, flags=re.S)
    assert "JSON" not in visible and '{"' not in visible and "monthly_wage" not in visible
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text).group(1)
    logged = client.post("/ledger/from-calculator", data={**form, "csrf_token": token, "username": "cw", "password": PASSWORD})
    assert logged.status_code == 200 and 'id="calc-record"' in logged.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', logged.text).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', logged.text).group(1)
    record = {**form, "csrf_token": token, "idempotency_key": key, "on": "2025-03-14",
              "beneficiary_id_number": COMPANY_NUMBER, "beneficiary_name": "", "person_id_number": ZHANG_NUMBER,
              "person_name": "张三"}
    bad = client.post("/ledger/from-calculator/record", data={**record, "person_id_number": ZHANG_NUMBER[:-1] + "0"})
    assert bad.status_code == 422 and "校验码" in bad.text and ledger.list_applications(people.cw) == []
    done = client.post("/ledger/from-calculator/record", data=record, follow_redirects=False)
    assert done.status_code == 303
    [app] = ledger.list_applications(people.cw)
    full = ledger.application(people.cw, app.id)
    assert (app.measure_id, app.beneficiary.id, app.person.id) == ("xicheng/6/employer", people.company, people.zhang)
    assert full.total == Decimal("27000.00") and [i.amount for i in full.installments] == [
        Decimal("6000.00"), Decimal("9000.00"), Decimal("12000.00")]
    assert full.situation["persons"]["张三"]["monthly_wage"] == 4000       # the answers, frozen
    assert full.result["person"] == "张三" and full.result["beneficiary"] == "本单位"
    # a double submit is the same claim
    again = client.post("/ledger/from-calculator/record", data=record, follow_redirects=False)
    assert again.headers["location"] == done.headers["location"]


def test_an_applicant_files_from_the_calculator_only_for_itself(client, people, ledger):
    """The intern's own xicheng/9 result: recorded for the intern, whatever number the form carries."""
    import json
    from .conftest import example
    situation = example("xicheng_9_internship.json")
    person_key = next(iter(situation["persons"]))
    form = {"situation": json.dumps(situation, ensure_ascii=False), "kind": "person", "district": "xicheng",
            "on": "2026-11-23", "skipped": "[]", "log": "{}", "measure": "xicheng/9", "beneficiary": person_key,
            "person": person_key}
    login(client, "zhao")
    shown = client.post("/ledger/from-calculator", data=form)
    assert shown.status_code == 200 and "以本人（本单位）名义申请" in shown.text and 'id="c-bid"' not in shown.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text).group(1)
    done = client.post("/ledger/from-calculator/record", data={**form, "csrf_token": token, "on": "2026-11-23",
                                                              "beneficiary_id_number": COMPANY_NUMBER},
                       follow_redirects=False)
    assert done.status_code == 303
    [app] = ledger.list_applications(people.applicant)
    assert app.beneficiary.id == people.intern and app.measure_id == "xicheng/9"


# -- an organisation's measure that reads its members' facts (xicheng/14: the founders' 户籍) -----------
X14_ORG = {"registration_district": "xicheng", "registration_date": "2023-05-10", "operating_normally": True,
           "premises_district": "xicheng", "annual_rent": 30000}
X14_FOUNDERS = ["heping", "xicheng"]        # only the second founder has a 西城 户籍: the claim reads both
X14_ON = "2025-06-01"


def _x14_claim(ledger, people, number: str) -> tuple:
    [app] = [a for a in ledger.list_applications(people.cw) if a.beneficiary.id_number_masked == number]
    full = ledger.application(people.cw, app.id)
    from jiuye.catalogue import load_catalogue
    from jiuye.web import claim_situations
    measure = load_catalogue().measure("xicheng/14")
    listed = claim_situations.listed_facts(full.facts, measure, *claim_situations.claim_keys(full))
    facts = sorted((f["who"], f["label"], f["value"]) for f in listed)
    return (full.measure_id, full.result_status, full.total, [(i.due, i.amount) for i in full.installments],
            [(c.get("name"), c.get("status")) for c in full.result.get("conditions", [])], facts)


def test_members_facts_from_the_template_and_the_form_equal_the_calculators(client, people, ledger):
    """xicheng/14 “本区户籍劳动力实现创业”: its condition reads the founders' 户籍. The template has one
    column group per founder (创业者1_户籍所在区 …) and the form one field per founder; a claim from a
    filled template and one from the form equal the one from the calculator for the same facts."""
    import json
    from jiuye.web import fact_values, measure_facts
    calc_n, file_n, form_n = (make_uscc("91", "110102", f"MA0X14{n:03d}") for n in (1, 2, 3))
    # the calculator: the organisation's questionnaire with two founders
    situation = {"persons": {"经办人": {}, "王五": {"hukou_district": X14_FOUNDERS[0]},
                             "赵七": {"hukou_district": X14_FOUNDERS[1]}},
                 "organisations": {"本单位": {"founders": ["王五", "赵七"], "employees": [], **X14_ORG}}}
    page = client.post("/results", data={"situation": json.dumps(situation, ensure_ascii=False), "kind": "organisation",
                                         "district": "xicheng", "on": X14_ON, "skipped": "[]", "log": "{}"})
    assert page.status_code == 200, page.text[:500]
    form = _claim_form(page.text, "xicheng/14")
    login(client, "cw")
    shown = client.post("/ledger/from-calculator", data=form)
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', shown.text).group(1)
    done = client.post("/ledger/from-calculator/record", data={
        **form, "csrf_token": token, "idempotency_key": key, "on": X14_ON, "beneficiary_id_number": calc_n,
        "beneficiary_name": "西城创业甲公司"}, follow_redirects=False)
    assert done.status_code == 303, done.text[:1000]
    # the template: the founders' column groups, filled
    header, _ = tables.template_rows("xicheng/14")
    assert {"创业者1_户籍所在区", "创业者2_户籍所在区", "创业者3_户籍所在区"} <= set(header)
    assert "人员身份证号" not in header
    labels = {f.name: f for f in measure_facts.measure_fields("xicheng/14") if not f.role}
    row = {"措施编号": "xicheng/14", "申请日期": X14_ON, "受益方证件号": file_n, "受益方名称": "西城创业乙公司",
           **{labels[k].header: fact_values.cell_value(labels[k], v) for k, v in X14_ORG.items()},
           "创业者1_户籍所在区": "和平区", "创办人2_户籍所在区": "西城区"}         # a roster word for the role too
    assert set(row) - {"创办人2_户籍所在区"} <= set(header)
    page = _import(client, "x14.xlsx", xlsx_of(list(row), [list(row.values())]))
    assert _summary(page).startswith("已记录 1 条"), _summary(page)
    # the form: one field per founder, by label
    new = client.get("/ledger/new", params={"measure_id": "xicheng/14"}).text
    assert "创业者1的户籍所在区" in new and "创业者2的户籍所在区" in new
    typed = {f"fact:organisation:{k}": fact_values.form_value(labels[k], v) for k, v in X14_ORG.items()}
    posted = post(client, "/ledger/new", {"measure_id": "xicheng/14", "on": X14_ON, "beneficiary_id_number": form_n,
                                          "beneficiary_name": "西城创业丙公司", **typed,
                                          "fact:founder1:hukou_district": X14_FOUNDERS[0],
                                          "fact:founder2:hukou_district": X14_FOUNDERS[1]})
    assert posted.status_code == 303, posted.text[:1000]
    from_calculator, from_file, from_form = (_x14_claim(ledger, people, n) for n in (calc_n, file_n, form_n))
    assert from_calculator[1] == "eligible" and from_calculator[2] > 0 and from_calculator[4]
    assert ("创业者2", "户籍所在区", "西城区") in from_calculator[5]
    assert from_file == from_calculator and from_form == from_calculator
    # without the second founder the claim is not eligible: the founders' facts are what decide
    alone = post(client, "/ledger/new", {"measure_id": "xicheng/14", "on": X14_ON, "beneficiary_id_number": ORG_N,
                                         "beneficiary_name": "西城创业丁公司", **typed,
                                         "fact:founder1:hukou_district": X14_FOUNDERS[0]})
    assert alone.status_code == 303
    assert _x14_claim(ledger, people, ORG_N)[1] == "ineligible"
    # the export writes the founders in the same column groups; read back, nothing changes
    header, rows = _export(client)
    assert "创业者2_户籍所在区" in header
    assert sum(1 for r in rows if r[header.index("创业者2_户籍所在区")] == "西城区") == 3
    exported = client.get("/ledger/export.xlsx").content
    assert _summary(_import(client, "export.xlsx", exported)).startswith("已记录 0 条，重新核定 0 条")
