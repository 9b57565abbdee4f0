"""Notify's unit of work: the directory, intents, claims of due messages, and the outcomes the use cases decide."""

from typing import Any
from uuid import uuid4

from opentelemetry import context, propagate
from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import statements_of_their_own
from shared.db.unit_of_work import SqlaUnitOfWork
from shared.messaging.consumer_spans import trace_context_of
from services.notify.adapters.tables import attempts, notifications, recipients
from services.notify.application.outcomes import Claimed, Settlement
from services.notify.domain.messages import Recipient


def to_recipient(row) -> Recipient:
    return Recipient(id=row.id, queue_id=row.queue_id, channel=row.channel, address=row.address, role=row.role,
                     area=row.area)


INSERT_INTENT = pg_insert(notifications).on_conflict_do_nothing(index_elements=["reference"])
INSERT_ATTEMPT = insert(attempts)
MARK_SENT = update(notifications).where(notifications.c.id == bindparam("b_id")).values(
    status="sent", attempts=bindparam("b_attempts"), sent_at=func.now(), claimed_at=None)


CLAIMED_COLUMNS = [notifications.c[name] for name in Claimed.__dataclass_fields__ if name != "previously_claimed_at"]


class SqlaClaims:
    """A claim is one statement, committed on its own (two round trips fewer than a transaction around it)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim_due(self, batch: int, lease_seconds: float) -> list[Claimed]:
        n = notifications
        expired = func.now() - func.make_interval(0, 0, 0, 0, 0, 0, lease_seconds)
        due = (select(n.c.id, n.c.claimed_at.label("previously_claimed_at"))
               .where(or_(and_(n.c.status == "pending", n.c.next_attempt_at <= func.now()),
                          and_(n.c.status == "sending", n.c.claimed_at < expired)))
               .order_by(n.c.next_attempt_at).limit(batch).with_for_update(skip_locked=True).cte("due"))
        claim = (update(n).where(n.c.id == due.c.id).values(status="sending", claimed_at=func.now())
                 .returning(*CLAIMED_COLUMNS, due.c.previously_claimed_at))
        async with statements_of_their_own(self._engine) as conn:
            return [Claimed(**row._mapping) for row in await conn.execute(claim)]


class SqlaNotifyUnitOfWork(SqlaUnitOfWork):
    """Intents, attempts and "sent" outcomes are written at commit, one statement per kind (a redelivered
    intent's reference is skipped): a dispatch batch is a few round trips, not three per message."""

    async def directory(self) -> list[Recipient]:
        return [to_recipient(r) for r in await self.conn.execute(select(recipients))]

    async def add_intent(self, *, trigger, intent, reference) -> None:
        trace_headers: dict[str, str] = {}
        event = trigger.event
        propagate.inject(trace_headers, context=trace_context_of(event.event_id))  # the trigger's own trace
        self.write_at_commit(INSERT_INTENT, dict(
            id=uuid4(), reference=reference, referral_id=event.referral_id, trigger_event_id=event.event_id,
            correlation_id=event.correlation_id, queue_id=intent.queue_id, rag=intent.rag or trigger.rag,
            due_at=intent.due_at or trigger.due_at,
            recipient_id=intent.recipient.id, channel=intent.recipient.channel, address=intent.recipient.address,
            trace_headers=trace_headers, trigger=intent.trigger, purpose=intent.purpose))

    async def by_reference(self, reference: str) -> Claimed | None:
        row = (await self.conn.execute(select(*CLAIMED_COLUMNS).where(notifications.c.reference == reference)
                                       .with_for_update())).first()
        return Claimed(**row._mapping) if row else None

    async def settle(self, item: Claimed, settlement: Settlement) -> None:
        """Write what the use case decided: the attempt, the new status, and its events (continuing the trace
        of the event that asked for the notification)."""
        if settlement.attempt is not None:
            self.write_at_commit(INSERT_ATTEMPT, dict(notification_id=item.id, attempt=settlement.attempts,
                                                      outcome=settlement.attempt, error=settlement.error))
        if settlement.status == "sent":
            self.write_at_commit(MARK_SENT, {"b_id": item.id, "b_attempts": settlement.attempts})
        else:
            values: dict[str, Any] = {"status": settlement.status, "attempts": settlement.attempts}
            if settlement.status == "delivered":
                values["delivered_at"] = func.now()
            else:
                values["claimed_at"] = None
            if settlement.next_attempt_at is not None:
                values["next_attempt_at"] = settlement.next_attempt_at
            await self.conn.execute(update(notifications).where(notifications.c.id == item.id).values(**values))
        token = context.attach(propagate.extract(item.trace_headers))
        try:
            await self.stage(*settlement.events)
        finally:
            context.detach(token)
