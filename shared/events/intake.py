"""Intake's event: a referral accepted and made durable."""

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from shared.events.envelope import EventEnvelope
from shared.events.referral import ReferralV1


class ReferralReceivedPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    referral: ReferralV1
    received_at: AwareDatetime
    partner_id: str


class ReferralReceived(EventEnvelope):
    """A partner's referral as accepted; every clock starts at `received_at`."""

    event_type: Literal["ReferralReceived"] = "ReferralReceived"
    schema_version: Literal[1] = 1
    payload: ReferralReceivedPayload
