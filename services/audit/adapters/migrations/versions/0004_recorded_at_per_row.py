"""`recorded_at` defaults to the moment each row is written (`clock_timestamp()`), not the transaction's start
(`now()`): appends arrive by COPY, which takes no expression per row, so the column's default gives each row
the time it was written under the chain lock, as the INSERT before it set explicitly. Times never go backwards
along the log.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("ALTER TABLE audit.log ALTER COLUMN recorded_at SET DEFAULT clock_timestamp()")


def downgrade() -> None:
    op.execute("ALTER TABLE audit.log ALTER COLUMN recorded_at SET DEFAULT now()")
