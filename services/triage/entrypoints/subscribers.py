"""Triage's Kafka entrypoint: decode each poll's `ReferralIdentified` events (a referral with the person it is
about and their history), triage them in one transaction."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralIdentified
from shared.events.topics import REFERRALS_IDENTIFIED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.triage.application.triage_referral import TriageReferral


def register(runtime: ServiceRuntime, triage_referral: TriageReferral) -> None:
    @runtime.broker.subscriber(REFERRALS_IDENTIFIED, **runtime.batch_options())
    async def on_referrals_identified(body: list, msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralIdentified, value), triage_referral.execute_many)
