"""Referral status for partners: when triaged, and to which queue.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.execute("ALTER TABLE intake.referrals ADD COLUMN triaged_at timestamptz, ADD COLUMN routed_to varchar(64)")


def downgrade() -> None:
    op.execute("ALTER TABLE intake.referrals DROP COLUMN triaged_at, DROP COLUMN routed_to")
