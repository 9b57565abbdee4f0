"""Audit's own schema: the append-only log (its inbox is the unique event id)."""

from pathlib import Path

from sqlalchemy import BigInteger, Column, DateTime, LargeBinary, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import ARRAY, UUID

SCHEMA = "audit"
MIGRATIONS = Path(__file__).parent / "migrations"
metadata = MetaData(schema=SCHEMA)

log = Table(
    "log", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("topic", String(255), nullable=False),
    Column("event_type", String(255), nullable=False),
    Column("referral_id", UUID(as_uuid=True)),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()),
    Column("canonical", LargeBinary, nullable=False),
    Column("entry_hash", LargeBinary, nullable=False),
    Column("prev_hash", LargeBinary, nullable=False),
)

checkpoints = Table(
    "checkpoints", metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", LargeBinary, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("compact_range", ARRAY(LargeBinary)),  # the tree's perfect-subtree roots (domain/merkle.CompactRange)
)
