"""Use cases fed by triage's topics: keep the referral practitioners will read, and open the work it routed.

- `RecordReferral` (from `referrals.received`) keeps the referral body; `OpenWork` (from `referrals.triaged`)
  keeps the decision and opens the primary work item and each parallel one, with the ids, urgency and clocks
  triage decided and announced on the queue topics. The two topics are read independently: whichever
  arrives first, the other completes the picture (the console says when the body has not arrived yet).
- A redelivered event changes nothing (inbox); a poll's events commit in one transaction.
"""

from collections.abc import Sequence

from shared.events import ReferralReceived, ReferralTriaged
from shared.messaging.ports import first_time
from services.casework.application.ports import NewItem, UnitOfWorkFactory


class RecordReferral:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute_many(self, events: Sequence[ReferralReceived]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                await uow.save_referral(referral_id=event.referral_id, referral=event.payload.referral,
                                        received_at=event.payload.received_at)
            await uow.commit()


class OpenWork:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute_many(self, events: Sequence[ReferralTriaged]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                p = event.payload
                await uow.open_case(referral_id=event.referral_id, decision=p.decision, received_at=p.received_at,
                                    decision_due_at=p.decision_due_at, correlation_id=event.correlation_id,
                                    items=items_of(event))
            await uow.commit()


def items_of(event: ReferralTriaged) -> list[NewItem]:
    """The primary route's item, then one per parallel route, linked to it."""
    p, decision = event.payload, event.payload.decision
    primary = NewItem(id=p.work_item_id, queue_id=decision.primary_queue.value,
                      secondary_queues=tuple(q.value for q in decision.secondary_queues), rag=decision.rag.value,
                      due_at=p.due_at, primary_item_id=None)
    return [primary] + [NewItem(id=w.work_item_id, queue_id=w.queue_id.value, secondary_queues=(), rag=w.rag.value,
                                due_at=w.due_at, primary_item_id=p.work_item_id) for w in p.parallel_work]
