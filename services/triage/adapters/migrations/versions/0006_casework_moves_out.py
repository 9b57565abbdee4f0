"""The MASH work queues moved to the casework service (its own schema): triage keeps only its decisions.

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute("DROP TABLE triage.console_sessions, triage.timeline, triage.work_items")


def downgrade() -> None:
    raise NotImplementedError("the work queues live in the casework schema now; restore from a backup")
