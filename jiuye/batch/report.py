"""The 财政测算 report: Markdown, HTML (self-contained, charts embedded) and Excel, with PNG charts.

Charts use matplotlib with the Noto CJK font found through `matplotlib.font_manager` (Debian
package fonts-noto-cjk; `make fonts` installs it). Without a CJK font Chinese labels would come out
as boxes, so the report refuses to draw instead (ReportError naming the package).

With a calibration or a synthetic population's assumed ranges (jiuye.batch.uncertainty) the report
adds, per measure, the central value and P10–P90, the inputs that are calibrated, those assumed
(with their ranges) and the assumption that drives most of the spread; a chart of the ranges; the
calibration's counts against the weighted population. A calibration with an illustrative count is
flagged on every page, sheet and chart: 示意数据，非官方统计.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import numpy as np

from .calibration import ENTITY_LABELS
from .costing import Costing, beneficiary_label
from .charts import (CHART_TITLES, CJK_FAMILIES, ILLUSTRATIVE, ReportError, _banner, _label, _note, _pyplot,
                     _short, _values, _wan_text, charts, cjk_font, illustrative_line, range_chart, wan)  # noqa: F401

# -- tables --------------------------------------------------------------------------------------------------
def _yuan(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def measure_table(baseline: Costing, reformed: Costing | None) -> tuple[list, list]:
    headers = ["措施", "名称", "文件", "受益方", "应发金额（元）", "受益数", "受益单位数", "符合条件（至少一个月）"]
    if reformed:
        headers += ["改革后金额（元）", "改革后受益数", "差额（元）"]
    headers += ["说明"]
    ref = {m.id: m for m in (reformed.measures if reformed else [])}
    rows = []
    for m in baseline.measures:
        notes = []
        if m.amount_basis == "referenced" or m.referenced:
            notes.append(f"金额按市级标准执行，未计入（符合条件{m.referenced:,}）" if m.referenced else "金额按市级标准执行，未计入")
        if m.placeholder:
            notes.append("依赖占位分布的合成数据，金额非估计")
        row = [m.id, m.title, m.document, beneficiary_label(m.beneficiary), _yuan(m.cents), f"{m.paid:,}",
               f"{m.organisations:,}" if m.beneficiary == "organisation" else "—", f"{m.eligible:,}"]
        if reformed:
            r = ref[m.id]
            row += [_yuan(r.cents), f"{r.paid:,}", _yuan(r.cents - m.cents)]
        row.append("；".join(notes))
        rows.append(row)
    return headers, rows


def document_table(baseline: Costing, reformed: Costing | None) -> tuple[list, list]:
    headers = ["文件", "受益方", "应发金额（元）", "受益数"]
    if reformed:
        headers += ["改革后金额（元）", "差额（元）"]
    base = baseline.by(lambda m: (m.document, m.beneficiary))
    ref = reformed.by(lambda m: (m.document, m.beneficiary)) if reformed else {}
    rows = []
    for key in sorted(base):
        row = [key[0], beneficiary_label(key[1]), _yuan(base[key]["cents"]), f"{base[key]['paid']:,}"]
        if reformed:
            row += [_yuan(ref[key]["cents"]), _yuan(ref[key]["cents"] - base[key]["cents"])]
        rows.append(row)
    total = ["合计", "", _yuan(baseline.total_cents()), f"{sum(v['paid'] for v in base.values()):,}"]
    if reformed:
        total += [_yuan(reformed.total_cents()), _yuan(reformed.total_cents() - baseline.total_cents())]
    rows.append(total)
    return headers, rows


# -- calibration and ranges -----------------------------------------------------------------------------------
def calibration_table(uncertainty) -> tuple[list, list]:
    headers = ["校准项", "类别", "条件", "已知数量", "加权后", "合成单位数", "计量单位", "来源", "示意"]
    rows = []
    for r in uncertainty.weights.results:
        rows.append([r.margin if r.margin != "总数" else f"{ENTITY_LABELS[r.entity]}总数", r.label,
                     r.conditions or ("全部" + ENTITY_LABELS[r.entity]), f"{r.target:,.0f}", f"{r.achieved:,.1f}",
                     f"{r.rows:,}", r.unit or "—", r.source or "（无）",
                     "推算" if r.derived else ("是（示意）" if r.illustrative else "否")])
    return headers, rows


def assumptions_table(uncertainty) -> tuple[list, list]:
    headers = ["假设分布", "对象", "中心值与区间", "类型", "影响的措施数"]
    rows = []
    for a in sorted(uncertainty.assumptions, key=lambda a: (-uncertainty.used_by.get(a.key, 0), a.label)):
        rows.append([a.label, ENTITY_LABELS[a.entity], a.range_text(), "占位分布" if a.placeholder else "已建模的分布",
                     f"{uncertainty.used_by.get(a.key, 0)}"])
    return headers, rows


def _drivers(r) -> str:
    if not r.drivers:
        return "—" if r.cost.p90 == r.cost.p10 else "无单一主导假设"
    return "；".join(f"{label}（解释约{share * 100:.0f}%）" for label, share in r.drivers)


def _span(r) -> str:
    return f"{r.p10:,.0f} – {r.p90:,.0f}"


def range_table(baseline: Costing, reformed: Costing | None, uncertainty, costed_only: bool,
                numeric: bool = False) -> tuple[list, list, int]:
    """Per measure: central, P10, P90, inputs calibrated / assumed / fixed, the main driver
    (`numeric`: amounts as numbers, for the workbook)."""
    def yuan(v, sign=""):
        return round(v, 2) if numeric else f"{v:{sign},.0f}"

    headers = ["措施", "名称", "中心值（元）", "P10（元）", "P90（元）", "合成单位数", "主要不确定性来源",
               "已校准的输入", "假设的输入（中心值与区间）", "未设区间的输入"]
    if reformed:
        headers[5:5] = ["改革后中心值（元）", "改革后P10–P90（元）", "差额中心值（元）", "差额P10–P90（元）"]
    rows, left_out = [], 0
    for m in baseline.measures:
        r = uncertainty.measures[m.id]
        if costed_only and r.cost.p90 <= 0 and r.cost.central <= 0 and not (r.reform and r.reform.p90 > 0):
            left_out += 1
            continue
        units = f"{r.units:,}" + ("（样本少，区间不含抽样误差）" if r.small_sample else "")
        assumed = "；".join(f"{label} {text}" if text else f"{label}（区间见假设分布表）"
                            for label, text, _ in r.assumed) or "—"
        row = [m.id, m.title, yuan(r.cost.central), yuan(r.cost.p10), yuan(r.cost.p90)]
        if reformed:
            row += [yuan(r.reform.central), _span(r.reform), yuan(r.difference.central, "+"), _span(r.difference)]
        row += [units, _drivers(r), "；".join(r.calibrated) or "—", assumed, "、".join(r.fixed) or "—"]
        rows.append(row)
    return headers, rows, left_out


def uncertainty_method(uncertainty) -> str:
    parts = []
    if uncertainty.calibration is not None:
        parts.append("校准：按校准文件中的已知数量对合成人口加权（迭代比例拟合，先单位、后人员；人员从所在单位的权重出发），"
                     "各校准项在加权后相差不超过0.1%；金额和人数为加权和，中心值即校准后的结果。")
    if uncertainty.draws:
        parts.append(f"区间：{uncertainty.draws}次蒙特卡洛抽样（种子{uncertainty.seed}，同一种子结果相同），每次在各假设分布的区间内"
                     "抽取参数（中心值为各参数的中位数），用重要性权重对同一批合成单位重新加权并重新校准，不重新生成人口；"
                     "P10、P90为各次抽样金额的第10和第90百分位。每项措施只受其读取的事实所依赖的假设影响。"
                     "“主要不确定性来源”为单独一个假设所能解释的抽样间波动比例（秩回归调整R²）。"
                     "区间只反映假设区间，不含合成样本本身的抽样误差：合成单位数少的措施尤其如此。")
    elif uncertainty.synthetic is False:
        parts.append("花名册不是合成人口：没有假设分布，不做蒙特卡洛。")
    return "".join(parts)


def _md_table(headers, rows) -> str:
    def cell(v):
        return str(v).replace("|", "\\|")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _html_table(headers, rows) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_report(baseline: Costing, reformed: Costing | None, out: Path, *, info: list, changes: list | None = None,
                 reform_spec=None, uncertainty=None) -> list[Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chart_files = charts(baseline, reformed, out / "charts", uncertainty=uncertainty)
    banner = illustrative_line(uncertainty)
    m_headers, m_rows = measure_table(baseline, reformed)
    d_headers, d_rows = document_table(baseline, reformed)
    c_headers = ["参数", "说明", "现行", "改革方案", "自", "至"]
    c_rows = [[c["parameter"], c["description"], c["before"], c["after"], c["from"], c["until"]] for c in (changes or [])]
    title = f"{baseline.year}年就业补贴财政测算" + (f"：{reformed.label}" if reformed else "")
    total_line = f"现行政策全年应发 {_yuan(baseline.total_cents())} 元"
    if reformed:
        diff = reformed.total_cents() - baseline.total_cents()
        total_line += f"；{reformed.label} {_yuan(reformed.total_cents())} 元，差额 {_yuan(diff)} 元"
    if uncertainty is not None and uncertainty.draws:
        total_line += f"（P10–P90：{_span(uncertainty.total)} 元"
        if reformed:
            total_line += f"；差额 {_span(uncertainty.difference_total)} 元"
        total_line += "）"
    if uncertainty is not None and uncertainty.calibration is not None:
        total_line = "校准后" + total_line
    flagged = [m for m in baseline.measures if m.placeholder]
    placeholder_line = (f"注意：{len(flagged)}项措施（共{len(baseline.measures)}项）的条件或发放计划读取了合成数据中按占位分布生成的事实"
                        f"（未专门建模的各区事实），其金额和人数不是估计，只说明计算可行；见各措施表“说明”列和 "
                        f"docs/synthetic-population.md。") if flagged else ""
    exact = "金额以分为单位精确求和" if uncertainty is None or uncertainty.calibration is None else \
        "金额为各单位应发金额（以分计）乘以校准权重之和，各月按该措施未加权的月度分布分摊"
    method = ("口径：每项可计算措施在该年每个月应发的金额（评估月份内到期、符合条件且按叠加规则保留的分期）之和，"
              f"{exact}；“受益数”为年内有应发金额的个人或单位（按员工计的单位补贴按人次），"
              "“符合条件”为至少一个月符合条件的个人或单位。金额按市级标准执行的措施只计人数，不计金额。")

    sections = []                                 # (title, intro, table, note) of calibration and ranges
    if uncertainty is not None:
        if uncertainty.calibration is not None:
            sections.append(("校准", f"校准文件：{uncertainty.calibration.title}。" + (uncertainty.calibration.description or ""),
                             calibration_table(uncertainty), ""))
        if uncertainty.draws:
            headers, rows, left_out = range_table(baseline, reformed, uncertainty, costed_only=True)
            sections.append(("各措施的中心值与区间", uncertainty_method(uncertainty), (headers, rows),
                             f"其余{left_out}项措施在本人口中没有应发金额，见 Excel“不确定性”表。" if left_out else ""))
            sections.append(("假设分布及其区间", "每个假设分布的中心值（生成合成人口时所用的值）和蒙特卡洛中的变化区间；"
                                            "各分布的说明见 docs/synthetic-population.md。", assumptions_table(uncertainty), ""))
        elif uncertainty.calibration is not None:
            sections[-1] = (sections[-1][0], sections[-1][1] + uncertainty_method(uncertainty), sections[-1][2], "")

    # Markdown
    md = [f"# {title}", ""] + ([f"> **{banner}**", ""] if banner else []) + [total_line + "。", "", method, ""] + \
        ([placeholder_line, ""] if placeholder_line else []) + ["## 测算设定", "", _md_table(["项目", "内容"], info), ""]
    if reformed:
        md += ["## 改革方案", "", reform_spec.description if reform_spec else "", "", _md_table(c_headers, c_rows), ""]
    for heading, intro, (headers, rows), note in sections:
        md += [f"## {heading}", ""] + ([f"> **{banner}**", ""] if banner else []) + [intro, "", _md_table(headers, rows), ""] + \
            ([note, ""] if note else [])
    md += ["## 按文件和受益方类型", "", _md_table(d_headers, d_rows), "", "## 图表", ""]
    for key, path in chart_files.items():
        md += [f"### {CHART_TITLES[key]}", "", f"![{CHART_TITLES[key]}](charts/{path.name})", ""]
    md += ["## 各措施", "", _md_table(m_headers, m_rows), ""]
    md_path = out / "report.md"
    md_path.write_text("\n".join(md), encoding="utf-8")

    # HTML (self-contained)
    style = ("body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;margin:2em;max-width:1200px;color:#222}"
             "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;"
             "text-align:left}th{background:#f3f3f3}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}"
             ".illustrative{border:3px solid #c0392b;background:#fdecea;color:#a93226;padding:0.8em 1em;font-size:1.1em;"
             "font-weight:bold;margin:1em 0}")
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<div class='illustrative'>{html.escape(banner)}</div>" if banner else "",
             f"<p><strong>{html.escape(total_line)}。</strong></p><p>{html.escape(method)}</p>",
             f"<p style='color:#a33'>{html.escape(placeholder_line)}</p>" if placeholder_line else "",
             "<h2>测算设定</h2>", _html_table(["项目", "内容"], info)]
    if reformed:
        parts += ["<h2>改革方案</h2>", f"<p>{html.escape(reform_spec.description if reform_spec else '')}</p>",
                  _html_table(c_headers, c_rows)]
    for heading, intro, (headers, rows), note in sections:
        parts += [f"<h2>{html.escape(heading)}</h2>",
                  f"<div class='illustrative'>{html.escape(ILLUSTRATIVE)}</div>" if banner else "",
                  f"<p>{html.escape(intro)}</p>", _html_table(headers, rows),
                  f"<p>{html.escape(note)}</p>" if note else ""]
    parts += ["<h2>按文件和受益方类型</h2>", _html_table(d_headers, d_rows), "<h2>图表</h2>"]
    for key, path in chart_files.items():
        data = base64.b64encode(path.read_bytes()).decode()
        parts.append(f"<h3>{CHART_TITLES[key]}</h3><img alt='{CHART_TITLES[key]}' src='data:image/png;base64,{data}'>")
    parts += ["<h2>各措施</h2>", _html_table(m_headers, m_rows), "</body></html>"]
    html_path = out / "report.html"
    html_path.write_text("".join(parts), encoding="utf-8")

    # Excel
    xlsx_path = out / "report.xlsx"
    _workbook(xlsx_path, baseline, reformed, info, (c_headers, c_rows), (d_headers, d_rows), chart_files,
              uncertainty=uncertainty, banner=banner)
    return [md_path, html_path, xlsx_path, *chart_files.values()]


def _workbook(path: Path, baseline: Costing, reformed: Costing | None, info, changes, documents, chart_files,
              uncertainty=None, banner: str = "") -> None:
    import openpyxl
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font
    book = openpyxl.Workbook()
    bold = Font(bold=True)

    def sheet(title, headers, rows, widths=None, first=False):
        ws = book.active if first else book.create_sheet(title)
        ws.title = title
        ws.append(headers)
        for c in ws[1]:
            c.font = bold
        for row in rows:
            ws.append(row)
        for i, w in enumerate(widths or []):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w
        ws.freeze_panes = "A2"
        return ws

    red = Font(bold=True, color="C0392B", size=13)
    ws = sheet("说明", ["项目", "内容"], ([[ILLUSTRATIVE, banner]] if banner else []) + info, [22, 90], first=True)
    if banner:
        for cell in ws[2]:
            cell.font = red
    def flag(ws):                     # the illustrative flag above the table
        if banner:
            ws.insert_rows(1)
            ws["A1"] = banner
            ws["A1"].font = red
            ws.freeze_panes = "A3"

    if uncertainty is not None and uncertainty.calibration is not None:
        flag(sheet("校准", *calibration_table(uncertainty), widths=[28, 22, 50, 14, 14, 12, 8, 30, 10]))
    if uncertainty is not None and uncertainty.draws:
        headers, rows, _ = range_table(baseline, reformed, uncertainty, costed_only=False, numeric=True)
        ws = sheet("不确定性", headers, rows, [24, 28, 16, 16, 16, 12, 40, 40, 60, 40])
        for column in ("C", "D", "E"):
            for cell in ws[column][1:]:
                cell.number_format = "#,##0"
        flag(ws)
        flag(sheet("假设区间", *assumptions_table(uncertainty), widths=[50, 8, 50, 14, 12]))
    if reformed:
        sheet("改革方案", *changes, widths=[28, 50, 30, 30, 12, 12])
    sheet("按文件", *documents, widths=[14, 10, 20, 12, 20, 20])
    # numbers as numbers in the measure sheet
    ref = {m.id: m for m in (reformed.measures if reformed else [])}
    headers = ["措施", "名称", "条款", "文件", "受益方", "类型", "金额口径", "应发金额（元）", "受益数", "受益单位数",
               "符合条件（至少一个月）", "金额按市级标准（符合条件）", "依赖占位分布"]
    if reformed:
        headers += ["改革后金额（元）", "改革后受益数", "差额（元）"]
    rows = []
    for m in baseline.measures:
        row = [m.id, m.title, m.clause, m.document, beneficiary_label(m.beneficiary), m.kind, m.amount_basis,
               m.cents / 100, m.paid, m.organisations if m.beneficiary == "organisation" else None, m.eligible,
               m.referenced, "是" if m.placeholder else ""]
        if reformed:
            r = ref[m.id]
            row += [r.cents / 100, r.paid, (r.cents - m.cents) / 100]
        rows.append(row)
    ws = sheet("各措施", headers, rows, [24, 28, 14, 10, 8, 12, 10, 16, 10, 10, 12, 14, 10, 16, 12, 14])
    for column in ("H", "N", "P"):
        for cell in ws[column][1:]:
            cell.number_format = "#,##0.00"
    month_headers = ["月份", f"{baseline.label}（元）"] + ([f"{reformed.label}（元）"] if reformed else [])
    month_rows = []
    for i in range(12):
        row = [f"{baseline.year}-{i + 1:02d}", int(baseline.month_cents()[i]) / 100]
        if reformed:
            row.append(int(reformed.month_cents()[i]) / 100)
        month_rows.append(row)
    sheet("各月", month_headers, month_rows, [12, 20, 20])
    charts_ws = book.create_sheet("图表")
    row = 1
    for key, path_png in chart_files.items():
        charts_ws.cell(row=row, column=1, value=CHART_TITLES[key]).font = bold
        image = Image(str(path_png))
        charts_ws.add_image(image, f"A{row + 1}")
        row += int(image.height / 20) + 4
    book.save(path)


def _district_label(key) -> str:
    try:
        from ..model.system import get_system
        return get_system().variables["registration_district"].possible_values[key].value
    except (KeyError, TypeError):
        return str(key)


def info_rows(*, population: str, persons: int, orgs: int, year: int, measures: int, reform=None, manifest=None,
              chunks: int = 1, workers: str = "本进程", uncertainty=None) -> list:
    rows = [["人口数据", population], ["人员数", f"{persons:,}"], ["单位数", f"{orgs:,}"], ["测算年度", str(year)],
            ["措施数（可计算）", str(measures)], ["计算分块", f"{chunks}（{workers}）"],
            ["生成时间", dt.date.today().isoformat()]]
    if manifest:
        rows.append(["合成数据", f"种子 {manifest.get('seed')}，本区 {_district_label(manifest.get('district'))}，"
                              f"基准日 {manifest.get('on')}（见 docs/synthetic-population.md）"])
    if reform is not None:
        rows.append(["改革方案", f"{reform.title}（{reform.source}）"])
    if uncertainty is not None and uncertainty.calibration is not None:
        c = uncertainty.calibration
        rows.append(["校准", f"{c.title}（{c.source_file or '见 synth.json'}，{len(c.margins)}个校准项"
                             + (f"；{ILLUSTRATIVE}" if c.illustrative else "") + "）"])
    if uncertainty is not None and uncertainty.draws:
        rows.append(["蒙特卡洛", f"{uncertainty.draws}次抽样，种子{uncertainty.seed}，{len(uncertainty.assumptions)}个假设分布；"
                               f"每次抽样 {uncertainty.seconds['per_draw'] * 1000:,.1f} 毫秒"])
    return rows
