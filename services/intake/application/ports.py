"""What intake's use cases need: a transaction that stores referrals, the partner directory, status reads."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.events.envelope import EventEnvelope
from shared.events.referral import ReferralV1
from shared.messaging.ports import EventTransaction


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    source: str | None


@dataclass(frozen=True)
class IdempotencyRecord:
    fingerprint: str
    referral_id: UUID


@dataclass(frozen=True)
class ReferralStatus:
    """What a partner may know about its own referral: progress, not the decision's reasoning."""

    referral_id: UUID
    status: str
    received_at: datetime
    triaged_at: datetime | None
    routed_to: str | None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class NewReferral:
    """A partner's referral as it is to be stored, with the key it came under and the event announcing it."""

    referral_id: UUID
    partner_id: str
    idempotency_key: str
    fingerprint: str
    referral: ReferralV1
    received_at: datetime
    received: EventEnvelope
    topic: str


class ReferralStore(Protocol):
    async def store_once(self, new: NewReferral) -> IdempotencyRecord | None:
        """Store the referral, its idempotency record and its event atomically, unless the partner used the key
        before: then nothing is stored and the earlier record is returned."""


class IntakeUnitOfWork(EventTransaction, Protocol):
    async def mark_triaged(self, *, referral_id: UUID, queue_id: str, triaged_at: datetime) -> None: ...

    async def mark_acknowledged(self, *, referral_id: UUID, at: datetime) -> None: ...


UnitOfWorkFactory = Callable[[], IntakeUnitOfWork]


class PartnerDirectory(Protocol):
    async def by_key(self, key: str) -> Partner | None:
        """The active partner holding `key`, or None (unknown, wrong or revoked)."""


class ReferralStatuses(Protocol):
    async def for_partner(self, referral_id: UUID, partner_id: str) -> ReferralStatus | None:
        """The referral's status if `partner_id` submitted it; None otherwise (never another's)."""

    async def database_ready(self) -> bool: ...


class BacklogGauge(Protocol):
    def current(self) -> int:
        """Referrals handed downstream and not yet triaged, as last measured."""


class RateLimiter(Protocol):
    """A partner's request rate, counted wherever every replica sees the same count."""

    async def admit(self, partner_id: str, now: datetime) -> float | None:
        """None when the request may go ahead; otherwise the seconds to wait before trying again."""
