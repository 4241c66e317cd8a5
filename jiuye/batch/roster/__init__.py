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

The package, one job a module:

* `files` — reading CSV (UTF-8 or GBK), Excel and Parquet into raw text tables; writing a roster;
* `mapping` — which header is which fact (roster.yaml read against the model);
* `conversion` — cells to typed values (是/否, list values, dates, numbers), and back;
* `assembly` — the population from the tables: ids checked (by `jiuye.ids`), memberships, facts,
  the rejected rows; `read_roster` is the entry point;
* `reports` — the import report (errors by row, reconciliation per table).
"""

from ...ids import USCC_CHARS, birth_and_sex_from_ids, check_org_ids, check_person_ids, id_check_chars, uscc_check_chars
from .assembly import read_roster
from .conversion import Converted, convert
from .files import RawTable, read_csv, read_parquet, read_tables, read_workbook, roster_tables, write_csv, \
    write_roster, write_workbook
from .mapping import MAPPING_FILE, Column, Mapping, mapping_for, normalise
from .reports import TABLE_LABELS, TABLES, ImportReport, Roster, RosterError, RowError, TableReport

__all__ = [
    "read_roster", "write_roster", "roster_tables", "Roster", "RosterError", "RowError", "TableReport", "ImportReport",
    "Mapping", "Column", "mapping_for", "normalise", "MAPPING_FILE", "TABLES", "TABLE_LABELS",
    "RawTable", "read_tables", "read_csv", "read_parquet", "read_workbook", "write_csv", "write_workbook",
    "Converted", "convert",
    # the ID checks, from jiuye.ids (the roster's own copies are gone)
    "check_person_ids", "check_org_ids", "birth_and_sex_from_ids", "id_check_chars", "uscc_check_chars", "USCC_CHARS",
]
