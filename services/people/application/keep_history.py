"""Use case: keep each person's history current from what happens after identification.

- `referrals.triaged`: the referral's route, and the work it opened (primary and parallel).
- `workitems.events`: work moved to another queue, or closed with an outcome.
- `people.events`: a practitioner confirmed a candidate (the referral's person joins the known one, whose
  history it now shares, marked as confirmed) or rejected it (recorded, so the pair is on file).
Events the history does not depend on (claims, clocks, feedback) are taken and ignored; a redelivery changes
nothing (inbox).
"""

from collections.abc import Sequence

from shared.events import PersonLinkConfirmed, PersonLinkRejected, ReferralTriaged
from shared.events.envelope import EventEnvelope
from shared.events.workitems import RouteOverridden, WorkItemClosed, WorkItemTransferred
from shared.messaging.ports import first_time
from services.people.application.ports import PeopleUnitOfWork, UnitOfWorkFactory


class KeepHistory:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute_many(self, events: Sequence[EventEnvelope]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                await apply(uow, event)
            await uow.commit()


async def apply(uow: PeopleUnitOfWork, event: EventEnvelope) -> None:
    if isinstance(event, ReferralTriaged):
        p = event.payload
        work = [(p.work_item_id, p.decision.primary_queue.value)]
        work += [(w.work_item_id, w.queue_id.value) for w in p.parallel_work]
        await uow.record_routes(referral_id=event.referral_id, primary_queue=p.decision.primary_queue.value,
                                work=work)
    elif isinstance(event, RouteOverridden | WorkItemTransferred | WorkItemClosed):
        change = event.payload
        await uow.record_work_change(work_item_id=change.work_item_id, queue_id=change.queue_id.value,
                                     closed_with=(change.outcome or "closed") if isinstance(event, WorkItemClosed)
                                     else None)
    elif isinstance(event, PersonLinkConfirmed):
        await uow.link(person_id=event.payload.person_id, into=event.payload.candidate_person_id)
    elif isinstance(event, PersonLinkRejected):
        await uow.reject(person_id=event.payload.person_id, candidate_person_id=event.payload.candidate_person_id)
