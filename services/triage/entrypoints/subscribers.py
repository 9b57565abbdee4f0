"""Triage's Kafka entrypoint: decode each poll's `ReferralReceived` events, triage them in one transaction."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralReceived
from shared.events.topics import REFERRALS_RECEIVED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.triage.application.triage_referral import TriageReferral


def register(runtime: ServiceRuntime, triage_referral: TriageReferral) -> None:
    @runtime.broker.subscriber(REFERRALS_RECEIVED, **runtime.batch_options())
    async def on_referrals_received(body: list, msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralReceived, value), triage_referral.execute_many)
