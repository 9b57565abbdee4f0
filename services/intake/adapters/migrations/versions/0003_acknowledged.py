"""When a MASH practitioner first took the referral up: the partner sees it acknowledged.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute("ALTER TABLE intake.referrals ADD COLUMN acknowledged_at timestamptz")


def downgrade() -> None:
    op.execute("ALTER TABLE intake.referrals DROP COLUMN acknowledged_at")
