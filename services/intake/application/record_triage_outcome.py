"""Use cases: the submitting partner's status follows the referral: routed when triage decides, acknowledged
when a MASH practitioner first takes it up. Once per event; one transaction per Kafka poll."""

from shared.events import ReferralTriaged
from shared.events.workitems import WorkItemClaimed
from shared.messaging.traced_batch import TracedBatch


class RecordTriageOutcome:
    def __init__(self, *, uow) -> None:
        self._uow = uow

    async def execute_many(self, events: TracedBatch) -> None:
        async with self._uow() as uow:
            fresh = await uow.first_deliveries([event.event_id for event in events.untraced()])
            for event in events.untraced():
                if event.event_id in fresh:
                    fresh.discard(event.event_id)  # twice in one poll is still once
                    await uow.mark_triaged(referral_id=event.referral_id, triaged_at=event.occurred_at,
                                           queue_id=event.payload.decision.primary_queue.value)
            await uow.commit()


class RecordAcknowledgement:
    def __init__(self, *, uow) -> None:
        self._uow = uow

    async def execute_many(self, events: TracedBatch) -> None:
        async with self._uow() as uow:
            for event in events:
                if await uow.first_delivery(event.event_id) and isinstance(event, WorkItemClaimed):
                    await uow.mark_acknowledged(referral_id=event.referral_id, at=event.occurred_at)
            await uow.commit()
