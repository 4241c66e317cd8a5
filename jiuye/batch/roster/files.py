"""Roster files: reading CSV (UTF-8 or GBK), Excel workbooks and Parquet into raw text tables, and
writing a population back as a roster (Parquet, CSV for Excel, or a workbook)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..population import ROLE_KEYS, Population
from .conversion import column_values
from .mapping import Mapping, mapping_for, normalise
from .reports import TABLE_LABELS, TABLES, RosterError

SUFFIXES = (".csv", ".xlsx", ".parquet", ".pq")
PREFERENCE = (".parquet", ".pq", ".xlsx", ".csv")


# -- reading files into raw tables ------------------------------------------------------------------------
@dataclasses.dataclass
class RawTable:
    table: str
    source: str
    headers: list[str]
    columns: dict          # header -> pa.Array
    rows: np.ndarray       # display row number of each row
    excel: bool = False
    blank_rows: int = 0
    also: list = dataclasses.field(default_factory=list)     # the same table in other formats, not read


def _detect_encoding(path: Path) -> str:
    head = path.read_bytes()[:1 << 16]
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(head) - 4:       # a character cut at the end of the sample
            return "utf-8"
        return "gb18030"                       # Excel on Chinese Windows saves CSV as GBK


def read_csv(path: Path, table: str) -> RawTable:
    import pyarrow.csv as pacsv
    encoding = _detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        headers = next(csv.reader(handle), None)
    if not headers:
        raise RosterError(f"{path}: empty file (no header row)")
    _no_duplicates(headers, str(path))
    arrow_encoding = "utf8" if encoding.startswith("utf-8") else encoding
    data = pacsv.read_csv(
        path, read_options=pacsv.ReadOptions(encoding=arrow_encoding, skip_rows=1, column_names=headers),
        parse_options=pacsv.ParseOptions(ignore_empty_lines=False, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in headers},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False))
    if data.num_columns and data.column_names[0].startswith("\ufeff"):
        raise RosterError(f"{path}: byte order mark not removed")
    columns = {h: data.column(h).combine_chunks() for h in headers}
    rows = np.arange(data.num_rows, dtype=np.int64) + 2
    return _drop_blank_rows(RawTable(table, path.name, headers, columns, rows))


def read_parquet(path: Path, table: str) -> RawTable:
    import pyarrow.parquet as pq
    data = pq.read_table(path)
    headers = list(data.column_names)
    _no_duplicates(headers, str(path))
    columns = {h: data.column(h).combine_chunks() for h in headers}
    return RawTable(table, path.name, headers, columns, np.arange(data.num_rows, dtype=np.int64) + 1)


def _excel_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_workbook(path: Path, mapping: Mapping, only: str | None = None) -> list[RawTable]:
    import openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:        # not a workbook, damaged …
        raise RosterError(f"{path}: cannot read as an Excel workbook: {error}") from None
    tables = []
    sheets = book.worksheets
    for sheet in sheets:
        table = only or mapping.table_of(sheet.title)
        if table is None:
            if len(sheets) == 1:
                table = "persons"
            elif sheet.title in ("说明", "readme", "README"):
                continue
            else:
                raise RosterError(f"{path}: sheet {sheet.title!r} is none of the tables "
                                  f"({', '.join(f'{TABLE_LABELS[t]}/{t}' for t in TABLES)})")
        rows_iter = sheet.iter_rows(values_only=True)
        header_row, number = None, 0
        for number, row in enumerate(rows_iter, start=1):
            if any(v not in (None, "") for v in row):
                header_row = row
                break
        if header_row is None:
            continue
        width = max(i + 1 for i, v in enumerate(header_row) if v not in (None, ""))
        headers = [_excel_text(v).strip() or f"列{i + 1}" for i, v in enumerate(header_row[:width])]
        _no_duplicates(headers, f"{path}:{sheet.title}")
        values = [[] for _ in headers]
        row_numbers = []
        for offset, row in enumerate(rows_iter, start=number + 1):
            row = tuple(row[:width]) + (None,) * max(0, width - len(row))
            for i, v in enumerate(row):
                values[i].append(_excel_text(v))
            row_numbers.append(offset)
        columns = {h: pa.array(v, pa.string()) for h, v in zip(headers, values)}
        tables.append(_drop_blank_rows(RawTable(table, f"{path.name}:{sheet.title}", headers, columns,
                                                np.asarray(row_numbers, np.int64), excel=True)))
    book.close()
    return tables


def _no_duplicates(headers: list[str], where: str) -> None:
    seen = {}
    for h in headers:
        key = normalise(h)
        if key in seen:
            raise RosterError(f"{where}: the header {h!r} appears twice")
        seen[key] = h


def _drop_blank_rows(raw: RawTable) -> RawTable:
    if not raw.columns or not len(raw.rows):
        return raw
    blank = np.ones(len(raw.rows), bool)
    for array in raw.columns.values():
        text = pc.utf8_trim_whitespace(array.cast(pa.string()))
        blank &= np.asarray(pc.fill_null(pc.equal(text, ""), True))
    if blank.any():
        keep = pa.array(~blank)
        raw.columns = {h: pc.filter(a, keep) for h, a in raw.columns.items()}
        raw.rows = raw.rows[~blank]
        raw.blank_rows = int(blank.sum())
    return raw


def read_tables(path: Path, mapping: Mapping) -> list[RawTable]:
    path = Path(path)
    if not path.exists():
        raise RosterError(f"{path}: no such file or folder")
    if path.is_dir():
        found: dict[str, list[Path]] = {}
        for child in sorted(path.iterdir()):
            if child.suffix.lower() not in SUFFIXES or child.name.startswith((".", "~$")):
                continue
            table = mapping.table_of(child.stem)
            if table is not None:
                found.setdefault(table, []).append(child)
        if not found:
            raise RosterError(f"{path}: no roster files (persons/人员, organisations/单位, contracts/劳动关系 "
                              f"as .csv, .xlsx or .parquet)")
        tables = []
        for table, files in found.items():
            # one table in several formats (`jiuye synth` writes Parquet and CSV): Parquet, else Excel, else CSV
            files.sort(key=lambda f: PREFERENCE.index(f.suffix.lower()))
            read = _read_file(files[0], mapping, table)
            for raw in read:
                raw.also = [f.name for f in files[1:]]
            tables.extend(read)
        return tables
    return _read_file(path, mapping, None)


def _read_file(path: Path, mapping: Mapping, table: str | None) -> list[RawTable]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(path, mapping, only=table)
    table = table or mapping.table_of(path.stem) or "persons"
    if suffix == ".csv":
        return [read_csv(path, table)]
    if suffix in (".parquet", ".pq"):
        return [read_parquet(path, table)]
    raise RosterError(f"{path}: unsupported file type {suffix!r} (use .csv, .xlsx or .parquet)")


def roster_tables(population: Population, system, *, typed: bool, person_ids=None, org_ids=None,
                  mapping: Mapping | None = None) -> dict[str, pa.Table]:
    """The population as the three roster tables (Chinese canonical headers for the facts roster.yaml
    lists, the variable name for the others)."""
    mapping = mapping or mapping_for(system)
    pid = np.asarray(person_ids if person_ids is not None else population.person_ids).astype(str)
    oid = np.asarray(org_ids if org_ids is not None else population.org_ids).astype(str)
    header = {name: mapping.canonical.get(name, name) for name in
              list(population.person_facts) + list(population.org_facts)}
    persons = {mapping.canonical["person_id"]: pa.array(pid, pa.string())}
    for key, values in population.person_extra.items():
        persons[mapping.canonical[key]] = pa.array(values.astype(str), pa.string())
    contracts_mask = population.org_of_person >= 0
    contract_rows = np.flatnonzero(contracts_mask)
    role_label = {"employee": "职工", "founder": "创业者", "intern": "见习人员", "member": "其他成员"}
    contracts = {
        mapping.canonical["person_id"]: pa.array(pid[contract_rows], pa.string()),
        mapping.canonical["organisation_id"]: pa.array(oid[population.org_of_person[contract_rows]], pa.string()),
        mapping.canonical["role"]: pa.array(np.array([role_label[k] for k in ROLE_KEYS], dtype=object)
                                            [population.role_of_person[contract_rows]], pa.string()),
    }
    order = {name: i for i, name in enumerate(mapping.fact_table)}      # roster.yaml's order, then by name
    for name in sorted(population.person_facts, key=lambda n: (order.get(n, len(order)), n)):
        values = population.person_facts[name]
        given = population.person_given.get(name)
        if mapping.fact_table.get(name) == "contracts":
            contracts[header[name]] = column_values(system, name, values[contract_rows],
                                                     None if given is None else given[contract_rows], typed)
        else:
            persons[header[name]] = column_values(system, name, values, given, typed)
    orgs = {mapping.canonical["organisation_id"]: pa.array(oid, pa.string())}
    for key, values in population.org_extra.items():
        orgs[mapping.canonical[key]] = pa.array(values.astype(str), pa.string())
    for name in sorted(population.org_facts, key=lambda n: (order.get(n, len(order)), n)):
        orgs[header[name]] = column_values(system, name, population.org_facts[name],
                                            population.org_given.get(name), typed)
    return {"persons": pa.table(persons), "organisations": pa.table(orgs), "contracts": pa.table(contracts)}


def write_roster(population: Population, system, out: Path, *, csv_too: bool = False,
                 person_ids=None, org_ids=None) -> list[Path]:
    """Write a roster: a folder of Parquet files (plus CSV, UTF-8 with a byte order mark so that
    Excel opens it) or an `.xlsx` workbook. Deterministic: the same population, the same bytes."""
    out = Path(out)
    written = []
    if out.suffix.lower() == ".xlsx":
        tables = roster_tables(population, system, typed=False, person_ids=person_ids, org_ids=org_ids)
        write_workbook(out, [(TABLE_LABELS[t], tables[t]) for t in TABLES])
        return [out]
    import pyarrow.parquet as pq
    out.mkdir(parents=True, exist_ok=True)
    typed = roster_tables(population, system, typed=True, person_ids=person_ids, org_ids=org_ids)
    for name in TABLES:
        path = out / f"{name}.parquet"
        pq.write_table(typed[name], path, compression="zstd", row_group_size=1 << 20)
        written.append(path)
    if csv_too:
        text = roster_tables(population, system, typed=False, person_ids=person_ids, org_ids=org_ids)
        for name in TABLES:
            path = out / f"{name}.csv"
            write_csv(text[name], path)
            written.append(path)
    return written


def write_csv(table: pa.Table, path: Path) -> None:
    """UTF-8 with a byte order mark (Excel), every value quoted only where needed."""
    import pyarrow.csv as pacsv
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(quoting_style="needed"))
    Path(path).write_bytes(b"\xef\xbb\xbf" + buffer.getvalue())


def write_workbook(path: Path, sheets: list[tuple[str, pa.Table]]) -> None:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    for title, table in sheets:
        sheet = book.create_sheet(title)
        sheet.append(table.column_names)
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        for row in zip(*columns):
            sheet.append(list(row))
    book.save(path)
