"""Entitlement keys of the claims stored before the yearly entitlement key held the year (commit
51ca908), and of those stored before keys existed (migration 0002 left them null), recomputed as
``submit`` computes them now (``entitlements.stored_key``: the frozen situation and result, the
parties, the submission date).

Collisions: two claims not rejected whose recomputed keys are equal are one entitlement claimed
twice. No row is deleted or changed but the key: the claim that keeps the key is an approved one, else
the one already holding it, else the first recorded; every other one keeps no key (null: the
unique index does not apply to it, a new claim for the entitlement is still refused by the kept
one) and is reported — in this migration's audit entry (``summary.collisions``: the claim, the claim
keeping the key, the measure) and as a warning in Alembic's log — for a reviewer to reject or
reassess. A claim whose measure is no longer in the catalogue keeps its key (``summary.unknown``).

Every changed claim is written to the audit chain in one entry (action ``recompute_entitlement_keys``,
actor ``system``) in the same transaction, so ``verify`` sees each row's new digest as its last
logged write. It reads and writes the tables as they are at this revision (reflected from the
database, not through the ledger's models, so a column a later revision adds to a model does not
break it): the claims, and the audit log and its head, whose entry it appends as
``audit.append`` does. Downgrade: nothing to undo (the keys stay; the schema is unchanged).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHUNK = 500


def upgrade() -> None:
    import json
    import logging

    import sqlalchemy as sa

    from jiuye.catalogue import CatalogueError
    from jiuye.ledger import audit
    from jiuye.ledger.base import catalogue
    from jiuye.ledger.entitlements import stored_key

    log = logging.getLogger("alembic.runtime.migration")
    bind = op.get_bind()
    meta = sa.MetaData()
    applications = sa.Table("applications", meta, autoload_with=bind)
    c = applications.c
    apps = bind.execute(sa.select(applications).order_by(c.id)).mappings().all()
    if not apps:
        return
    measures, unknown, wanted = {}, [], {}
    for app in apps:
        if app["measure_id"] not in measures:
            try:
                measures[app["measure_id"]] = catalogue().measure(app["measure_id"])
            except CatalogueError:
                measures[app["measure_id"]] = None
        measure = measures[app["measure_id"]]
        if measure is None:
            unknown.append(app["id"])
            continue
        wanted[app["id"]] = stored_key(measure, situation=json.loads(app["situation_json"]),
                                       result=json.loads(app["result_json"]), beneficiary_id=app["beneficiary_id"],
                                       person_id=app["person_id"], beneficiary_key=app["beneficiary_key"],
                                       person_key=app["person_key"], on=app["submitted_on"])
    # who keeps a key claimed by several claims not rejected
    rank = {}
    for app in apps:
        if app["id"] in wanted and app["status"] != "rejected":
            rank.setdefault(wanted[app["id"]], []).append(app)
    keeper = {key: min(group, key=lambda a: (a["status"] != "approved", a["entitlement_key"] != key, a["id"]))
              for key, group in rank.items()}
    collisions = []
    new_keys = {}
    for app in apps:
        if app["id"] not in wanted:
            continue
        key = wanted[app["id"]]
        if app["status"] != "rejected" and keeper[key]["id"] != app["id"]:
            collisions.append({"application_id": app["id"], "kept_by": keeper[key]["id"], "measure": app["measure_id"]})
            key = None
        if key != app["entitlement_key"]:
            new_keys[app["id"]] = key
    changed = [app["id"] for app in apps if app["id"] in new_keys]
    if changed:
        # keys freed first: a claim's new key may be another claim's old one (the unique index)
        update = applications.update().where(c.id == sa.bindparam("app_id")).values(entitlement_key=sa.bindparam("key"))
        bind.execute(update, [{"app_id": i, "key": None} for i in changed])
        bind.execute(update, [{"app_id": i, "key": new_keys[i]} for i in changed])
    records = {}               # what the log keeps of each changed row, as written (audit.row_record)
    for start in range(0, len(changed), CHUNK):
        part = changed[start:start + CHUNK]
        for row in bind.execute(sa.select(applications).where(c.id.in_(part))).mappings():
            records[row["id"]] = audit.record_of("applications", {k: audit.plain(v) for k, v in row.items()})
    entries = []
    for start in range(0, max(len(changed), 1), CHUNK):
        part = changed[start:start + CHUNK]
        if not part and not (collisions or unknown) or (start and not part):
            break
        summary = {"migration": revision, "recomputed": len(changed)}
        if start == 0:
            summary |= {"collisions": collisions, "unknown": unknown}
        entries.append({"summary": summary, "rows": [records[i] for i in part]})
    if entries:
        _append(bind, meta, entries)
    for item in collisions:
        log.warning("entitlement key collision: application #%s claims the entitlement of #%s (%s); it keeps no key"
                    " — reject or reassess it", item["application_id"], item["kept_by"], item["measure"])
    if unknown:
        log.warning("entitlement keys not recomputed (measure not in the catalogue): applications %s", unknown)


def _append(bind, meta, payloads: list[dict]) -> None:
    """The entries (one per payload) appended to the chain as ``audit.append`` appends them: the
    head locked, each entry's hash over the previous one and its HMAC, the head moved on."""
    import json

    import sqlalchemy as sa

    from jiuye.ledger import audit
    from jiuye.ledger.config import audit_key

    log_table = sa.Table("audit_log", meta, autoload_with=bind)
    head_table = sa.Table("audit_head", meta, autoload_with=bind)
    head = bind.execute(sa.select(head_table).where(head_table.c.id == 1).with_for_update()).mappings().one()
    seq, prev, key = head["seq"], head["hash"], audit_key()
    for payload in payloads:
        seq += 1
        entry = {"seq": seq, "at": audit.utcnow(), "actor_id": None, "actor": "system",
                 "action": "recompute_entitlement_keys", "entity": "application", "entity_id": f"migration {revision}",
                 "payload": audit.canonical(payload)}
        body = {**entry, "at": audit.plain(entry["at"]), "payload": json.loads(entry["payload"])}   # audit.entry_body
        digest = audit.entry_hash(prev, body)
        bind.execute(log_table.insert().values(**entry, prev_hash=prev, hash=digest, mac=audit.entry_mac(digest, key)))
        prev = digest
    bind.execute(head_table.update().where(head_table.c.id == 1)
                 .values(seq=seq, hash=prev, mac=audit.head_mac(seq, prev, key)))


def downgrade() -> None:
    pass
