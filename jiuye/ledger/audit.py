"""The hash-chained audit log.

Every write of the service appends one entry in the same transaction as the rows it wrote:
``hash = sha256(prev_hash + canonical JSON of the entry)``, where the entry is
``{seq, at, actor_id, actor, action, entity, entity_id, payload}`` and the payload lists, for each
row written, its table, id, digest (sha256 of the row's canonical JSON) and its values (long texts
as their digest, a person's ID number masked). The single ``audit_head`` row is locked
(``FOR UPDATE``) by each append, so entries are chained one at a time in commit order.

``verify`` checks the chain (contiguous sequence, each prev_hash, each hash, the head) and the rows:
each audited row of the database must have the digest of its last logged write, and none may be
missing or unlogged. Editing, inserting or deleting a row outside the ledger is therefore found
whether the edit touches the log or the data. The tables of the registry and supervision, which
log their writes in the same chain, are checked the same way when given (``shared``: a restore
verifies every table it loads).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..ids import mask_id
from .config import anchors_file, audit_key
from .models import AUDITED, SHARED_FILES, AuditEntry, AuditHead, Base

GENESIS = "0" * 64
LONG_TEXT = 160        # longer strings appear in the log as their digest


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plain(value: Any) -> Any:
    """A column value as JSON: dates and timestamps as ISO text, the rest as is."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_values(obj: Base) -> dict[str, Any]:
    table = obj.__table__
    return {column.name: plain(getattr(obj, column.key)) for column in table.columns}


def row_digest(values: dict[str, Any]) -> str:
    return sha256(canonical(values))


def row_record(obj: Base) -> dict[str, Any]:
    """What the log keeps of a written row."""
    return record_of(obj.__table__.name, row_values(obj))


def record_of(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """What the log keeps of a row of ``table`` with these column values (``plain``): its id, its
    digest and its values (no password hash, a person's ID number masked, long texts digested)."""
    shown = {}
    for key, value in values.items():
        if key == "password_hash":
            continue
        if key == "id_number" and values.get("kind") == "person":
            value = mask_id(value)
        if isinstance(value, str) and len(value) > LONG_TEXT:
            value = {"sha256": sha256(value), "length": len(value)}
        shown[key] = value
    return {"table": table, "id": values.get("id"), "digest": row_digest(values), "values": shown}


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    return sha256(prev_hash + canonical(entry))


# -- the key: each entry and the head carry an HMAC under a key kept outside the database, so the
# chain cannot be recomputed (edited, truncated, forged) by someone who has only the database ---------
def mac(text: str, key: bytes | None = None) -> str:
    return hmac.new(key if key is not None else audit_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def entry_mac(entry_hash_: str, key: bytes | None = None) -> str:
    return mac("entry:" + entry_hash_, key)


def head_mac(seq: int, head_hash: str, key: bytes | None = None) -> str:
    return mac(f"head:{seq}:{head_hash}", key)


# -- anchors: signed checkpoints of the head in a file beside (not inside) the database ---------------
def chain_id(session: Session) -> str | None:
    """The chain's identity: the hash of its first entry (None: an empty chain)."""
    return session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 1))


def write_anchor(session: Session, path=None, at: dt.datetime | None = None) -> dict[str, Any] | None:
    """Append a signed checkpoint of the current head to the anchors file (one JSON line)."""
    from pathlib import Path
    chain = chain_id(session)
    head = session.get(AuditHead, 1)
    if chain is None or head is None:
        return None
    when = (at or utcnow()).isoformat(timespec="seconds")
    body = {"chain": chain, "seq": head.seq, "hash": head.hash, "at": when}
    body["mac"] = mac("anchor:" + canonical(body))
    target = Path(path) if path else anchors_file()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(canonical(body) + "\n")
    return body


def read_anchors(chain: str | None, path=None) -> list[dict[str, Any]]:
    from pathlib import Path
    target = Path(path) if path else anchors_file()
    if chain is None or not target.exists():
        return []
    found = []
    for line in target.read_text(encoding="utf-8").splitlines():
        try:
            body = json.loads(line)
        except ValueError:
            continue
        if isinstance(body, dict) and body.get("chain") == chain:
            found.append(body)
    return found


def entry_body(row: AuditEntry) -> dict[str, Any]:
    return {"seq": row.seq, "at": plain(row.at), "actor_id": row.actor_id, "actor": row.actor,
            "action": row.action, "entity": row.entity, "entity_id": row.entity_id,
            "payload": json.loads(row.payload)}


def append(session: Session, *, actor_id: int | None, actor: str, action: str, entity: str, entity_id: Any,
           rows: Iterable[Base] = (), summary: dict[str, Any] | None = None,
           at: dt.datetime | None = None, flush: bool = True, records: list[dict] | None = None) -> AuditEntry:
    """Append one entry covering ``rows`` (flushed first so they have their ids and final values),
    or the ``records`` (``row_record``) taken of them earlier in the transaction."""
    rows = list(rows)
    if flush:
        session.flush()
    head = session.info.get("audit_head")          # locked once per transaction (sessions are per transaction)
    if head is None:
        head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()
                               .execution_options(populate_existing=True)).scalar_one()
        session.info["audit_head"] = head
    payload = {"summary": summary or {}, "rows": records if records is not None else [row_record(r) for r in rows]}
    entry = AuditEntry(seq=head.seq + 1, at=(at or utcnow()), actor_id=actor_id, actor=actor, action=action,
                       entity=entity, entity_id=str(entity_id), payload=canonical(payload), prev_hash=head.hash)
    entry.hash = entry_hash(head.hash, entry_body(entry))
    key = audit_key()
    entry.mac = entry_mac(entry.hash, key)
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    head.mac = head_mac(head.seq, head.hash, key)
    return entry


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


@dataclass
class VerifyReport:
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    rows_checked: int
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head_seq": self.head_seq, "head_hash": self.head_hash,
                "rows_checked": self.rows_checked, "problems": self.problems}


def verify(session: Session, batch: int = 2000, *, anchors: bool = True, shared: Iterable = ()) -> VerifyReport:
    """The chain (links, hashes, and each entry's and the head's HMAC under the audit key), every
    audited row against its last logged digest, and (``anchors``) the signed checkpoints of the
    anchors file: an entry at a checkpoint's number must still have its hash, and the head must not
    be behind it (truncation, or the database rolled back to an older copy). ``shared``: tables of
    the registry and supervision (reflected ``Table`` objects) whose rows are checked as the
    audited ones (``SHARED_FILES``: against the file's logged sha256)."""
    shared = list(shared)
    key = audit_key()
    problems: list[dict[str, Any]] = []
    prev, expected_seq, count = GENESIS, 1, 0
    checkpoints = []
    if anchors:
        for anchor in read_anchors(chain_id(session)):
            body = {k: anchor.get(k) for k in ("chain", "seq", "hash", "at")}
            if isinstance(anchor.get("seq"), int) and hmac.compare_digest(str(anchor.get("mac")),
                                                                          mac("anchor:" + canonical(body), key)):
                checkpoints.append(anchor)
    wanted = {a["seq"] for a in checkpoints}
    seen_hashes: dict[int, str] = {}
    # (table, id) -> (digest, seq, the columns the entry logged — only when they are not the table's
    # columns now, see ``logged_values``)
    last_digest: dict[tuple[str, Any], tuple[str, int, frozenset | None]] = {}
    now_columns = {**{m.__table__.name: frozenset(c.name for c in m.__table__.columns) for m in AUDITED},
                   **{t.name: frozenset(c.name for c in t.columns) for t in shared}}
    logged_columns: dict[frozenset, frozenset] = {}
    last_file: dict[tuple[str, Any], tuple[dict, int]] = {}
    file_keys = {key: table for table, key in SHARED_FILES.items()}
    last_seq = 0
    while True:
        rows = session.execute(select(AuditEntry).where(AuditEntry.seq > last_seq)
                               .order_by(AuditEntry.seq).limit(batch)).scalars().all()
        if not rows:
            break
        for row in rows:
            count += 1
            last_seq = row.seq
            if row.seq != expected_seq:
                problems.append({"seq": row.seq, "problem": "gap",
                                 "message": f"审计日志序号不连续：应为{expected_seq}，实为{row.seq}（条目被删除或插入）"})
                expected_seq = row.seq
            if row.prev_hash != prev:
                problems.append({"seq": row.seq, "problem": "broken_link",
                                 "message": f"第{row.seq}条的前序哈希与上一条不符（日志被改动）"})
            try:
                body = entry_body(row)
                computed = entry_hash(row.prev_hash, body)
            except (ValueError, TypeError) as error:
                problems.append({"seq": row.seq, "problem": "unreadable", "message": f"第{row.seq}条无法解析：{error}"})
                computed, body = None, None
            if computed is not None and computed != row.hash:
                problems.append({"seq": row.seq, "problem": "hash_mismatch",
                                 "message": f"第{row.seq}条内容与其哈希不符（条目被改动）"})
            if not row.mac or not hmac.compare_digest(row.mac, entry_mac(row.hash, key)):
                problems.append({"seq": row.seq, "problem": "mac_mismatch",
                                 "message": f"第{row.seq}条的密钥校验码不符（日志被重算或伪造，或审计密钥不同）"})
            if row.seq in wanted:
                seen_hashes[row.seq] = row.hash
            if body is not None:
                for record in body["payload"].get("rows", []):
                    if isinstance(record, dict) and "table" in record:
                        names, logged = record.get("values"), None
                        if isinstance(names, dict) and names.keys() != now_columns.get(record["table"], names.keys()):
                            logged = frozenset(names)
                            logged = logged_columns.setdefault(logged, logged)
                        last_digest[(record["table"], record.get("id"))] = (record.get("digest"), row.seq, logged)
                summary = body["payload"].get("summary")
                for named_by, table in file_keys.items():
                    if isinstance(summary, dict) and named_by in summary and "sha256" in summary:
                        last_file[(table, summary[named_by])] = (summary, row.seq)
            prev = row.hash
            expected_seq += 1
        session.expunge_all()
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head is None:
        problems.append({"problem": "no_head", "message": "缺少审计链头（audit_head）"})
    elif head.seq and (not head.mac or not hmac.compare_digest(head.mac, head_mac(head.seq, head.hash, key))):
        problems.append({"problem": "head_mac_mismatch",
                         "message": "审计链头的密钥校验码不符（链头被改写：日志被截断或重算）"})
    elif head.seq != last_seq or head.hash != prev:
        problems.append({"problem": "head_mismatch",
                         "message": f"审计链头（第{head.seq}条）与日志末条（第{last_seq}条）不符（日志被截断或改动）"})
    for anchor in checkpoints:
        if anchor["seq"] > head_seq:
            problems.append({"problem": "truncated", "seq": anchor["seq"],
                             "message": f"审计锚点（{anchor['at']}）记录链头为第{anchor['seq']}条，数据库只到第{head_seq}条"
                                        "（日志被截断，或数据库被回退）"})
        elif seen_hashes.get(anchor["seq"]) != anchor["hash"]:
            problems.append({"problem": "anchor_mismatch", "seq": anchor["seq"],
                             "message": f"第{anchor['seq']}条与审计锚点（{anchor['at']}）记录的哈希不符"})
    # rows against their last logged digest
    checked = 0
    seen: set[tuple[str, Any]] = set()
    for model in AUDITED:
        table = model.__table__.name
        for obj in session.execute(select(model)).scalars():
            checked += 1
            values = row_values(obj)
            key = (table, values.get("id"))
            seen.add(key)
            _compare(problems, key, last_digest.get(key), values)
        session.expunge_all()
    for table in shared:
        if table.name in SHARED_FILES:
            checked += _check_files(session, table, last_file, seen, problems)
            continue
        for row in session.execute(select(table).order_by(*table.primary_key.columns)):
            checked += 1
            values = {column.name: plain(value) for column, value in zip(table.columns, row)}
            key = (table.name, values.get("id"))
            seen.add(key)
            _compare(problems, key, last_digest.get(key), values)
    audited_tables = {m.__table__.name for m in AUDITED} | {t.name for t in shared}
    for key, (digest, seq, *_) in [*last_digest.items(), *last_file.items()]:
        if key[0] in audited_tables and key not in seen:
            problems.append({"table": key[0], "id": key[1], "problem": "row_missing", "seq": seq,
                             "message": f"{key[0]}#{key[1]}已记入审计日志（第{seq}条）但数据库中不存在（被删除）"})
    return VerifyReport(ok=not problems, entries=count, head_seq=head_seq, head_hash=head_hash,
                        rows_checked=checked, problems=problems)


def logged_values(values: dict[str, Any], logged: frozenset) -> dict[str, Any]:
    """A row's values as an entry that logged only the columns ``logged`` saw them: a column a later
    revision added (nullable) is left out while it is null — the row then has the digest logged before
    the column existed (the revision rewrites no row). A value set since in that column is kept, so the
    row no longer matches an entry that did not log it."""
    return {k: v for k, v in values.items() if k in logged or v is not None}


def _compare(problems: list, key: tuple[str, Any], logged: tuple | None, values: dict[str, Any]) -> None:
    """A row (table, id) against its last logged digest (None: never logged)."""
    table, row_id = key
    digest = row_digest(values)
    if logged is not None and logged[0] != digest and logged[2] is not None:
        digest = row_digest(logged_values(values, logged[2]))
    if logged is None:
        problems.append({"table": table, "id": row_id, "problem": "unlogged_row",
                         "message": f"{table}#{row_id}没有审计记录（在台账之外写入）"})
    elif logged[0] != digest:
        problems.append({"table": table, "id": row_id, "problem": "row_changed", "seq": logged[1],
                         "message": f"{table}#{row_id}与审计日志第{logged[1]}条记录的内容不符（在台账之外被改动）"})


def _check_files(session: Session, table, last_file: dict, seen: set, problems: list) -> int:
    """Stored files (``SHARED_FILES``): each row's bytes against the name, size and sha256 its entry
    logged; returns the number of rows checked."""
    checked = 0
    for row in session.execute(select(table).order_by(*table.primary_key.columns)):
        checked += 1
        values = dict(zip((c.name for c in table.columns), row))
        key = (table.name, values.get("id"))
        seen.add(key)
        logged = last_file.get(key)
        if logged is None:
            problems.append({"table": table.name, "id": key[1], "problem": "unlogged_row",
                             "message": f"{table.name}#{key[1]}没有审计记录（在台账之外写入）"})
            continue
        summary, seq = logged
        data = bytes(values.get("data") or b"")
        actual = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "filename": values.get("filename")}
        stored = values.get("sha256")
        if any(summary.get(k) != v for k, v in actual.items() if k in summary) or stored != summary.get("sha256"):
            problems.append({"table": table.name, "id": key[1], "problem": "row_changed", "seq": seq,
                             "message": f"{table.name}#{key[1]}的文件与审计日志第{seq}条记录的文件名、大小或sha256不符"
                                        "（在台账之外被改动）"})
    session.expunge_all()
    return checked
