"""Use case: when something happens to a referral that someone must hear about, record one notification
intent per recipient, before anything is sent.

Recording first (with a deterministic reference) is what makes sending exactly-once in effect: a redelivered
event finds its references taken, and the dispatcher sends what is recorded and not yet sent, across
restarts. A trigger nobody can be told about is recorded as a NotificationFailed, never dropped.
"""

from dataclasses import dataclass
from datetime import datetime

from shared.events import ReferralTriaged
from shared.events.envelope import EventEnvelope
from shared.messaging.traced_batch import TracedBatch
from services.notify.domain.messages import NoRecipient, intents_for, reference


@dataclass(frozen=True)
class Trigger:
    event: EventEnvelope
    queue: str
    rag: str
    due_at: datetime
    secondary: list[str]
    locality: str | None
    parallel: tuple = ()  # (queue, rag, due_at) of each secondary route's own work item


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
    def __init__(self, *, uow, wake_dispatcher) -> None:
        self._uow, self._wake = uow, wake_dispatcher

    async def execute_many(self, events: TracedBatch) -> None:
        """One poll's triggers in one transaction, reading the directory once."""
        async with self._uow() as uow:
            fresh = await uow.first_deliveries([event.event_id for event in events.untraced()])
            directory = await uow.directory() if fresh else []
            for event in events:
                if event.event_id in fresh:
                    fresh.discard(event.event_id)  # twice in one poll is still once
                    await self._record(uow, trigger_of(event), directory)
            await uow.commit()
        self._wake()

    async def _record(self, uow, trigger: Trigger, directory) -> None:
        event = trigger.event
        try:
            intents = intents_for(trigger=event.event_type, queue=trigger.queue, rag=trigger.rag,
                                  secondary=trigger.secondary, locality=trigger.locality, directory=directory,
                                  parallel=trigger.parallel)
        except NoRecipient as missing:
            await uow.record_unroutable(trigger, str(missing))
        else:
            for intent in intents:
                await uow.add_intent(trigger=trigger, intent=intent,
                                     reference=reference(event.referral_id, event.event_id, intent.recipient.id))
