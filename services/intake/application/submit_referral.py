"""Use case: accept a partner's referral durably, exactly once per Idempotency-Key.

- The referral, the idempotency record and the `ReferralReceived` outbox row commit in one transaction:
  a 202 is only ever given for a referral that is stored. (`ReferralStore.store_once` is that transaction.)
- A retry with the same key and the same body gets the original referral id; the same key with a different
  body is a conflict, never a second referral.
- Concurrent retries with one key serialise on the key's unique index, so exactly one referral is created.
- At capacity (see `domain/admission.py`) a non-urgent referral is not stored and the partner is asked to
  retry; nothing is lost because nothing was accepted.
"""

from dataclasses import dataclass
from uuid import UUID, uuid4

from shared.clock import Clock
from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralV1
from shared.events.topics import REFERRALS_RECEIVED
from services.intake.application.ports import BacklogGauge, NewReferral, Partner, ReferralStore
from services.intake.domain.admission import Admission, must_wait


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used for a different referral body."""


class AtCapacity(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class Accepted:
    referral_id: UUID
    replayed: bool


class SubmitReferral:
    def __init__(self, *, store: ReferralStore, clock: Clock,
                 backlog: BacklogGauge, admission: Admission) -> None:
        self._store, self._clock, self._backlog, self._admission = store, clock, backlog, admission

    async def execute(self, *, partner: Partner, idempotency_key: str, referral: ReferralV1,
                      fingerprint: str) -> Accepted:
        if must_wait(referral, self._backlog.current(), self._admission):
            raise AtCapacity(self._admission.retry_after_seconds)
        referral_id, received_at = uuid4(), self._clock.now()
        event = ReferralReceived(occurred_at=received_at, referral_id=referral_id, correlation_id=referral_id,
                                 producer="intake", payload=ReferralReceivedPayload(
                                     referral=referral, received_at=received_at, partner_id=partner.id))
        earlier = await self._store.store_once(NewReferral(
            referral_id=referral_id, partner_id=partner.id, idempotency_key=idempotency_key,
            fingerprint=fingerprint, referral=referral, received_at=received_at,
            received=event, topic=REFERRALS_RECEIVED))
        if earlier is None:
            return Accepted(referral_id, replayed=False)
        if earlier.fingerprint != fingerprint:
            raise IdempotencyConflict(idempotency_key)
        return Accepted(earlier.referral_id, replayed=True)
