"""督办与调度 (jiuye.supervision): units, memberships, task assignments, monthly reports, comments,
attachments, events and the annual assessment of streets. A branch of its own on the ledger's database
(``branch_labels = ("supervision",)``); ``jiuye.ledger.db.migrate`` upgrades every head.

Written out once from ``jiuye/supervision/models.py`` (tests/supervision/test_schema.py checks the two
agree); never generated at run time.

Revision ID: s001
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "s001"
down_revision = "0001"
branch_labels = ("supervision",)
depends_on = None

TABLES = ("sup_comments", "sup_attachments", "sup_reports", "sup_members", "sup_events", "sup_assignments",
          "sup_assessments", "sup_units")


def upgrade() -> None:
    op.create_table('sup_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('unit', 'office')", name=op.f('ck_sup_units_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_units')),
    sa.UniqueConstraint('scope', 'name', name=op.f('uq_sup_units_scope_name'))
    )
    op.create_table('sup_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicators_json', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessed_by', sa.Integer(), nullable=False),
    sa.CheckConstraint("grade IN ('outstanding', 'excellent', 'good', 'none')", name=op.f('ck_sup_assessments_grade')),
    sa.ForeignKeyConstraint(['unit_id'], ['sup_units.id'], name=op.f('fk_sup_assessments_unit_id_sup_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_assessments')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_sup_assessments_unit_id_year'))
    )
    op.create_table('sup_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=120), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('from_text', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('lead', 'co')", name=op.f('ck_sup_assignments_role')),
    sa.ForeignKeyConstraint(['unit_id'], ['sup_units.id'], name=op.f('fk_sup_assignments_unit_id_sup_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_assignments')),
    sa.UniqueConstraint('task_id', 'unit_id', name=op.f('uq_sup_assignments_task_id_unit_id'))
    )
    op.create_index(op.f('ix_sup_assignments_task_id'), 'sup_assignments', ['task_id'], unique=False)
    op.create_table('sup_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=120), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("mode IN ('online', 'offline')", name=op.f('ck_sup_events_mode')),
    sa.ForeignKeyConstraint(['unit_id'], ['sup_units.id'], name=op.f('fk_sup_events_unit_id_sup_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_events'))
    )
    op.create_index(op.f('ix_sup_events_held_on'), 'sup_events', ['held_on'], unique=False)
    op.create_table('sup_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['sup_units.id'], name=op.f('fk_sup_members_unit_id_sup_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_members')),
    sa.UniqueConstraint('user_id', 'unit_id', name=op.f('uq_sup_members_user_id_unit_id'))
    )
    op.create_index(op.f('ix_sup_members_user_id'), 'sup_members', ['user_id'], unique=False)
    op.create_table('sup_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=120), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('figures_json', sa.Text(), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('effects', sa.Text(), nullable=False),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('suggestions', sa.Text(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'returned')", name=op.f('ck_sup_reports_state')),
    sa.CheckConstraint("status IN ('not_started', 'on_track', 'delayed', 'completed')", name=op.f('ck_sup_reports_status')),
    sa.ForeignKeyConstraint(['unit_id'], ['sup_units.id'], name=op.f('fk_sup_reports_unit_id_sup_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_reports')),
    sa.UniqueConstraint('task_id', 'unit_id', 'period', name=op.f('uq_sup_reports_task_id_unit_id_period'))
    )
    op.create_table('sup_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['sup_reports.id'], name=op.f('fk_sup_attachments_report_id_sup_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_attachments'))
    )
    op.create_index(op.f('ix_sup_attachments_report_id'), 'sup_attachments', ['report_id'], unique=False)
    op.create_table('sup_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('comment', 'return')", name=op.f('ck_sup_comments_kind')),
    sa.ForeignKeyConstraint(['report_id'], ['sup_reports.id'], name=op.f('fk_sup_comments_report_id_sup_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sup_comments'))
    )
    op.create_index(op.f('ix_sup_comments_report_id'), 'sup_comments', ['report_id'], unique=False)


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)
