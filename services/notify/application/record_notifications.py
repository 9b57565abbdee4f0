"""Use case: when something happens to a referral that someone must hear about, record one notification
intent per recipient, before anything is sent.

Recording first (with a deterministic reference) is what makes sending exactly-once in effect: a redelivered
event finds its references taken, and the dispatcher sends what is recorded and not yet sent, across
restarts. A trigger nobody can be told about is recorded as a NotificationFailed, never dropped.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from shared.clock import Clock
from shared.events import ReferralTriaged
from shared.events.envelope import EventEnvelope
from shared.messaging.ports import first_time
from services.notify.application.outcomes import unroutable
from services.notify.application.ports import NotifyUnitOfWork, UnitOfWorkFactory
from services.notify.domain.messages import NoRecipient, Recipient, intents_for, reference


@dataclass(frozen=True)
class Trigger:
    event: EventEnvelope
    queue: str
    rag: str
    due_at: datetime
    secondary: list[str]
    locality: str | None
    parallel: tuple[tuple[str, str, datetime], ...] = ()  # (queue, rag, due_at) of each secondary route's own work item


def trigger_of(event: EventEnvelope) -> Trigger:
    if isinstance(event, ReferralTriaged):
        d, parallel = event.payload.decision, event.payload.parallel_work
        own = {p.queue_id for p in parallel}
        return Trigger(event, d.primary_queue.value, d.rag.value, event.payload.due_at,
                       [q.value for q in d.secondary_queues if q not in own], event.payload.locality,
                       tuple((p.queue_id.value, p.rag.value, p.due_at) for p in parallel))
    p = event.payload
    return Trigger(event, p.queue_id.value, p.rag.value, p.due_at, [], None)


class RecordNotifications:
    def __init__(self, *, uow: UnitOfWorkFactory, wake_dispatcher: Callable[[], None], clock: Clock) -> None:
        self._uow, self._wake, self._clock = uow, wake_dispatcher, clock

    async def execute_many(self, events: Sequence[EventEnvelope]) -> None:
        """One poll's triggers in one transaction, reading the directory once."""
        async with self._uow() as uow:
            fresh = await first_time(uow, events)
            directory = await uow.directory() if fresh else []
            for event in fresh:
                await self._record(uow, trigger_of(event), directory)
            await uow.commit()
        self._wake()

    async def _record(self, uow: NotifyUnitOfWork, trigger: Trigger, directory: list[Recipient]) -> None:
        event = trigger.event
        try:
            intents = intents_for(trigger=event.event_type, queue=trigger.queue, rag=trigger.rag,
                                  secondary=trigger.secondary, locality=trigger.locality, directory=directory,
                                  parallel=trigger.parallel)
        except NoRecipient as missing:
            await uow.stage(*unroutable(event, trigger.queue, str(missing), uuid4(), self._clock.now()))
        else:
            for intent in intents:
                await uow.add_intent(trigger=trigger, intent=intent,
                                     reference=reference(event.referral_id, event.event_id, intent.recipient.id))
