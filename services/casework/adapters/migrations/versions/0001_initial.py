"""Casework schema: inbox, outbox (with its set-aside table), the referrals and decisions practitioners read,
the work items with their clocks, each item's timeline, and console sessions.

The MASH work queues lived in the triage schema until casework became its own service; a deployment that
had them there copies them across before switching (there was none in production).

Revision ID: 0001
"""

from alembic import op

from shared.db.ddl import inbox_and_outbox, outbox_set_aside

revision = "0001"
down_revision = None

STATEMENTS = [
    *inbox_and_outbox("casework"),
    *outbox_set_aside("casework"),
    """CREATE TABLE casework.referrals (
         referral_id uuid PRIMARY KEY,
         referral jsonb NOT NULL,
         received_at timestamptz NOT NULL)""",
    """CREATE TABLE casework.decisions (
         referral_id uuid PRIMARY KEY,
         decision jsonb NOT NULL,
         received_at timestamptz NOT NULL,
         decision_due_at timestamptz NOT NULL)""",
    """CREATE TABLE casework.work_items (
         id uuid PRIMARY KEY,
         referral_id uuid NOT NULL,
         queue_id varchar(64) NOT NULL,
         secondary_queues varchar(64)[] NOT NULL,
         state varchar(16) NOT NULL DEFAULT 'new',
         assignee varchar(200),
         rag varchar(8) NOT NULL,
         due_at timestamptz NOT NULL,
         decision_due_at timestamptz NOT NULL,
         outcome varchar(64),
         created_at timestamptz NOT NULL DEFAULT now(),
         sla_warned boolean NOT NULL DEFAULT false,
         sla_breached boolean NOT NULL DEFAULT false,
         correlation_id uuid,
         primary_item_id uuid)""",
    "CREATE INDEX work_items_queue_due ON casework.work_items (queue_id, state, due_at)",
    "CREATE INDEX work_items_open ON casework.work_items (state) WHERE state <> 'closed'",
    "CREATE INDEX work_items_referral ON casework.work_items (referral_id)",
    """CREATE TABLE casework.timeline (
         event_id uuid PRIMARY KEY,
         work_item_id uuid NOT NULL,
         event_type varchar(64) NOT NULL,
         actor varchar(200),
         details jsonb NOT NULL,
         at timestamptz NOT NULL)""",
    "CREATE INDEX timeline_item ON casework.timeline (work_item_id, at)",
    """CREATE TABLE casework.console_sessions (
         id varchar(64) PRIMARY KEY,
         token text NOT NULL,
         expires_at timestamptz NOT NULL)""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE casework.console_sessions, casework.timeline, casework.work_items, casework.decisions, "
               "casework.referrals, casework.outbox_set_aside, casework.outbox, casework.inbox")
