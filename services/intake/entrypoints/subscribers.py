"""Intake's Kafka entrypoint: triage outcomes, so partners can see that their referral was routed."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralTriaged
from shared.events.topics import REFERRALS_TRIAGED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.intake.application.record_triage_outcome import RecordTriageOutcome


def register(runtime: ServiceRuntime, record: RecordTriageOutcome) -> None:
    @runtime.broker.subscriber(REFERRALS_TRIAGED, **runtime.consumer_options())
    async def on_referral_triaged(body: bytes, msg: KafkaMessage) -> None:
        await runtime.deliver(lambda: record.execute(decode(ReferralTriaged, body)), msg)
