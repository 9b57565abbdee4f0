"""Console sessions: the cookie holds a random session id, not the staff token, and signing out deletes the
session, so a copied cookie stops working at once.

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.execute("""CREATE TABLE triage.console_sessions (
                    id varchar(64) PRIMARY KEY,
                    token text NOT NULL,
                    expires_at timestamptz NOT NULL)""")


def downgrade() -> None:
    op.execute("DROP TABLE triage.console_sessions")
