"""What happened to a notification, decided by the use cases (not the database adapter): its new status, the
attempt to record, and the event that tells everyone else (`notifications.events`, and its DLQ for a person
when nobody was told)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from shared.events import NotificationDelivered, NotificationFailed, NotificationPayload, NotificationSent
from shared.events.envelope import EventEnvelope
from shared.events.topics import NOTIFICATIONS_EVENTS, dlq_topic

PRODUCER = "notify"


@dataclass(frozen=True)
class Claimed:
    """A recorded notification as the dispatcher and receipts see it."""

    id: UUID
    reference: str
    referral_id: UUID
    correlation_id: UUID
    trigger_event_id: UUID
    queue_id: str
    rag: str
    due_at: datetime
    recipient_id: str
    channel: str
    address: str
    trigger: str
    purpose: str
    status: str
    attempts: int
    trace_headers: dict[str, str]
    previously_claimed_at: datetime | None = None


@dataclass(frozen=True)
class Settlement:
    """The record of one outcome: the notification's new status, the attempt row (None for a receipt), when
    to try again (a retry), and the events to publish with it."""

    status: str
    attempt: str | None
    attempts: int
    error: str | None
    next_attempt_at: datetime | None
    events: tuple[tuple[EventEnvelope, str], ...]


def settlement(item: Claimed, outcome: str, now: datetime, *, error: str | None = None,
               retry_in_seconds: float | None = None) -> Settlement:
    """`outcome`: sent, failed, in_doubt, retry (a send), delivered (a receipt)."""
    if outcome == "delivered":
        return Settlement("delivered", None, item.attempts, None, None,
                          ((_event(NotificationDelivered, item, item.attempts, None, now), NOTIFICATIONS_EVENTS),))
    attempts = item.attempts + 1
    if outcome == "retry":
        return Settlement("pending", "retry", attempts, error, now + timedelta(seconds=retry_in_seconds or 0.0), ())
    if outcome == "sent":
        return Settlement("sent", "sent", attempts, None, None,
                          ((_event(NotificationSent, item, attempts, None, now), NOTIFICATIONS_EVENTS),))
    failed = _event(NotificationFailed, item, attempts, error, now)  # failed or in doubt: a person follows up
    return Settlement(outcome, outcome, attempts, error, None,
                      ((failed, NOTIFICATIONS_EVENTS), (failed, dlq_topic(NOTIFICATIONS_EVENTS))))


def unroutable(trigger: EventEnvelope, queue: str, missing: str, notification_id: UUID,
               now: datetime) -> tuple[tuple[EventEnvelope, str], ...]:
    """Nobody in the directory can be told about `trigger`: recorded as failed, and handed to a person."""
    payload = NotificationPayload(notification_id=notification_id,
                                  reference=f"{trigger.referral_id}:{trigger.event_id}:none",
                                  trigger_event_id=trigger.event_id, queue_id=queue, recipient_id="none",
                                  channel="none", attempts=0, error_code=f"NoRecipient:{missing}")
    failed = NotificationFailed(occurred_at=now, referral_id=trigger.referral_id,
                                correlation_id=trigger.correlation_id, causation_id=trigger.event_id,
                                producer=PRODUCER, payload=payload)
    return (failed, NOTIFICATIONS_EVENTS), (failed, dlq_topic(NOTIFICATIONS_EVENTS))


Outcome = type[NotificationSent] | type[NotificationFailed] | type[NotificationDelivered]


def _event(cls: Outcome, item: Claimed, attempts: int, error: str | None, now: datetime) -> EventEnvelope:
    payload = NotificationPayload(notification_id=item.id, reference=item.reference,
                                  trigger_event_id=item.trigger_event_id, queue_id=item.queue_id,
                                  recipient_id=item.recipient_id, channel=item.channel, attempts=attempts,
                                  error_code=error)
    return cls(occurred_at=now, referral_id=item.referral_id, correlation_id=item.correlation_id,
               causation_id=item.trigger_event_id, producer=PRODUCER, payload=payload)
