"""Notify's own schema: inbox, outbox, and one row per intended message with its attempts."""

from pathlib import Path

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.messaging.inbox import inbox_table
from shared.messaging.outbox import outbox_table

SCHEMA = "notify"
MIGRATIONS = Path(__file__).parent / "migrations"
metadata = MetaData(schema=SCHEMA)
inbox = inbox_table(metadata)
outbox = outbox_table(metadata)

notifications = Table(
    "notifications", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("reference", String(300), nullable=False, unique=True),
    Column("referral_id", UUID(as_uuid=True), nullable=False),
    Column("trigger_event_id", UUID(as_uuid=True), nullable=False),
    Column("correlation_id", UUID(as_uuid=True), nullable=False),
    Column("queue_id", String(64), nullable=False),
    Column("rag", String(8), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("recipient_id", String(100), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("address", String(320), nullable=False),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("trace_headers", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    Column("trigger", String(64), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("claimed_at", DateTime(timezone=True)),
)

recipients = Table(
    "recipients", metadata,
    Column("id", String(100), primary_key=True),
    Column("queue_id", String(64), nullable=False),
    Column("role", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("address", String(500), nullable=False),
    Column("area", String(8)),
)

attempts = Table(
    "attempts", metadata,
    Column("notification_id", UUID(as_uuid=True), ForeignKey(notifications.c.id), primary_key=True),
    Column("attempt", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("outcome", String(16), nullable=False),
    Column("error", String(200)),
)
