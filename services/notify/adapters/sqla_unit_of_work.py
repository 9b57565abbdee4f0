"""Notify's unit of work: intents, claims of due messages, attempts and outcome events."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from opentelemetry import context, propagate
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.unit_of_work import SqlaUnitOfWork
from shared.events import NotificationFailed, NotificationPayload, NotificationSent
from shared.events.envelope import EventEnvelope
from shared.events.topics import NOTIFICATIONS_EVENTS
from services.notify.adapters.tables import attempts, notifications


class SqlaNotifyUnitOfWork(SqlaUnitOfWork):
    async def add_intent(self, *, event, recipient, reference) -> None:
        trace_headers: dict[str, str] = {}
        propagate.inject(trace_headers)
        payload = event.payload
        await self.conn.execute(pg_insert(notifications).values(
            id=uuid4(), reference=reference, referral_id=event.referral_id, trigger_event_id=event.event_id,
            correlation_id=event.correlation_id, queue_id=payload.decision.primary_queue.value,
            rag=payload.decision.rag.value, due_at=payload.due_at, recipient_id=recipient.id,
            channel=recipient.channel, address=recipient.address, trace_headers=trace_headers,
        ).on_conflict_do_nothing(index_elements=["reference"]))

    async def record_unroutable(self, event) -> None:
        failed = _outcome_event(NotificationFailed, event.referral_id, event.correlation_id, event.event_id,
                                NotificationPayload(notification_id=uuid4(), reference=f"{event.referral_id}:"
                                                    f"{event.event_id}:none", trigger_event_id=event.event_id,
                                                    queue_id=event.payload.decision.primary_queue.value,
                                                    recipient_id="none", channel="none", attempts=0,
                                                    error_code="NoRecipient"))
        await self.stage((failed, NOTIFICATIONS_EVENTS))

    async def claim_due(self, batch: int) -> list:
        n = notifications
        return (await self.conn.execute(
            select(n).where(n.c.status == "pending", n.c.next_attempt_at <= func.now())
            .order_by(n.c.next_attempt_at).limit(batch).with_for_update(skip_locked=True))).all()

    async def _attempt(self, item, outcome: str, error: str | None) -> int:
        number = item.attempts + 1
        await self.conn.execute(insert(attempts).values(notification_id=item.id, attempt=number, outcome=outcome,
                                                        error=error))
        return number

    async def mark_sent(self, item) -> None:
        number = await self._attempt(item, "sent", None)
        await self.conn.execute(update(notifications).where(notifications.c.id == item.id).values(
            status="sent", attempts=number, sent_at=func.now()))
        await self._publish(NotificationSent, item, number, None)

    async def mark_failed(self, item, *, error: str) -> None:
        number = await self._attempt(item, "failed", error)
        await self.conn.execute(update(notifications).where(notifications.c.id == item.id).values(
            status="failed", attempts=number))
        await self._publish(NotificationFailed, item, number, error)

    async def retry_later(self, item, *, error: str, delay: float) -> None:
        number = await self._attempt(item, "retry", error)
        await self.conn.execute(update(notifications).where(notifications.c.id == item.id).values(
            attempts=number, next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay)))

    async def _publish(self, cls, item, number: int, error: str | None) -> None:
        payload = NotificationPayload(notification_id=item.id, reference=item.reference,
                                      trigger_event_id=item.trigger_event_id, queue_id=item.queue_id,
                                      recipient_id=item.recipient_id, channel=item.channel, attempts=number,
                                      error_code=error)
        token = context.attach(propagate.extract(item.trace_headers))
        try:
            await self.stage((_outcome_event(cls, item.referral_id, item.correlation_id, item.trigger_event_id,
                                             payload), NOTIFICATIONS_EVENTS))
        finally:
            context.detach(token)


def _outcome_event(cls, referral_id, correlation_id, causation_id, payload) -> EventEnvelope:
    return cls(occurred_at=datetime.now(UTC), referral_id=referral_id, correlation_id=correlation_id,
               causation_id=causation_id, producer="notify", payload=payload)
