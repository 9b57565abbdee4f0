"""What intake's use cases need: a transaction that stores referrals, and the partner directory."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.events.envelope import EventEnvelope
from shared.events.referral import ReferralV1


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    source: str | None


@dataclass(frozen=True)
class IdempotencyRecord:
    fingerprint: str
    referral_id: UUID


class IntakeUnitOfWork(Protocol):
    async def claim_idempotency_key(self, *, partner_id: str, key: str, fingerprint: str,
                                    referral_id: UUID) -> IdempotencyRecord | None:
        """Claim `key` for this request; returns the earlier record when the key was used before."""

    async def add_referral(self, *, referral_id: UUID, partner_id: str, referral: ReferralV1,
                           received_at: datetime) -> None: ...

    async def stage(self, *events: tuple[EventEnvelope, str]) -> None: ...

    async def commit(self) -> None: ...


class PartnerDirectory(Protocol):
    async def by_key(self, key: str) -> Partner | None:
        """The active partner holding `key`, or None (unknown, wrong or revoked)."""
