"""Triage's Kafka entrypoint: decode `ReferralReceived`, run the triage use case."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralReceived
from shared.events.topics import REFERRALS_RECEIVED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.triage.application.triage_referral import TriageReferral


def register(runtime: ServiceRuntime, triage_referral: TriageReferral) -> None:
    @runtime.broker.subscriber(REFERRALS_RECEIVED, **runtime.consumer_options())
    async def on_referral_received(body: bytes, msg: KafkaMessage) -> None:
        await runtime.deliver(lambda: triage_referral.execute(decode(ReferralReceived, body)), msg)
