"""Use cases: the submitting partner's status follows the referral: routed when triage decides, acknowledged
when a MASH practitioner first takes it up. Once per event; one transaction per Kafka poll."""

from collections.abc import Sequence

from shared.events.envelope import EventEnvelope
from shared.events.workitems import WorkItemClaimed
from shared.messaging.ports import first_time
from services.intake.application.ports import UnitOfWorkFactory


class RecordTriageOutcome:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute_many(self, events: Sequence[EventEnvelope]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                await uow.mark_triaged(referral_id=event.referral_id, triaged_at=event.occurred_at,
                                       queue_id=event.payload.decision.primary_queue.value)
            await uow.commit()


class RecordAcknowledgement:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute_many(self, events: Sequence[EventEnvelope]) -> None:
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                if isinstance(event, WorkItemClaimed):
                    await uow.mark_acknowledged(referral_id=event.referral_id, at=event.occurred_at)
            await uow.commit()
