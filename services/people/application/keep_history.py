"""Use case: keep each person's history current from what happens after identification.

- `referrals.triaged`: the referral's route, and the work it opened (primary and parallel).
- `workitems.events`: work moved to another queue (transferred, overridden, re-decided), or closed with an
  outcome.
- `people.events`: a practitioner confirmed a candidate: the referral's person joins the known one, whose
  history it now shares, marked as confirmed, and `ReferralReidentified` carries the joined history to triage,
  which decides the referral again (a confirmed link can raise concern: a third referral in a year, open
  statutory work); or rejected it (recorded, so the pair is not offered again).
Events the history does not depend on (claims, clocks, feedback, our own re-identifications) are taken and
ignored; a redelivery changes nothing (inbox).
"""

from collections.abc import Sequence

from shared.clock import Clock
from shared.events import PersonLinkConfirmed, PersonLinkRejected, ReferralTriaged
from shared.events.envelope import EventEnvelope
from shared.events.people import ReferralReidentified, ReferralReidentifiedPayload
from shared.events.topics import PEOPLE_EVENTS
from shared.events.workitems import RouteOverridden, WorkItemClosed, WorkItemRedecided, WorkItemTransferred
from shared.messaging.ports import first_time
from services.people.application.ports import PeopleUnitOfWork, UnitOfWorkFactory
from services.people.domain.history import snapshot, twelve_months_before

MOVES = RouteOverridden | WorkItemTransferred | WorkItemRedecided | WorkItemClosed


class KeepHistory:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def execute_many(self, events: Sequence[EventEnvelope]) -> None:
        async with self._uow() as uow:
            links = [e.payload for e in events if isinstance(e, PersonLinkConfirmed)]
            if links:  # before anything else, in one go: a second acquisition could deadlock with identification
                await uow.hold_for_linking({p for link in links for p in (link.person_id, link.candidate_person_id)})
            for event in await first_time(uow, events):
                await self._apply(uow, event)
            await uow.commit()

    async def _apply(self, uow: PeopleUnitOfWork, event: EventEnvelope) -> None:
        if isinstance(event, ReferralTriaged):
            p = event.payload
            work = [(p.work_item_id, p.decision.primary_queue.value)]
            work += [(w.work_item_id, w.queue_id.value) for w in p.parallel_work]
            await uow.record_routes(referral_id=event.referral_id, primary_queue=p.decision.primary_queue.value,
                                    work=work)
        elif isinstance(event, MOVES):
            change = event.payload
            await uow.record_work_change(work_item_id=change.work_item_id, queue_id=change.queue_id.value,
                                         closed_with=(change.outcome or "closed")
                                         if isinstance(event, WorkItemClosed) else None)
        elif isinstance(event, PersonLinkConfirmed):
            await self._confirmed(uow, event)
        elif isinstance(event, PersonLinkRejected):
            await uow.reject(person_id=await uow.current_person(event.payload.person_id),
                             candidate_person_id=await uow.current_person(event.payload.candidate_person_id))

    async def _confirmed(self, uow: PeopleUnitOfWork, event: PersonLinkConfirmed) -> None:
        """Join the persons as they are now (either may have been joined into another since the practitioner's
        page was drawn; joined already, there is nothing to join), and tell triage the referral's joined history
        (read before the join, from both, so the referral's own record and work are told apart from what it
        joins)."""
        link = event.payload
        person = await uow.current_person(link.person_id)
        candidate = await uow.current_person(link.candidate_person_id)
        matched = await uow.matched(event.referral_id)
        if matched is not None:
            since = twelve_months_before(matched.received_at)
            known = list((await uow.histories_of({candidate, person}, since)).values())
            history = snapshot(received_at=matched.received_at,
                               referrals=[r for h in known for r in h.referrals if r.referral_id != event.referral_id],
                               open_work=[w for h in known for w in h.open_work if w.referral_id != event.referral_id],
                               link_confirmed=True)
            await uow.stage((event.caused(
                ReferralReidentified, producer="people", occurred_at=self._clock.now(),
                payload=ReferralReidentifiedPayload(
                    person_id=candidate, previous_person_id=person, history=history,
                    candidates=[c for c in matched.candidates
                                if c.person_id not in (candidate, link.candidate_person_id)])),
                PEOPLE_EVENTS))
        if person != candidate:
            await uow.link(person_id=person, into=candidate)
