"""Imports of 10,000 rows: the upload is streamed to a temporary file (0600), read row by row and
recorded in batches; every row is stored once, and importing the same rows again (CSV or Excel)
changes nothing. Other requests keep the 1 MB body limit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re

import pytest

from jiuye.ids import make_id_number, make_uscc
from jiuye.web.ledger_import import ImportFileError, spool
from jiuye.web.routes import ledger_files as tables

from .conftest import login, post, xlsx_of

ROWS = 10_000


def _rows(count: int) -> tuple[list, list[list]]:
    """The 岗位补贴 template's example row for ``count`` different employees of 200 employers."""
    header, [example] = tables.template_rows("xicheng/6/employer")
    col = {h: n for n, h in enumerate(header)}
    rows = []
    for n in range(count):
        row = list(example)
        row[col["受益方证件号"]] = make_uscc("91", "110102", f"MA{n // 50:07d}")
        row[col["受益方名称"]] = f"导入测试公司{n // 50}"
        row[col["人员身份证号"]] = make_id_number("110102", dt.date(1980, 1, 1) + dt.timedelta(days=n % 7000), 100 + n // 7000)
        row[col["人员姓名"]] = f"职工{n}"
        rows.append(row)
    return header, rows


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _summary(page: str) -> str:
    found = re.search(r"已记录.*?未导入[^<]*<", page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(0)) if found else page[:2000]


def test_ten_thousand_rows_are_stored_once_and_a_reimport_changes_nothing(backend):
    ledger, people, client = backend
    header, rows = _rows(ROWS)
    data = _csv(header, rows)
    assert len(data) > 1_000_000                       # over the limit of every other request
    login(client, "cw")
    page = post(client, "/ledger/import", files={"file": ("10000.csv", data, "text/csv")})
    assert page.status_code == 200
    assert _summary(page.text).startswith(f"已记录 {ROWS} 条，重新核定 0 条，事实未变 0 条，未导入 0 条"), _summary(page.text)
    counts = ledger.counts()
    assert counts["applications"] == ROWS
    seen, offset = set(), 0
    while True:
        part = ledger.list_applications(people.cw, limit=1000, offset=offset)
        seen.update((a.beneficiary.name, a.person.name, a.total) for a in part)
        offset += 1000
        if len(part) < 1000:
            break
    assert len(seen) == ROWS and {t for _, _, t in seen} == {ledger.list_applications(people.cw, limit=1)[0].total}
    assert {p for _, p, _ in seen} == {f"职工{n}" for n in range(ROWS)}
    # the same rows as an Excel workbook, then the CSV again: each row is its claim, nothing written
    for name, body in (("10000.xlsx", xlsx_of(header, rows)), ("10000.csv", data)):
        again = post(client, "/ledger/import", files={"file": (name, body, "application/octet-stream")})
        assert _summary(again.text).startswith(f"已记录 {ROWS} 条，重新核定 0 条，事实未变 0 条，未导入 0 条"), name
        assert ledger.counts() == counts, name
    assert ledger.verify().ok


def test_the_upload_is_spooled_to_a_private_temporary_file():
    handle = spool(io.BytesIO(b"x" * 3_000_000), 20_000_000)
    try:
        assert os.fstat(handle.fileno()).st_mode & 0o777 == 0o600
        assert handle.read(3) == b"xxx" and os.fstat(handle.fileno()).st_size == 3_000_000
    finally:
        handle.close()
    with pytest.raises(ImportFileError, match="最大"):
        spool(io.BytesIO(b"x" * 2_100_000), 2_000_000)


def test_other_requests_keep_the_one_megabyte_limit(client, people):
    login(client, "cw")
    big = "x" * 1_200_000
    response = post(client, "/ledger/new", {"measure_id": "xicheng/6/employer", "beneficiary_name": big})
    assert response.status_code == 413
    response = client.post("/api/v1/calculate", content=b'{"situation": "' + big.encode() + b'"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
