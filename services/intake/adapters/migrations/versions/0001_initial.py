"""Intake schema: inbox, outbox, partners, referrals, idempotency keys.

Revision ID: 0001
"""

from alembic import op

from shared.db.ddl import inbox_and_outbox

revision = "0001"
down_revision = None

STATEMENTS = [
    *inbox_and_outbox("intake"),
    """CREATE TABLE intake.partners (
         id varchar(64) PRIMARY KEY,
         name varchar(200) NOT NULL,
         source varchar(4),
         key_prefix varchar(16) NOT NULL UNIQUE,
         key_hash varchar(64) NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         revoked_at timestamptz)""",
    """CREATE TABLE intake.referrals (
         id uuid PRIMARY KEY,
         partner_id varchar(64) NOT NULL,
         body jsonb NOT NULL,
         status varchar(32) NOT NULL DEFAULT 'received',
         received_at timestamptz NOT NULL)""",
    "CREATE INDEX referrals_partner ON intake.referrals (partner_id, received_at)",
    """CREATE TABLE intake.idempotency_keys (
         partner_id varchar(64) NOT NULL,
         key varchar(255) NOT NULL,
         fingerprint varchar(64) NOT NULL,
         referral_id uuid NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (partner_id, key))""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE intake.idempotency_keys, intake.referrals, intake.partners, intake.outbox, intake.inbox")
