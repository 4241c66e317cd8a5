"""One entitlement, one claim: applications.entitlement_key and a unique index over the claims that
are not rejected (jiuye/ledger/entitlements.py). Claims recorded before keep a null key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("entitlement_key", sa.String(64), nullable=True))
    op.create_index("uq_applications_entitlement_key", "applications", ["entitlement_key"], unique=True,
                    sqlite_where=sa.text("status <> 'rejected'"), postgresql_where=sa.text("status <> 'rejected'"))


def downgrade() -> None:
    op.drop_index("uq_applications_entitlement_key", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("entitlement_key")
