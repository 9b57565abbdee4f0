"""Parallel work: a referral may have several work items (one per route), each with its own clock and owner;
secondary items point at the primary.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("ALTER TABLE triage.work_items DROP CONSTRAINT work_items_referral_id_key")
    op.execute("ALTER TABLE triage.work_items ADD COLUMN primary_item_id uuid")
    op.execute("CREATE INDEX work_items_referral ON triage.work_items (referral_id)")


def downgrade() -> None:
    op.execute("DELETE FROM triage.work_items WHERE primary_item_id IS NOT NULL")
    op.execute("DROP INDEX triage.work_items_referral")
    op.execute("ALTER TABLE triage.work_items DROP COLUMN primary_item_id")
    op.execute("ALTER TABLE triage.work_items ADD CONSTRAINT work_items_referral_id_key UNIQUE (referral_id)")
