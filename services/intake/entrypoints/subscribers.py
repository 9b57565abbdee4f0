"""Intake's Kafka entrypoint: triage outcomes, so partners can see that their referral was routed."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralTriaged
from shared.events.envelope import EventEnvelope
from shared.events.topics import REFERRALS_TRIAGED, WORKITEMS_EVENTS
from shared.events.workitems import WORK_ITEM_EVENTS
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.intake.application.record_triage_outcome import RecordAcknowledgement, RecordTriageOutcome


def work_item_event(body: bytes):
    """The typed event for a claim (what acknowledges a referral); the envelope alone for anything else."""
    envelope = decode(EventEnvelope, body)
    return decode(WORK_ITEM_EVENTS[envelope.event_type], body) if envelope.event_type == "WorkItemClaimed" \
        else envelope


def register(runtime: ServiceRuntime, triaged: RecordTriageOutcome, acknowledged: RecordAcknowledgement) -> None:
    @runtime.subscriber(REFERRALS_TRIAGED, **runtime.batch_options())
    async def on_referrals_triaged(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralTriaged, value), triaged.execute_many)

    @runtime.subscriber(WORKITEMS_EVENTS, **runtime.batch_options())
    async def on_work_item_events(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, work_item_event, acknowledged.execute_many)
