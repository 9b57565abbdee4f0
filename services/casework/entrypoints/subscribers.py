"""Casework's Kafka entrypoint: one consumer on `referrals.received` and `referrals.triaged`, so each poll is
decoded by its topic's contract model and taken in by one use case in one transaction."""

from typing import Any

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralReceived, ReferralTriaged
from shared.events.topics import REFERRALS_RECEIVED, REFERRALS_TRIAGED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.casework.application.open_work import TakeInReferrals

MODELS = {REFERRALS_RECEIVED: ReferralReceived, REFERRALS_TRIAGED: ReferralTriaged}


def decoded(record: Any) -> ReferralReceived | ReferralTriaged:
    return decode(MODELS[record.topic], record.value)


def register(runtime: ServiceRuntime, take_in: TakeInReferrals) -> None:
    @runtime.broker.subscriber(REFERRALS_RECEIVED, REFERRALS_TRIAGED, **runtime.batch_options())
    async def on_referrals(body: list[Any], msg: KafkaMessage) -> None:
        await runtime.delivery.run_batch(msg.raw_message, decoded, take_in.execute_many)
