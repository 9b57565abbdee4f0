"""People's own schema: inbox and outbox, the persons, each referral's sighting of its person (the record the
matcher compares, the grade it got, the route and outcome that followed), the blocking keys that find
sightings, the person's work, links practitioners rejected, and how often each name is seen."""

from pathlib import Path

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Float, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.messaging.inbox import inbox_table
from shared.messaging.outbox import outbox_table

SCHEMA = "people"
MIGRATIONS = Path(__file__).parent / "migrations"
metadata = MetaData(schema=SCHEMA)
inbox = inbox_table(metadata)
outbox = outbox_table(metadata)

persons = Table(
    "persons", metadata,
    Column("person_id", UUID(as_uuid=True), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("merged_into", UUID(as_uuid=True)),
    Column("link_confirmed", Boolean, nullable=False, server_default="false"),
)

sightings = Table(
    "sightings", metadata,
    Column("referral_id", UUID(as_uuid=True), primary_key=True),
    Column("person_id", UUID(as_uuid=True), nullable=False),
    Column("record", JSONB, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("grade", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("matcher_version", String(64), nullable=False),
    Column("candidates", JSONB, nullable=False),
    Column("primary_queue", String(64)),
    Column("outcome", String(64)),
)

sighting_keys = Table(
    "sighting_keys", metadata,
    Column("key", String(200), primary_key=True),
    Column("referral_id", UUID(as_uuid=True), primary_key=True),
)

work = Table(
    "work", metadata,
    Column("work_item_id", UUID(as_uuid=True), primary_key=True),
    Column("referral_id", UUID(as_uuid=True), nullable=False),
    Column("person_id", UUID(as_uuid=True), nullable=False),
    Column("queue_id", String(64), nullable=False),
    Column("open", Boolean, nullable=False, server_default="true"),
)

rejected_links = Table(
    "rejected_links", metadata,
    Column("person_id", UUID(as_uuid=True), primary_key=True),
    Column("candidate_person_id", UUID(as_uuid=True), primary_key=True),
)

name_counts = Table(
    "name_counts", metadata,
    Column("kind", String(8), primary_key=True),  # given | family | all
    Column("name", String(200), primary_key=True),
    Column("count", BigInteger, nullable=False),
)
