"""Notify's Kafka entrypoints: triage decisions and work-item events, recorded as notification intents, one
transaction per poll."""

import json

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralTriaged
from shared.events.topics import REFERRALS_TRIAGED, WORKITEMS_EVENTS
from shared.events.workitems import WORK_ITEM_EVENTS
from shared.messaging.delivery import PoisonMessage, decode
from shared.runtime import ServiceRuntime
from services.notify.application.record_notifications import RecordNotifications


def decode_work_item(body: bytes):
    try:
        event_type = json.loads(body)["event_type"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PoisonMessage("not a work-item event") from exc
    cls = WORK_ITEM_EVENTS.get(event_type)
    if cls is None:
        raise PoisonMessage(f"unknown work-item event type {event_type!r}")
    return decode(cls, body)


def register(runtime: ServiceRuntime, record: RecordNotifications) -> None:
    @runtime.broker.subscriber(REFERRALS_TRIAGED, **runtime.batch_options())
    async def on_referrals_triaged(body: list, msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralTriaged, value), record.execute_many)

    @runtime.broker.subscriber(WORKITEMS_EVENTS, **runtime.batch_options())
    async def on_work_item_events(body: list, msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, decode_work_item, record.execute_many)
