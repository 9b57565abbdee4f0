"""Per-partner request counts per rate window, shared by every intake replica (the rate limit holds across
replicas: adapters/pg_rate_limiter.py).

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute("CREATE TABLE intake.rate_windows (key text NOT NULL, window_start bigint NOT NULL, "
               "hits integer NOT NULL, PRIMARY KEY (key, window_start))")


def downgrade() -> None:
    op.execute("DROP TABLE intake.rate_windows")
