"""Rosters (花名册): persons, organisations and contracts from CSV, Excel or Parquet, checked row by
row, into a `Population` of arrays.

A roster is one of:

* a folder holding `persons.*`, `organisations.*`, `contracts.*` (or 人员/单位/劳动关系 …, see
  `tables` in roster.yaml), each `.csv`, `.xlsx` or `.parquet`;
* an Excel workbook (`.xlsx`) with those sheets (a workbook with one sheet of another name: persons);
* one `.csv` / `.parquet` file: the persons (with an organisation column, a flat list of employees).

Columns map to model facts through roster.yaml (Chinese and English headers, list values by key,
label or alias, 是/否 …); every other input fact of the model is accepted under its variable name or
its label. A blank cell is *not given* (never false or zero).

Validation: a row with a bad cell is rejected as a whole and reported — row number (as Excel shows
it: the header is row 1; Parquet: the record number), column, value and reason; the good rows are
imported; the counts reconcile (read = imported + rejected, per table). Columns that map to nothing
are reported as ignored. Vectorised with pyarrow compute kernels (1M rows in seconds).

Why pyarrow (not polars): it reads CSV (multithreaded, GBK/GB18030 transcoding), Parquet and
Arrow arrays that turn into numpy without copies, its compute kernels (regex, dictionary encoding)
do the row checks, and it is Dask's Parquet engine already — one dependency for all of it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import re
import unicodedata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from .population import ROLE_KEYS, Population

MAPPING_FILE = Path(__file__).with_name("roster.yaml")
TABLES = ("persons", "organisations", "contracts")
TABLE_LABELS = {"persons": "人员", "organisations": "单位", "contracts": "劳动关系"}
SUFFIXES = (".csv", ".xlsx", ".parquet", ".pq")
PREFERENCE = (".parquet", ".pq", ".xlsx", ".csv")
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


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


# -- the mapping ----------------------------------------------------------------------------------------
def normalise(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).strip()
    return re.sub(r"\s+", "", text).lower()


@dataclasses.dataclass
class Column:
    kind: str            # fact | person_id | organisation_id | role | extra
    target: str          # fact name, or extra key
    entity: str          # person | organisation


class Mapping:
    """roster.yaml read against the system: which header is what, and how values are read."""

    def __init__(self, system, path: Path = MAPPING_FILE) -> None:
        self.system = system
        self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.table_names = {t: {normalise(n) for n in names} for t, names in self.data["tables"].items()}
        keys = self.data["keys"]
        self.keys = keys
        self.headers: dict[str, Column] = {}
        self.canonical: dict[str, str] = {}         # fact / key -> header jiuye writes
        self.fact_table: dict[str, str] = {}
        self._ambiguous: set[str] = set()
        for key in ("person_id", "organisation_id", "role"):
            for header in keys[key]["columns"]:
                self._add(header, Column(key, key, "person" if key != "organisation_id" else "organisation"))
            self.canonical[key] = keys[key]["columns"][0]
        for key, spec in (self.data.get("extras") or {}).items():
            for header in spec["columns"]:
                self._add(header, Column("extra", key, spec["entity"]))
            self.canonical[key] = spec["columns"][0]
        self.extras = self.data.get("extras") or {}
        inputs = {n: v for n, v in system.variables.items() if not v.formulas}
        for fact, spec in (self.data.get("facts") or {}).items():
            if fact not in inputs:
                raise RosterError(f"roster.yaml: {fact} is not an input fact of the model")
            entity = inputs[fact].entity.key
            for header in spec["columns"]:
                self._add(header, Column("fact", fact, entity))
            self.canonical[fact] = spec["columns"][0]
            self.fact_table[fact] = spec.get("table", "persons" if entity == "person" else "organisations")
        # every other fact: its variable name and its label
        labels: dict[str, list] = {}
        for name, variable in inputs.items():
            self._add(name, Column("fact", name, variable.entity.key), soft=True)
            if variable.label:
                labels.setdefault(normalise(variable.label), []).append((name, variable.entity.key))
        for label, owners in labels.items():
            if len(owners) == 1 and label not in self.headers:
                self.headers[label] = Column("fact", owners[0][0], owners[0][1])
        values = self.data["values"]
        self.true = {normalise(v) for v in values["truthy"]}
        self.false = {normalise(v) for v in values["falsy"]}
        self.unknown_is_blank = bool(values.get("unknown_is_blank", True))
        self.prefixes = [normalise(p) for p in values.get("prefixes", [])]
        self.noise = values.get("number_noise", [])
        self.aliases = values.get("aliases") or {}
        self.roles = {normalise(k): v for k, v in keys["role"]["values"].items()}
        self.default_role = keys["role"].get("default", "employee")

    def _add(self, header: str, column: Column, soft: bool = False) -> None:
        key = normalise(header)
        if key in self.headers and self.headers[key] != column:
            if soft:
                return
            raise RosterError(f"roster.yaml: header {header!r} is given to two columns")
        self.headers[key] = column

    def column(self, header: str) -> Column | None:
        return self.headers.get(normalise(header))

    def table_of(self, name: str) -> str | None:
        key = normalise(name)
        for table, names in self.table_names.items():
            if key in names:
                return table
        return None

    @functools.cached_property
    def enum_tables(self) -> dict:
        """enum class name -> {normalised text: member index}."""
        out = {}
        for variable in self.system.variables.values():
            enum = getattr(variable, "possible_values", None)
            if variable.formulas or enum is None or enum.__name__ in out:
                continue
            table = {}
            for member in enum:
                table[normalise(member.name)] = member.index
                table[normalise(member.value)] = member.index
            for alias, key in (self.aliases.get(enum.__name__) or {}).items():
                if key not in enum.__members__:
                    raise RosterError(f"roster.yaml: alias {alias!r} of {enum.__name__} names no member {key!r}")
                table[normalise(alias)] = enum[key].index
            out[enum.__name__] = table
        return out

    def accepted_headers(self) -> list[tuple[str, str, str, str]]:
        """(entity, target, label, headers) for the documentation and `jiuye roster-columns`."""
        rows = []
        by_target: dict[tuple, list] = {}
        for header, column in self.headers.items():
            by_target.setdefault((column.kind, column.target, column.entity), []).append(header)
        for (kind, target, entity), headers in sorted(by_target.items(), key=lambda x: (x[0][2], x[0][0] != "person_id", x[0][1])):
            if kind == "fact":
                label = self.system.variables[target].label
            elif kind == "extra":
                label = self.extras[target]["label"]
            else:
                label = self.keys[kind]["label"]
            rows.append((entity, target, label, headers))
        return rows


@functools.lru_cache(maxsize=4)
def mapping_for(system) -> Mapping:
    return Mapping(system)


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


# -- converting columns ------------------------------------------------------------------------------------
@dataclasses.dataclass
class Converted:
    values: np.ndarray        # storage dtype (meaningless where not given)
    given: np.ndarray         # bool
    bad: np.ndarray           # bool
    reason: str = ""


def _text(array: pa.Array) -> pa.Array:
    """Trimmed strings, null for blank cells."""
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = array.cast(pa.string())
    text = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _lookup(text: pa.Array, parse) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct string once: (codes per row as parse returned, given, bad)."""
    encoded = pc.dictionary_encode(text)
    dictionary = encoded.dictionary.to_pylist()
    table = [parse(v) for v in dictionary]
    indices = np.asarray(pc.fill_null(encoded.indices, -1), np.int64)
    given = indices >= 0
    results = np.array([r if r is not None else 0 for r in table] + [0], dtype=object)
    ok = np.array([r is not None for r in table] + [True], bool)
    codes = results[indices]
    bad = given & ~ok[indices]
    return codes, given, bad


def _is_unknown_member(enum, index: int) -> bool:
    return "unknown" in enum.__members__ and enum["unknown"].index == index


def convert(array: pa.Array, variable, mapping: Mapping, excel: bool = False) -> Converted:
    from openfisca_core.indexed_enums import Enum
    n = len(array)
    vt = variable.value_type
    typ = array.type
    # typed Parquet / Arrow columns first
    if vt is bool and pa.types.is_boolean(typ):
        return Converted(np.asarray(pc.fill_null(array, False)), np.asarray(array.is_valid()), np.zeros(n, bool))
    if vt is dt.date and (pa.types.is_date(typ) or pa.types.is_timestamp(typ)):
        days = array.cast(pa.date32()) if not pa.types.is_date32(typ) else array
        values = np.asarray(pc.fill_null(days, 0).cast(pa.int32()), np.int64).astype("datetime64[D]")
        return Converted(values, np.asarray(array.is_valid()), np.zeros(n, bool))
    if vt in (int, float) and (pa.types.is_integer(typ) or pa.types.is_floating(typ)):
        numbers = np.asarray(pc.fill_null(array.cast(pa.float64()), np.nan), float)
        given = ~np.isnan(numbers)
        if vt is int:
            bad = given & (numbers != np.round(numbers))
            return Converted(np.nan_to_num(numbers).astype(np.int32), given & ~bad, bad, "不是整数 not a whole number")
        return Converted(numbers, given, np.zeros(n, bool))
    text = _text(array)
    if vt is bool:
        def parse(value):
            key = normalise(value)
            return True if key in mapping.true else (False if key in mapping.false else None)
        codes, given, bad = _lookup(text, parse)
        return Converted(codes.astype(bool), given & ~bad, bad, "应为是/否 expected 是 or 否")
    if vt is Enum:
        enum = variable.possible_values
        table = mapping.enum_tables[enum.__name__]
        prefixes = mapping.prefixes

        def parse(value):
            key = normalise(value)
            if key in table:
                return table[key]
            for prefix in prefixes:
                if key.startswith(prefix) and key[len(prefix):] in table:
                    return table[key[len(prefix):]]
            return None
        codes, given, bad = _lookup(text, parse)
        values = codes.astype(np.int16)
        if mapping.unknown_is_blank and "unknown" in enum.__members__:
            given &= values != enum["unknown"].index
        choices = "、".join(m.value for m in enum if m.name != "unknown")
        if len(choices) > 80:
            choices = choices[:80] + "…"
        return Converted(values, given & ~bad, bad, f"不在可选值中 not one of the values（{choices}）")
    if vt is dt.date:
        def parse(value):
            return _parse_date(value, excel)
        codes, given, bad = _lookup(text, parse)
        values = codes.astype(np.int64).astype("datetime64[D]")
        return Converted(values, given & ~bad, bad, "不是有效日期 not a date (YYYY-MM-DD)")
    if vt in (int, float):
        clean = text
        for noise in mapping.noise:
            clean = pc.replace_substring(clean, noise, "")
        percent = np.asarray(pc.fill_null(pc.ends_with(clean, "%"), False))
        clean = pc.replace_substring(clean, "%", "")
        ok = pc.match_substring_regex(clean, r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
        given = np.asarray(text.is_valid())
        okn = np.asarray(pc.fill_null(ok, False))
        numbers = np.asarray(pc.fill_null(pc.if_else(ok, clean, None).cast(pa.float64()), np.nan), float)
        numbers = np.where(percent, numbers / 100.0, numbers)
        bad = given & ~okn
        if vt is int:
            fraction = okn & (numbers != np.round(np.nan_to_num(numbers)))
            bad |= fraction
            return Converted(np.nan_to_num(numbers).astype(np.int32), given & ~bad, bad, "不是整数 not a whole number")
        return Converted(np.where(given & ~bad, numbers, np.nan), given & ~bad, bad, "不是数字 not a number")
    # strings and anything else: as given
    values = np.asarray(pc.fill_null(text, "").to_numpy(zero_copy_only=False), dtype=object)
    return Converted(values, np.asarray(text.is_valid()), np.zeros(n, bool))


_DATE_PATTERNS = [re.compile(p) for p in (
    r"^(\d{4})-(\d{1,2})-(\d{1,2})$", r"^(\d{4})/(\d{1,2})/(\d{1,2})$", r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$",
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$", r"^(\d{4})(\d{2})(\d{2})$")]


def _parse_date(value: str, excel: bool = False) -> int | None:
    value = unicodedata.normalize("NFKC", value).strip()
    value = re.sub(r"[ T]00:00(:00)?$", "", value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            try:
                day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
            if not dt.date(1900, 1, 1) <= day <= dt.date(9999, 12, 31):
                return None
            return (day - dt.date(1970, 1, 1)).days
    if excel and re.fullmatch(r"\d{4,5}", value):          # an Excel serial date in an unformatted cell
        return int((EXCEL_EPOCH + np.timedelta64(int(value), "D")).astype(np.int64))
    return None


# -- identity numbers, vectorised ----------------------------------------------------------------------------
PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"}
ID_WEIGHTS = np.array([2 ** (17 - i) % 11 for i in range(17)], np.int64)
ID_CHECK = np.frombuffer(b"10X98765432", np.uint8)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = np.array([3 ** i % 31 for i in range(17)], np.int64)
_USCC_VALUE = np.full(256, -1, np.int64)
_USCC_VALUE[np.frombuffer(USCC_CHARS.encode(), np.uint8)] = np.arange(31)


def _bytes18(ids: np.ndarray) -> np.ndarray:
    return np.frombuffer(np.asarray(ids, dtype="S18").tobytes(), np.uint8).reshape(-1, 18)


def id_check_chars(first17: np.ndarray) -> np.ndarray:
    """GB 11643 check characters (uint8) of (n, 17) digit arrays."""
    return ID_CHECK[(first17.astype(np.int64) * ID_WEIGHTS).sum(axis=1) % 11]


def check_person_ids(ids: np.ndarray, today: dt.date | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ok, reason per row) for 居民身份证号码 (GB 11643-1999)."""
    n = len(ids)
    reason = np.full(n, "", dtype=object)
    text = pa.array(ids, pa.string())
    shape = np.asarray(pc.fill_null(pc.match_substring_regex(text, r"^\d{17}[\dX]$"), False))
    reason[~shape] = "身份证号应为18位（前17位数字，末位数字或X） must be 18 characters: 17 digits, then a digit or X"
    if shape.any():
        raw = _bytes18(ids[shape])
        digits = raw[:, :17] - 48
        province = np.isin(digits[:, 0] * 10 + digits[:, 1], [int(p) for p in PROVINCES])
        year = (digits[:, 6:10] * np.array([1000, 100, 10, 1])).sum(1)
        month = digits[:, 10] * 10 + digits[:, 11]
        day = digits[:, 12] * 10 + digits[:, 13]
        birth, valid_birth = _ymd(year, month, day)
        latest = np.datetime64(today or dt.date.today(), "D")
        valid_birth &= (birth >= np.datetime64("1900-01-01")) & (birth <= latest)
        expected = id_check_chars(digits)
        check = expected == raw[:, 17]
        special = np.isin(digits[:, 0] * 10 + digits[:, 1], [71, 81, 82, 83])
        province &= ~((digits[:, 2:6] == 0).all(axis=1) & ~special)
        sub = np.full(int(shape.sum()), "", dtype=object)
        sub[~check] = [f"身份证号校验码错误（应为{chr(c)}） wrong check character (expected {chr(c)})"
                       for c in expected[~check]]
        sub[~valid_birth] = "身份证号中的出生日期无效 impossible birth date in the number"
        sub[~province] = "身份证号的行政区划代码不存在 implausible region code"
        reason[shape] = sub
    return reason == "", reason


def _ymd(year, month, day) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] from year, month, day arrays, and whether the date exists."""
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1000)
    y = np.where(ok, year, 2000)
    m = np.where(ok, month, 1)
    first = (np.asarray(y - 1970, "timedelta64[Y]").astype("timedelta64[M]") + np.datetime64("1970-01", "M")
             + np.asarray(m - 1, "timedelta64[M]"))
    length = ((first + np.timedelta64(1, "M")).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= length
    return first.astype("datetime64[D]") + np.asarray(np.where(ok, day, 1) - 1, "timedelta64[D]"), ok


def birth_and_sex_from_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Birth dates (datetime64[D]) and sex (1 male, 2 female: Sex enum order) of valid numbers."""
    digits = _bytes18(ids)[:, :17].astype(np.int64) - 48
    birth, _ = _ymd((digits[:, 6:10] * np.array([1000, 100, 10, 1])).sum(1), digits[:, 10] * 10 + digits[:, 11],
                    digits[:, 12] * 10 + digits[:, 13])
    return birth, np.where(digits[:, 16] % 2 == 1, 1, 2)


def uscc_check_chars(first17: np.ndarray) -> np.ndarray:
    values = _USCC_VALUE[first17]
    return np.frombuffer(USCC_CHARS.encode(), np.uint8)[(31 - (values * USCC_WEIGHTS).sum(axis=1) % 31) % 31]


def check_org_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ok, reason per row) for 统一社会信用代码 (GB 32100-2015)."""
    n = len(ids)
    reason = np.full(n, "", dtype=object)
    text = pa.array(ids, pa.string())
    shape = np.asarray(pc.fill_null(pc.match_substring_regex(
        text, r"^[1-9ANY][0-9A-HJ-NP-RTUW-Y]\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$"), False))
    reason[~shape] = ("统一社会信用代码应为18位：登记管理部门代码、机构类别、6位行政区划码，不含I、O、S、V、Z "
                      "must be 18 characters of 0-9 and A-Z without I O S V Z, a 6-digit region code at 3-8")
    if shape.any():
        raw = _bytes18(ids[shape])
        expected = uscc_check_chars(raw[:, :17])
        ok = expected == raw[:, 17]
        sub = np.full(int(shape.sum()), "", dtype=object)
        sub[~ok] = [f"统一社会信用代码校验码错误（应为{chr(c)}） wrong check character (expected {chr(c)})"
                    for c in expected[~ok]]
        reason[shape] = sub
    return reason == "", reason


# -- the import --------------------------------------------------------------------------------------------
class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, raw: RawTable, mask: np.ndarray, column: str, values, reason) -> None:
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        shown = values if isinstance(values, np.ndarray) else None
        for i in rows:
            value = "" if shown is None else str(shown[i])
            why = reason[i] if isinstance(reason, np.ndarray) else reason
            self.items.append(RowError(raw.table, raw.source, int(raw.rows[i]), column, value, why))


def _raw_text(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(array.cast(pa.string()), "").to_numpy(zero_copy_only=False), dtype=object)


class _Table:
    """A raw table read against the mapping: its key columns and converted fact columns."""

    def __init__(self, raw: RawTable, mapping: Mapping, errors: _Errors, report: TableReport) -> None:
        self.raw, self.mapping, self.errors, self.report = raw, mapping, errors, report
        self.n = len(raw.rows)
        self.bad = np.zeros(self.n, bool)
        self.keys: dict[str, tuple[str, pa.Array]] = {}
        self.facts: dict[str, tuple[str, Converted]] = {}
        self.extras: dict[str, np.ndarray] = {}
        seen: dict[tuple, str] = {}
        for header in raw.headers:
            column = mapping.column(header)
            if column is None:
                report.ignored.append(header)
                continue
            target = (column.kind, column.target)
            if target in seen:
                raise RosterError(f"{raw.source}: columns {seen[target]!r} and {header!r} are the same "
                                  f"{'fact' if column.kind == 'fact' else 'key'} ({column.target})")
            seen[target] = header
            report.columns[header] = column.target
            if column.kind in ("person_id", "organisation_id", "role"):
                self.keys[column.kind] = (header, raw.columns[header])
            elif column.kind == "extra":
                self.extras[column.target] = np.asarray(
                    pc.fill_null(_text(raw.columns[header]), "").to_numpy(zero_copy_only=False), dtype=object)
            else:
                variable = mapping.system.variables[column.target]
                converted = convert(raw.columns[header], variable, mapping, raw.excel)
                self.reject(converted.bad, header, raw.columns[header], converted.reason)
                self.facts[column.target] = (header, converted)

    def reject(self, mask, column, values, reason) -> None:
        if isinstance(values, pa.Array):
            values = _raw_text(values)
        self.errors.add(self.raw, mask, column, values, reason)
        self.bad |= mask

    def ids(self, kind: str) -> tuple[np.ndarray | None, str | None]:
        if kind not in self.keys:
            return None, None
        header, array = self.keys[kind]
        text = _text(array)
        values = np.asarray(pc.fill_null(pc.utf8_upper(text), "").to_numpy(zero_copy_only=False), dtype=object)
        return values, header

    def entity_facts(self, entity: str) -> dict:
        return {name: item for name, item in self.facts.items()
                if self.mapping.system.variables[name].entity.key == entity}


def _check_ids(table: _Table, kind: str, check: bool, today: dt.date | None, required: bool = True) -> np.ndarray | None:
    ids, header = table.ids(kind)
    if ids is None:
        if required:
            label = table.mapping.keys[kind]["label"]
            raise RosterError(f"{table.raw.source}: no {label} column ({kind}); headers accepted: "
                              + "、".join(table.mapping.keys[kind]["columns"]))
        return None
    blank = ids == ""
    table.reject(blank & required, header, ids, f"{table.mapping.keys[kind]['label']}为空 missing")
    if check:
        present = ~blank
        ok, reason = (check_person_ids(ids[present], today) if kind == "person_id" else check_org_ids(ids[present]))
        bad = np.zeros(len(ids), bool)
        bad[present] = ~ok
        full = np.full(len(ids), "", dtype=object)
        full[present] = reason
        table.reject(bad, header, ids, full)
    return ids


def _duplicates(table: _Table, ids: np.ndarray, header: str, what: str) -> None:
    """Reject the second and later rows of an id (among rows still good), naming the first."""
    candidates = np.flatnonzero(~table.bad & (ids != ""))
    if not len(candidates):
        return
    values = ids[candidates]
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    repeat = np.zeros(len(values), bool)
    repeat[order[1:]] = sorted_values[1:] == sorted_values[:-1]
    first_of = np.empty(len(values), np.int64)
    starts = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    group_first = order[np.flatnonzero(starts)]
    first_of[order] = np.repeat(group_first, np.diff(np.r_[np.flatnonzero(starts), len(values)]))
    if repeat.any():
        mask = np.zeros(table.n, bool)
        mask[candidates[repeat]] = True
        reason = np.full(table.n, "", dtype=object)
        rows = table.raw.rows[candidates[first_of]]
        reason[candidates] = [f"{what}重复（首次出现于第{r}行） duplicate (first in row {r})" for r in rows]
        table.reject(mask, header, ids, reason)


def read_roster(path, system=None, *, on: dt.date | None = None, check_ids: bool = True,
                mapping: Mapping | None = None) -> Roster:
    """Read and check a roster; the good rows as a Population, the report of everything else."""
    if system is None:
        from ..model.system import get_system
        system = get_system()
    mapping = mapping or mapping_for(system)
    raws = read_tables(Path(path), mapping)
    by_table: dict[str, RawTable] = {}
    for raw in raws:
        if raw.table in by_table:
            raise RosterError(f"{path}: two sheets or files for the {raw.table} table")
        by_table[raw.table] = raw
    errors = _Errors()
    reports = {t: TableReport(t, by_table[t].source, len(by_table[t].rows) + by_table[t].blank_rows,
                              blank_rows=by_table[t].blank_rows) for t in TABLES if t in by_table}
    tables = {t: _Table(by_table[t], mapping, errors, reports[t]) for t in TABLES if t in by_table}
    warnings: list[str] = []
    for raw in raws:
        if raw.also:
            warnings.append(f"{raw.table}: 读取 {raw.source}，同一表的其他格式未读取 read {raw.source}; "
                            f"not read: {', '.join(raw.also)}")
    today = on or dt.date.today()
    for t, table in tables.items():
        if t == "organisations":
            for name in table.entity_facts("person"):
                raise RosterError(f"{table.raw.source}: column {table.facts[name][0]!r} is a person's fact "
                                  f"({name}); put it in the persons or contracts table")
        elif "organisation_id" not in table.keys:
            for name in list(table.entity_facts("organisation")):
                header = table.facts.pop(name)[0]
                table.report.ignored.append(header)
                warnings.append(f"{table.raw.source}: 列“{header}”是单位的信息，但该表没有统一社会信用代码列，未使用 "
                                f"an organisation's fact in a table without an organisation column: ignored")

    # -- persons ------------------------------------------------------------------------------------------
    persons_t, orgs_t, contracts_t = tables.get("persons"), tables.get("organisations"), tables.get("contracts")
    if persons_t is None and contracts_t is None:
        raise RosterError(f"{path}: no persons or contracts table")
    person_ids = org_ids = None
    if persons_t is not None:
        person_ids = _check_ids(persons_t, "person_id", check_ids, today)
        _cross_check_ids(persons_t, person_ids, check_ids)
        _duplicates(persons_t, person_ids, persons_t.keys["person_id"][0], "身份证号")
    if orgs_t is not None:
        org_ids = _check_ids(orgs_t, "organisation_id", check_ids, today)
        _duplicates(orgs_t, org_ids, orgs_t.keys["organisation_id"][0], "统一社会信用代码")

    # memberships: contract rows, or persons rows naming an organisation (a flat list)
    flat = persons_t is not None and "organisation_id" in persons_t.keys
    if flat and contracts_t is not None:
        raise RosterError(f"{path}: memberships are given twice: an organisation column in "
                          f"{persons_t.raw.source} and a contracts table; use one of them")
    if orgs_t is not None:
        good_orgs = ~orgs_t.bad
        olist = list(org_ids[good_orgs])
        o_rows = orgs_t.raw.rows[good_orgs]
    else:
        olist, o_rows = [], np.zeros(0, np.int64)
    org_sorted, org_order = _sorted_ids(np.asarray(olist, dtype=object))
    rejected_orgs = set(org_ids[orgs_t.bad]) if orgs_t is not None else set()
    implied_orgs: dict[str, int] = {}

    def check_membership(src: _Table, pid: np.ndarray, oid: np.ndarray):
        """Roles and organisations of membership rows (rejecting bad rows): (org position, role index)."""
        has_org = oid != ""
        role_header, role_array = src.keys.get("role", (None, None))
        if role_array is not None:
            roles, role_given, role_bad = _lookup(_text(role_array), lambda v: mapping.roles.get(normalise(v)))
            src.reject(role_bad & has_org, role_header, role_array,
                       "角色应为职工、创业者、见习人员或其他成员 expected 职工/创业者/见习人员/其他成员")
            role_keys = np.where(role_given & ~role_bad, roles, mapping.default_role)
            defaulted = int((~role_given & has_org).sum())
        else:
            role_keys = np.full(src.n, mapping.default_role, dtype=object)
            defaulted = int(has_org.sum())
        if defaulted:
            warnings.append(f"{src.raw.source}: {defaulted:,} 行未写角色，按“职工”(employee) 处理 "
                            f"rows without a role read as employee")
        role_index = _codes(role_keys, {k: i for i, k in enumerate(ROLE_KEYS)}).astype(np.int8)
        header_o = src.keys["organisation_id"][0]
        pos_o = _positions(org_sorted, org_order, oid)
        missing_o = has_org & ~src.bad & (pos_o < 0)
        if orgs_t is None:                  # no organisations table: the organisation is implied
            for o in oid[missing_o]:
                implied_orgs.setdefault(o, len(olist) + len(implied_orgs))
            if missing_o.any():
                pos_o = np.where(missing_o, np.array([implied_orgs.get(o, -1) for o in oid], np.int64), pos_o)
        else:
            was_rejected = np.isin(oid, list(rejected_orgs)) if rejected_orgs else np.zeros(src.n, bool)
            reason_o = np.where(was_rejected, "该单位行已被拒绝 the organisation's row was rejected",
                                "单位表中没有此统一社会信用代码 not in the organisations table").astype(object)
            src.reject(missing_o, header_o, oid, reason_o)
        return np.where(has_org & ~src.bad, pos_o, -1), role_index

    if contracts_t is not None:
        c_person = _check_ids(contracts_t, "person_id", check_ids, today)
        c_org = _check_ids(contracts_t, "organisation_id", check_ids, today)
        _cross_check_ids(contracts_t, c_person, check_ids, derive=persons_t is None)
    if flat:
        p_org = _check_ids(persons_t, "organisation_id", check_ids, today, required=False)
        flat_org, flat_role = check_membership(persons_t, person_ids, p_org)

    # the person list: the persons table's good rows (else the contracts' persons)
    if persons_t is not None:
        good_persons = ~persons_t.bad
        plist = person_ids[good_persons]
        p_rows = persons_t.raw.rows[good_persons]
    else:
        c_good = ~contracts_t.bad & (c_person != "")
        plist_unique, first = np.unique(c_person[c_good].astype(str), return_index=True)
        order = np.argsort(first)
        plist = plist_unique[order].astype(object)
        p_rows = contracts_t.raw.rows[np.flatnonzero(c_good)[first[order]]]
    rejected_persons = set(person_ids[persons_t.bad]) if persons_t is not None else set()
    person_sorted, person_order = _sorted_ids(plist)
    n_persons = len(plist)
    org_of_person = np.full(n_persons, -1, np.int64)
    role_of_person = np.zeros(n_persons, np.int8)

    if flat:
        org_of_person[:] = flat_org[good_persons]
        role_of_person[:] = flat_role[good_persons]
        persons_t._org_positions = np.where(persons_t.bad, -1, flat_org)
    if contracts_t is not None:
        src, pid, oid = contracts_t, c_person, c_org
        pos_o, role_index = check_membership(src, pid, oid)
        header_p = src.keys["person_id"][0]
        live = ~src.bad
        pos_p = _positions(person_sorted, person_order, pid)
        was_rejected = np.isin(pid, list(rejected_persons)) if rejected_persons else np.zeros(src.n, bool)
        reason_p = np.where(was_rejected, "该人员行已被拒绝 the person's row was rejected",
                            "人员表中没有此身份证号 not in the persons table").astype(object)
        src.reject(live & (pos_p < 0), header_p, pid, reason_p)
        # one organisation per person (the model's memberships): later rows are rejected
        ok = np.flatnonzero(~src.bad)
        _, first = np.unique(pos_p[ok], return_index=True)
        clash = np.ones(len(ok), bool)
        clash[first] = False
        if clash.any():
            first_row = dict(zip(pos_p[ok[~clash]].tolist(), src.raw.rows[ok[~clash]].tolist()))
            reason = np.full(src.n, "", dtype=object)
            mask = np.zeros(src.n, bool)
            for i in ok[clash]:
                row = first_row[int(pos_p[i])]
                mask[i] = True
                reason[i] = (f"此人已在第{row}行属于一个单位；模型中每人只属于一个单位 "
                             f"already a member of an organisation (row {row})")
            src.reject(mask, header_p, pid, reason)
        good = np.flatnonzero(~src.bad)
        org_of_person[pos_p[good]] = pos_o[good]
        role_of_person[pos_p[good]] = role_index[good]
        src._positions = np.where(src.bad, -1, pos_p)
        src._org_positions = np.where(src.bad, -1, pos_o)

    for name in implied_orgs:
        olist.append(name)
    o_rows = np.concatenate([o_rows, np.zeros(len(implied_orgs), np.int64)])
    if implied_orgs:
        warnings.append(f"{len(implied_orgs):,} 个单位只出现在劳动关系或人员表中（没有单位表），其单位信息未提供 "
                        f"organisations named only in memberships: no facts of theirs given")
    n_orgs = len(olist)

    # -- facts -------------------------------------------------------------------------------------------------
    person_facts: dict = {}
    person_given: dict = {}
    org_facts: dict = {}
    org_given: dict = {}

    def put(store, given_store, name, n, index, converted: Converted, override: bool):
        variable = system.variables[name]
        if name not in store:
            from .population import _defaults
            dtype = converted.values.dtype if converted.values.dtype != object else object
            store[name] = _defaults(variable, n, dtype) if n else np.zeros(0, dtype)
            if variable.value_type is float:
                store[name] = np.full(n, np.nan)
            given_store[name] = np.zeros(n, bool)
        take = converted.given[index >= 0] if len(index) else np.zeros(0, bool)
        target = index[index >= 0]
        values = converted.values[index >= 0]
        if not override:
            take = take & ~given_store[name][target]
        store[name][target[take]] = values[take]
        given_store[name][target[take]] = True

    if persons_t is not None:
        index = np.full(persons_t.n, -1, np.int64)
        index[~persons_t.bad] = np.arange(int((~persons_t.bad).sum()))
        for name, (_, converted) in persons_t.entity_facts("person").items():
            put(person_facts, person_given, name, n_persons, index, converted, override=True)
    if contracts_t is not None:
        pos = np.where(contracts_t.bad, -1, getattr(contracts_t, "_positions", np.full(contracts_t.n, -1)))
        for name, (_, converted) in contracts_t.entity_facts("person").items():
            put(person_facts, person_given, name, n_persons, pos, converted, override=True)
    if orgs_t is not None:
        index = np.full(orgs_t.n, -1, np.int64)
        index[~orgs_t.bad] = np.arange(int((~orgs_t.bad).sum()))
        for name, (_, converted) in orgs_t.entity_facts("organisation").items():
            put(org_facts, org_given, name, n_orgs, index, converted, override=True)
    # organisation facts in a flat list (persons or contracts with an organisation column)
    for src in (persons_t, contracts_t):
        if src is None or not hasattr(src, "_org_positions"):
            continue
        flat = src.entity_facts("organisation")
        if not flat:
            continue
        positions = np.where(src.bad, -1, src._org_positions)
        for name, (header, converted) in flat.items():
            _flat_conflicts(src, positions, header, converted)
        positions = np.where(src.bad, -1, src._org_positions)
        for name, (_, converted) in flat.items():
            put(org_facts, org_given, name, n_orgs, positions, converted, override=False)

    # fact arrays: a given mask only where some row is not given
    for facts, given in ((person_facts, person_given), (org_facts, org_given)):
        for name in list(facts):
            if given[name].all():
                del given[name]
    # extras
    person_extra, org_extra = {}, {}
    for table, store, n, index_of in ((persons_t, person_extra, n_persons, "persons"),
                                      (orgs_t, org_extra, n_orgs, "organisations")):
        if table is None:
            continue
        good = ~table.bad
        for key, values in table.extras.items():
            spec = mapping.extras[key]
            entity_n = n_persons if spec["entity"] == "person" else n_orgs
            if (spec["entity"] == "person") != (index_of == "persons"):
                continue
            out = np.full(entity_n, "", dtype=object)
            out[:int(good.sum())] = values[good]
            store[key] = out

    for t, table in tables.items():
        reports[t].rejected = int(table.bad.sum())
        reports[t].imported = table.n - reports[t].rejected
    errors.items.sort(key=lambda e: (TABLES.index(e.table), e.row))
    population = Population(
        on=on, seed=None,
        person_ids=np.asarray(plist, dtype=object), org_ids=np.asarray(olist, dtype=object),
        org_of_person=org_of_person, role_of_person=role_of_person,
        person_facts=person_facts, org_facts=org_facts, person_given=person_given, org_given=org_given,
        person_extra=person_extra, org_extra=org_extra, person_rows=p_rows, org_rows=o_rows)
    report = ImportReport(list(reports.values()), errors.items, warnings, persons=n_persons, organisations=n_orgs,
                          memberships=int((org_of_person >= 0).sum()), persons_alone=int((org_of_person < 0).sum()))
    return Roster(population, report)


def _sorted_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    text = np.asarray(ids, dtype=str) if len(ids) else np.zeros(0, dtype="<U1")
    order = np.argsort(text, kind="stable")
    return text[order], order


def _positions(sorted_ids: np.ndarray, order: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Index of each id in the list (-1: not in it)."""
    if not len(sorted_ids):
        return np.full(len(ids), -1, np.int64)
    text = np.asarray(ids, dtype=str)
    at = np.minimum(np.searchsorted(sorted_ids, text), len(sorted_ids) - 1)
    found = sorted_ids[at] == text
    return np.where(found, order[at], -1).astype(np.int64)


def _codes(values: np.ndarray, table: dict) -> np.ndarray:
    unique, inverse = np.unique(np.asarray(values, dtype=str), return_inverse=True)
    return np.array([table[u] for u in unique], np.int64)[inverse] if len(unique) else np.zeros(0, np.int64)


def _one(n: int, i: int) -> np.ndarray:
    mask = np.zeros(n, bool)
    mask[i] = True
    return mask


def _cross_check_ids(table: _Table, ids: np.ndarray, check: bool, derive: bool = True) -> None:
    """Birth date and sex agree with the 身份证号; where blank, they are taken from it."""
    if not check or ids is None:
        return
    system = table.mapping.system
    good = ~table.bad & (ids != "")
    if not good.any():
        return
    birth, sex = birth_and_sex_from_ids(ids[good].astype(str))
    header_id = table.keys["person_id"][0]
    for name, derived in (("birth_date", birth), ("sex", sex)):
        if name not in system.variables:
            continue
        if name in table.facts:
            header, converted = table.facts[name]
            values = converted.values[good]
            given = converted.given[good]
            if name == "sex":
                given = given & (values != 0)
            differ = np.zeros(table.n, bool)
            differ[good] = given & (values != derived)
            label = system.variables[name].label
            table.reject(differ, header, table.raw.columns[header],
                         f"{label}与身份证号不一致 does not match the 身份证号 ({header_id})")
            converted.values = converted.values.copy()
            fill = np.zeros(table.n, bool)
            fill[good] = ~given
            converted.values[np.flatnonzero(fill)] = derived[~given]
            converted.given = converted.given | fill
        elif derive:
            values = np.zeros(table.n, dtype="datetime64[D]" if name == "birth_date" else np.int16)
            values[good] = derived
            table.facts[name] = (header_id, Converted(values, good.copy(), np.zeros(table.n, bool)))


def _flat_conflicts(src: _Table, positions: np.ndarray, header: str, converted: Converted) -> None:
    """An organisation's fact in a flat list must agree across the organisation's rows."""
    rows = np.flatnonzero((positions >= 0) & converted.given)
    if not len(rows):
        return
    orgs = positions[rows]
    order = np.lexsort((rows, orgs))
    first = {}
    conflict = np.zeros(src.n, bool)
    reason = np.full(src.n, "", dtype=object)
    values = converted.values
    for i in rows[order]:
        o = positions[i]
        if o not in first:
            first[o] = i
        elif values[i] != values[first[o]]:
            conflict[i] = True
            reason[i] = (f"与同一单位第{src.raw.rows[first[o]]}行的值不一致 differs from the same "
                         f"organisation's row {src.raw.rows[first[o]]}")
    src.reject(conflict, header, src.raw.columns[header], reason)


# -- writing a roster -------------------------------------------------------------------------------------------
def _column_values(system, name: str, values: np.ndarray, given, typed: bool) -> pa.Array:
    """A fact column as Arrow: typed (Parquet) or as text (CSV, Excel); not given → null."""
    from openfisca_core.indexed_enums import Enum
    variable = system.variables[name]
    vt = variable.value_type
    mask = None if given is None else ~np.asarray(given, bool)
    if vt is float:
        values = np.asarray(values, np.float64)
        nan = np.isnan(values)
        mask = nan if mask is None else (mask | nan)
    if vt is Enum:
        enum = variable.possible_values
        labels = np.array([m.value for m in enum], dtype=object)
        codes = np.asarray(values, np.int64)
        if "unknown" in enum.__members__:                   # the list's unknown: a blank cell
            unknown = codes == enum["unknown"].index
            mask = unknown if mask is None else (mask | unknown)
        return pa.array(labels[codes], pa.string(), mask=mask).dictionary_encode() if typed else \
            pa.array(labels[codes], pa.string(), mask=mask)
    if vt is dt.date:
        array = pa.array(np.asarray(values, "datetime64[D]"), pa.date32(), mask=mask)
        return array if typed else array.cast(pa.string())
    if vt is bool:
        array = pa.array(np.asarray(values, bool), pa.bool_(), mask=mask)
        if typed:
            return array
        return pc.if_else(array, "是", "否")
    if vt is int:
        array = pa.array(np.asarray(values, np.int64), pa.int64(), mask=mask)
        return array if typed else array.cast(pa.string())
    if vt is float:
        array = pa.array(values, pa.float64(), mask=mask)
        if typed:
            return array
        return pa.array([None if m else _number_text(v) for v, m in zip(values, mask)], pa.string()) \
            if mask is not None else pa.array([_number_text(v) for v in values], pa.string())
    return pa.array(np.asarray(values).astype(str), pa.string(), mask=mask)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


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
            contracts[header[name]] = _column_values(system, name, values[contract_rows],
                                                     None if given is None else given[contract_rows], typed)
        else:
            persons[header[name]] = _column_values(system, name, values, given, typed)
    orgs = {mapping.canonical["organisation_id"]: pa.array(oid, pa.string())}
    for key, values in population.org_extra.items():
        orgs[mapping.canonical[key]] = pa.array(values.astype(str), pa.string())
    for name in sorted(population.org_facts, key=lambda n: (order.get(n, len(order)), n)):
        orgs[header[name]] = _column_values(system, name, population.org_facts[name],
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
