"""Access controls: who registered an applicant, who created a user and set its password, when its
credentials last changed (sessions and tokens before are ended), and the login throttle.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applicants") as batch:
        batch.add_column(sa.Column("registered_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("password_set_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("credentials_changed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("credentials_changed_at")
        batch.drop_column("password_set_by")
        batch.drop_column("created_by")
    with op.batch_alter_table("applicants") as batch:
        batch.drop_column("registered_by")
