"""The registry (实名制就业帮扶台账): areas, households, persons, dated statuses, employment spells,
service records, plans and the registry's role assignments. A branch of its own on the ledger's
database (``branch_labels = ("registry",)``); ``jiuye.ledger.db.migrate`` upgrades every head.

Written out once from ``jiuye/registry/models.py`` (a test checks the two agree); never generated
at run time.

Revision ID: r001
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "r001"
down_revision = "0001"
branch_labels = ("registry",)
depends_on = None

TABLES = ("reg_roles", "reg_plan_events", "reg_plan_steps", "reg_plans", "reg_records", "reg_spells", "reg_statuses",
          "reg_person_versions", "reg_persons", "reg_households", "reg_areas")


def upgrade() -> None:
    op.create_table('reg_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('district', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['reg_areas.id'], name=op.f('fk_reg_areas_parent_id_reg_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_areas')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_reg_areas_parent_id_name'))
    )
    op.create_table('reg_households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['reg_areas.id'], name=op.f('fk_reg_households_community_id_reg_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_households')),
    sa.UniqueConstraint('community_id', 'label', name=op.f('uq_reg_households_community_id_label'))
    )
    op.create_index(op.f('ix_reg_households_community_id'), 'reg_households', ['community_id'], unique=False)
    op.create_table('reg_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('agency', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['reg_areas.id'], name=op.f('fk_reg_roles_area_id_reg_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_roles')),
    sa.UniqueConstraint('user_id', name=op.f('uq_reg_roles_user_id'))
    )
    op.create_table('reg_persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('hukou_district', sa.String(length=32), nullable=True),
    sa.Column('retirement_category', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['reg_areas.id'], name=op.f('fk_reg_persons_community_id_reg_areas')),
    sa.ForeignKeyConstraint(['household_id'], ['reg_households.id'], name=op.f('fk_reg_persons_household_id_reg_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_persons')),
    sa.UniqueConstraint('id_number', name=op.f('uq_reg_persons_id_number'))
    )
    op.create_index(op.f('ix_reg_persons_community_id_id'), 'reg_persons', ['community_id', 'id'], unique=False)
    op.create_index(op.f('ix_reg_persons_household_id'), 'reg_persons', ['household_id'], unique=False)
    op.create_table('reg_person_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('values_json', sa.Text(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['reg_persons.id'], name=op.f('fk_reg_person_versions_person_id_reg_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_person_versions'))
    )
    op.create_index(op.f('ix_reg_person_versions_person_id'), 'reg_person_versions', ['person_id'], unique=False)
    op.create_table('reg_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('agency', sa.String(length=200), nullable=True),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['reg_persons.id'], name=op.f('fk_reg_plans_person_id_reg_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_plans'))
    )
    op.create_index(op.f('ix_reg_plans_person_id'), 'reg_plans', ['person_id'], unique=False)
    op.create_table('reg_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('next_contact_on', sa.Date(), nullable=True),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('post', sa.String(length=200), nullable=True),
    sa.Column('agency', sa.String(length=200), nullable=True),
    sa.Column('measure_id', sa.String(length=80), nullable=True),
    sa.Column('settles', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['reg_persons.id'], name=op.f('fk_reg_records_person_id_reg_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_records'))
    )
    op.create_index(op.f('ix_reg_records_person_id_on'), 'reg_records', ['person_id', 'on'], unique=False)
    op.create_table('reg_spells',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('contract', sa.Boolean(), nullable=False),
    sa.Column('insured', sa.Boolean(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['reg_persons.id'], name=op.f('fk_reg_spells_person_id_reg_persons')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['reg_spells.id'], name=op.f('fk_reg_spells_supersedes_id_reg_spells')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_spells')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_reg_spells_supersedes_id'))
    )
    op.create_index(op.f('ix_reg_spells_person_id'), 'reg_spells', ['person_id'], unique=False)
    op.create_table('reg_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('details_json', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['reg_persons.id'], name=op.f('fk_reg_statuses_person_id_reg_persons')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['reg_statuses.id'], name=op.f('fk_reg_statuses_supersedes_id_reg_statuses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_statuses')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_reg_statuses_supersedes_id'))
    )
    op.create_index(op.f('ix_reg_statuses_person_id_kind'), 'reg_statuses', ['person_id', 'kind'], unique=False)
    op.create_table('reg_plan_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['reg_plans.id'], name=op.f('fk_reg_plan_steps_plan_id_reg_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_plan_steps'))
    )
    op.create_index(op.f('ix_reg_plan_steps_plan_id'), 'reg_plan_steps', ['plan_id'], unique=False)
    op.create_table('reg_plan_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('to_user_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['reg_plans.id'], name=op.f('fk_reg_plan_events_plan_id_reg_plans')),
    sa.ForeignKeyConstraint(['step_id'], ['reg_plan_steps.id'], name=op.f('fk_reg_plan_events_step_id_reg_plan_steps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reg_plan_events')),
    sa.UniqueConstraint('step_id', 'kind', name=op.f('uq_reg_plan_events_step_id_kind'))
    )
    op.create_index(op.f('ix_reg_plan_events_plan_id'), 'reg_plan_events', ['plan_id'], unique=False)


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)
