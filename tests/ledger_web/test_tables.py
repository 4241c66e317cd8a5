"""台账 export (Excel, CSV) and bulk import: exported rows match the ledger; an import with bad rows
reports each by row number and reason, stores the good rows, and writes nothing for the bad ones."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl

from jiuye.ids import make_id_number, make_uscc
from jiuye.web.routes import ledger_files as tables

from .conftest import login, post, submit_x6, submit_x9, example


def _ledger_rows(ledger, actor) -> list[dict]:
    out = []
    for a in ledger.list_applications(actor, limit=1000):
        out.append({"申请编号": a.id, "申请日期": a.submitted_on.isoformat(), "措施编号": a.measure_id,
                    "受益方名称": a.beneficiary.name, "受益方证件号（脱敏）": a.beneficiary.id_number_masked,
                    "人员身份证号（脱敏）": a.person.id_number_masked if a.person else "",
                    "审批状态": a.status_label, "计算结果": a.result_label,
                    "核定金额合计（元）": a.total, "已支付（元）": a.paid, "分期数": len(a.installments)})
    return out


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _normalise(row: dict) -> dict:
    out = {}
    for key in ("申请编号", "申请日期", "措施编号", "受益方名称", "受益方证件号（脱敏）", "人员身份证号（脱敏）",
                "审批状态", "计算结果", "核定金额合计（元）", "已支付（元）", "分期数"):
        value = row[key]
        if key in ("申请编号", "分期数"):
            value = int(value)
        elif "元" in key:
            value = _amount(value)
        elif isinstance(value, (dt.date, dt.datetime)):
            value = (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        else:
            value = "" if value is None else str(value)
        out[key] = value
    return out


def _seed(ledger, people):
    paid = ledger.approve(people.rv, submit_x6(ledger, people).id, on="2025-03-14", reason="材料齐全")
    ledger.pay(people.cw, paid.installments[0].id, on="2025-03-14", idempotency_key="bank-1", reference="B1")
    submit_x9(ledger, people)
    rejected = submit_x6(ledger, people, on="2025-04-01", contract_start="2025-03-20")
    ledger.reject(people.rv, rejected.id, on="2025-04-02", reason="合同信息有误")
    return paid


def test_export_round_trip_excel_and_csv(client, people, ledger):
    _seed(ledger, people)
    expected = [_normalise(r) for r in _ledger_rows(ledger, people.cw)]
    assert len(expected) == 3
    login(client, "cw")
    response = client.get("/ledger/export.xlsx")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="jiuye-ledger-' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["申请台账", "发放明细"]
    sheet = book["申请台账"]
    header = [c.value for c in sheet[1]]
    assert header[:len(tables.APPLICATION_COLUMNS)] == [h for h, _ in tables.APPLICATION_COLUMNS]
    assert {"月工资（元）", "劳动合同起始日期", "最高学历"} <= set(header)       # the claims' facts, by label
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [_normalise(r) for r in rows] == expected
    # installments: one row per installment, amounts and payment as recorded
    details = book["发放明细"]
    head = [c.value for c in details[1]]
    lines = [dict(zip(head, r)) for r in details.iter_rows(min_row=2, values_only=True)]
    apps = ledger.list_applications(people.cw)
    assert len(lines) == sum(len(a.installments) for a in apps)
    paid = [line for line in lines if line["状态"] == "已支付"]
    assert len(paid) == 1 and _amount(paid[0]["核定金额（元）"]) == Decimal("6000.00") and paid[0]["银行流水号"] == "B1"
    # CSV: UTF-8 with BOM, the same rows
    response = client.get("/ledger/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf") and response.headers["content-type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert reader.fieldnames == header
    assert [_normalise(r) for r in reader] == expected


def test_export_follows_the_filters(client, people, ledger):
    _seed(ledger, people)
    login(client, "cw")
    text = client.get("/ledger/export.csv", params={"status": "approved"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["审批状态"] for r in rows] == ["已批准"]
    text = client.get("/ledger/export.csv", params={"measure": "xicheng/9"}).content.decode("utf-8-sig")
    assert [r["措施编号"] for r in csv.DictReader(io.StringIO(text))] == ["xicheng/9"]


def test_export_neutralises_formulas():
    assert tables.safe_text("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert tables.safe_text("西城") == "西城" and tables.safe_text(5) == 5


# -- import -------------------------------------------------------------------------------------------
X6 = json.dumps(example("xicheng_6_stable_employment.json"), ensure_ascii=False)
ORG_A = make_uscc("91", "110102", "MA0TPA010")
ORG_B = make_uscc("91", "110102", "MA0TPB020")
ORG_C = make_uscc("91", "110102", "MA0TPC030")
ORG_D = make_uscc("91", "110102", "MA0TPD040")
LI = make_id_number("110102", dt.date(1990, 1, 2), 11)
WANG = make_id_number("110105", dt.date(1992, 3, 4), 22)
ZHOU = make_id_number("110106", dt.date(1993, 5, 6), 33)
BAD_CHECK = LI[:-1] + ("0" if LI[-1] != "0" else "1")
HEADER = [h for h, _, _, _ in tables.IMPORT_COLUMNS]


def _row(measure="xicheng/6/employer", on="2025-03-14", org=ORG_A, org_name="导入测试一公司", person=LI,
         person_name="李一", situation=X6, **extra):
    values = {"措施编号": measure, "申请日期": on, "受益方证件号": org, "受益方名称": org_name, "人员身份证号": person,
              "人员姓名": person_name, "情形JSON": situation} | extra
    return [values.get(h, "") for h in HEADER]


def _bad_rows():
    """Good rows 2, 5, 9; every other row is refused for the reason in the comment."""
    return [
        _row(),                                                               # 2 good
        _row(org=ORG_B, person=BAD_CHECK, person_name="李坏"),                 # 3 bad check character
        _row(measure="xicheng/999", org=ORG_C),                               # 4 unknown measure
        _row(org=ORG_B, org_name="导入测试二公司", person=WANG, person_name="王二"),  # 5 good
        _row(org=ORG_C, situation="{not json"),                               # 6 bad JSON
        _row(org=ORG_C, on="2025-02-30"),                                     # 7 impossible date
        _row(org=ORG_C, person="", person_name=""),                           # 8 person missing
        _row(org=ORG_C, org_name="导入测试三公司", person=ZHOU, person_name="周三"),  # 9 good
        _row(org=ORG_D, person=ZHOU, person_name="周三", **{"受益方情形编号": "nobody"}),  # 10 refused by the ledger
    ]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _check_bad_rows_report(page: str, ledger, people, before_applicants: int, refused_total: int = 6):
    import re
    found = re.findall(r'<tr data-row="(\d+)"><td>第\d+行</td><td>([^<]*)</td><td>([^<]*)</td></tr>', page)
    refused = {row: column for row, column, _ in found}
    reasons = {row: reason for row, _, reason in found}
    assert sorted(map(int, refused)) == [3, 4, 6, 7, 8, 10], refused
    assert refused["3"] == "人员身份证号" and "校验码" in reasons["3"]
    assert "xicheng/999" in reasons["4"] and "JSON" in reasons["6"] and "2025-02-30" in reasons["7"]
    assert "nobody" in reasons["10"]
    assert refused["4"] == "措施编号"
    assert refused["6"] == "情形JSON"
    assert refused["7"] == "申请日期"
    assert refused["8"] == "人员身份证号"
    assert refused["10"] == "受益方情形编号"
    summary = re.search(r"已记录.*?未导入[^<]*<", page, re.S)
    text = re.sub(r"<[^>]+>", "", summary.group(0)) if summary else ""
    assert text.startswith("已记录 3 条，") and f"未导入 {refused_total} 条" in text, summary
    apps = ledger.list_applications(people.cw)
    assert sorted(a.beneficiary.name for a in apps) == ["导入测试一公司", "导入测试三公司", "导入测试二公司"]
    assert all(a.result_label == "符合条件" and a.total == Decimal("27000.00") for a in apps)
    # nothing half-written: no application for a refused row, no applicant for a row refused before
    # the ledger was asked (rows 3, 4, 6, 7, 8); row 10's employer passed the checks and is registered
    assert ledger.counts()["applicants"] - before_applicants == 3 + 3 + 1
    assert ledger.find_applicant(people.cw, "person", BAD_CHECK) is None
    assert ledger.verify().ok


def test_import_csv_with_bad_rows(client, people, ledger):
    before = ledger.counts()["applicants"]
    login(client, "cw")
    data = _csv(_bad_rows())
    response = post(client, "/ledger/import", files={"file": ("申请.csv", data, "text/csv")})
    assert response.status_code == 200
    _check_bad_rows_report(response.text, ledger, people, before)
    # the same file again: nothing recorded twice (each row's idempotency key is file digest + row)
    again = post(client, "/ledger/import", files={"file": ("申请.csv", data, "text/csv")})
    assert "已记录 3 条" in again.text
    assert len(ledger.list_applications(people.cw)) == 3


def test_import_excel_with_bad_rows(client, people, ledger):
    before = ledger.counts()["applicants"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in _bad_rows():
        sheet.append(row)
    sheet.append(_row(org=ORG_D, person=int(ZHOU[:-1]), person_name="周三"))     # 11: an ID number stored as a number
    sheet.cell(row=2, column=HEADER.index("申请日期") + 1).value = dt.datetime(2025, 3, 14)   # a real Excel date cell
    out = io.BytesIO()
    book.save(out)
    login(client, "cw")
    response = post(client, "/ledger/import", files={"file": ("申请.xlsx", out.getvalue(),
                                                              "application/octet-stream")})
    assert response.status_code == 200
    assert 'data-row="11"' in response.text and "文本格式" in response.text
    page = response.text.replace('<tr data-row="11">', '<tr data-row="x">')
    _check_bad_rows_report(page, ledger, people, before, refused_total=7)


def test_import_refuses_a_file_without_the_columns(client, people, ledger):
    login(client, "cw")
    response = post(client, "/ledger/import", files={"file": ("x.csv", "名称,金额\n甲,1\n".encode(), "text/csv")})
    assert response.status_code == 422 and "缺少列" in response.text
    response = post(client, "/ledger/import", files={"file": ("x.pdf", b"%PDF-1.4", "application/pdf")})
    assert response.status_code == 422
    assert ledger.list_applications(people.cw) == []


def test_import_template_imports(client, people, ledger):
    login(client, "cw")
    template = client.get("/ledger/import/template.csv")
    assert template.status_code == 200
    response = post(client, "/ledger/import", files={"file": ("template.csv", template.content, "text/csv")})
    assert "已记录 1 条" in response.text
    [app] = ledger.list_applications(people.cw)
    assert app.measure_id == "xicheng/6/employer" and app.total == Decimal("27000.00")
