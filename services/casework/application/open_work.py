"""Use case fed by people's and triage's topics: keep the referral practitioners will read, with who it is
about, and open the work it routed.

- From `referrals.identified`: the referral body, the person it is about, the match grade and the candidates
  a practitioner confirms or rejects. From `referrals.triaged`: the decision, and the primary work
  item and each parallel one, with the ids, urgency and clocks triage decided and announced on the queue
  topics. The topics are read apart; whichever arrives first, the other completes the picture (the console
  says when the body has not arrived yet).
- One consumer reads both topics, so a poll holding both kinds is one transaction; a redelivered event
  changes nothing (inbox).
"""

from collections.abc import Sequence

from shared.events import ReferralIdentified, ReferralTriaged
from shared.messaging.ports import first_time
from services.casework.application.ports import CaseworkUnitOfWork, NewItem, UnitOfWorkFactory


class TakeInReferrals:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute_many(self, events: Sequence[ReferralIdentified | ReferralTriaged]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                if isinstance(event, ReferralTriaged):
                    await open_work(uow, event)
                else:
                    await uow.save_referral(referral_id=event.referral_id, identified=event.payload)
            await uow.commit()


async def open_work(uow: CaseworkUnitOfWork, event: ReferralTriaged) -> None:
    p = event.payload
    await uow.open_case(referral_id=event.referral_id, decision=p.decision, received_at=p.received_at,
                        decision_due_at=p.decision_due_at, correlation_id=event.correlation_id,
                        items=items_of(event))


def items_of(event: ReferralTriaged) -> list[NewItem]:
    """The primary route's item, then one per parallel route, linked to it."""
    p, decision = event.payload, event.payload.decision
    primary = NewItem(id=p.work_item_id, queue_id=decision.primary_queue.value,
                      secondary_queues=tuple(q.value for q in decision.secondary_queues), rag=decision.rag.value,
                      due_at=p.due_at, primary_item_id=None)
    return [primary] + [NewItem(id=w.work_item_id, queue_id=w.queue_id.value, secondary_queues=(), rag=w.rag.value,
                                due_at=w.due_at, primary_item_id=p.work_item_id) for w in p.parallel_work]
