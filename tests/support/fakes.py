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


class FakeIntakeUnitOfWork:
    def __init__(self, store: IntakeStore) -> None:
        self.store, self._pending = store, None

    async def __aenter__(self):
        if self.store.fail_with:
            raise self.store.fail_with
        self._pending = {"referrals": {}, "keys": {}, "outbox": []}
        return self

    async def __aexit__(self, *exc) -> None:
        self._pending = None

    async def claim_idempotency_key(self, *, partner_id, key, fingerprint, referral_id):
        earlier = self.store.keys.get((partner_id, key))
        if earlier:
            return earlier
        self._pending["keys"][(partner_id, key)] = IdempotencyRecord(fingerprint, referral_id)
        return None

    async def add_referral(self, *, referral_id, partner_id, referral, received_at) -> None:
        self._pending["referrals"][referral_id] = (partner_id, referral, received_at)

    async def stage(self, *events) -> None:
        self._pending["outbox"].extend(events)

    async def commit(self) -> None:
        self.store.referrals |= self._pending["referrals"]
        self.store.keys |= self._pending["keys"]
        self.store.outbox += self._pending["outbox"]


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
