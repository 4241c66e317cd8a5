"""The ledger's export (Excel and CSV, Chinese headers), which the import reads back: one row per
application (``申请台账``) with its facts, one column per fact (headed as the import template heads it,
``fact_fields``), and, in the workbook, one row per installment (``发放明细``).

ID numbers are masked as in every list (a row of an existing claim is read back by its 申请编号, so
the import does not need them). Cells that a spreadsheet would run as a formula (``= + - @`` first)
are prefixed with ``'``. CSV is UTF-8 with a BOM (Excel opens it in Chinese).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, Iterable

from ..catalogue import CatalogueError, load_catalogue
from ..money import plain
from . import claim_situations, fact_fields, fact_values, measure_facts

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


# blank in an export: where a row added to it (a new claim, no 申请编号) gives the parties' numbers
NEW_CLAIM_COLUMNS: list[tuple[str, Any]] = [("受益方证件号", lambda a: None), ("人员身份证号", lambda a: None)]
EXPORT_ONLY = {h for h, _ in APPLICATION_COLUMNS} - {"申请编号", "申请日期", "措施编号", "受益方名称", "人员姓名"}


def _claim_facts(app) -> dict[tuple[str, str], Any]:
    """A claim's frozen facts (its person's, its organisation's and, for an organisation's own measure,
    its members'), by (``FactField.where``, fact name); {} without them."""
    if not app.facts:
        return {}
    try:
        measure = load_catalogue().measure(app.measure_id)
    except CatalogueError:
        return {}
    bodies = claim_situations.claim_bodies(app.facts, measure, *claim_situations.claim_keys(app))
    out = {}
    for where, body in bodies.items():
        entity = where if where in fact_fields.ENTITY_LABELS else "person"
        for name, value in (body or {}).items():
            if not isinstance(value, (list, dict)) and _is_fact(name, entity):
                out[(where, name)] = value
    return out


def _is_fact(name: str, entity: str) -> bool:
    from ..model.system import get_system
    variable = get_system().variables.get(name)
    return variable is not None and variable.entity.key == entity


def fact_columns(apps: list) -> list[fact_fields.FactField]:
    """The fact columns of an export: each measure's facts (in the order its template lists them),
    then any other fact a claim holds."""
    out: dict[tuple[str, str], fact_fields.FactField] = {}
    for measure_id in dict.fromkeys(a.measure_id for a in apps):
        try:
            fields = measure_facts.measure_fields(measure_id)
        except CatalogueError:
            continue
        for f in fields:
            out.setdefault((f.where, f.name), f)
    for app in apps:
        for where, name in _claim_facts(app):
            if (where, name) in out:
                continue
            if where in fact_fields.ENTITY_LABELS:
                out[(where, name)] = fact_fields.field_for_header(name) or fact_fields.fact_field(name)
            else:                                   # a member beyond the template's (创业者4 …)
                role = where.rstrip("0123456789")
                out[(where, name)] = fact_fields.member_field(name, role, int(where[len(role):]))
    return list(out.values())


def application_rows(apps: Iterable, facts: list[fact_fields.FactField] = ()) -> list[list[Any]]:
    rows = []
    for a in apps:
        values = _claim_facts(a) if facts else {}
        rows.append([safe_text(get(a)) for _, get in APPLICATION_COLUMNS + (NEW_CLAIM_COLUMNS if facts else [])]
                    + [safe_text(fact_values.cell_value(f, values.get((f.where, f.name)))) for f in facts])
    return rows


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
    facts = fact_columns(apps)
    writer.writerow([h for h, _ in APPLICATION_COLUMNS + (NEW_CLAIM_COLUMNS if facts else [])] + [f.header for f in facts])
    for row in application_rows(apps, facts):
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(apps: list, *, title: str = "经办台账") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    facts = fact_columns(apps)
    columns = APPLICATION_COLUMNS + (NEW_CLAIM_COLUMNS if facts else []) + [(f.header, None) for f in facts]
    sheets = [(book.active, "申请台账", columns, application_rows(apps, facts)),
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


