"""The claims ledger: applicants, users, applications, decisions, installments, payments, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "applicants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("kind", "id_number", name="uq_applicants_kind_id_number"),
        sa.CheckConstraint(_in("kind", ("person", "organisation")), name="ck_applicants_kind"),
        sa.CheckConstraint("length(id_number) = 18", name="ck_applicants_id_number_length"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("applicant_id", sa.Integer(), sa.ForeignKey("applicants.id", name="fk_users_applicant_id_applicants"),
                  nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.CheckConstraint(_in("role", ("applicant", "case_worker", "reviewer", "admin")), name="ck_users_role"),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("measure_id", sa.String(80), nullable=False),
        sa.Column("document", sa.String(40), nullable=False),
        sa.Column("clause", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("beneficiary_id", sa.Integer(),
                  sa.ForeignKey("applicants.id", name="fk_applications_beneficiary_id_applicants"), nullable=False),
        sa.Column("person_id", sa.Integer(),
                  sa.ForeignKey("applicants.id", name="fk_applications_person_id_applicants"), nullable=True),
        sa.Column("beneficiary_key", sa.String(200), nullable=False),
        sa.Column("person_key", sa.String(200), nullable=True),
        sa.Column("situation_json", sa.Text(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), sa.ForeignKey("users.id", name="fk_applications_submitted_by_users"),
                  nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("code_version", sa.String(120), nullable=False),
        sa.Column("rules_hash", sa.String(64), nullable=False),
        sa.Column("result_status", sa.String(16), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stacking_group", sa.String(120), nullable=True),
        sa.Column("idempotency_key", sa.String(120), nullable=True),
        sa.UniqueConstraint("idempotency_key", name="uq_applications_idempotency_key"),
        sa.CheckConstraint(_in("status", ("submitted", "approved", "rejected")), name="ck_applications_status"),
        sa.CheckConstraint(_in("result_status", ("eligible", "ineligible", "undetermined")),
                           name="ck_applications_result_status"),
    )
    op.create_index("ix_applications_beneficiary_id_measure_id", "applications", ["beneficiary_id", "measure_id"])
    op.create_index("ix_applications_person_id", "applications", ["person_id"])
    op.create_index("ix_applications_status", "applications", ["status"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", name="fk_decisions_application_id_applications"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("users.id", name="fk_decisions_decided_by_users"),
                  nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("situation_json", sa.Text(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.Column("details_json", sa.Text(), nullable=True),
        sa.CheckConstraint(_in("kind", ("approve", "reject", "reassess")), name="ck_decisions_kind"),
    )
    op.create_index("ix_decisions_application_id", "decisions", ["application_id"])
    op.create_table(
        "installments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(),
                  sa.ForeignKey("applications.id", name="fk_installments_application_id_applications"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("computed_cents", sa.BigInteger(), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("ceiling", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id", name="fk_installments_decision_id_decisions"),
                  nullable=True),
        sa.UniqueConstraint("application_id", "seq", name="uq_installments_application_id_seq"),
        sa.CheckConstraint(_in("status", ("planned", "scheduled", "paid", "cancelled")), name="ck_installments_status"),
        sa.CheckConstraint("amount_cents IS NULL OR amount_cents >= 0", name="ck_installments_amount_not_negative"),
    )
    op.create_index("ix_installments_status_due", "installments", ["status", "due"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("installment_id", sa.Integer(),
                  sa.ForeignKey("installments.id", name="fk_payments_installment_id_installments"), nullable=False),
        sa.Column("idempotency_key", sa.String(120), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("users.id", name="fk_payments_recorded_by_users"),
                  nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reference", sa.String(120), nullable=True),
        # the database itself refuses a second payment of an installment, and a replayed key
        sa.UniqueConstraint("installment_id", name="uq_payments_installment_id"),
        sa.UniqueConstraint("idempotency_key", name="uq_payments_idempotency_key"),
        sa.CheckConstraint("amount_cents > 0", name="ck_payments_amount_positive"),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
    )
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    for table in ("audit_head", "audit_log", "payments", "installments", "decisions", "applications", "users",
                  "applicants"):
        op.drop_table(table)
