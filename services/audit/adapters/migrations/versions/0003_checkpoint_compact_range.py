"""Each checkpoint keeps the compact range of its tree (the roots of its perfect subtrees, O(log n) hashes), so
the next checkpoint reads only the rows appended since instead of every leaf again. Older checkpoints have
none: the first checkpoint after this migration reads the whole log once.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute("ALTER TABLE audit.checkpoints ADD COLUMN compact_range bytea[]")


def downgrade() -> None:
    op.execute("ALTER TABLE audit.checkpoints DROP COLUMN compact_range")
