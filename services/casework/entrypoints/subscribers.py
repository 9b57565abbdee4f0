"""Casework's Kafka entrypoint: keep each received referral's body; open the work each triaged referral names."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralReceived, ReferralTriaged
from shared.events.topics import REFERRALS_RECEIVED, REFERRALS_TRIAGED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.casework.application.open_work import OpenWork, RecordReferral


def register(runtime: ServiceRuntime, record_referral: RecordReferral, open_work: OpenWork) -> None:
    @runtime.broker.subscriber(REFERRALS_RECEIVED, **runtime.batch_options())
    async def on_referrals_received(body: list, msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralReceived, value), record_referral.execute_many)

    @runtime.broker.subscriber(REFERRALS_TRIAGED, **runtime.batch_options())
    async def on_referrals_triaged(body: list, msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralTriaged, value), open_work.execute_many)
