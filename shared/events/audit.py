"""Audit's own record: someone read a child's trail. Written straight into the log, never onto Kafka."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events.envelope import EventEnvelope

AUDIT_READS = "audit.reads"  # the log's topic column for reads; not a Kafka topic


class TrailReadPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reader: str
    via: Literal["cli", "api"]
    format: str
    full: bool = False  # the whole record, not the minimised view (services/audit/domain/minimise.py)
    reason: str | None = Field(default=None, max_length=200)  # required with full: why the reviewer needs it


class TrailRead(EventEnvelope):
    """Who read which referral's trail, when, and how: reading a child's record is itself on the record."""

    event_type: Literal["TrailRead"] = "TrailRead"
    schema_version: Literal[1] = 1
    payload: TrailReadPayload
