"""A name search looks up the names casework has seen, then the referrals with exactly those names.

Trigram indexes over a million referrals' names answered a two-word search in ~150 ms: each of the four
index scans per word (similar or starting with, given or family) walked the long posting lists of common
trigrams. The distinct names are few (one per spelling, not per referral): `child_names` keeps each once, with
the trigram index, and the referrals get plain b-tree indexes on the names, so the same children are found
by exact lookups (~7 ms at 1M referrals). The referrals' trigram indexes go; they also cost every insert.

Revision ID: 0003
"""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.execute("CREATE TABLE casework.child_names (name text PRIMARY KEY)")
    op.execute("INSERT INTO casework.child_names SELECT child_given FROM casework.referrals "
               "WHERE child_given IS NOT NULL UNION SELECT child_family FROM casework.referrals "
               "WHERE child_family IS NOT NULL")
    op.execute("CREATE INDEX child_names_trgm ON casework.child_names USING gin (name gin_trgm_ops)")
    op.execute("CREATE INDEX referrals_given ON casework.referrals (child_given)")
    op.execute("CREATE INDEX referrals_family ON casework.referrals (child_family)")
    op.execute("DROP INDEX casework.referrals_given_trgm")
    op.execute("DROP INDEX casework.referrals_family_trgm")


def downgrade() -> None:
    op.execute("CREATE INDEX referrals_given_trgm ON casework.referrals USING gin (child_given gin_trgm_ops)")
    op.execute("CREATE INDEX referrals_family_trgm ON casework.referrals USING gin (child_family gin_trgm_ops)")
    op.execute("DROP INDEX casework.referrals_given")
    op.execute("DROP INDEX casework.referrals_family")
    op.execute("DROP TABLE casework.child_names")
