"""Use cases for MASH staff: every action on a work item, one transaction each.

- The item is locked while it changes, so two people claiming at once get one success and one conflict.
- The change, its timeline entry and its `workitems.events` message commit together (outbox), so every action
  reaches notify and audit, or none of it happened.
"""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from shared.clock import Clock
from shared.events.envelope import EventEnvelope
from shared.events.topics import WORKITEMS_EVENTS
from shared.events.workitems import WORK_ITEM_EVENTS, WorkItemPayload
from services.casework.application.ports import Loaded, UnitOfWorkFactory
from services.casework.domain import workitems
from services.casework.domain.urgency import QueueUrgency
from services.casework.domain.workitems import Actor, Change, Conflict, WorkItem

PRODUCER = "casework"


class NotFound(LookupError):
    pass


def event_for(change: Change, loaded: Loaded, actor: str | None, now: datetime) -> EventEnvelope:
    """The `workitems.events` message that records `change`."""
    item, details = change.item, change.details
    payload = WorkItemPayload(work_item_id=item.id, queue_id=item.queue_id, rag=item.rag, due_at=item.due_at,
                              actor=actor, from_queue=details.get("from_queue"), reason=details.get("reason"),
                              outcome=details.get("outcome"), note=details.get("note"))
    return WORK_ITEM_EVENTS[change.event_type](event_type=change.event_type, occurred_at=now,
                                              referral_id=item.referral_id,
                                              correlation_id=loaded.correlation_id, producer=PRODUCER,
                                              payload=payload)


class WorkQueue:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, urgency: QueueUrgency) -> None:
        self._uow, self._clock, self._urgency = uow, clock, urgency

    def _move(self, to_queue: str, reason: str | None) -> workitems.Move:
        return workitems.Move(to_queue, reason, self._urgency, self._clock.now())

    async def _act(self, item_id: UUID, actor: Actor, action: Callable[[WorkItem], Change]) -> WorkItem:
        async with self._uow() as uow:
            loaded = await uow.lock_item(item_id)
            if loaded is None:
                raise NotFound(item_id)
            change = action(loaded.item)
            event = event_for(change, loaded, actor.id, self._clock.now())
            await uow.save_item(change.item)
            await uow.add_timeline(change.item, event)
            await uow.stage((event, WORKITEMS_EVENTS))
            await uow.commit()
            return change.item

    async def claim(self, item_id: UUID, actor: Actor) -> WorkItem:
        return await self._act(item_id, actor, lambda item: workitems.claim(item, actor))

    async def release(self, item_id: UUID, actor: Actor) -> WorkItem:
        return await self._act(item_id, actor, lambda item: workitems.release(item, actor))

    async def transfer(self, item_id: UUID, actor: Actor, *, to_queue: str, reason: str | None) -> WorkItem:
        move = self._move(to_queue, reason)
        return await self._act(item_id, actor, lambda item: workitems.transfer(item, actor, move))

    async def override(self, item_id: UUID, actor: Actor, *, to_queue: str, reason: str | None) -> WorkItem:
        move = self._move(to_queue, reason)
        return await self._act(item_id, actor, lambda item: workitems.override(item, actor, move))

    async def close(self, item_id: UUID, actor: Actor, *, outcome: str | None, note: str | None) -> WorkItem:
        return await self._act(item_id, actor, lambda item: workitems.close(item, actor, outcome, note))

    async def feedback(self, item_id: UUID, actor: Actor, *, note: str | None) -> WorkItem:
        return await self._act(item_id, actor, lambda item: workitems.feedback(item, actor, note))


__all__ = ["Conflict", "Loaded", "NotFound", "WorkQueue"]
