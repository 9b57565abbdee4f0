"""In-memory implementations of intake's ports, for unit tests of the HTTP contract (no I/O)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from services.intake.application.ports import IdempotencyRecord, Partner, ReferralStatus


class FixedClock:
    def __init__(self, now: datetime = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


@dataclass
class FakeBacklog:
    """Intake's backlog gauge, set by the test."""

    untriaged: int = 0

    def current(self) -> int:
        return self.untriaged


@dataclass
class IntakeStore:
    referrals: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    outbox: list = field(default_factory=list)
    fail_with: Exception | None = None


class FakeReferralStore:
    def __init__(self, store: IntakeStore) -> None:
        self.store = store

    async def store_once(self, new) -> IdempotencyRecord | None:
        if self.store.fail_with:
            raise self.store.fail_with
        if earlier := self.store.keys.get((new.partner_id, new.idempotency_key)):
            return earlier
        self.store.keys[(new.partner_id, new.idempotency_key)] = IdempotencyRecord(new.fingerprint, new.referral_id)
        self.store.referrals[new.referral_id] = (new.partner_id, new.referral, new.received_at)
        self.store.outbox.append((new.received, new.topic))
        return None


class FakePartners:
    def __init__(self, **keys: Partner) -> None:
        self._keys = keys

    async def by_key(self, key: str) -> Partner | None:
        return self._keys.get(key)


class FakeStatuses:
    def __init__(self, store: IntakeStore) -> None:
        self.store = store

    async def for_partner(self, referral_id: UUID, partner_id: str):
        found = self.store.referrals.get(referral_id)
        if not found or found[0] != partner_id:
            return None
        return ReferralStatus(referral_id, "received", found[2], None, None)

    async def database_ready(self) -> bool:
        return self.store.fail_with is None
