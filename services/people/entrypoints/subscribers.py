"""People's Kafka entrypoints: identify each poll of received referrals in one transaction; keep history from
decisions, work-item changes and practitioners' link decisions (one consumer on the three topics)."""

from typing import Any

from faststream.kafka.annotations import KafkaMessage

from shared.events import (
    PersonLinkConfirmed,
    PersonLinkRejected,
    ReferralReceived,
    ReferralReidentified,
    ReferralTriaged,
)
from shared.events.topics import PEOPLE_EVENTS, REFERRALS_RECEIVED, REFERRALS_TRIAGED, WORKITEMS_EVENTS
from shared.events.workitems import WORK_ITEM_EVENTS
from shared.messaging.delivery import decode, decode_typed
from shared.runtime import ServiceRuntime
from services.people.application.identify import IdentifyReferrals
from services.people.application.keep_history import KeepHistory

HISTORY_MODELS: dict[str, Any] = {
    "ReferralTriaged": ReferralTriaged, "PersonLinkConfirmed": PersonLinkConfirmed,
    "PersonLinkRejected": PersonLinkRejected, "ReferralReidentified": ReferralReidentified, **WORK_ITEM_EVENTS}


def register(runtime: ServiceRuntime, identify: IdentifyReferrals, keep_history: KeepHistory) -> None:
    @runtime.subscriber(REFERRALS_RECEIVED, **runtime.batch_options())
    async def on_referrals_received(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralReceived, value), identify.execute_many)

    @runtime.subscriber(REFERRALS_TRIAGED, WORKITEMS_EVENTS, PEOPLE_EVENTS, **runtime.batch_options())
    async def on_history(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode_typed(HISTORY_MODELS, value), keep_history.execute_many)
