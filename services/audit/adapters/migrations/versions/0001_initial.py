"""Audit schema: the append-only log. UPDATE, DELETE and TRUNCATE are refused by triggers.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None

STATEMENTS = [
    """CREATE TABLE audit.log (
         seq bigint PRIMARY KEY,
         event_id uuid NOT NULL UNIQUE,
         topic varchar(255) NOT NULL,
         event_type varchar(255) NOT NULL,
         referral_id uuid,
         recorded_at timestamptz NOT NULL DEFAULT now(),
         canonical bytea NOT NULL,
         entry_hash bytea NOT NULL,
         prev_hash bytea NOT NULL)""",
    "CREATE INDEX log_referral ON audit.log (referral_id, seq)",
    """CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit.log is append-only: % refused', TG_OP;
       END $$""",
    """CREATE TRIGGER log_no_update_delete BEFORE UPDATE OR DELETE ON audit.log
         FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()""",
    """CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON audit.log
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE audit.log")
    op.execute("DROP FUNCTION audit.refuse_change()")
