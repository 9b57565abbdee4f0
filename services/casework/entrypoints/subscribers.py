"""Casework's Kafka entrypoints: one consumer on `referrals.identified` and `referrals.triaged`, so each poll is
decoded by its topic's contract model and taken in by one use case in one transaction; and one on
`referrals.redecided` (a confirmed link changed the decision: move or re-prioritise the work).

Casework is off the path to a lead practitioner's notification, so it trades a little latency for fewer
commits: after each batch it lets the next one gather for
`LINGER_SECONDS` (a consumer's linger), so a busy minute is tens of transactions, not two per referral. A work
item appears in the trays at most a few tenths of a second after triage decides.
"""

import asyncio
from typing import Any

from faststream.kafka.annotations import KafkaMessage

from shared.events import ReferralIdentified, ReferralRedecided, ReferralTriaged
from shared.events.topics import REFERRALS_IDENTIFIED, REFERRALS_REDECIDED, REFERRALS_TRIAGED
from shared.messaging.delivery import decode
from shared.messaging.offsets import commit_polled
from shared.runtime import ServiceRuntime
from services.casework.application.open_work import TakeInReferrals
from services.casework.application.redecisions import ApplyRedecisions

MODELS = {REFERRALS_IDENTIFIED: ReferralIdentified, REFERRALS_TRIAGED: ReferralTriaged}
LINGER_SECONDS = 0.1


def decoded(record: Any) -> ReferralIdentified | ReferralTriaged:
    return decode(MODELS[record.topic], record.value)


def register(runtime: ServiceRuntime, take_in: TakeInReferrals, redecisions: ApplyRedecisions) -> None:
    @runtime.subscriber(REFERRALS_IDENTIFIED, REFERRALS_TRIAGED, **runtime.batch_options())
    async def on_referrals(msg: KafkaMessage) -> None:
        await runtime.delivery.run_batch(msg.raw_message, decoded, take_in.execute_many)
        await asyncio.sleep(LINGER_SECONDS)  # the offsets commit after this: nothing is acknowledged early
        await commit_polled(msg)

    @runtime.subscriber(REFERRALS_REDECIDED, **runtime.batch_options())
    async def on_redecisions(msg: KafkaMessage) -> None:
        await runtime.deliver_batch(msg, lambda value: decode(ReferralRedecided, value), redecisions.execute_many)
