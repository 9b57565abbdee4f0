"""Intake's unit of work (status updates from downstream), status reads and partner directory on Postgres."""

import time
from collections.abc import Callable

from cachetools import TTLCache
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.unit_of_work import SqlaUnitOfWork
from services.intake.adapters.tables import partners, referrals
from services.intake.application.ports import Partner, ReferralStatus
from services.intake.domain.partner_keys import key_matches, prefix_of

_NOT_CACHED = object()

MARK_TRIAGED = update(referrals).where(referrals.c.id == bindparam("b_id")).values(
    status=func.coalesce(func.nullif(referrals.c.status, "received"), "triaged"),
    routed_to=bindparam("b_queue"), triaged_at=bindparam("b_at"))


class SqlaIntakeUnitOfWork(SqlaUnitOfWork):
    """Triage outcomes are applied at commit, one statement for a whole batch."""

    async def mark_triaged(self, *, referral_id, queue_id, triaged_at) -> None:
        self.write_at_commit(MARK_TRIAGED, {"b_id": referral_id, "b_queue": queue_id, "b_at": triaged_at})

    async def mark_acknowledged(self, *, referral_id, at) -> None:
        await self.conn.execute(update(referrals).where(referrals.c.id == referral_id,
                                                        referrals.c.acknowledged_at.is_(None)).values(
            status="acknowledged", acknowledged_at=at))


class SqlaReferralStatuses:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def for_partner(self, referral_id, partner_id) -> ReferralStatus | None:
        r = referrals.c
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(r.id.label("referral_id"), r.status, r.received_at, r.triaged_at,
                                             r.routed_to, r.acknowledged_at).where(r.id == referral_id,
                                                                      r.partner_id == partner_id))).first()
        return ReferralStatus(**row._mapping) if row else None

    async def database_ready(self) -> bool:
        try:
            async with self._engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure to answer is "not ready"
            return False
        return True


class SqlaPartnerDirectory:
    """Active partners by key prefix, remembered for `ttl_seconds`: a lookup per request was an eighth of
    intake's CPU. So a revoked key keeps working for at most that long on each replica.

    The cache is read once per request: an entry may expire between a membership test and a read, which once
    turned a valid key into a 500."""

    def __init__(self, engine: AsyncEngine, ttl_seconds: float = 5.0,
                 timer: Callable[[], float] = time.monotonic) -> None:
        self._engine = engine
        self._recent: TTLCache = TTLCache(maxsize=1024, ttl=ttl_seconds, timer=timer)

    async def by_key(self, key: str) -> Partner | None:
        prefix = prefix_of(key)
        if prefix is None:
            return None
        row = self._recent.get(prefix, _NOT_CACHED)
        if row is _NOT_CACHED:
            async with self._engine.connect() as conn:
                row = (await conn.execute(select(partners).where(
                    partners.c.key_prefix == prefix, partners.c.revoked_at.is_(None)))).first()
            self._recent[prefix] = row
        if row is None or not key_matches(key, row.key_hash):
            return None
        return Partner(id=row.id, name=row.name, source=row.source)
