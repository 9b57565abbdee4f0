"""The outbox's set-aside table: a row Kafka refuses for good is moved there, so it never blocks the relay.

Revision ID: 0003
"""

from alembic import op

from shared.db.ddl import outbox_set_aside

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    for statement in outbox_set_aside("notify"):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE notify.outbox_set_aside")
