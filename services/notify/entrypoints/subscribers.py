"""Notify's Kafka entrypoint: decode `ReferralTriaged`, record who must be told."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralTriaged
from shared.events.topics import REFERRALS_TRIAGED
from shared.messaging.delivery import decode
from shared.runtime import ServiceRuntime
from services.notify.application.record_notifications import RecordNotifications


def register(runtime: ServiceRuntime, record: RecordNotifications) -> None:
    @runtime.broker.subscriber(REFERRALS_TRIAGED, **runtime.consumer_options())
    async def on_referral_triaged(body: bytes, msg: KafkaMessage) -> None:
        await runtime.deliver(lambda: record.execute(decode(ReferralTriaged, body)), msg)
