"""Keyed audit chain: an HMAC (key outside the database: JIUYE_AUDIT_KEY or var/audit.key) on every
entry and on the head. Entries written before are sealed with the key at this upgrade.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("mac", sa.String(64), nullable=True))
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("mac", sa.String(64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT seq, hash FROM audit_log ORDER BY seq")).all()
    if rows:
        from jiuye.ledger.audit import entry_mac, head_mac
        for seq, digest in rows:
            connection.execute(sa.text("UPDATE audit_log SET mac = :m WHERE seq = :s"),
                               {"m": entry_mac(digest), "s": seq})
        head = connection.execute(sa.text("SELECT seq, hash FROM audit_head WHERE id = 1")).first()
        if head is not None:
            connection.execute(sa.text("UPDATE audit_head SET mac = :m WHERE id = 1"),
                               {"m": head_mac(head[0], head[1])})


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("mac")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("mac")
