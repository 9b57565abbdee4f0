"""Notify schema: inbox, outbox, notifications, attempts.

Revision ID: 0001
"""

from alembic import op

from shared.db.ddl import inbox_and_outbox

revision = "0001"
down_revision = None

STATEMENTS = [
    *inbox_and_outbox("notify"),
    """CREATE TABLE notify.notifications (
         id uuid PRIMARY KEY,
         reference varchar(300) NOT NULL UNIQUE,
         referral_id uuid NOT NULL,
         trigger_event_id uuid NOT NULL,
         correlation_id uuid NOT NULL,
         queue_id varchar(64) NOT NULL,
         rag varchar(8) NOT NULL,
         due_at timestamptz NOT NULL,
         recipient_id varchar(100) NOT NULL,
         channel varchar(32) NOT NULL,
         address varchar(320) NOT NULL,
         status varchar(16) NOT NULL DEFAULT 'pending',
         attempts integer NOT NULL DEFAULT 0,
         next_attempt_at timestamptz NOT NULL DEFAULT now(),
         trace_headers jsonb NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         sent_at timestamptz)""",
    "CREATE INDEX notifications_due ON notify.notifications (status, next_attempt_at)",
    """CREATE TABLE notify.attempts (
         notification_id uuid NOT NULL REFERENCES notify.notifications (id),
         attempt integer NOT NULL,
         at timestamptz NOT NULL DEFAULT now(),
         outcome varchar(16) NOT NULL,
         error varchar(200),
         PRIMARY KEY (notification_id, attempt))""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE notify.attempts, notify.notifications, notify.outbox, notify.inbox")
