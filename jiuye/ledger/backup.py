"""Backup and restore: every table of the database (the ledger's, and the registry's and
supervision's sharing it — their Alembic branches r001 and s001), row for row, in one JSON file (gzip when the name ends
in ``.gz``), with the schema revision and a sha256 of the content.

``restore`` loads a backup into a database migrated to the same revision that holds no ledger rows
(``replace=True`` empties it first), in one transaction that is its staging area: the audit chain
and every row — the ledger's, the registry's and supervision's, each against its last logged digest
(``audit.verify``) — are verified inside it (with the audit key) and only a backup that verifies is
committed; otherwise nothing changes (the database keeps what it had) and ``Refused``
(``backup_unverified``) lists the problems.
A backup of the restored database is identical to the original: tables round-trip exactly, across
SQLite and PostgreSQL alike (timestamps in microseconds, money in cents, texts verbatim, binary
data as base64).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, func, select, text

from . import audit
from sqlalchemy.orm import Session

from .db import Database, SERIAL_TABLES, current_revision, head_revision, migrate, reset_sequences, shared_tables, wipe_in
from .errors import InvalidInput, Refused
from .models import AuditHead, audited_shared, backed_up_tables

FORMAT = "jiuye-ledger-backup"
VERSION = 1


def _tables(connection) -> list:
    """The tables a backup holds, in foreign-key order: the ledger's, then the shared ones."""
    return backed_up_tables() + shared_tables(connection)


def _plain(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, (bytes, memoryview)) else audit.plain(value)


def dump_tables(db: Database) -> dict[str, dict[str, Any]]:
    """Every table's columns and rows (ordered by primary key), values as JSON, in one snapshot."""
    tables: dict[str, dict[str, Any]] = {}
    with db.engine.connect() as connection:
        if db.postgres:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            for table in _tables(connection):
                columns = [c.name for c in table.columns]
                order = list(table.primary_key.columns)
                rows = connection.execute(select(table).order_by(*order)).all()
                tables[table.name] = {"columns": columns,
                                      "rows": [[_plain(value) for value in row] for row in rows]}
    return tables


def _open(path: Path, mode: str, gz: bool | None = None):
    if path.suffix == ".gz" if gz is None else gz:
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def backup(db: Database, path: str | Path) -> dict[str, Any]:
    path = Path(path)
    with db.read() as session:          # a checkpoint of the head the backup holds (or passes)
        audit.write_anchor(session)
    tables = dump_tables(db)
    document = {
        "format": FORMAT, "version": VERSION, "schema_revision": current_revision(db.engine),
        "created_at": audit.utcnow().isoformat(timespec="seconds") + "Z", "source": db.url,
        "sha256": audit.sha256(audit.canonical(tables)), "tables": tables,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))   # full ID numbers inside: 0600
    with _open(tmp, "w", gz=path.suffix == ".gz") as out:
        json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)
    return {"file": str(path), "rows": {name: len(t["rows"]) for name, t in tables.items()},
            "sha256": document["sha256"], "schema_revision": document["schema_revision"]}


def read_backup(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        with _open(path, "r") as source:
            document = json.load(source)
    except (OSError, ValueError) as error:
        raise InvalidInput("FILE", f"无法读取备份 cannot read {path}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput("FILE", f"{path}不是jiuye台账备份 not a jiuye ledger backup")
    if document.get("version") != VERSION:
        raise InvalidInput("FILE", f"不支持的备份版本{document.get('version')!r}")
    if audit.sha256(audit.canonical(document["tables"])) != document.get("sha256"):
        raise InvalidInput("FILE", "备份内容与其sha256不符（文件损坏或被改动） the content does not match its sha256")
    return document


def _parse(column, value):
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    return value


def restore(db: Database, path: str | Path, *, replace: bool = False) -> dict[str, Any]:
    document = read_backup(path)
    migrate(db.engine)
    revision = current_revision(db.engine)
    if document["schema_revision"] != revision:
        raise Refused("schema_mismatch", f"备份的结构版本为{document['schema_revision']}，数据库为{revision}"
                      f"（最新{head_revision()}）", {"backup": document["schema_revision"], "database": revision})
    with db.engine.connect() as connection, connection.begin() as transaction:
        tables = _tables(connection)
        unknown = set(document["tables"]) - {t.name for t in tables}
        if unknown:
            raise InvalidInput("FILE", f"备份含未知的表 unknown tables: {', '.join(sorted(unknown))}")
        if db.postgres:          # one restore at a time; writers wait (nothing is visible before the commit)
            connection.execute(text("LOCK TABLE audit_head IN ACCESS EXCLUSIVE MODE"))
        if replace:
            wipe_in(connection)
        for table in tables:
            if table.name == AuditHead.__tablename__:
                continue
            count = connection.execute(select(func.count()).select_from(table)).scalar_one()
            if count:
                raise Refused("not_empty", f"目标数据库的{table.name}表已有{count}行；请用空数据库或 --replace",
                              {"table": table.name, "rows": count})
        connection.execute(AuditHead.__table__.delete())
        for table in tables:
            data = document["tables"].get(table.name)
            if not data or not data["rows"]:
                continue
            columns = [table.columns[name] for name in data["columns"]]
            rows = [{c.name: _parse(c, v) for c, v in zip(columns, row)} for row in data["rows"]]
            for start in range(0, len(rows), 1000):
                connection.execute(table.insert(), rows[start:start + 1000])
        if db.postgres:
            shared = [t.name for t in tables[len(backed_up_tables()):] if "id" in t.columns]
            reset_sequences(connection, list(SERIAL_TABLES) + shared, to_max=True)
        # staging: verify what was loaded before anything is committed
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            # the chain and its HMACs under this installation's key (a forged backup has none that
            # verify), every row of the ledger, the registry and supervision against its last logged
            # digest (a changed, added or missing row is found); the anchors file is not consulted:
            # an older backup is behind it by design
            report = audit.verify(session, anchors=False, shared=audited_shared(tables[len(backed_up_tables()):]))
        if not report.ok:
            transaction.rollback()
            raise Refused("backup_unverified", f"备份未通过校验，未恢复任何数据（{len(report.problems)}处问题）：" +
                          "；".join(p["message"] for p in report.problems[:5]),
                          {"problems": report.problems[:50]})
        transaction.commit()
    return {"file": str(path), "rows": {n: len(t["rows"]) for n, t in document["tables"].items()},
            "verify": report.to_dict()}
