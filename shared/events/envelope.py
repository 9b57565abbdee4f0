"""The one envelope every Front Door message travels in (CloudEvents-aligned, DESIGN "Events").

The Kafka key is always the referral id, so every event of one referral stays in order on one partition;
consumers de-duplicate by `event_id` because delivery is at least once.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """A part of an event's payload: immutable, and a field the contract does not name is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EventEnvelope(BaseModel):
    """An event as it travels: ids and provenance around a payload whose shape its `event_type` names.

    Consumers that handle every type (audit) read this base; typed subclasses narrow `event_type` and
    `payload` for the consumers that act on one type.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: UUID = Field(default_factory=uuid4)
    event_type: str
    schema_version: int = 1
    occurred_at: AwareDatetime
    referral_id: UUID
    correlation_id: UUID
    causation_id: UUID | None = None
    producer: str
    payload: Any

    def to_wire(self) -> bytes:
        """Compact JSON bytes, the body every producer writes to Kafka."""
        return self.model_dump_json().encode()

    def caused(self, event_cls: type["EventEnvelope"], *, producer: str, payload: Any,
               occurred_at: datetime) -> "EventEnvelope":
        """A follow-on event: same referral and correlation, caused by this one."""
        return event_cls(
            event_type=event_cls.model_fields["event_type"].default,
            occurred_at=occurred_at.astimezone(UTC),
            referral_id=self.referral_id,
            correlation_id=self.correlation_id,
            causation_id=self.event_id,
            producer=producer,
            payload=payload,
        )
