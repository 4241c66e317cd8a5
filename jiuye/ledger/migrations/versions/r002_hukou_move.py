"""The registry's record of a person's hukou move: ``reg_persons.hukou_moved_in_on`` (the day the
hukou was moved into ``hukou_district``) and ``previous_hukou_district`` (the district it was in
before), both nullable — a person recorded before holds neither (no move recorded: the hukou is
read as held in its district throughout, as before).

The rows are not rewritten: a person logged before this revision keeps its logged digest, which
``jiuye.ledger.audit.verify`` compares without the columns its entry did not log while they are
null (``audit.logged_values``).

Revision ID: r002
Revises: r001
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = "r002"
down_revision = "r001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("reg_persons", sa.Column("hukou_moved_in_on", sa.Date(), nullable=True))
    op.add_column("reg_persons", sa.Column("previous_hukou_district", sa.String(length=32), nullable=True))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35 or later), not a batch copy of the table: the copy drops
    # reg_persons, which the other tables' foreign keys (enforced) refer to
    op.drop_column("reg_persons", "previous_hukou_district")
    op.drop_column("reg_persons", "hukou_moved_in_on")
