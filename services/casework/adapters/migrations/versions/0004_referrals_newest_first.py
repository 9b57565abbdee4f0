"""A name search finds its page of children among the newest matching referrals (`child_queries.py`): the
referrals by time received, so it walks them newest first and stops at a page, instead of counting every one of
the tens of thousands of referrals a common name or two letters match.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("CREATE INDEX referrals_received ON casework.referrals (received_at)")


def downgrade() -> None:
    op.execute("DROP INDEX casework.referrals_received")
