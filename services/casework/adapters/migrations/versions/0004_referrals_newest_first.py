"""A search looks for its page of children among the newest referrals first (`child_queries.py`): the referrals
by time received, so "the newest 20,000" is a range of this index, not a sort of them all, and a common name or
two letters need not count every one of the tens of thousands of referrals they match. One more index entry
per referral saved.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("CREATE INDEX referrals_received ON casework.referrals (received_at)")


def downgrade() -> None:
    op.execute("DROP INDEX casework.referrals_received")
