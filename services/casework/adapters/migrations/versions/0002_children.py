"""Casework learns who each referral is about (from `referrals.identified`): the person, the match grade, the
candidates waiting for a practitioner, and the child's identifying fields as searchable columns (trigram
indexes on names, so a search by a misspelt name is an index scan, not a table scan), and practitioners' link
decisions.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE casework.referrals
         ADD COLUMN person_id uuid,
         ADD COLUMN match_grade varchar(16),
         ADD COLUMN match_score double precision,
         ADD COLUMN candidates jsonb NOT NULL DEFAULT '[]',
         ADD COLUMN child_given text,
         ADD COLUMN child_family text,
         ADD COLUMN child_dob date,
         ADD COLUMN child_postcode varchar(10),
         ADD COLUMN child_nhs varchar(10)""",
    "CREATE INDEX referrals_person ON casework.referrals (person_id, received_at)",
    "CREATE INDEX referrals_given_trgm ON casework.referrals USING gin (child_given gin_trgm_ops)",
    "CREATE INDEX referrals_family_trgm ON casework.referrals USING gin (child_family gin_trgm_ops)",
    "CREATE INDEX referrals_dob ON casework.referrals (child_dob)",
    "CREATE INDEX referrals_postcode ON casework.referrals (child_postcode text_pattern_ops)",
    "CREATE INDEX referrals_nhs ON casework.referrals (child_nhs)",
    """CREATE TABLE casework.person_links (
         referral_id uuid NOT NULL,
         candidate_person_id uuid NOT NULL,
         decision varchar(16) NOT NULL,
         actor varchar(200) NOT NULL,
         reason text,
         at timestamptz NOT NULL,
         PRIMARY KEY (referral_id, candidate_person_id))""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE casework.person_links")
    op.execute("ALTER TABLE casework.referrals DROP COLUMN person_id, DROP COLUMN match_grade, DROP COLUMN "
               "match_score, DROP COLUMN candidates, DROP COLUMN child_given, DROP COLUMN child_family, "
               "DROP COLUMN child_dob, DROP COLUMN child_postcode, DROP COLUMN child_nhs")
