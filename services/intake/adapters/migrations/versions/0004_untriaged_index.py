"""A partial index over untriaged referrals, so the backlog gauge counts them cheaply.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("CREATE INDEX referrals_untriaged ON intake.referrals (id) WHERE status = 'received'")


def downgrade() -> None:
    op.execute("DROP INDEX intake.referrals_untriaged")
