"""台账 export (Excel and CSV, Chinese headers) and bulk import of claims (Excel or CSV), for staff:
``/ledger/export.csv``, ``/ledger/export.xlsx`` (the list's filters; ``ledger_export.py``),
``/ledger/import`` (``ledger_import.py``: new claims from named fact columns, reassessments of the
export's rows read back, streamed) and its templates ``/ledger/import/template.csv`` and
``template.xlsx`` (``?measure=<id>``: one column per fact of that measure, by the roster's names, and
one example row; without it, a 西城 岗位补贴 claim).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Optional

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ... import ids
from ...catalogue import load_catalogue
from ...ledger.demo import XICHENG_6, demo_situation
from ...ledger.errors import InvalidInput, LedgerError
from .. import fact_values, measure_facts
from ..deps import CSRF, Filters, LedgerDep, StaffUser
from ..forms import form_error
from ..ledger_export import (APPLICATION_COLUMNS, INSTALLMENT_COLUMNS, XLSX, application_rows,  # noqa: F401
                             installment_rows, safe_text, to_csv, to_xlsx)
from ..ledger_import import CLAIM_COLUMNS, MAX_ROWS, ImportReport, import_claims, spool
from ..templating import ledger_page, today

router = APIRouter(prefix="/ledger", include_in_schema=False)

IMPORT_COLUMNS = CLAIM_COLUMNS                 # (the name earlier code and tests use)
# the claim's columns the import page explains: the old template's 情形JSON and its two keys are still
# read, not offered (no page asks for JSON)
SHOWN_COLUMNS = [c for c in CLAIM_COLUMNS if c[1] not in ("situation", "beneficiary_key", "person_key")]
MAX_UPLOAD = 20_000_000                        # bytes of one import file (the body limit in app.py is above it)
DEFAULT_TEMPLATE = "xicheng/6/employer"
FIELD_LABELS = {"file": "导入文件", "measure": "措施"}
TEMPLATE_COLUMNS = ("措施编号", "申请日期", "受益方证件号", "受益方名称", "人员身份证号", "人员姓名")


# -- templates --------------------------------------------------------------------------------------
def template_rows(measure_id: str) -> tuple[list[str], list[list[Any]]]:
    """The header (the claim's columns, then one per fact of the measure) and one example row (the
    西城 岗位补贴 example's facts; other measures: the columns only, the parties as placeholders)."""
    measure = load_catalogue().measure(measure_id)
    fields = measure_facts.measure_fields(measure.id)
    per_person = measure.entity == "person" and measure.beneficiary == "organisation"
    claim = [h for h in TEMPLATE_COLUMNS if per_person or h not in ("人员身份证号", "人员姓名")]
    header = claim + [f.header for f in fields]
    if measure.id != DEFAULT_TEMPLATE:
        return header, []
    example = demo_situation(XICHENG_6)
    person = next(iter(example["persons"].values()))
    org = next(iter(example["organisations"].values()))
    facts = [fact_values.cell_value(f, (person if f.entity == "person" else org).get(f.name)) for f in fields]
    row = [measure.id, "2025-03-14", ids.make_uscc("91", "110102", "MA01XC6D0"), "西城示范科技有限公司",
           ids.make_id_number("110102", dt.date(1995, 5, 1), 235), "张三"]
    return header, [row + facts]


def template_csv(measure_id: str = DEFAULT_TEMPLATE) -> bytes:
    header, rows = template_rows(measure_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(measure_id: str = DEFAULT_TEMPLATE) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    header, rows = template_rows(measure_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "申请"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_text(v) for v in row])
    by_header = {f.header: f for f in measure_facts.measure_fields(measure_id)}
    for n, name in enumerate(header, start=1):
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = max(12, min(40, 2 * len(name) + 4))
        f = by_header.get(name)
        if name.endswith("证件号") or name.endswith("身份证号") or (f is not None and f.kind == "date") \
                or name == "申请日期":
            for r in range(2, 1002):
                sheet[f"{letter}{r}"].number_format = "@"          # text: ID numbers and ISO dates as typed
        if f is not None and f.kind in ("bool", "enum"):
            choices = [fact_values.YES, fact_values.NO] if f.kind == "bool" \
                else [label for key, label in f.options if key != "unknown"]
            listed = '"' + ",".join(choices) + '"'
            if len(listed) <= 255:                                  # Excel's limit for a listed validation
                check = DataValidation(type="list", formula1=listed, allow_blank=True)
                check.error, check.errorTitle = "请从列表中选择", f.label
                sheet.add_data_validation(check)
                check.add(f"{letter}2:{letter}1001")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _template_measure(measure: str) -> str:
    return fact_values.executable_measure(measure or DEFAULT_TEMPLATE, "measure", "，没有导入模板").id


def _template_name(measure_id: str, ext: str) -> str:
    return f"jiuye-import-{measure_id.replace('/', '-')}.{ext}" if measure_id != DEFAULT_TEMPLATE \
        else f"jiuye-import-template.{ext}"


# -- routes: export (staff), import (staff) -----------------------------------------------------------
def _filtered(ledger, user, filters) -> list:
    """Every application the list's filters select (the export is not paged), with its facts."""
    if filters.errors:
        raise InvalidInput(filters.errors[0]["field"], filters.errors[0]["message"])
    out, offset = [], 0
    while True:
        part = ledger.list_applications(user.id, limit=1000, offset=offset, detail=True, **filters.kwargs)
        out.extend(part)
        if len(part) < 1000:
            return out
        offset += 1000


def _download(data: bytes, media_type: str, filename: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _export_name(ext: str) -> str:
    return f"jiuye-ledger-{dt.date.today():%Y%m%d}.{ext}"


@router.get("/export.csv")
def export_csv(user: StaffUser, ledger: LedgerDep, filters: Filters):
    return _download(to_csv(_filtered(ledger, user, filters)), "text/csv; charset=utf-8", _export_name("csv"))


@router.get("/export.xlsx")
def export_xlsx(user: StaffUser, ledger: LedgerDep, filters: Filters):
    return _download(to_xlsx(_filtered(ledger, user, filters)), XLSX, _export_name("xlsx"))


def _import_measures() -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for m in load_catalogue().executable():
        groups.setdefault(m.document, []).append(m)
    return list(groups.items())


def _import_page(request: Request, user, status: int = 200, report: ImportReport | None = None,
                 error: dict | None = None, measure: str = DEFAULT_TEMPLATE):
    fields = measure_facts.measure_fields(measure)
    found = load_catalogue().measure(measure)
    if error and error.get("field") in FIELD_LABELS:            # the field by its label, not its key
        error = {**error, "label": FIELD_LABELS[error["field"]]}
    return ledger_page(request, "import.html", user, status, columns=SHOWN_COLUMNS, report=report, error=error,
                       measures=_import_measures(), measure=measure, measure_title=f"{found.title}（{found.id}）",
                       fields=fields, max_rows=MAX_ROWS, max_mb=MAX_UPLOAD // 1_000_000)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user: StaffUser, measure: str = ""):
    try:
        chosen = _template_measure(measure)
    except InvalidInput as error:
        return _import_page(request, user, 422, error=form_error(error))
    return _import_page(request, user, measure=chosen)


@router.get("/import/template.csv")
def import_template(user: StaffUser, measure: str = ""):
    chosen = _template_measure(measure)
    return _download(template_csv(chosen), "text/csv; charset=utf-8", _template_name(chosen, "csv"))


@router.get("/import/template.xlsx")
def import_template_xlsx(user: StaffUser, measure: str = ""):
    chosen = _template_measure(measure)
    return _download(template_xlsx(chosen), XLSX, _template_name(chosen, "xlsx"))


@router.post("/import", response_class=HTMLResponse, dependencies=CSRF)
async def import_file(request: Request, user: StaffUser, ledger: LedgerDep, file: Optional[UploadFile] = File(None)):
    from starlette.concurrency import run_in_threadpool
    if file is None or not file.filename:
        return _import_page(request, user, 422, error={"field": "file", "message": "请选择要导入的 Excel（.xlsx）或 CSV 文件"})
    day = dt.date.fromisoformat(today())

    def run():
        with spool(file.file, MAX_UPLOAD) as handle:
            return import_claims(ledger, user.id, file.filename, handle, today=day)
    try:
        report = await run_in_threadpool(run)
    except LedgerError as error:
        return _import_page(request, user, 422, error=form_error(error))
    return _import_page(request, user, report=report)
