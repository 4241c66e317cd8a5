"""The monthly report (月调度) of a document's tasks, for any month, due on the 5th of the next month,
under the five headings of 京就办发〔2022〕1号 三、组织实施（四）: 工作进展、政策成效、困难问题、下步举措、意见建议.

* 工作进展 — each task and unit: the report's status, the figures against the targets (with their
  source), the flags (逾期未报, 逾期报送, 已退回, 未达目标), and the units' own words;
* 政策成效 — the ledger's claims, people and amounts per measure and document (``sources.ledger_totals``:
  the same sums as the ledger's own tables), the registry's figures, the events held, and the units' words;
* 困难问题、下步举措、意见建议 — the units' own texts.

``monthly(sup, actor, scope, month, today)`` builds it (a dict); ``write_excel`` (openpyxl) and
``write_pdf`` (matplotlib's PDF backend, Noto CJK, with charts) write it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

from ..ledger.base import as_date
from ..money import display
from .models import STATUSES
from .service import HEADINGS, Supervision, as_month, due_date
from .sources import REGISTRY_METRICS, ledger_totals, registry_figure
from .tasks import COMPARISONS

FLAG_LABELS = {"overdue": "逾期未报", "late": "逾期报送", "returned": "已退回", "missed": "未达目标"}
SCOPE_TITLES = {"heping": "天津市和平区", "xicheng": "北京市西城区", "haidian": "北京市海淀区", "beijing": "北京市",
                "binjiang": "杭州市滨江区"}


def shown(value, kind: str | None = None) -> str:
    if value is None:
        return "尚无数据"
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "rate" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def monthly(sup: Supervision, actor: int | None, scope: str, month: str, *, today: dt.date | str) -> dict:
    """The month's report for the tasks of document ``scope`` the actor may see (the office: all)."""
    month = as_month(month, "month")
    today = as_date(today, "today")
    rows = sup.board(actor, month, today=today, document=scope)
    progress, texts = [], {k: [] for k in ("progress", "effects", "difficulties", "next_steps", "suggestions")}
    flags = Counter()
    statuses = Counter()
    for row in rows:
        task, unit, report = row["task"], row["unit"], row["report"]
        for flag in row["flags"]:
            flags[flag] += 1
        statuses[report.status if report else "missing"] += 1
        progress.append({
            "task": task.id, "number": task.number, "title": task.title, "quote": task.quote, "unit": unit.name,
            "role": row["role"], "status": STATUSES[report.status] if report else "未报送",
            "state": report.state_label if report else "未报送",
            "submitted_on": report.submitted_on.isoformat() if report and report.submitted_on else "",
            "flags": [FLAG_LABELS[f] for f in row["flags"]],
            "figures": [{"label": f.target.label, "value": shown(f.value, f.target.kind),
                         "target": f"{COMPARISONS.get(f.target.comparison, '')}{shown(f.target_value, f.target.kind)}",
                         "source": f.source_label, "met": {True: "达标", False: "未达标", None: "—"}[f.met],
                         "parameter": f.target.parameter, "note": f.note} for f in row["figures"]],
        })
        if report:
            for key in texts:
                if report.texts.get(key):
                    texts[key].append({"unit": unit.name, "task": task.id, "title": task.title,
                                       "text": report.texts[key]})
    with sup.db.read() as s:
        measures = ledger_totals(s, month, documents=(scope,))
        events = sup.events(s, None, *_bounds(month))
    total = {"claims": sum(m["claims"] for m in measures), "people": sum(m["people"] for m in measures),
             "approved": sum(m["approved"] for m in measures),
             "approved_amount": sum((m["approved_amount"] for m in measures), Decimal("0.00")),
             "paid_amount": sum((m["paid_amount"] for m in measures), Decimal("0.00")),
             "payments": sum(m["payments"] for m in measures)}
    from ..catalogue import load_catalogue
    catalogue = load_catalogue()
    for m in measures:
        record = catalogue.measures.get(m["measure_id"])
        m["title"] = record.title if record else m["measure_id"]
    # a task restating a measure (its links): the ledger's figures of that measure, beside the task
    by_clause: dict[str, list] = {}
    for m in measures:
        record = catalogue.measures.get(m["measure_id"])
        if record is not None:
            by_clause.setdefault(record.clause, []).append(m)
    tasks = {row["task"].id: row["task"] for row in rows}
    for p in progress:
        linked = [m for clause in tasks[p["task"]].links for m in by_clause.get(clause, [])]
        p["ledger"] = [f"{m['measure_id']}：申请{m['claims']}件，批准{display(m['approved_amount'])}，"
                       f"本月支付{display(m['paid_amount'])}（来源：经办台账）" for m in linked]
    registry = [{"metric": key, "label": label,
                 "value": registry_figure(key, district=scope, month=month, database=sup.db)}
                for key, label in REGISTRY_METRICS.items()]
    for item in registry:
        item["source"] = "实名制就业帮扶台账" if item["value"] is not None else "尚无数据"
    return {"scope": scope, "title": f"{SCOPE_TITLES.get(scope, scope)}稳就业工作月调度（{month}）", "month": month,
            "due": due_date(month).isoformat(), "generated_on": today.isoformat(),
            "summary": {"rows": len(rows), "submitted": sum(1 for r in rows if r["report"] and r["report"].state == "submitted"),
                        "flags": {FLAG_LABELS[k]: v for k, v in flags.items()},
                        "statuses": {STATUSES.get(k, "未报送"): v for k, v in statuses.items()}},
            "progress": progress, "ledger": {"measures": measures, "total": total}, "registry": registry,
            "events": events, "texts": texts, "headings": HEADINGS}


def _bounds(month: str):
    from .sources import month_bounds
    return month_bounds(month)


# -- Excel ---------------------------------------------------------------------------------------------
def write_excel(report: dict, path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    path = Path(path)
    book = Workbook()
    head = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title, header, rows, widths):
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = head
        for row in rows:
            ws.append(row)
        for i, width in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        ws.freeze_panes = "A2"
        return ws

    summary = book.active
    summary.title = "概况"
    summary.append([report["title"]])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["月份", report["month"]])
    summary.append(["报送截止", report["due"]])
    summary.append(["生成日期", report["generated_on"]])
    summary.append(["任务×单位", report["summary"]["rows"]])
    summary.append(["已报送", report["summary"]["submitted"]])
    for label, count in report["summary"]["flags"].items():
        summary.append([label, count])
    summary.column_dimensions["A"].width = 18
    summary.column_dimensions["B"].width = 40
    progress_rows = []
    for p in report["progress"]:
        figures = "；".join(f"{f['label']}：{f['value']}（目标{f['target']}，来源：{f['source']}，{f['met']}）"
                           for f in p["figures"])
        progress_rows.append([p["task"], p["title"], p["unit"], p["status"], p["state"], p["submitted_on"],
                              "、".join(p["flags"]), figures, "；".join(p["ledger"])])
    sheet("工作进展", ["任务", "名称", "责任单位", "进展", "报送状态", "报送日期", "提示", "目标与完成（来源）",
                       "相关措施的台账数据"], progress_rows, [20, 40, 18, 12, 10, 12, 16, 60, 50])
    ledger = report["ledger"]
    rows = [[m["document"], m["measure_id"], m["title"], m["claims"], m["people"], m["approved"],
             float(m["approved_amount"]), float(m["paid_amount"])] for m in ledger["measures"]]
    t = ledger["total"]
    rows.append(["合计", "", "", t["claims"], t["people"], t["approved"], float(t["approved_amount"]),
                 float(t["paid_amount"])])
    ws = sheet("政策成效", ["文件", "措施", "名称", "申请件数", "人数", "批准件数", "批准金额（元）", "本月支付（元）"],
               rows, [10, 26, 40, 10, 8, 10, 16, 16])
    ws.append([])
    ws.append(["来源：经办台账（本月登记的申请；本月支付的款项）"])
    for item in report["registry"]:
        ws.append([item["label"], shown(item["value"]), f"来源：{item['source']}"])
    ws.append(["本月招聘活动（场）", report["events"], "来源：招聘活动记录"])
    for key in ("effects", "difficulties", "next_steps", "suggestions"):
        if key == "effects":
            ws.append([])
            for item in report["texts"][key]:
                ws.append([item["unit"], item["task"], item["text"]])
            continue
        sheet(report["headings"][key], ["责任单位", "任务", "内容"],
              [[i["unit"], f"{i['task']} {i['title']}", i["text"]] for i in report["texts"][key]], [18, 40, 80])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# -- PDF -----------------------------------------------------------------------------------------------
A4 = (8.27, 11.69)


def _lines(text: str, width: int = 46) -> list[str]:
    """``text`` cut into lines of at most ``width`` CJK characters (a Latin character counts half)."""
    out = []
    for paragraph in (text or "").splitlines() or [""]:
        line, used = "", 0.0
        for char in paragraph:
            step = 0.5 if ord(char) < 0x2E80 else 1.0
            if used + step > width:
                out.append(line)
                line, used = "", 0.0
            line += char
            used += step
        out.append(line)
    return out


class _Pages:
    """Text flowed onto A4 pages (one matplotlib figure per page)."""

    def __init__(self, pdf, plt, title: str) -> None:
        self.pdf, self.plt, self.title = pdf, plt, title
        self.fig, self.y = None, 0.0
        self.number = 0

    def new(self):
        self.close()
        self.number += 1
        self.fig = self.plt.figure(figsize=A4)
        self.fig.text(0.08, 0.965, self.title, fontsize=8, color="#555")
        self.fig.text(0.92, 0.03, f"第{self.number}页", fontsize=8, color="#555", ha="right")
        self.y = 0.93

    def line(self, text: str, size: float = 10, bold: bool = False, indent: float = 0.0, color: str = "black"):
        step = size / 72 / A4[1] * 1.6
        if self.fig is None or self.y - step < 0.06:
            self.new()
        self.fig.text(0.08 + indent, self.y, text, fontsize=size, fontweight="bold" if bold else "normal",
                      color=color, va="top")
        self.y -= step

    def para(self, text: str, size: float = 10, indent: float = 0.0, width: int = 46):
        for line in _lines(text, width):
            self.line(line, size, indent=indent)

    def space(self, amount: float = 0.01):
        self.y -= amount

    def chart(self, draw, height: float = 0.3):
        if self.fig is None or self.y - height < 0.06:
            self.new()
        ax = self.fig.add_axes([0.14, self.y - height, 0.76, height - 0.04])
        draw(ax)
        self.y -= height + 0.01

    def close(self):
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.plt.close(self.fig)
            self.fig = None


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from ..batch.report import cjk_font
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [cjk_font(), "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def write_pdf(report: dict, path: str | Path) -> Path:
    from matplotlib.backends.backend_pdf import PdfPages
    plt = _pyplot()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(path, metadata={"Title": report["title"], "Creator": "jiuye 督办与调度"}) as pdf:
        pages = _Pages(pdf, plt, report["title"])
        pages.new()
        pages.line(report["title"], 16, bold=True)
        pages.line(f"报送截止：{report['due']}（次月5日前）　生成日期：{report['generated_on']}", 9, color="#333")
        summary = report["summary"]
        flags = "，".join(f"{k}{v}项" for k, v in summary["flags"].items()) or "无"
        pages.line(f"任务×责任单位共{summary['rows']}项，已报送{summary['submitted']}项；提示：{flags}", 10)
        pages.space()
        statuses = summary["statuses"]

        def status_chart(ax):
            labels = list(statuses)
            ax.barh(labels, [statuses[k] for k in labels], color="#3b6ea8")
            ax.set_title("各任务进展（任务×责任单位）", fontsize=10)
            ax.tick_params(labelsize=8)
            for i, k in enumerate(labels):
                ax.text(statuses[k], i, f" {statuses[k]}", va="center", fontsize=8)
        if statuses:
            pages.chart(status_chart, 0.22)
        # 一、工作进展
        pages.line("一、" + report["headings"]["progress"], 13, bold=True)
        missing: dict[str, list[str]] = {}
        for p in report["progress"]:
            if p["state"] == "未报送":
                missing.setdefault(p["unit"], []).append(str(p["number"] or p["task"]))
                continue
            flags = f"　【{'、'.join(p['flags'])}】" if p["flags"] else ""
            pages.para(f"{p['task']} {p['title']}　{p['unit']}：{p['status']}（{p['state']}）{flags}", 9, width=52)
            for f in p["figures"]:
                pages.para(f"· {f['label']}：{f['value']}（目标{f['target']}；来源：{f['source']}；{f['met']}）",
                           8, indent=0.03, width=56)
            for line in p["ledger"]:
                pages.para(f"· {line}", 8, indent=0.03, width=56)
        for item in report["texts"]["progress"]:
            pages.para(f"{item['unit']}（{item['task']}）：{item['text']}", 9, width=52)
        if missing:
            pages.line("尚未报送：", 9, bold=True)
            for unit, numbers in missing.items():
                pages.para(f"{unit}：任务{'、'.join(numbers)}", 8, indent=0.03, width=56)
        pages.space()
        # 二、政策成效
        pages.line("二、" + report["headings"]["effects"], 13, bold=True)
        ledger = report["ledger"]
        t = ledger["total"]
        pages.para(f"经办台账：本月登记申请{t['claims']}件、{t['people']}人，批准{t['approved']}件，批准金额"
                   f"{display(t['approved_amount'])}，本月支付{display(t['paid_amount'])}（{t['payments']}笔）。", 10)
        measures = ledger["measures"]
        if measures:
            def amount_chart(ax):
                labels = [m["measure_id"] for m in measures]
                ax.barh(labels, [float(m["approved_amount"]) for m in measures], color="#3b6ea8", label="批准金额")
                ax.barh(labels, [float(m["paid_amount"]) for m in measures], color="#e0892b", height=0.4,
                        label="本月支付")
                ax.set_title("各措施批准与支付金额（元，来源：经办台账）", fontsize=10)
                ax.tick_params(labelsize=8)
                ax.legend(fontsize=8)
            pages.chart(amount_chart, 0.25)
            for m in measures:
                pages.para(f"· {m['measure_id']} {m['title']}：申请{m['claims']}件、{m['people']}人，批准{m['approved']}件"
                           f"{display(m['approved_amount'])}，本月支付{display(m['paid_amount'])}", 8, indent=0.03, width=56)
        for item in report["registry"]:
            pages.para(f"{item['label']}：{shown(item['value'], 'rate' if 'rate' in item['metric'] else None)}"
                       f"（来源：{item['source']}）", 9)
        pages.para(f"本月招聘活动：{report['events']}场（来源：招聘活动记录）", 9)
        for item in report["texts"]["effects"]:
            pages.para(f"{item['unit']}（{item['task']}）：{item['text']}", 9, width=52)
        pages.space()
        for number, key in (("三", "difficulties"), ("四", "next_steps"), ("五", "suggestions")):
            pages.line(f"{number}、" + report["headings"][key], 13, bold=True)
            if not report["texts"][key]:
                pages.para("（本月无）", 9)
            for item in report["texts"][key]:
                pages.para(f"{item['unit']}（{item['task']}）：{item['text']}", 9, width=52)
            pages.space()
        pages.close()
    return path


def write(report: dict, path: str | Path) -> Path:
    """By the file's suffix: .xlsx or .pdf."""
    from ..ledger.errors import InvalidInput
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_excel(report, path)
    if suffix == ".pdf":
        return write_pdf(report, path)
    raise InvalidInput("out", f"输出文件应为 .xlsx 或 .pdf，而不是{path}")
