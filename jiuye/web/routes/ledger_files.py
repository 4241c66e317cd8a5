"""台账 export (Excel and CSV, Chinese headers) and bulk import of applications (Excel or CSV):
``/ledger/export.csv``, ``/ledger/export.xlsx`` (the list's filters), ``/ledger/import`` and its
template ``/ledger/import/template.csv`` (a 西城 岗位补贴 claim: the clause's example situation), for staff.

Export: one row per application (``申请台账``) and, in the workbook, one row per installment
(``发放明细``). ID numbers are masked as in every list. Cells that a spreadsheet would run as a
formula (``= + - @`` first) are prefixed with ``'``. CSV is UTF-8 with a BOM (Excel opens it in
Chinese).

Import: the first sheet (or the CSV), a header row with the columns of ``IMPORT_COLUMNS`` (Chinese
or the English field names), one application per row. Rows are checked first (measure, dates, the
ID number's check character, names, the situation JSON); the applicants of the rows that pass are
registered (get-or-create, validated again by the ledger) and the claims recorded with
``Ledger.submit_many`` (each claim in one transaction with its installments and audit entry). The
report names every refused row with its number (as the spreadsheet numbers it: the header is row 1)
and the reason; the other rows are kept. Each row's idempotency key defaults to the file's digest
and the row number, so importing the same file twice records each claim once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Optional

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ... import ids
from ...catalogue import CatalogueError, load_catalogue
from ...ledger.compute import outside_window
from ...ledger.demo import XICHENG_6, demo_situation
from ...ledger.errors import InvalidInput, LedgerError
from ...money import plain
from ..deps import CSRF, Filters, LedgerDep, StaffUser
from ..forms import form_error, situation_from_text
from ..templating import ledger_page

router = APIRouter(prefix="/ledger", include_in_schema=False)

MAX_ROWS = 5000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- export -----------------------------------------------------------------------------------------
def _next_due(app):
    dues = [i.due for i in app.installments if i.status == "scheduled"]
    return min(dues) if dues else None


APPLICATION_COLUMNS: list[tuple[str, Any]] = [
    ("申请编号", lambda a: a.id),
    ("申请日期", lambda a: a.submitted_on),
    ("措施编号", lambda a: a.measure_id),
    ("措施名称", lambda a: a.title),
    ("条款", lambda a: a.clause),
    ("受益方类型", lambda a: a.beneficiary.kind_label),
    ("受益方名称", lambda a: a.beneficiary.name),
    ("受益方证件号（脱敏）", lambda a: a.beneficiary.id_number_masked),
    ("人员姓名", lambda a: a.person.name if a.person else ""),
    ("人员身份证号（脱敏）", lambda a: a.person.id_number_masked if a.person else ""),
    ("经办人", lambda a: a.submitted_by),
    ("审批状态", lambda a: a.status_label),
    ("计算结果", lambda a: a.result_label),
    ("核定金额合计（元）", lambda a: a.total),
    ("已支付（元）", lambda a: a.paid),
    ("分期数", lambda a: len(a.installments)),
    ("已支付期数", lambda a: sum(1 for i in a.installments if i.status == "paid")),
    ("下一期到期日", _next_due),
    ("规则哈希", lambda a: a.rules_hash[:16]),
]

INSTALLMENT_COLUMNS: list[tuple[str, Any]] = [
    ("申请编号", lambda a, i: a.id),
    ("措施编号", lambda a, i: a.measure_id),
    ("受益方名称", lambda a, i: a.beneficiary.name),
    ("期次", lambda a, i: i.seq),
    ("到期日", lambda a, i: i.due),
    ("核定金额（元）", lambda a, i: i.amount),
    ("状态", lambda a, i: i.status_label),
    ("支付日期", lambda a, i: i.payment.paid_on if i.payment else None),
    ("支付编号", lambda a, i: i.payment.id if i.payment else None),
    ("登记人", lambda a, i: i.payment.recorded_by if i.payment else ""),
    ("银行流水号", lambda a, i: (i.payment.reference or "") if i.payment else ""),
    ("说明", lambda a, i: i.note or ""),
]


def safe_text(value: Any) -> Any:
    """A string a spreadsheet would read as a formula, made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def application_rows(apps: Iterable) -> list[list[Any]]:
    return [[safe_text(get(a)) for _, get in APPLICATION_COLUMNS] for a in apps]


def installment_rows(apps: Iterable) -> list[list[Any]]:
    return [[safe_text(get(a, i)) for _, get in INSTALLMENT_COLUMNS] for a in apps for i in a.installments]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(apps: list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for h, _ in APPLICATION_COLUMNS])
    for row in application_rows(apps):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(apps: list, *, title: str = "经办台账") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheets = [(book.active, "申请台账", APPLICATION_COLUMNS, application_rows(apps)),
              (book.create_sheet(), "发放明细", INSTALLMENT_COLUMNS, installment_rows(apps))]
    for sheet, name, columns, rows in sheets:
        sheet.title = name
        sheet.append([h for h, _ in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for n, (header, _) in enumerate(columns, start=1):
            letter = get_column_letter(n)
            if "元" in header:
                for cell in sheet[letter][1:]:
                    cell.number_format = "#,##0.00"
            if "日" in header:
                for cell in sheet[letter][1:]:
                    cell.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[letter].width = max(10, min(40, 2 * len(header) + 4))
        sheet.freeze_panes = "A2"
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- import -------------------------------------------------------------------------------------------
IMPORT_COLUMNS = [  # header, field, required, help
    ("措施编号", "measure_id", True, "如 xicheng/6/employer"),
    ("申请日期", "on", True, "评估日期 YYYY-MM-DD"),
    ("受益方证件号", "beneficiary_id_number", True, "个人：居民身份证号；单位：统一社会信用代码（文本格式）"),
    ("受益方名称", "beneficiary_name", True, "姓名或单位名称"),
    ("人员身份证号", "person_id_number", False, "按人员计算、单位受益的措施（如岗位补贴）：该职工的身份证号"),
    ("人员姓名", "person_name", False, "该职工的姓名"),
    ("情形JSON", "situation", True, "OpenFisca 情形 JSON（persons、organisations）"),
    ("受益方情形编号", "beneficiary_key", False, "情形中有多个单位（个人）时：受益方在情形中的编号"),
    ("人员情形编号", "person_key", False, "情形中有多名职工时：该职工在情形中的编号"),
    ("幂等键", "idempotency_key", False, "留空：按文件和行号生成（同一文件重复导入不重复记录）"),
]
HEADER_FIELDS = {h: f for h, f, _, _ in IMPORT_COLUMNS} | {f: f for _, f, _, _ in IMPORT_COLUMNS}
FIELD_HEADERS = {f: h for h, f, _, _ in IMPORT_COLUMNS}
# the service's field names -> the column at fault
SERVICE_FIELDS = {"measure_id": "措施编号", "on": "申请日期", "situation": "情形JSON", "beneficiary_id": "受益方证件号",
                  "beneficiary_key": "受益方情形编号", "person_id": "人员身份证号", "person_key": "人员情形编号",
                  "idempotency_key": "幂等键", "id_number": "受益方证件号", "name": "受益方名称", "kind": "受益方证件号"}


class ImportFileError(InvalidInput):
    def __init__(self, message: str) -> None:
        super().__init__("file", message)


@dataclass
class RowOutcome:
    row: int
    ok: bool
    column: str = ""
    reason: str = ""
    application_id: int | None = None
    measure_id: str = ""
    beneficiary: str = ""               # name and masked number
    result_label: str = ""
    total: Decimal | None = None


@dataclass
class ImportReport:
    filename: str
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def stored(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.ok]

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if not r.ok]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: raw value}) for each non-empty data row; ImportFileError for the file."""
    name = (filename or "").lower()
    if not data:
        raise ImportFileError("文件为空 the file is empty")
    if name.endswith(".xlsx") or data[:2] == b"PK":
        raw_rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")) or not name:
        raw_rows = _csv_rows(data)
    else:
        raise ImportFileError(f"只支持 Excel（.xlsx）和 CSV（.csv）文件 unsupported file type {filename!r}")
    if not raw_rows:
        raise ImportFileError("文件没有表头行 no header row")
    header = [str(h).strip() if h is not None else "" for h in raw_rows[0]]
    fields = [HEADER_FIELDS.get(h) for h in header]
    missing = [h for h, f, required, _ in IMPORT_COLUMNS if required and f not in fields]
    if missing:
        raise ImportFileError(f"缺少列：{'、'.join(missing)}（第1行应为表头） missing columns")
    out = []
    for n, raw in enumerate(raw_rows[1:], start=2):
        values = {f: _plain(v) for f, v in zip(fields, raw) if f}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        out.append((n, values))
        if len(out) > MAX_ROWS:
            raise ImportFileError(f"一次最多导入{MAX_ROWS}行 at most {MAX_ROWS} rows per file")
    if not out:
        raise ImportFileError("文件只有表头，没有数据行 no data rows")
    return out


def _csv_rows(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):       # Excel on Chinese Windows saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("CSV 文件编码应为 UTF-8 或 GBK cannot decode the file")
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise ImportFileError(f"CSV 格式错误：{error}") from None


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:                     # a corrupt or foreign file: openpyxl raises many kinds
        raise ImportFileError(f"无法读取 Excel 文件（应为 .xlsx）：{type(error).__name__}") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(f"一次最多导入{MAX_ROWS}行 at most {MAX_ROWS} rows per file")
        return rows
    finally:
        book.close()


def _text(values: dict, key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


def _number(values: dict, key: str, kind: str) -> str:
    raw = values.get(key)
    column = FIELD_HEADERS[key]
    if isinstance(raw, (int, float)):
        raise RowError(column, "证件号应以文本格式填写（数字格式会丢失位数，末位X也会丢失）")
    text = _text(values, key)
    if not text:
        raise RowError(column, "不能为空")
    try:
        return ids.validate(kind, text, key)
    except ids.InvalidIdNumber as error:
        raise RowError(column, error.message) from None


def _check_row(values: dict, n: int, file_digest: str) -> dict:
    """The row as keyword arguments for the ledger (applicants still as numbers), or RowError."""
    measure_id = _text(values, "measure_id")
    if not measure_id:
        raise RowError("措施编号", "不能为空")
    try:
        measure = load_catalogue().measure(measure_id)
    except CatalogueError as error:
        raise RowError("措施编号", str(error)) from None
    if not measure.executable:
        raise RowError("措施编号", f"{measure.id}（{measure.title}）是{measure.kind}类措施，不能计算金额")
    on_text = _text(values, "on")
    try:
        on = dt.date.fromisoformat(on_text)
    except ValueError:
        raise RowError("申请日期", f"日期格式应为YYYY-MM-DD，而不是{on_text!r}") from None
    window = outside_window(measure, on)
    if window:
        raise RowError("申请日期", window)
    beneficiary = (measure.beneficiary, _number(values, "beneficiary_id_number", measure.beneficiary))
    beneficiary_name = _text(values, "beneficiary_name")
    if not beneficiary_name:
        raise RowError("受益方名称", "不能为空")
    person = None
    if measure.entity == "person" and measure.beneficiary == "organisation":
        person = ("person", _number(values, "person_id_number", "person"))
        person_name = _text(values, "person_name")
        if not person_name:
            raise RowError("人员姓名", f"{measure.id}按人员计算，须填写该职工的姓名")
    elif _text(values, "person_id_number") and measure.beneficiary == "organisation":
        raise RowError("人员身份证号", f"{measure.id}按单位计算，不填人员")
    try:
        situation = situation_from_text(_text(values, "situation"))
    except InvalidInput as error:
        raise RowError("情形JSON", error.message) from None
    key = _text(values, "idempotency_key") or f"import-{file_digest[:16]}-{n}"
    if len(key) > 120:
        raise RowError("幂等键", "最多120字")
    return {"measure": measure, "on": on, "beneficiary": beneficiary, "beneficiary_name": beneficiary_name,
            "person": person, "person_name": _text(values, "person_name"), "situation": situation,
            "beneficiary_key": _text(values, "beneficiary_key") or None,
            "person_key": _text(values, "person_key") or None, "idempotency_key": key}


def _shown(kind: str, number: str, name: str) -> str:
    return f"{name} {ids.mask_id(number) if kind == ids.PERSON else number}"


def import_applications(ledger, actor: int, filename: str, data: bytes) -> ImportReport:
    rows = read_table(filename, data)
    file_digest = hashlib.sha256(data).hexdigest()
    report = ImportReport(filename=filename)
    checked: list[tuple[RowOutcome, dict]] = []
    for n, values in rows:
        outcome = RowOutcome(row=n, ok=False, measure_id=_text(values, "measure_id"))
        report.rows.append(outcome)
        try:
            row = _check_row(values, n, file_digest)
        except RowError as error:
            outcome.column, outcome.reason = error.column, error.reason
            continue
        outcome.beneficiary = _shown(*row["beneficiary"], row["beneficiary_name"])
        checked.append((outcome, row))
    # applicants of the rows that passed: get-or-create (one record per number)
    known: dict[tuple[str, str], int] = {}
    items, pending = [], []
    for outcome, row in checked:
        try:
            ids = []
            for party, name, column in ((row["beneficiary"], row["beneficiary_name"], "受益方证件号"),
                                        (row["person"], row["person_name"], "人员身份证号")):
                if party is None:
                    ids.append(None)
                    continue
                if party not in known:
                    try:
                        known[party] = ledger.register_applicant(actor, party[0], party[1], name).id
                    except InvalidInput as error:
                        raise RowError(column if error.field == "id_number" else
                                       ("受益方名称" if column == "受益方证件号" else "人员姓名"), error.message) from None
                ids.append(known[party])
        except RowError as error:
            outcome.column, outcome.reason = error.column, error.reason
            continue
        items.append({"measure_id": row["measure"].id, "beneficiary_id": ids[0], "person_id": ids[1],
                      "situation": row["situation"], "on": row["on"], "beneficiary_key": row["beneficiary_key"],
                      "person_key": row["person_key"], "idempotency_key": row["idempotency_key"]})
        pending.append(outcome)
    results = ledger.submit_many(actor, items) if items else []
    for outcome, result in zip(pending, results):
        if isinstance(result, LedgerError):
            field_name = (result.field or "").split(".")[0]
            outcome.column = SERVICE_FIELDS.get(field_name, "情形JSON" if field_name == "situation" else "")
            outcome.reason = result.message
        else:
            outcome.ok = True
            outcome.application_id = result.id
            outcome.result_label = result.result_label
            outcome.total = result.total
    return report


def template_csv() -> bytes:
    """A CSV with the header row and one example row (a 西城 岗位补贴 claim)."""
    example = demo_situation(XICHENG_6)
    row = {"measure_id": "xicheng/6/employer", "on": "2025-03-14",
           "beneficiary_id_number": ids.make_uscc("91", "110102", "MA01XC6D0"), "beneficiary_name": "西城示范科技有限公司",
           "person_id_number": ids.make_id_number("110102", dt.date(1995, 5, 1), 235), "person_name": "张三",
           "situation": json.dumps(example, ensure_ascii=False)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for h, _, _, _ in IMPORT_COLUMNS])
    writer.writerow([row.get(f, "") for _, f, _, _ in IMPORT_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


# -- routes: export (staff), import (staff) -----------------------------------------------------------
def _filtered(ledger, user, filters) -> list:
    """Every application the list's filters select (the export is not paged)."""
    if filters.errors:
        raise InvalidInput(filters.errors[0]["field"], filters.errors[0]["message"])
    out, offset = [], 0
    while True:
        part = ledger.list_applications(user.id, limit=1000, offset=offset, **filters.kwargs)
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


def _import_page(request: Request, user, status: int = 200, report: ImportReport | None = None,
                 error: dict | None = None):
    return ledger_page(request, "import.html", user, status, columns=IMPORT_COLUMNS, report=report, error=error)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user: StaffUser):
    return _import_page(request, user)


@router.get("/import/template.csv")
def import_template(user: StaffUser):
    return _download(template_csv(), "text/csv; charset=utf-8", "jiuye-import-template.csv")


@router.post("/import", response_class=HTMLResponse, dependencies=CSRF)
def import_file(request: Request, user: StaffUser, ledger: LedgerDep, file: Optional[UploadFile] = File(None)):
    if file is None or not file.filename:
        return _import_page(request, user, 422, error={"field": "file", "message": "请选择要导入的 Excel（.xlsx）或 CSV 文件"})
    try:
        report = import_applications(ledger, user.id, file.filename, file.file.read())
    except LedgerError as error:
        return _import_page(request, user, 422, error=form_error(error))
    return _import_page(request, user, report=report)
