"""Triage's own schema: its inbox and outbox, and the decisions with their traces (the work items are casework's)."""

from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.messaging.inbox import inbox_table
from shared.messaging.outbox import outbox_table

SCHEMA = "triage"
MIGRATIONS = Path(__file__).parent / "migrations"
metadata = MetaData(schema=SCHEMA)
inbox = inbox_table(metadata)
outbox = outbox_table(metadata)

decisions = Table(
    "decisions", metadata,
    Column("referral_id", UUID(as_uuid=True), primary_key=True),
    Column("referral", JSONB, nullable=False),
    Column("decision", JSONB, nullable=False),
    Column("ruleset_version", String(64), nullable=False),
    Column("primary_queue", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
