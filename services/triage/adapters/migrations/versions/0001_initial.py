"""Triage schema: inbox, outbox, decisions, work items.

Revision ID: 0001
"""

from alembic import op

from shared.db.ddl import inbox_and_outbox

revision = "0001"
down_revision = None

STATEMENTS = [
    *inbox_and_outbox("triage"),
    """CREATE TABLE triage.decisions (
         referral_id uuid PRIMARY KEY,
         referral jsonb NOT NULL,
         decision jsonb NOT NULL,
         ruleset_version varchar(64) NOT NULL,
         primary_queue varchar(64) NOT NULL,
         received_at timestamptz NOT NULL,
         decided_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE triage.work_items (
         id uuid PRIMARY KEY,
         referral_id uuid NOT NULL UNIQUE,
         queue_id varchar(64) NOT NULL,
         secondary_queues varchar(64)[] NOT NULL,
         state varchar(16) NOT NULL DEFAULT 'new',
         assignee varchar(200),
         rag varchar(8) NOT NULL,
         due_at timestamptz NOT NULL,
         decision_due_at timestamptz NOT NULL,
         outcome varchar(64),
         created_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX work_items_queue_due ON triage.work_items (queue_id, state, due_at)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE triage.work_items, triage.decisions, triage.outbox, triage.inbox")
