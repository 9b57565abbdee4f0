"""Claims: a message is claimed (status 'sending', `claimed_at`) before it is sent and settled after, so a
crash leaves at most the messages in flight unsettled, and they are found again when their claim expires.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("ALTER TABLE notify.notifications ADD COLUMN claimed_at timestamptz")
    op.execute("CREATE INDEX notifications_claimed ON notify.notifications (claimed_at) WHERE status = 'sending'")
    op.execute("CREATE INDEX notifications_referral ON notify.notifications (referral_id)")  # completeness check


def downgrade() -> None:
    op.execute("DROP INDEX notify.notifications_claimed, notify.notifications_referral")
    op.execute("ALTER TABLE notify.notifications DROP COLUMN claimed_at")
