"""Use case: apply triage's decision made again after a confirmed link (`referrals.redecided`).

When the decision changed, the referral's primary work item moves to the new primary queue (unclaimed, so the
team that now owns it picks it up) or becomes more urgent, with the reason on its timeline and a
`WorkItemRedecided` event for notify, people and audit. The decision is recorded either way, so the trays'
re-referral and open-case flags follow it. An item not opened yet is retried (and dead-lettered, alerted, if it
never appears): a re-decision is never dropped.
"""

from collections.abc import Sequence

from shared.clock import Clock
from shared.events.topics import WORKITEMS_EVENTS
from shared.events.triage import Decision, ReferralRedecided
from shared.messaging.ports import first_time
from services.casework.application.ports import CaseworkUnitOfWork, UnitOfWorkFactory
from services.casework.application.work_queue import event_for
from services.casework.domain import workitems
from services.casework.domain.urgency import QueueUrgency

HISTORY_RULES = ("HR1", "HR2")  # the history rules that move a referral


class WorkNotOpenYet(LookupError):
    """The referral's work item is not in casework yet: try again shortly."""


def why(decision: Decision) -> str:
    matched = [f"{t.rule_id} {t.title}" for t in decision.trace if t.rule_id in HISTORY_RULES and t.matched]
    return (f"Decided again after a practitioner confirmed who the child is: {decision.primary_queue.value}, "
            f"{decision.rag.value}" + (f" ({'; '.join(matched)})" if matched else "") + ".")


class ApplyRedecisions:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, urgency: QueueUrgency) -> None:
        self._uow, self._clock, self._urgency = uow, clock, urgency

    async def execute_many(self, events: Sequence[ReferralRedecided]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                await self._apply(uow, event)
            await uow.commit()

    async def _apply(self, uow: CaseworkUnitOfWork, event: ReferralRedecided) -> None:
        decision = event.payload.decision
        await uow.record_decision(referral_id=event.referral_id, decision=decision)
        if not event.payload.changed:
            return
        loaded = await uow.lock_primary_item(event.referral_id)
        if loaded is None:
            raise WorkNotOpenYet(event.referral_id)
        now = self._clock.now()
        move = workitems.Move(decision.primary_queue.value, why(decision), self._urgency, now)
        change = workitems.redecided(loaded.item, decision.rag.value, move)
        if change is None:
            return
        work_event = event_for(change, loaded, None, now)
        await uow.save_item(change.item)
        await uow.add_timeline(change.item, work_event)
        await uow.stage((work_event, WORKITEMS_EVENTS))


