"""Signed checkpoints, and the writer role: INSERT and SELECT only, owning nothing.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"

STATEMENTS = [
    """CREATE TABLE audit.checkpoints (
         tree_size bigint PRIMARY KEY,
         root bytea NOT NULL,
         signed_at timestamptz NOT NULL,
         signature bytea NOT NULL,
         public_key varchar(64) NOT NULL)""",
    """CREATE TRIGGER checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit.checkpoints
         FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()""",
    """CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON audit.checkpoints
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()""",
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'frontdoor_audit_writer') THEN
           CREATE ROLE frontdoor_audit_writer LOGIN;
         END IF;
       END $$""",
    "REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM frontdoor_audit_writer",
    "GRANT USAGE ON SCHEMA audit TO frontdoor_audit_writer",
    "GRANT SELECT, INSERT ON audit.log, audit.checkpoints TO frontdoor_audit_writer",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM frontdoor_audit_writer")
    op.execute("REVOKE USAGE ON SCHEMA audit FROM frontdoor_audit_writer")
    op.execute("DROP TABLE audit.checkpoints")
