"""Plain Chinese on the import page (issue 11): its headers, the columns it explains, the fact columns
of each measure's template, the import's report and its error pages show Chinese labels only — the
ASCII-word rule of tests/web/test_plain_pages.py, run over the whole visible page. A measure's id may
follow its title in brackets (the 措施编号 column is filled with it); file types and the date format's
notation are the allowed ASCII words."""

from __future__ import annotations

import re

import pytest

from jiuye.catalogue import load_catalogue

from ..test_questionnaire_browser import english
from ..web.test_questionnaire import visible
from .conftest import login, post, xlsx_of

ALLOWED = {"Excel", "CSV", "xlsx", "csv", "YYYY"}


def words(page: str) -> set[str]:
    """The page's English words, a measure id in brackets after its title left out (and one quoted
    in a refusal as it was typed: “xicheng/999”)."""
    text = re.sub(r"“[a-z0-9/]+”", "", visible(page))
    ids = sorted(load_catalogue().measures, key=len, reverse=True)
    for measure_id in ids:
        text = text.replace(f"（{measure_id}）", "")
    return {w for w in english(text) if w not in ALLOWED}


@pytest.mark.parametrize("measure", ["", "xicheng/6/employer", "xicheng/14"])
def test_the_import_page_is_plain_chinese(client, people, measure):
    login(client, "cw")
    page = client.get("/ledger/import", params={"measure": measure} if measure else None)
    assert page.status_code == 200
    found = words(page.text)
    assert found == set(), " ".join(sorted(found)) + " || " + " ".join(
        line for line in visible(page.text).splitlines() if words("<p>" + line + "</p>"))[:3000]


def test_the_import_pages_errors_and_report_are_plain_chinese(client, people):
    login(client, "cw")
    pages = [client.get("/ledger/import", params={"measure": "xicheng/999"}),        # no such measure
             post(client, "/ledger/import", token_from="/ledger/import"),             # no file
             post(client, "/ledger/import", files={"file": ("x.xlsx", b"", "application/octet-stream")}),
             post(client, "/ledger/import", files={"file": ("x.pdf", b"%PDF-1.4", "application/pdf")}),
             post(client, "/ledger/import", files={"file": ("x.csv", "姓名\n张三\n".encode(), "text/csv")}),
             post(client, "/ledger/import", files={"file": ("x.csv", "措施编号\n".encode(), "text/csv")})]
    for response in pages:
        assert response.status_code == 422, response.text[:300]
        found = words(response.text)
        assert found == set(), (sorted(found), re.sub(r"\s+", " ", visible(response.text))[:600])
    # a report with refused rows: every reason in Chinese
    rows = [["xicheng/6/employer", "2025/03/14", "123", "某公司", "", "", "Y"],
            ["xicheng/404", "2025-03-14", "", "", "", "", ""],
            ["beijing/1", "2025-03-14", "", "", "", "", ""]]
    header = ["措施编号", "申请日期", "受益方证件号", "受益方名称", "人员身份证号", "人员姓名", "按月足额发放工资"]
    report = post(client, "/ledger/import", files={"file": ("x.xlsx", xlsx_of(header, rows), "application/octet-stream")})
    assert report.status_code == 200 and 'id="refused-rows"' in report.text
    found = words(report.text)
    assert found == set(), (sorted(found), re.sub(r"\s+", " ", visible(report.text))[:600])
