"""The outbox's set-aside table: a row Kafka refuses for good is moved there, so it never blocks the relay.

Revision ID: 0005
"""

from alembic import op

from shared.db.ddl import outbox_set_aside

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    for statement in outbox_set_aside("intake"):
        op.execute(statement)
    op.execute("CREATE INDEX referrals_received_at ON intake.referrals (received_at)")  # completeness check


def downgrade() -> None:
    op.execute("DROP INDEX intake.referrals_received_at")
    op.execute("DROP TABLE intake.outbox_set_aside")
