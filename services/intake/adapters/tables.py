"""Intake's own schema: partners (hashed keys), referrals as received, idempotency records, inbox, outbox."""

from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, PrimaryKeyConstraint, String, Table, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.messaging.inbox import inbox_table
from shared.messaging.outbox import outbox_table

SCHEMA = "intake"
MIGRATIONS = Path(__file__).parent / "migrations"
metadata = MetaData(schema=SCHEMA)
inbox = inbox_table(metadata)
outbox = outbox_table(metadata)

partners = Table(
    "partners", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("source", String(4)),
    Column("key_prefix", String(16), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
)

referrals = Table(
    "referrals", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("partner_id", String(64), nullable=False),
    Column("body", JSONB, nullable=False),
    Column("status", String(32), nullable=False, server_default="received"),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("triaged_at", DateTime(timezone=True)),
    Column("routed_to", String(64)),
    Column("acknowledged_at", DateTime(timezone=True)),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("partner_id", String(64), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("referral_id", UUID(as_uuid=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("partner_id", "key"),
)
