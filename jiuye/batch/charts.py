"""The 财政测算 report's charts (matplotlib with the CJK font found through matplotlib.font_manager):
totals, months, head-counts, the reform's differences and the ranges of the calibrated costing."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from .costing import Costing, beneficiary_label

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei")


class ReportError(RuntimeError):
    pass


@functools.cache
def cjk_font() -> str:
    """The family name of an installed CJK font (registered with matplotlib)."""
    from matplotlib import font_manager
    for path in font_manager.findSystemFonts():
        if "CJK" in path or "cjk" in path.lower():
            try:
                font_manager.fontManager.addfont(path)
            except Exception:          # a damaged file: skip it
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    raise ReportError("no CJK font for the charts: install the Debian package fonts-noto-cjk "
                      "(`make fonts`, or apt-get install fonts-noto-cjk)")


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    family = cjk_font()
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "jiuye"
    return plt


ILLUSTRATIVE = "示意数据，非官方统计"


def illustrative_line(uncertainty) -> str:
    if uncertainty is None or uncertainty.calibration is None or not uncertainty.calibration.illustrative:
        return ""
    return (f"{ILLUSTRATIVE}：校准文件“{uncertainty.calibration.title}”中的数值标为示意，"
            f"没有可核实的来源；按它加权的金额和人数只演示方法，不能作为预算或统计依据。")


def _banner(fig, text: str) -> None:
    if text:
        fig.text(0.99, 0.995, ILLUSTRATIVE, fontsize=11, color="#c0392b", ha="right", va="top", fontweight="bold")


def wan(cents) -> float:
    return float(cents) / 100 / 10_000


def _short(title: str, limit: int = 18) -> str:
    return title if len(title) <= limit else title[:limit - 1] + "…"


def _label(m) -> str:
    """A measure's chart label; ＊ marks a cost resting on a placeholder synthetic distribution."""
    return f"{_short(m.title)}（{m.id}）" + ("＊" if m.placeholder else "")


def _note(fig, measures) -> None:
    if any(m.placeholder for m in measures):
        fig.text(0.01, 0.005, "＊依赖占位分布的合成数据：金额不是估计（见 docs/synthetic-population.md）",
                 fontsize=8, color="#666", ha="left", va="bottom")


def _values(ax, bars, fmt="{:,.1f}") -> None:
    for bar in bars:
        width = bar.get_width()
        if width:
            ax.annotate(fmt.format(width), (width, bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=7, color="#333")


# -- charts ------------------------------------------------------------------------------------------------
def charts(baseline: Costing, reformed: Costing | None, out: Path, top: int = 15, uncertainty=None) -> dict[str, Path]:
    plt = _pyplot()
    banner = illustrative_line(uncertainty)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    meta = {"Software": "jiuye", "Creation Time": None}
    colours = ("#4C72B0", "#DD8452")

    def save(fig, name: str, noted=None) -> None:
        """Lay one chart out, mark it (the placeholder note for the measures `noted`, the illustrative
        banner) and write it as <name>.png."""
        if noted is None:
            fig.tight_layout()
        else:
            fig.tight_layout(rect=(0, 0.03, 1, 1))
            _note(fig, noted)
        _banner(fig, banner)
        files[name] = out / f"{name}.png"
        fig.savefig(files[name], dpi=120, metadata=meta)
        plt.close(fig)

    # 1. cost by measure (top N by the larger of baseline and reform)
    ref = {m.id: m for m in (reformed.measures if reformed else [])}
    ranked = sorted(baseline.measures, key=lambda m: -max(m.cents, ref[m.id].cents if m.id in ref else 0))
    ranked = [m for m in ranked if m.cents or (m.id in ref and ref[m.id].cents)][:top]
    if ranked:
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(ranked) + 1.6))
        y = np.arange(len(ranked))[::-1]
        height = 0.38 if reformed else 0.6
        bars = ax.barh(y + (height / 2 if reformed else 0), [wan(m.cents) for m in ranked], height=height,
                       color=colours[0], label=baseline.label)
        _values(ax, bars)
        if reformed:
            bars = ax.barh(y - height / 2, [wan(ref[m.id].cents) for m in ranked], height=height, color=colours[1],
                           label=reformed.label)
            _values(ax, bars)
        ax.set_yticks(y, [_label(m) for m in ranked], fontsize=9)
        ax.set_xlabel("万元")
        ax.set_title(f"{baseline.year}年各措施应发金额（前{len(ranked)}项）")
        ax.legend(loc="lower right")
        ax.grid(axis="x", alpha=0.3)
        ax.margins(x=0.12)
        save(fig, "cost_by_measure", ranked)

    # 2. by document and beneficiary type (stacked), baseline and reform side by side
    def by_doc(costing):
        return costing.by(lambda m: (m.document, m.beneficiary))
    base_doc = by_doc(baseline)
    docs = sorted({d for d, _ in base_doc})
    kinds = ["person", "organisation"]
    fig, ax = plt.subplots(figsize=(9, 4.8))
    x = np.arange(len(docs))
    width = 0.38 if reformed else 0.6
    series = [(baseline, base_doc, -width / 2 if reformed else 0)]
    if reformed:
        series.append((reformed, by_doc(reformed), width / 2))
    shades = {("person", 0): "#4C72B0", ("organisation", 0): "#A1C4E8", ("person", 1): "#DD8452", ("organisation", 1): "#F4C49C"}
    for s, (costing, table, offset) in enumerate(series):
        bottom = np.zeros(len(docs))
        for kind in kinds:
            values = np.array([wan(table.get((d, kind), {}).get("cents", 0)) for d in docs])
            ax.bar(x + offset, values, width, bottom=bottom, color=shades[(kind, s)],
                   label=f"{costing.label}·{beneficiary_label(kind)}")
            bottom += values
    ax.set_xticks(x, docs)
    ax.set_ylabel("万元")
    ax.set_title(f"{baseline.year}年应发金额：按文件和受益方类型")
    ax.legend(fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    save(fig, "cost_by_document")

    # 3. month by month
    fig, ax = plt.subplots(figsize=(9, 4))
    months = np.arange(1, 13)
    ax.plot(months, [wan(c) for c in baseline.month_cents()], marker="o", color=colours[0], label=baseline.label)
    if reformed:
        ax.plot(months, [wan(c) for c in reformed.month_cents()], marker="s", color=colours[1], label=reformed.label)
    ax.set_xticks(months, [f"{m}月" for m in months])
    ax.set_ylabel("万元")
    ax.set_title(f"{baseline.year}年各月应发金额")
    ax.legend()
    ax.grid(alpha=0.3)
    save(fig, "monthly")

    # 4. head-count by measure
    ranked = sorted(baseline.measures, key=lambda m: -m.paid)
    ranked = [m for m in ranked if m.paid][:top]
    if ranked:
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(ranked) + 1.6))
        y = np.arange(len(ranked))[::-1]
        bars = ax.barh(y, [m.paid for m in ranked], color=colours[0], height=0.6)
        _values(ax, bars, "{:,.0f}")
        ax.set_yticks(y, [_label(m) for m in ranked], fontsize=9)
        ax.set_xlabel("受益人数/单位数（年内有应发金额）")
        ax.set_title(f"{baseline.year}年各措施受益人数（{baseline.label}，前{len(ranked)}项）")
        ax.grid(axis="x", alpha=0.3)
        ax.margins(x=0.1)
        save(fig, "headcount", ranked)

    # 5. the reform's difference
    if reformed:
        changed = [(m, ref[m.id].cents - m.cents) for m in baseline.measures if ref[m.id].cents != m.cents]
        changed.sort(key=lambda x: -abs(x[1]))
        changed = changed[:top]
        if changed:
            fig, ax = plt.subplots(figsize=(10, 0.5 * len(changed) + 1.6))
            y = np.arange(len(changed))[::-1]
            values = [wan(d) for _, d in changed]
            ax.barh(y, values, color=["#C44E52" if v > 0 else "#55A868" for v in values], height=0.6)
            for yy, v in zip(y, values):
                ax.annotate(f"{v:+,.2f}", (v, yy), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                            ha="left" if v >= 0 else "right", va="center", fontsize=9)
            ax.set_yticks(y, [_label(m) for m, _ in changed], fontsize=9)
            ax.set_xlabel("万元（改革方案 − 现行政策）")
            ax.set_title(f"{reformed.label}：{baseline.year}年金额变化")
            ax.axvline(0, color="black", linewidth=0.8)
            ax.grid(axis="x", alpha=0.3)
            ax.margins(x=0.2)
            save(fig, "difference")

    # 6. central value and P10–P90 of each measure
    if uncertainty is not None and uncertainty.draws:
        path = range_chart(plt, baseline, reformed, uncertainty, out, top, banner, meta)
        if path:
            files["ranges"] = path
    return files


def _wan_text(value: float, _=None) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:.2g}"


def range_chart(plt, baseline: Costing, reformed: Costing | None, uncertainty, out: Path, top: int, banner: str,
                meta) -> Path | None:
    from matplotlib.ticker import FuncFormatter
    ranged = [m for m in baseline.measures if uncertainty.measures[m.id].cost.p90 > 0]
    ranged.sort(key=lambda m: -uncertainty.measures[m.id].cost.central)
    ranged = ranged[:top]
    if not ranged:
        return None
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(ranged) + 2.0))
    y = np.arange(len(ranged))[::-1].astype(float)
    series = [("现行政策", "cost", "#4C72B0", 0.0)]
    if reformed is not None:
        series = [("现行政策", "cost", "#4C72B0", 0.15), (reformed.label, "reform", "#DD8452", -0.15)]
    changed = np.array([reformed is not None and uncertainty.measures[m.id].difference.central != 0 for m in ranged])
    for label, attr, colour, offset in series:
        keep = changed if attr == "reform" else np.ones(len(ranged), bool)
        if not keep.any():
            continue
        rows = [getattr(uncertainty.measures[m.id], attr) for m, k in zip(ranged, keep) if k]
        low = np.array([max(r.p10, 1.0) for r in rows]) / 10_000
        high = np.array([max(r.p90, 1.0) for r in rows]) / 10_000
        centre = np.array([max(r.central, 1.0) for r in rows]) / 10_000
        at = y[keep] + np.where(changed[keep], offset, 0.0)
        ax.hlines(at, low, high, color=colour, linewidth=3.5, alpha=0.55, label=f"{label}：P10–P90")
        ax.plot(centre, at, "o", color=colour, markersize=6, label=f"{label}：中心值")
        for yy, c, h in zip(at, centre, high):
            ax.annotate(f"{c:,.1f}", (h, yy), xytext=(4, 0), textcoords="offset points", va="center", fontsize=7,
                        color="#333")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(_wan_text))
    ax.set_yticks(y, [_label(m) for m in ranged], fontsize=9)
    ax.set_xlabel("万元（对数刻度）")
    ax.set_title(f"{baseline.year}年各措施应发金额：中心值与P10–P90区间（前{len(ranged)}项）")
    ax.grid(axis="x", alpha=0.3, which="both")
    ax.legend(loc="lower right", fontsize=8)
    ax.margins(x=0.15)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    fig.text(0.01, 0.005, f"区间：{uncertainty.draws}次蒙特卡洛抽样（种子{uncertainty.seed}），各假设分布在其区间内变化；"
                          f"中心值：各假设取中心值" + ("；＊依赖占位分布" if any(m.placeholder for m in ranged) else ""),
             fontsize=8, color="#666", ha="left", va="bottom")
    _banner(fig, banner)
    path = out / "ranges.png"
    fig.savefig(path, dpi=120, metadata=meta)
    plt.close(fig)
    return path


CHART_TITLES = {"cost_by_measure": "各措施应发金额", "cost_by_document": "按文件和受益方类型",
                "monthly": "各月应发金额", "headcount": "各措施受益人数", "difference": "改革方案的金额变化",
                "ranges": "各措施金额的中心值与P10–P90区间"}
