"""Referrals as intake publishes them, and units of work that keep what they stage: for integration tests of
the consumers' use cases on real PostgreSQL."""

import uuid
from datetime import UTC, datetime

from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralV1
from tests.support.referrals import referral_body


def received(**child) -> ReferralReceived:
    rid, now = uuid.uuid4(), datetime.now(UTC)
    body = referral_body(child=child) if child else referral_body()
    return ReferralReceived(occurred_at=now, referral_id=rid, correlation_id=rid, producer="intake",
                            payload=ReferralReceivedPayload(referral=ReferralV1.model_validate(body),
                                                            received_at=now, partner_id="test"))


def capturing(unit_of_work: type, staged: list) -> type:
    """`unit_of_work` that also keeps every event it stages in `staged`, to check what was published."""

    class Capture(unit_of_work):  # type: ignore[misc, valid-type]
        async def stage(self, *events):
            staged.extend(event for event, _ in events)
            await super().stage(*events)

    return Capture
