"""Use case: when a referral is triaged, record one notification intent per recipient.

Recording the intent (with its deterministic reference) before anything is sent is what makes sending
exactly-once in effect: a redelivered event finds its references taken, and the dispatcher sends what is
recorded and not yet sent, across restarts.
"""

from shared.events import ReferralTriaged
from services.notify.domain.messages import NoRecipient, Recipient, recipients_for, reference


class RecordNotifications:
    def __init__(self, *, uow, directory: dict[str, list[Recipient]], wake_dispatcher) -> None:
        self._uow, self._directory, self._wake = uow, directory, wake_dispatcher

    async def execute(self, event: ReferralTriaged) -> None:
        decision = event.payload.decision
        async with self._uow() as uow:
            if not await uow.first_delivery(event.event_id):
                return
            try:
                recipients = recipients_for(decision.primary_queue, decision.rag, self._directory)
            except NoRecipient:
                await uow.record_unroutable(event)
            else:
                for recipient in recipients:
                    await uow.add_intent(event=event, recipient=recipient,
                                         reference=reference(event.referral_id, event.event_id, recipient.id))
            await uow.commit()
        self._wake()
