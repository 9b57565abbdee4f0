"""Use case: when triage has decided, the submitting partner's status shows it (once per event)."""

from shared.events import ReferralTriaged


class RecordTriageOutcome:
    def __init__(self, *, uow) -> None:
        self._uow = uow

    async def execute(self, event: ReferralTriaged) -> None:
        async with self._uow() as uow:
            if await uow.first_delivery(event.event_id):
                await uow.mark_triaged(referral_id=event.referral_id, triaged_at=event.occurred_at,
                                       queue_id=event.payload.decision.primary_queue.value)
            await uow.commit()
