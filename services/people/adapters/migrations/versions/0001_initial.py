"""People schema: inbox, outbox (with its set-aside table), persons, sightings with their blocking keys, the
persons' work and rejected links. Candidate retrieval is an index lookup on `sighting_keys.key` (b-tree), never
a scan of the index.

Revision ID: 0001
"""

from alembic import op

from shared.db.ddl import inbox_and_outbox, outbox_set_aside

revision = "0001"
down_revision = None

STATEMENTS = [
    *inbox_and_outbox("people"),
    *outbox_set_aside("people"),
    """CREATE TABLE people.persons (
         person_id uuid PRIMARY KEY,
         created_at timestamptz NOT NULL DEFAULT now(),
         merged_into uuid,
         link_confirmed boolean NOT NULL DEFAULT false)""",
    """CREATE TABLE people.sightings (
         referral_id uuid PRIMARY KEY,
         person_id uuid NOT NULL,
         record jsonb NOT NULL,
         received_at timestamptz NOT NULL,
         grade varchar(16) NOT NULL,
         score double precision NOT NULL,
         matcher_version varchar(64) NOT NULL,
         candidates jsonb NOT NULL,
         primary_queue varchar(64),
         outcome varchar(64))""",
    "CREATE INDEX sightings_person ON people.sightings (person_id, received_at)",
    """CREATE TABLE people.sighting_keys (
         key varchar(200) NOT NULL,
         referral_id uuid NOT NULL,
         PRIMARY KEY (key, referral_id))""",
    """CREATE TABLE people.work (
         work_item_id uuid PRIMARY KEY,
         referral_id uuid NOT NULL,
         person_id uuid NOT NULL,
         queue_id varchar(64) NOT NULL,
         open boolean NOT NULL DEFAULT true)""",
    "CREATE INDEX work_person_open ON people.work (person_id) WHERE open",
    "CREATE INDEX work_referral ON people.work (referral_id)",
    """CREATE TABLE people.rejected_links (
         person_id uuid NOT NULL,
         candidate_person_id uuid NOT NULL,
         PRIMARY KEY (person_id, candidate_person_id))""",
    """CREATE TABLE people.name_counts (
         kind varchar(8) NOT NULL,
         name varchar(200) NOT NULL,
         count bigint NOT NULL,
         PRIMARY KEY (kind, name))""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE people.name_counts, people.rejected_links, people.work, people.sighting_keys, "
               "people.sightings, people.persons, people.outbox_set_aside, people.outbox, people.inbox")
