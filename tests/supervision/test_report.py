"""The monthly report on the demo data: its figures equal the ledger's own totals; the Excel opens with
the five headings; the PDF renders (pdftoppm) with its charts and Chinese text (pdftotext). The annual
考核 of streets and its grade feeding xicheng/29. The migration matches the models."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from jiuye.supervision.assessment import assessments, funding, score_and_grade, situation_for
from jiuye.supervision.report import monthly, write

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
HEADINGS = ["工作进展", "政策成效", "困难问题", "下步举措", "意见建议"]


@pytest.fixture
def demo(ledger, sup, monkeypatch):
    monkeypatch.setenv("JIUYE_DEMO", "1")
    from jiuye.ledger.demo import seed_demo
    seed_demo(ledger)                     # the ledger's demo data, then 督办与调度's (jiuye.supervision.demo)
    return {u.username: u.id for u in ledger.list_users(None)}


def ledger_month(ledger, document, month):
    """The month's totals read through the ledger's own API (not the report's query)."""
    first = dt.date.fromisoformat(month + "-01")
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    claims = [a for a in ledger.list_applications(None, limit=1000) if a.document == document]
    recorded = [a for a in claims if first <= a.submitted_on <= last]
    approved = [a for a in recorded if a.status == "approved"]
    paid = [i.payment.amount for a in claims for i in ledger.application(None, a.id).installments
            if i.payment is not None and first <= i.payment.paid_on <= last]
    people = {(a.person or a.beneficiary).id for a in recorded}
    return {"claims": len(recorded), "people": len(people), "approved": len(approved),
            "approved_amount": sum((i.amount for a in approved for i in a.installments
                                    if i.status != "cancelled" and i.amount is not None), Decimal("0.00")),
            "paid_amount": sum(paid, Decimal("0.00")), "payments": len(paid)}


def test_the_monthly_report_equals_the_ledgers_totals_and_renders(demo, ledger, sup, tmp_path):
    office = demo["bangongshi"]
    june = monthly(sup, office, "heping", "2024-06", today=dt.date(2024, 7, 10))
    assert june["ledger"]["total"] == ledger_month(ledger, "heping", "2024-06")
    assert june["ledger"]["total"]["claims"] == 1 and june["ledger"]["total"]["paid_amount"] == Decimal("1000.00")
    assert june["due"] == "2024-07-05"
    hiring = next(p for p in june["progress"] if p["task"] == "heping/附件1/29")   # restates heping/十's 吸纳就业补贴
    assert hiring["ledger"] == ["heping/十/hiring：申请1件，批准1,000元，本月支付1,000元（来源：经办台账）"]
    for month in ("2024-04", "2024-05"):
        assert monthly(sup, office, "heping", month, today=dt.date(2024, 7, 10))["ledger"]["total"] == \
            ledger_month(ledger, "heping", month)
    may = monthly(sup, office, "heping", "2024-05", today=dt.date(2024, 7, 10))
    fairs = next(p for p in may["progress"] if p["task"] == "heping/附件1/54")
    assert fairs["figures"][0]["value"] == "1" and fairs["figures"][0]["source"] == "招聘活动记录"
    assert "未达目标" in fairs["flags"]
    care = next(p for p in may["progress"] if p["task"] == "heping/附件1/15")
    assert "逾期报送" in care["flags"]                            # resubmitted on 06-12, after the 5th
    assert any("资金已落实" in t["text"] or "资金" in t["text"] for t in may["texts"]["progress"])
    # a unit's report covers its own tasks only
    renshe = monthly(sup, demo["renshe"], "heping", "2024-05", today=dt.date(2024, 7, 10))
    assert {p["unit"] for p in renshe["progress"]} == {"区人社局"}

    xlsx = write(june, tmp_path / "june.xlsx")
    from openpyxl import load_workbook
    book = load_workbook(xlsx)
    assert book.sheetnames == ["概况", "工作进展", "政策成效", "困难问题", "下步举措", "意见建议"]
    effects = [[c.value for c in row] for row in book["政策成效"].iter_rows()]
    assert ["heping", "heping/十/hiring", "一次性吸纳就业补贴", 1, 1, 1, 1000, 1000] in effects
    assert effects[2][:1] == ["合计"] and effects[2][3:] == [1, 1, 1, 1000, 1000]
    progress = [[c.value for c in row] for row in book["工作进展"].iter_rows(min_row=2)]
    assert len(progress) == len(june["progress"])

    pdf = write(may, tmp_path / "may.pdf")
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed: make browser-deps"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pages[0], ARTIFACTS / "supervision_report_page1.png")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for heading in HEADINGS:
        assert heading in text
    assert "天津市和平区稳就业工作月调度（2024-05）" in text
    with pytest.raises(Exception, match="xlsx"):
        write(may, tmp_path / "may.doc")


def test_the_assessment_grades_streets_and_feeds_xicheng_29(demo, sup):
    rows = {a["unit"]: a for a in assessments(sup, demo["xc_bangongshi"], "xicheng", 2025)}
    desheng, shichahai = rows["德胜街道"], rows["什刹海街道"]
    # 德胜: 12 reports, all on time and on track -> 100, 成绩突出
    assert desheng["indicators"]["reports_on_time"]["count"] == 12 and desheng["indicators"]["reports_on_time"]["of"] == 12
    assert (desheng["score"], desheng["grade"]) == (100.0, "outstanding")
    # 什刹海: reports in 8 of 12 months (none in March, June, September, December), May's late and
    # delayed: on time 7/12, on track 7/8
    on_time, on_track = shichahai["indicators"]["reports_on_time"], shichahai["indicators"]["tasks_on_track"]
    assert (on_time["count"], on_time["of"], on_track["count"], on_track["of"]) == (7, 12, 7, 8)
    assert shichahai["indicators"]["targets_met"]["value"] is None          # nothing measured: weight left out
    expected = round(100 * (0.3 * 7 / 12 + 0.3 * 7 / 8) / 0.6, 2)          # 72.92
    assert shichahai["score"] == expected and shichahai["grade"] == "good"   # 70 <= 72.92 < 80
    assert desheng["unconfirmed"] is True and "未规定" in desheng["unconfirmed_reason"]
    # the grade is the xicheng/29 fact (not typed by hand): 成绩突出 -> 不超过50万元, 较好 -> 不超过10万元
    result = funding(desheng)["results"][0]
    assert result["measure"] == "xicheng/29" and result["status"] == "eligible"
    street = situation_for(desheng)["organisations"]["street"]
    assert (street["xicheng_29_assessment_result"], street["xicheng_29_assessment_date"]) == ("outstanding", "2026-01-20")

    def paid(assessment, requested):
        out = funding(assessment, requested_amount=requested)["results"][0]
        return [(i["due"], i["amount"]) for i in out["installments"]]

    assert paid(desheng, 600000) == [("2026-01-20", 500000)]
    assert paid(shichahai, 150000) == [("2026-01-20", 100000)]
    assert paid(shichahai, 100000) == [("2026-01-20", 100000)]


@pytest.mark.parametrize("score, grade", [(90, "outstanding"), (89.99, "excellent"), (80, "excellent"),
                                          (79.99, "good"), (70, "good"), (69.99, "none")])
def test_grade_thresholds_include_the_score(score, grade):
    values = {k: {"value": score / 100} for k in ("reports_on_time", "targets_met", "tasks_on_track")}
    assert score_and_grade(values, dt.date(2026, 1, 20))[:2] == (pytest.approx(score), grade)


def test_the_migration_creates_exactly_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from jiuye.ledger.db import Database
    from jiuye.supervision.models import Base
    db = Database(db_url)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, parent: kind != "table" or name.startswith("sup_")})
        diff = compare_metadata(context, Base.metadata)
    db.dispose()
    assert diff == []
