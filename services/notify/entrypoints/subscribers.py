"""Notify's Kafka entrypoints: triage decisions and work-item events, recorded as notification intents, one
transaction per poll."""

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralTriaged
from shared.events.topics import REFERRALS_TRIAGED, WORKITEMS_EVENTS
from shared.events.workitems import WORK_ITEM_EVENTS
from shared.messaging.delivery import decode, decode_typed
from shared.runtime import ServiceRuntime
from services.notify.application.record_notifications import RecordNotifications


def decode_work_item(body: bytes):
    return decode_typed(WORK_ITEM_EVENTS, body)


def register(runtime: ServiceRuntime, record: RecordNotifications) -> None:
    @runtime.subscriber(REFERRALS_TRIAGED, **runtime.batch_options())
    async def on_referrals_triaged(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralTriaged, value), record.execute_many)

    @runtime.subscriber(WORKITEMS_EVENTS, **runtime.batch_options())
    async def on_work_item_events(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, decode_work_item, record.execute_many)
