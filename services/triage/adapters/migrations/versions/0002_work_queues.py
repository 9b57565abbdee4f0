"""Work queues: clock flags on work items, the correlation id for follow-on events, and each item's timeline.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"

STATEMENTS = [
    "ALTER TABLE triage.work_items ADD COLUMN sla_warned boolean NOT NULL DEFAULT false, "
    "ADD COLUMN sla_breached boolean NOT NULL DEFAULT false, ADD COLUMN correlation_id uuid",
    """CREATE TABLE triage.timeline (
         event_id uuid PRIMARY KEY,
         work_item_id uuid NOT NULL,
         event_type varchar(64) NOT NULL,
         actor varchar(200),
         details jsonb NOT NULL,
         at timestamptz NOT NULL)""",
    "CREATE INDEX timeline_item ON triage.timeline (work_item_id, at)",
    "CREATE INDEX work_items_open ON triage.work_items (state) WHERE state <> 'closed'",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE triage.timeline")
    op.execute("DROP INDEX triage.work_items_open")
    op.execute("ALTER TABLE triage.work_items DROP COLUMN sla_warned, DROP COLUMN sla_breached, "
               "DROP COLUMN correlation_id")
