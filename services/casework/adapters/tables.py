"""Casework's own schema: inbox and outbox, the referral (with who it is about) and decision practitioners
read, the work items with their clocks, each item's timeline, console sessions, and link decisions."""

from pathlib import Path

from sqlalchemy import Boolean, Column, Date, DateTime, Float, MetaData, String, Table, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.messaging.inbox import inbox_table
from shared.messaging.outbox import outbox_table

SCHEMA = "casework"
MIGRATIONS = Path(__file__).parent / "migrations"
metadata = MetaData(schema=SCHEMA)
inbox = inbox_table(metadata)
outbox = outbox_table(metadata)

referrals = Table(
    "referrals", metadata,
    Column("referral_id", UUID(as_uuid=True), primary_key=True),
    Column("referral", JSONB, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("person_id", UUID(as_uuid=True)),  # from referrals.identified: who the referral is about
    Column("match_grade", String(16)),
    Column("match_score", Float),
    Column("candidates", JSONB, nullable=False, server_default="[]"),
    Column("child_given", Text),  # the child's identifying fields as searchable columns (b-tree indexes)
    Column("child_family", Text),
    Column("child_dob", Date),
    Column("child_postcode", String(10)),
    Column("child_nhs", String(10)),
)

child_names = Table(  # each searchable given or family name seen once, with a trigram index: a search's first step
    "child_names", metadata,
    Column("name", Text, primary_key=True),
)

person_links = Table(
    "person_links", metadata,
    Column("referral_id", UUID(as_uuid=True), primary_key=True),
    Column("candidate_person_id", UUID(as_uuid=True), primary_key=True),
    Column("decision", String(16), nullable=False),  # confirmed | rejected
    Column("actor", String(200), nullable=False),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False),
)

decisions = Table(
    "decisions", metadata,
    Column("referral_id", UUID(as_uuid=True), primary_key=True),
    Column("decision", JSONB, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("decision_due_at", DateTime(timezone=True), nullable=False),
)

work_items = Table(
    "work_items", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("referral_id", UUID(as_uuid=True), nullable=False),
    Column("queue_id", String(64), nullable=False),
    Column("secondary_queues", ARRAY(String(64)), nullable=False),
    Column("state", String(16), nullable=False, server_default="new"),
    Column("assignee", String(200)),
    Column("rag", String(8), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("decision_due_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sla_warned", Boolean, nullable=False, server_default="false"),
    Column("sla_breached", Boolean, nullable=False, server_default="false"),
    Column("correlation_id", UUID(as_uuid=True)),
    Column("primary_item_id", UUID(as_uuid=True)),  # set on parallel work: the referral's primary item
)

timeline = Table(
    "timeline", metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("work_item_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("event_type", String(64), nullable=False),
    Column("actor", String(200)),
    Column("details", JSONB, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

console_sessions = Table(
    "console_sessions", metadata,
    Column("id", String(64), primary_key=True),
    Column("token", String, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
