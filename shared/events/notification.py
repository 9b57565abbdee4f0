"""Notify's events: each message to a recipient, sent or failed. Ids and codes only, never personal data."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.events.envelope import EventEnvelope


class NotificationPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    notification_id: UUID
    reference: str
    trigger_event_id: UUID
    queue_id: str
    recipient_id: str
    channel: str
    attempts: int
    error_code: str | None = None


class NotificationSent(EventEnvelope):
    """The channel accepted the message for this recipient."""

    event_type: Literal["NotificationSent"] = "NotificationSent"
    schema_version: Literal[1] = 1
    payload: NotificationPayload


class NotificationFailed(EventEnvelope):
    """The message could not be sent and will not be retried; a person must follow up."""

    event_type: Literal["NotificationFailed"] = "NotificationFailed"
    schema_version: Literal[1] = 1
    payload: NotificationPayload


class NotificationDelivered(EventEnvelope):
    """The provider confirmed delivery to the recipient's inbox (a delivery receipt)."""

    event_type: Literal["NotificationDelivered"] = "NotificationDelivered"
    schema_version: Literal[1] = 1
    payload: NotificationPayload
