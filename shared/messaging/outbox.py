"""Transactional outbox: an event is written in the same transaction as the state it describes.

Columns follow Debezium's Outbox Event Router (`aggregatetype` = topic, `aggregateid` = Kafka key, `type`,
`payload`), so a CDC relay could replace the polling relay without a schema change. `headers` keeps the W3C
trace context of the transaction that staged the row, so the trace continues when the relay publishes later.
"""

from functools import cache

from opentelemetry import propagate
from sqlalchemy import BigInteger, Column, DateTime, Insert, LargeBinary, MetaData, String, Table, func, insert
from sqlalchemy.dialects.postgresql import JSONB, UUID

from shared.events.envelope import EventEnvelope
from shared.messaging.consumer_spans import trace_context_of


def outbox_table(metadata: MetaData) -> Table:
    """The outbox, in the schema of the service that owns `metadata` (with its set-aside table beside it)."""
    Table(
        "outbox_set_aside", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=False),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("aggregatetype", String(255), nullable=False),
        Column("aggregateid", String(255), nullable=False),
        Column("type", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("reason", String(300), nullable=False),
        Column("set_aside_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return Table(
        "outbox", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("aggregatetype", String(255), nullable=False),
        Column("aggregateid", String(255), nullable=False),
        Column("type", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def outbox_row(event: EventEnvelope, topic: str) -> dict:
    """The row for one event, carrying the trace of the record that caused it (in a batch consumer) or else
    the caller's (an HTTP request)."""
    headers: dict[str, str] = {"content-type": "application/json", "event-id": str(event.event_id),
                               "event-type": event.event_type}
    propagate.inject(headers, context=trace_context_of(event.causation_id))
    return {"event_id": event.event_id, "aggregatetype": topic, "aggregateid": str(event.referral_id),
            "type": event.event_type, "payload": event.to_wire(), "headers": headers}


@cache
def insert_into(table: Table) -> Insert:
    """The one INSERT for `table`'s outbox, so every staged row of a transaction goes in one statement."""
    return insert(table)


def set_aside_of(outbox: Table) -> Table:
    """The table beside `outbox` where rows Kafka refuses for good are kept."""
    return outbox.metadata.tables[f"{outbox.schema}.outbox_set_aside"]
