"""免申即享 outreach lists: for each executable measure, every case of a roster that is eligible or
undetermined in the month of the assessment date — with the facts still missing, the amounts and
the clause — skipping cases that already have a claim in the ledger.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np

from ..catalogue import BENEFICIARIES
from .results import ELIGIBLE, MatchRows
from .population import Population

STATUS_TEXT = {ELIGIBLE: "符合条件", 1: "尚需补充信息"}
HEADERS = ["措施编号", "措施名称", "条款", "受益方类型", "受益方编号", "受益方名称", "人员身份证号", "人员姓名",
           "联系电话", "状态", "尚需补充信息（条件）", "尚需补充信息（发放计划）", "本月应发（元）",
           "截至评估日应得（元）", "应享受总额（元）", "金额说明", "花名册行号"]
SUMMARY_HEADERS = ["措施编号", "措施名称", "条款", "受益方类型", "符合条件", "尚需补充信息", "不符合条件",
                   "已有申请（跳过）", "本月应发合计（元）", "截至评估日应得合计（元）"]
EXCEL_MAX_ROWS = 1_048_575          # a sheet's rows below its header


@dataclasses.dataclass
class MatchReport:
    on: dt.date
    results: dict                     # measure id -> MatchRows (merged)
    skipped: dict                     # measure id -> number of rows skipped (ledger)
    rows: list                        # output rows (lists, HEADERS order)
    summary: list                     # SUMMARY_HEADERS rows


def _fact_label(system, fact: str, tag: str) -> str:
    label = system.variables[fact].label or fact
    return {"": label, "org": f"单位：{label}", "members": f"单位成员：{label}"}[tag]


def build_rows(population: Population, results: dict, measures: list, system, *, claimed: set | None = None) -> MatchReport:
    person_ids = np.asarray(population.person_ids).astype(str)
    org_ids = np.asarray(population.org_ids).astype(str)
    names = population.person_extra.get("person_name")
    phones = population.person_extra.get("phone")
    org_names = population.org_extra.get("org_name")
    rows, summary, skipped = [], [], {}
    for measure in measures:
        r: MatchRows = results[measure.id]
        person_unit = measure.entity == "person"
        labels = [_fact_label(system, f, t) for f, t in r.facts]
        schedule_labels = [_fact_label(system, f, t) for f, t in r.schedule_facts]
        skip = 0
        month_sum = to_date_sum = 0.0
        for i in range(len(r.unit)):
            unit = int(r.unit[i])
            if measure.beneficiary == "organisation":
                org = int(r.org[i]) if person_unit else unit
                beneficiary, beneficiary_name = org_ids[org], (org_names[org] if org_names is not None else "")
            else:
                beneficiary = person_ids[unit]
                beneficiary_name = names[unit] if names is not None else ""
            person = person_ids[unit] if person_unit else ""
            claim_person = person if person_unit and measure.beneficiary == "organisation" else ""
            if claimed is not None and (measure.id, beneficiary.upper(), claim_person.upper() or None) in claimed:
                skip += 1
                continue
            status = int(r.status[i])
            missing = "、".join(labels[j] for j in np.flatnonzero(r.missing[i])) if labels else ""
            schedule = "、".join(schedule_labels[j] for j in np.flatnonzero(r.schedule_missing[i])) \
                if schedule_labels else ""
            month = to_date = total = None
            notes = []
            if status == ELIGIBLE:
                month = _money(r.month[i])
                to_date = _money(r.to_date[i])
                total = _money(r.total[i])
                month_sum += r.month[i] if not np.isnan(r.month[i]) else 0
                to_date_sum += r.to_date[i] if not np.isnan(r.to_date[i]) else 0
                if schedule:
                    notes.append("符合条件；发放计划还需：" + schedule)
                elif not r.kept[i]:
                    winner = measures[r.winner[i]] if r.winner[i] >= 0 else None
                    notes.append("叠加规则：" + (f"已按{winner.title}（{winner.id}）享受，" if winner else "") + "本项不再发放")
                elif r.referenced[i]:
                    notes.append(measure.amount_note or "符合条件；金额按市级标准执行，本文件未规定")
                if r.ceiling[i] and not schedule:
                    notes.append("含“最高不超过”限额（实际费用未提供）")
            person_row = unit if person_unit else None
            source_row = ""
            if person_row is not None and population.person_rows is not None:
                source_row = int(population.person_rows[person_row])
            elif not person_unit and population.org_rows is not None:
                source_row = int(population.org_rows[unit]) or ""
            rows.append([
                measure.id, measure.title, measure.clause, BENEFICIARIES.get(measure.beneficiary, measure.beneficiary),
                beneficiary, beneficiary_name, person,
                names[unit] if names is not None and person_unit else "",
                phones[unit] if phones is not None and person_unit else "",
                STATUS_TEXT[status], missing, schedule, month, to_date, total, "；".join(notes), source_row])
        skipped[measure.id] = skip
        summary.append([measure.id, measure.title, measure.clause, BENEFICIARIES.get(measure.beneficiary),
                        r.counts["eligible"], r.counts["undetermined"], r.counts["ineligible"], skip,
                        round(month_sum, 2), round(to_date_sum, 2)])
    return MatchReport(population.on, results, skipped, rows, summary)


def _money(value: float):
    return None if value is None or np.isnan(value) else round(float(value), 2)


def write_output(report: MatchReport, out: Path, *, import_report=None, info: list | None = None) -> list[Path]:
    """Excel: sheets 说明, 汇总, 名单 (split past Excel's row limit), 导入错误; CSV: the list, plus
    `<name>-汇总.csv` and `<name>-导入错误.csv` beside it."""
    out = Path(out)
    errors = [[e.table, e.source, e.row, e.column, e.value, e.reason] for e in (import_report.errors if import_report else [])]
    error_headers = ["表", "来源", "行号", "列", "值", "原因"]
    if out.suffix.lower() == ".csv":
        import csv
        written = [out]
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADERS)
            money = (12, 13, 14)
            writer.writerows(["" if v is None else (f"{v:.2f}" if j in money else v) for j, v in enumerate(row)]
                             for row in report.rows)
        for suffix, headers, rows in (("汇总", SUMMARY_HEADERS, report.summary), ("导入错误", error_headers, errors)):
            if suffix == "导入错误" and not import_report:
                continue
            path = out.with_name(f"{out.stem}-{suffix}.csv")
            with open(path, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(headers)
                writer.writerows(rows)
            written.append(path)
        return written
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"--out: {out.name}: use .xlsx or .csv")
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet_with(title, headers, rows, widths=None, money_columns=()):
        sheet = book.create_sheet(title)
        if widths:
            for i, w in enumerate(widths):
                sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w
        sheet.freeze_panes = "A2"
        head = []
        for h in headers:
            cell = WriteOnlyCell(sheet, value=h)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in rows:
            if money_columns:
                cells = []
                for j, v in enumerate(row):
                    if j in money_columns and v is not None:
                        cell = WriteOnlyCell(sheet, value=v)
                        cell.number_format = "#,##0.00"
                        cells.append(cell)
                    else:
                        cells.append(v)
                sheet.append(cells)
            else:
                sheet.append(row)
        return sheet

    info_rows = [[k, v] for k, v in (info or [])]
    sheet_with("说明", ["项目", "内容"], info_rows, widths=[22, 100])
    sheet_with("汇总", SUMMARY_HEADERS, report.summary, widths=[26, 30, 16, 10, 10, 12, 12, 14, 18, 20],
               money_columns=(8, 9))
    widths = [24, 26, 14, 10, 22, 24, 22, 10, 14, 12, 40, 30, 14, 16, 16, 40, 10]
    rows = report.rows
    if not rows:
        sheet_with("名单", HEADERS, [], widths=widths)
    for start in range(0, len(rows), EXCEL_MAX_ROWS):
        title = "名单" if start == 0 else f"名单{start // EXCEL_MAX_ROWS + 1}"
        sheet_with(title, HEADERS, rows[start:start + EXCEL_MAX_ROWS], widths=widths, money_columns=(12, 13, 14))
    if import_report is not None:
        sheet_with("导入错误", error_headers, errors, widths=[10, 26, 8, 20, 24, 60])
    book.save(out)
    return [out]
