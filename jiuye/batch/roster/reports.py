"""What reading a roster gives back besides the population: the errors of the rows it rejected and
the reconciliation of every table (read = imported + rejected + blank)."""

from __future__ import annotations

import dataclasses

from ..population import Population

TABLES = ("persons", "organisations", "contracts")
TABLE_LABELS = {"persons": "人员", "organisations": "单位", "contracts": "劳动关系"}


class RosterError(ValueError):
    """A roster that cannot be read at all (no file, no id column, two columns for one fact …)."""


@dataclasses.dataclass
class RowError:
    table: str
    source: str
    row: int            # as the user sees it: CSV/Excel line number (header = 1), Parquet record number
    column: str
    value: str
    reason: str

    def text(self) -> str:
        return f"{self.source} 第{self.row}行 列“{self.column}”值“{self.value}”：{self.reason}"


@dataclasses.dataclass
class TableReport:
    table: str
    source: str
    read: int = 0
    imported: int = 0
    rejected: int = 0
    blank_rows: int = 0
    columns: dict = dataclasses.field(default_factory=dict)    # header -> what it is
    ignored: list = dataclasses.field(default_factory=list)    # headers that map to nothing


@dataclasses.dataclass
class ImportReport:
    tables: list
    errors: list
    warnings: list
    persons: int = 0
    organisations: int = 0
    memberships: int = 0
    persons_alone: int = 0

    @property
    def rejected(self) -> int:
        return sum(t.rejected for t in self.tables)

    def reconciles(self) -> bool:
        return all(t.read == t.imported + t.rejected + t.blank_rows for t in self.tables)

    def lines(self, max_errors: int = 20) -> list[str]:
        out = ["导入核对 import reconciliation:"]
        for t in self.tables:
            blank = f"，空行 {t.blank_rows}" if t.blank_rows else ""
            out.append(f"  {TABLE_LABELS[t.table]} {t.table} ({t.source}): 读取 read {t.read:,} = 导入 imported "
                       f"{t.imported:,} + 拒绝 rejected {t.rejected:,}{blank}")
            if t.ignored:
                out.append(f"    未使用的列 ignored columns: {'、'.join(t.ignored)}")
        out.append(f"  人员 {self.persons:,}（在单位中 {self.memberships:,}，未在任何单位 {self.persons_alone:,}），"
                   f"单位 {self.organisations:,}")
        out.append("  核对 " + ("一致 reconciled" if self.reconciles() else "不一致 DOES NOT RECONCILE"))
        for warning in self.warnings:
            out.append(f"  注意 note: {warning}")
        if self.errors:
            out.append(f"被拒绝的行 rejected rows ({len({(e.table, e.row) for e in self.errors}):,} 行, "
                       f"{len(self.errors):,} 处错误):")
            for error in self.errors[:max_errors]:
                out.append("  " + error.text())
            if len(self.errors) > max_errors:
                out.append(f"  … 另有 {len(self.errors) - max_errors:,} 处，见输出文件的“导入错误”表")
        return out


@dataclasses.dataclass
class Roster:
    population: Population
    report: ImportReport
