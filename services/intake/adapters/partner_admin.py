"""Operator actions on the partner table: register a partner (its key is shown once), list partners, revoke a key."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.adapters.tables import partners
from services.intake.domain.partner_keys import PREFIX_LENGTH, key_from_parts, key_hash


@dataclass(frozen=True)
class PartnerRow:
    id: str
    name: str
    source: str | None
    key_prefix: str
    created_at: datetime
    revoked_at: datetime | None


async def add_partner(engine: AsyncEngine, *, partner_id: str, name: str, source: str | None) -> str:
    """Store a new partner with a fresh key; return the key, which is never stored or shown again."""
    key = key_from_parts(secrets.token_hex(PREFIX_LENGTH // 2), secrets.token_urlsafe(32))
    async with engine.begin() as conn:
        await conn.execute(insert(partners).values(id=partner_id, name=name, source=source,
                                                   key_prefix=key.prefix, key_hash=key_hash(key.key)))
    return key.key


async def list_partners(engine: AsyncEngine) -> list[PartnerRow]:
    async with engine.connect() as conn:
        rows = (await conn.execute(select(partners).order_by(partners.c.created_at))).all()
    return [PartnerRow(r.id, r.name, r.source, r.key_prefix, r.created_at, r.revoked_at) for r in rows]


async def revoke_partner(engine: AsyncEngine, partner_id: str, *, now: datetime) -> bool:
    async with engine.begin() as conn:
        result = await conn.execute(update(partners).where(partners.c.id == partner_id,
                                                           partners.c.revoked_at.is_(None)).values(revoked_at=now))
    return result.rowcount == 1


async def delete_partner(engine: AsyncEngine, partner_id: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(partners.delete().where(partners.c.id == partner_id))


async def key_is_current(engine: AsyncEngine, partner_id: str, key: str) -> bool:
    """The partner exists, is not revoked, and `key` is its key."""
    async with engine.connect() as conn:
        row = (await conn.execute(select(partners.c.key_hash, partners.c.revoked_at)
                                  .where(partners.c.id == partner_id))).first()
    return row is not None and row.revoked_at is None and secrets.compare_digest(row.key_hash, key_hash(key))
