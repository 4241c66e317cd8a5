"""Importing claims from Excel or CSV, streamed: new claims from named fact columns, and
reassessments of claims already in the ledger (the ledger's own export, edited, read back).

Columns (first row): the claim's columns of ``CLAIM_COLUMNS`` (Chinese or the English field names)
and one column per fact, headed as the roster of ``jiuye match`` heads it (roster.yaml's header, or
the fact's label; see ``fact_fields``); an organisation's measure that reads its members' facts
(xicheng/14: the founders' 户籍) takes them as one column group per member, ``创业者1_户籍所在区``,
``创业者2_户籍所在区`` … (``fact_fields.member_field``). Columns the ledger's export writes for reading only (措施名称,
审批状态 …) are ignored, as are columns naming nothing (listed in the report).

* **A row without 申请编号** is a new claim: the measure, the date, the applicants' numbers and
  names, and the facts, which become its situation (``claim_situations.new_situation``). The old
  情形JSON column is still read (then the fact columns of that row must be blank).
* **A row with 申请编号** is a claim of the ledger: its facts are compared with the frozen
  situation; unchanged, nothing is written; changed, the claim is reassessed on 核定日期 (blank:
  today) with the changes as the reason (refused, with the ledger's reason, unless the claim is
  approved).
* **Strict cells**: 是/否 only, choices by label or key, dates ``YYYY-MM-DD`` (or an Excel date),
  numbers finite and in range, ID numbers as text with their check character. A bad cell refuses
  its row (row number as the spreadsheet shows it, column header, reason); the good rows go in.
* **Idempotent**: a new row's idempotency key is a digest of its content (measure, date, numbers,
  names, facts), so importing the same rows again — in this file or another — records nothing twice.
* **Streamed**: the upload is copied to a temporary file (created 0600, removed when done) in 1 MB
  pieces, its rows read one by one (CSV) or with openpyxl's read-only reader (Excel), and processed
  ``BATCH`` rows at a time (``Ledger.submit_many``): memory holds one batch, not the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO, Iterator

from .. import ids
from ..catalogue import load_catalogue
from ..ledger.compute import outside_window
from ..ledger.errors import InvalidInput, LedgerError
from ..numerals import ForeignDigit, whole_number
from . import claim_situations, fact_fields, fact_values
from .forms import situation_from_text
from .ledger_export import EXPORT_ONLY

MAX_ROWS = 20_000
BATCH = 500
SHOWN_STORED = 200                 # rows of the report's table of recorded rows

CLAIM_COLUMNS = [  # header, field, required for a new claim, help
    ("申请编号", "application_id", False, "留空：新申请。填写台账中已有申请的编号（导出文件中的编号）：按本行的事实重新核定该申请，事实未变则不作改动"),
    ("措施编号", "measure_id", True, "措施的编号，即下方措施列表中名称后括号内的编号（每种措施的模板中已填好）"),
    ("申请日期", "on", True, "评估日期，如2025-03-14"),
    ("受益方证件号", "beneficiary_id_number", True, "个人：居民身份证号；单位：统一社会信用代码（文本格式）"),
    ("受益方名称", "beneficiary_name", True, "姓名或单位名称"),
    ("人员身份证号", "person_id_number", False, "按人员计算、单位受益的措施（如岗位补贴）：该职工的身份证号"),
    ("人员姓名", "person_name", False, "该职工的姓名"),
    ("核定日期", "reassess_on", False, "重新核定的日期，如2025-03-14（有申请编号且事实有变时；留空：今天）"),
    ("核定理由", "reason", False, "重新核定的理由（留空：按导入文件重新核定，并列出变化的事实）"),
    ("幂等键", "idempotency_key", False, "留空：按行的内容生成（同样的行重复导入不重复记录）"),
    ("情形JSON", "situation", False, "兼容旧模板，可不填：填写时按该 JSON 计算，本行的事实列须留空"),
    ("受益方情形编号", "beneficiary_key", False, "仅与情形JSON同用：情形中有多个单位（个人）时受益方的编号"),
    ("人员情形编号", "person_key", False, "仅与情形JSON同用：情形中有多名职工时该职工的编号"),
]
CLAIM_HEADERS = {h: f for h, f, _, _ in CLAIM_COLUMNS} | {f: f for _, f, _, _ in CLAIM_COLUMNS}
FIELD_HEADERS = {f: h for h, f, _, _ in CLAIM_COLUMNS}
# the service's field names -> the column at fault
SERVICE_FIELDS = {"measure_id": "措施编号", "on": "申请日期", "situation": "情形JSON", "beneficiary_id": "受益方证件号",
                  "beneficiary_key": "受益方情形编号", "person_id": "人员身份证号", "person_key": "人员情形编号",
                  "idempotency_key": "幂等键", "id_number": "受益方证件号", "name": "受益方名称", "kind": "受益方证件号",
                  "reason": "核定理由"}


class ImportFileError(InvalidInput):
    def __init__(self, message: str) -> None:
        super().__init__("file", message)


class RowError(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


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
    action: str = "new"                 # new | reassessed | unchanged


@dataclass
class ImportReport:
    filename: str
    rows: list[RowOutcome] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)        # headers naming nothing

    @property
    def stored(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.ok and r.action == "new"]

    @property
    def reassessed(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.ok and r.action == "reassessed"]

    @property
    def unchanged(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.ok and r.action == "unchanged"]

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if not r.ok]

    @property
    def shown_stored(self) -> list[RowOutcome]:
        return self.stored[:SHOWN_STORED]


# -- the file, streamed ---------------------------------------------------------------------------
def spool(source: BinaryIO, limit: int) -> BinaryIO:
    """The upload copied to a temporary file (0600, unnamed, removed on close) in 1 MB pieces."""
    import tempfile
    out = tempfile.TemporaryFile()
    total = 0
    while True:
        piece = source.read(1 << 20)
        if not piece:
            break
        total += len(piece)
        if total > limit:
            out.close()
            raise ImportFileError(f"文件过大：最大{limit // 1_000_000} MB")
        out.write(piece)
    out.seek(0)
    return out


def raw_rows(filename: str, handle: BinaryIO) -> Iterator[list[Any]]:
    """The file's rows, the header first, one at a time."""
    name = (filename or "").lower()
    head = handle.read(4)
    handle.seek(0)
    if not head:
        raise ImportFileError("文件为空")
    if name.endswith(".xlsx") or head[:2] == b"PK":
        return _xlsx_rows(handle)
    if name.endswith((".csv", ".txt")) or not name:
        return _csv_rows(handle)
    raise ImportFileError("只支持 Excel（.xlsx）和 CSV（.csv）文件")


def _encoding(handle: BinaryIO) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes so, else GB18030 (Excel on Chinese
    Windows saves CSV as GBK); read in pieces."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while True:
            piece = handle.read(1 << 20)
            decoder.decode(piece, final=not piece)
            if not piece:
                return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"
    finally:
        handle.seek(0)


def _csv_rows(handle: BinaryIO) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(handle, encoding=_encoding(handle), errors="strict", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise ImportFileError("无法读取该 CSV 文件：编码应为 UTF-8 或 GBK（Excel 另存为“CSV UTF-8”即可）") from None
    except csv.Error:
        raise ImportFileError("CSV 格式错误，请用 Excel 另存为 CSV 后重新导入") from None
    finally:
        text.detach()


def _xlsx_rows(handle: BinaryIO) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception:                              # a corrupt or foreign file: openpyxl raises many kinds
        raise ImportFileError("无法读取该 Excel 文件（应为 .xlsx，文件可能已损坏）") from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


@dataclass
class Columns:
    """What each header of the file is."""
    claim: dict[int, str]                      # position -> claim field
    facts: dict[int, fact_fields.FactField]             # position -> fact
    headers: list[str]
    ignored: list[str]


def read_header(raw: list[Any]) -> Columns:
    headers = [str(h).strip() if h is not None else "" for h in raw]
    claim, facts, ignored = {}, {}, []
    for n, header in enumerate(headers):
        if not header:
            continue
        if header in CLAIM_HEADERS:
            claim[n] = CLAIM_HEADERS[header]
        elif header in EXPORT_ONLY:
            continue
        else:
            found = fact_fields.field_for_header(header)
            if found is None:
                ignored.append(header)
            else:
                facts[n] = found
    if "measure_id" not in claim.values() and "application_id" not in claim.values():
        raise ImportFileError("缺少列：措施编号（第1行应为表头）")
    return Columns(claim, facts, headers, ignored)


# -- one row ------------------------------------------------------------------------------------------
def _text(values: dict, key: str) -> str:
    value = values.get(key)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or value.time() == dt.time(0) \
            else value.isoformat()
    return "" if value is None else str(value).strip()


def _number(values: dict, key: str, kind: str) -> str:
    raw = values.get(key)
    column = FIELD_HEADERS[key]
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise RowError(column, "证件号应以文本格式填写（数字格式会丢失位数，末位X也会丢失）")
    text = _text(values, key)
    if not text:
        raise RowError(column, "不能为空")
    try:
        return ids.validate(kind, text, key)
    except ids.InvalidIdNumber as error:
        raise RowError(column, error.message) from None


def _date(values: dict, key: str) -> dt.date:
    try:
        return fact_values.parse_date(values.get(key))
    except ValueError as error:
        raise RowError(FIELD_HEADERS[key], str(error)) from None


def _measure(values: dict):
    try:
        return fact_values.executable_measure(_text(values, "measure_id"), "measure_id")
    except InvalidInput as error:
        raise RowError("措施编号", error.message) from None


def _facts(cells: dict[fact_fields.FactField, Any]) -> dict[fact_fields.FactField, Any]:
    out = {}
    for f, raw in cells.items():
        try:
            out[f] = fact_values.parse_value(f, _plain(raw))
        except InvalidInput as error:
            raise RowError(f.header, error.message) from None
    return out


def check_new(values: dict, cells: dict[fact_fields.FactField, Any]) -> dict:
    """A new claim's row as keyword arguments for the ledger (applicants still as numbers), or RowError."""
    measure = _measure(values)
    on = _date(values, "on")
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
        if not _text(values, "person_name"):
            raise RowError("人员姓名", f"{measure.id}按人员计算，须填写该职工的姓名")
    elif _text(values, "person_id_number") and measure.beneficiary == "organisation":
        raise RowError("人员身份证号", f"{measure.id}按单位计算，不填人员")
    facts = _facts(cells)
    given = {f: v for f, v in facts.items() if v is not None}
    bkey, pkey = _text(values, "beneficiary_key") or None, _text(values, "person_key") or None
    if _text(values, "situation"):
        if given:
            raise RowError(next(iter(given)).header, "已填写情形JSON：本行的事实列须留空（两者只能选一）")
        try:
            situation = situation_from_text(_text(values, "situation"))
        except InvalidInput as error:
            raise RowError("情形JSON", error.message) from None
    else:
        if measure.entity == "organisation":
            person_facts = [f for f in given if f.where == "person"]
            if person_facts:
                raise RowError(person_facts[0].header, f"{measure.id}按单位计算：不填人员的事实")
        situation, bkey, pkey = claim_situations.new_situation(measure, given)
    key = _text(values, "idempotency_key")
    if not key:
        content = json.dumps([measure.id, on.isoformat(), beneficiary, beneficiary_name, person,
                              _text(values, "person_name"), situation, bkey, pkey], ensure_ascii=False, sort_keys=True)
        key = f"import-{hashlib.sha256(content.encode()).hexdigest()[:32]}"
    if len(key) > 120:
        raise RowError("幂等键", "最多120字")
    return {"measure": measure, "on": on, "beneficiary": beneficiary, "beneficiary_name": beneficiary_name,
            "person": person, "person_name": _text(values, "person_name"), "situation": situation,
            "beneficiary_key": bkey, "person_key": pkey, "idempotency_key": key}


def _shown(kind: str, number: str, name: str) -> str:
    return f"{name} {ids.mask_id(number) if kind == ids.PERSON else number}"


# -- the import ---------------------------------------------------------------------------------------
def import_claims(ledger, actor: int, filename: str, handle: BinaryIO, *, today: dt.date | None = None,
                  batch: int = BATCH) -> ImportReport:
    """Every row of the file (an open binary file, read from its start), ``batch`` rows at a time."""
    rows = raw_rows(filename, handle)
    try:
        header = next(rows)
    except StopIteration:
        rows.close()
        raise ImportFileError("文件没有表头行") from None
    try:
        return _import_rows(ledger, actor, filename, header, rows, today, batch)
    finally:
        rows.close()                 # before the file is: a reader left open would read a closed file


def _import_rows(ledger, actor: int, filename: str, header: list, rows: Iterator, today, batch: int) -> ImportReport:
    columns = read_header(header)
    report = ImportReport(filename=filename, ignored=columns.ignored)
    pending: list[tuple[int, dict, dict]] = []
    count = 0
    for n, raw in enumerate(rows, start=2):
        values = {f: _plain(raw[i]) for i, f in columns.claim.items() if i < len(raw)}
        cells = {f: raw[i] for i, f in columns.facts.items() if i < len(raw)}
        if all(v is None or v == "" for v in list(values.values()) + [_plain(c) for c in cells.values()]):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(f"一次最多导入{MAX_ROWS}行（已处理的行已记录）")
        pending.append((n, values, cells))
        if len(pending) >= batch:
            _process(ledger, actor, filename, pending, report, today)
            pending = []
    if pending:
        _process(ledger, actor, filename, pending, report, today)
    if not report.rows:
        raise ImportFileError("文件只有表头，没有数据行")
    return report


def _process(ledger, actor: int, filename: str, part: list, report: ImportReport, today) -> None:
    checked: list[tuple[RowOutcome, dict]] = []
    for n, values, cells in part:
        outcome = RowOutcome(row=n, ok=False, measure_id=_text(values, "measure_id"))
        report.rows.append(outcome)
        try:
            if _text(values, "application_id"):
                _reassess_row(ledger, actor, filename, n, values, cells, outcome, today)
                continue
            row = check_new(values, cells)
        except RowError as error:
            outcome.column, outcome.reason = error.column, error.reason
            continue
        except LedgerError as error:
            outcome.column = SERVICE_FIELDS.get((error.field or "").split(".")[0], "申请编号")
            outcome.reason = error.message
            continue
        outcome.beneficiary = _shown(*row["beneficiary"], row["beneficiary_name"])
        checked.append((outcome, row))
    _submit(ledger, actor, checked)


def _submit(ledger, actor: int, checked: list) -> None:
    # the applicants of the batch: get-or-create, one transaction (one record per number)
    parties = list(dict.fromkeys((party, name) for _, row in checked
                                 for party, name in ((row["beneficiary"], row["beneficiary_name"]),
                                                     (row["person"], row["person_name"])) if party is not None))
    unique = list(dict.fromkeys(party for party, _ in parties))
    names = {}
    for party, name in parties:
        names.setdefault(party, name)
    registered = dict(zip(unique, ledger.register_applicants(actor, [(k, n, names[(k, n)]) for k, n in unique])
                          if unique else []))
    items, pending = [], []
    for outcome, row in checked:
        ids_ = []
        for party, column, name_column in ((row["beneficiary"], "受益方证件号", "受益方名称"),
                                           (row["person"], "人员身份证号", "人员姓名")):
            found = registered.get(party) if party is not None else None
            if isinstance(found, LedgerError):
                outcome.column = column if found.field in ("id_number", "kind") else name_column
                outcome.reason = found.message
                break
            ids_.append(found.id if found is not None else None)
        else:
            items.append({"measure_id": row["measure"].id, "beneficiary_id": ids_[0], "person_id": ids_[1],
                          "situation": row["situation"], "on": row["on"], "beneficiary_key": row["beneficiary_key"],
                          "person_key": row["person_key"], "idempotency_key": row["idempotency_key"]})
            pending.append(outcome)
    results = ledger.submit_many(actor, items) if items else []
    for outcome, result in zip(pending, results):
        if isinstance(result, LedgerError):
            field_name = (result.field or "").split(".")[0]
            outcome.column = SERVICE_FIELDS.get(field_name, "")
            outcome.reason = result.message
        else:
            outcome.ok = True
            outcome.application_id = result.id
            outcome.result_label = result.result_label
            outcome.total = result.total


def _reassess_row(ledger, actor: int, filename: str, n: int, values: dict, cells: dict, outcome: RowOutcome,
                  today) -> None:
    """A row of a claim already in the ledger: unchanged, nothing; changed, a reassessment."""
    text = _text(values, "application_id")
    try:
        number = whole_number(text)
    except ForeignDigit as error:
        raise RowError("申请编号", str(error)) from None
    if number is None or len(text) > 12:
        raise RowError("申请编号", f"应为台账中的申请编号（数字），而不是{text!r}")
    app = ledger.application(actor, number)
    outcome.application_id, outcome.measure_id = app.id, app.measure_id
    outcome.beneficiary = f"{app.beneficiary.name} {app.beneficiary.id_number_masked}"
    if _text(values, "measure_id") and _text(values, "measure_id") != app.measure_id:
        raise RowError("措施编号", f"申请#{app.id}的措施为{app.measure_id}，不能改为{_text(values, 'measure_id')}（新的措施请另起一行、不填申请编号）")
    if _text(values, "situation"):
        raise RowError("情形JSON", "有申请编号的行按事实列重新核定：情形JSON须留空")
    measure = load_catalogue().measure(app.measure_id)
    keys = claim_situations.claim_keys(app)
    new, changes = claim_situations.changed_situation(app.facts or {}, measure, *keys, _facts(cells))
    if not changes:
        outcome.ok, outcome.action = True, "unchanged"
        outcome.result_label, outcome.total = app.result_label, app.total
        return
    on = _date(values, "reassess_on") if _text(values, "reassess_on") else (today or dt.date.today())
    reason = _text(values, "reason") or f"按导入文件重新核定（{filename[:80]} 第{n}行）"
    done = ledger.reassess(actor, app.id, on=on, situation=new, reason=with_changes(reason, changes))
    outcome.ok, outcome.action = True, "reassessed"
    outcome.result_label, outcome.total = done.result_label, done.total


def with_changes(reason: str, changes: list[claim_situations.FactChange]) -> str:
    """The reason with the changed facts (what the audit log and the decision keep)."""
    listed = "；".join(f"{c.label}：{c.before}→{c.after}" for c in changes)
    text = f"{reason}（变化：{listed}）" if listed else reason
    return text if len(text) <= 2000 else text[:1997] + "…）"
