"""Notify's unit of work: the directory, intents, claims of due messages, attempts and outcome events."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from opentelemetry import context, propagate
from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.unit_of_work import SqlaUnitOfWork
from shared.events import NotificationDelivered, NotificationFailed, NotificationPayload, NotificationSent
from shared.events.topics import NOTIFICATIONS_EVENTS, dlq_topic
from services.notify.adapters.tables import attempts, notifications, recipients
from services.notify.domain.messages import Recipient


def to_recipient(row) -> Recipient:
    return Recipient(id=row.id, queue_id=row.queue_id, channel=row.channel, address=row.address, role=row.role,
                     area=row.area)


INSERT_INTENT = pg_insert(notifications).on_conflict_do_nothing(index_elements=["reference"])
INSERT_ATTEMPT = insert(attempts)
MARK_SENT = update(notifications).where(notifications.c.id == bindparam("b_id")).values(
    status="sent", attempts=bindparam("b_attempts"), sent_at=func.now(), claimed_at=None)


class SqlaNotifyUnitOfWork(SqlaUnitOfWork):
    """Intents, attempts and "sent" outcomes are written at commit, one statement per kind (a redelivered
    intent's reference is skipped): a dispatch batch is a few round trips, not three per message."""

    async def directory(self) -> list[Recipient]:
        return [to_recipient(r) for r in await self.conn.execute(select(recipients))]

    async def add_intent(self, *, trigger, intent, reference) -> None:
        trace_headers: dict[str, str] = {}
        propagate.inject(trace_headers)
        event = trigger.event
        self.write_at_commit(INSERT_INTENT, dict(
            id=uuid4(), reference=reference, referral_id=event.referral_id, trigger_event_id=event.event_id,
            correlation_id=event.correlation_id, queue_id=intent.queue_id, rag=intent.rag or trigger.rag,
            due_at=intent.due_at or trigger.due_at,
            recipient_id=intent.recipient.id, channel=intent.recipient.channel, address=intent.recipient.address,
            trace_headers=trace_headers, trigger=intent.trigger, purpose=intent.purpose))

    async def record_unroutable(self, trigger, missing: str) -> None:
        event = trigger.event
        payload = NotificationPayload(notification_id=uuid4(), reference=f"{event.referral_id}:{event.event_id}:none",
                                      trigger_event_id=event.event_id, queue_id=trigger.queue, recipient_id="none",
                                      channel="none", attempts=0, error_code=f"NoRecipient:{missing}")
        failed = _outcome(NotificationFailed, event.referral_id, event.correlation_id, event.event_id, payload)
        await self.stage((failed, NOTIFICATIONS_EVENTS), (failed, dlq_topic(NOTIFICATIONS_EVENTS)))

    async def claim_due(self, batch: int, lease_seconds: float) -> list:
        """Claim due messages, and messages whose earlier claim expired unsettled (their sender died): status
        'sending' until settled. `previously_claimed_at` tells the caller a send may already have happened."""
        n = notifications
        expired = func.now() - func.make_interval(0, 0, 0, 0, 0, 0, lease_seconds)
        due = (select(n.c.id, n.c.claimed_at.label("previously_claimed_at"))
               .where(or_(and_(n.c.status == "pending", n.c.next_attempt_at <= func.now()),
                          and_(n.c.status == "sending", n.c.claimed_at < expired)))
               .order_by(n.c.next_attempt_at).limit(batch).with_for_update(skip_locked=True).cte("due"))
        claim = (update(n).where(n.c.id == due.c.id).values(status="sending", claimed_at=func.now())
                 .returning(*n.c, due.c.previously_claimed_at))
        return (await self.conn.execute(claim)).all()

    async def by_reference(self, reference: str):
        return (await self.conn.execute(select(notifications).where(notifications.c.reference == reference)
                                        .with_for_update())).first()

    async def _attempt(self, item, outcome: str, error: str | None) -> int:
        number = item.attempts + 1
        self.write_at_commit(INSERT_ATTEMPT, dict(notification_id=item.id, attempt=number, outcome=outcome,
                                                  error=error))
        return number

    async def mark_sent(self, item) -> None:
        number = await self._attempt(item, "sent", None)
        self.write_at_commit(MARK_SENT, {"b_id": item.id, "b_attempts": number})
        await self._publish(NotificationSent, item, number, None)

    async def mark_failed(self, item, *, error: str) -> None:
        number = await self._attempt(item, "failed", error)
        await self._set(item, status="failed", attempts=number, claimed_at=None)
        await self._publish(NotificationFailed, item, number, error, dead_letter=True)

    async def mark_in_doubt(self, item) -> None:
        """Perhaps sent before a crash, and the channel can neither tell nor make a resend safe: not sent
        again; a NotificationFailed on the DLQ hands it to a person to check with the recipient."""
        error = "InDoubt:sent or not before a crash; check with the recipient"
        number = await self._attempt(item, "in_doubt", error)
        await self._set(item, status="in_doubt", attempts=number, claimed_at=None)
        await self._publish(NotificationFailed, item, number, error, dead_letter=True)

    async def retry_later(self, item, *, error: str, delay: float) -> None:
        number = await self._attempt(item, "retry", error)
        await self._set(item, status="pending", attempts=number, claimed_at=None,
                        next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay))

    async def mark_delivered(self, item) -> None:
        await self._set(item, status="delivered", delivered_at=func.now())
        await self._publish(NotificationDelivered, item, item.attempts, None)

    async def _set(self, item, **values) -> None:
        await self.conn.execute(update(notifications).where(notifications.c.id == item.id).values(**values))

    async def _publish(self, cls, item, number: int, error: str | None, dead_letter: bool = False) -> None:
        payload = NotificationPayload(notification_id=item.id, reference=item.reference,
                                      trigger_event_id=item.trigger_event_id, queue_id=item.queue_id,
                                      recipient_id=item.recipient_id, channel=item.channel, attempts=number,
                                      error_code=error)
        outcome = _outcome(cls, item.referral_id, item.correlation_id, item.trigger_event_id, payload)
        token = context.attach(propagate.extract(item.trace_headers))
        try:
            topics = [NOTIFICATIONS_EVENTS] + ([dlq_topic(NOTIFICATIONS_EVENTS)] if dead_letter else [])
            await self.stage(*((outcome, topic) for topic in topics))
        finally:
            context.detach(token)


def _outcome(cls, referral_id, correlation_id, causation_id, payload):
    return cls(occurred_at=datetime.now(UTC), referral_id=referral_id, correlation_id=correlation_id,
               causation_id=causation_id, producer="notify", payload=payload)
