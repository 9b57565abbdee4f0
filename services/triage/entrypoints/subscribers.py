"""Triage's Kafka entrypoints: decode each poll's `ReferralIdentified` events (a referral with the person it is
about and their history), triage them in one transaction; and decide a referral again when a confirmed link
re-identifies it (`people.events`; practitioners' link decisions there are people's to apply)."""

from typing import Any

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralIdentified, ReferralReidentified
from shared.events.envelope import EventEnvelope
from shared.events.topics import PEOPLE_EVENTS, REFERRALS_IDENTIFIED
from shared.messaging.delivery import decode, decode_typed
from shared.runtime import ServiceRuntime
from services.triage.application.redecide_referral import RedecideReferral
from services.triage.application.triage_referral import TriageReferral

PEOPLE_MODELS: dict[str, Any] = {"ReferralReidentified": ReferralReidentified,
                                 "PersonLinkConfirmed": EventEnvelope, "PersonLinkRejected": EventEnvelope}


def register(runtime: ServiceRuntime, triage_referral: TriageReferral, redecide: RedecideReferral) -> None:
    @runtime.subscriber(REFERRALS_IDENTIFIED, **runtime.batch_options())
    async def on_referrals_identified(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralIdentified, value), triage_referral.execute_many)

    @runtime.subscriber(PEOPLE_EVENTS, **runtime.batch_options())
    async def on_people_events(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode_typed(PEOPLE_MODELS, value), redecide.execute_many)
