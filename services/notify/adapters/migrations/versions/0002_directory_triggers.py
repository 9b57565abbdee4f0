"""The directory in the database, notifications for every trigger, delivery receipts.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"

STATEMENTS = [
    """CREATE TABLE notify.recipients (
         id varchar(100) PRIMARY KEY,
         queue_id varchar(64) NOT NULL,
         role varchar(32) NOT NULL,
         channel varchar(32) NOT NULL,
         address varchar(500) NOT NULL,
         area varchar(8))""",
    "ALTER TABLE notify.notifications ADD COLUMN trigger varchar(64) NOT NULL DEFAULT 'ReferralTriaged', "
    "ADD COLUMN purpose varchar(32) NOT NULL DEFAULT 'action', ADD COLUMN delivered_at timestamptz",
    "ALTER TABLE notify.notifications ALTER COLUMN trigger DROP DEFAULT, ALTER COLUMN purpose DROP DEFAULT",
    "ALTER TABLE notify.notifications ALTER COLUMN address TYPE varchar(500)",
    # a NotificationFailed goes to notifications.events and, for a person to pick up, to its DLQ: same event id
    "ALTER TABLE notify.outbox DROP CONSTRAINT outbox_event_id_key",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("ALTER TABLE notify.outbox ADD CONSTRAINT outbox_event_id_key UNIQUE (event_id)")
    op.execute("ALTER TABLE notify.notifications DROP COLUMN trigger, DROP COLUMN purpose, DROP COLUMN delivered_at")
    op.execute("DROP TABLE notify.recipients")
