"""The directory table: managed with `frontdoor notify directory`, seeded from the development file."""

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.codes import QueueId
from services.notify.adapters.sqla_unit_of_work import to_recipient
from services.notify.adapters.tables import recipients
from services.notify.domain.messages import DUTY_MANAGER, NoRecipient, Recipient


class SqlaDirectory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def upsert(self, *entries: Recipient) -> None:
        if not entries:
            return
        rows = [{"id": r.id, "queue_id": r.queue_id, "role": r.role, "channel": r.channel, "address": r.address,
                 "area": r.area} for r in entries]
        statement = insert(recipients).values(rows)
        async with self._engine.begin() as conn:
            await conn.execute(statement.on_conflict_do_update(index_elements=["id"], set_={
                c: statement.excluded[c] for c in ("queue_id", "role", "channel", "address", "area")}))

    async def replace_all(self, entries: list[Recipient]) -> None:
        """Make the table exactly `entries` (a development seed file is the whole directory)."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(recipients))
            if entries:
                await conn.execute(insert(recipients).values([
                    {"id": r.id, "queue_id": r.queue_id, "role": r.role, "channel": r.channel, "address": r.address,
                     "area": r.area} for r in entries]))

    async def remove(self, recipient_id: str) -> bool:
        async with self._engine.begin() as conn:
            return (await conn.execute(delete(recipients).where(recipients.c.id == recipient_id))).rowcount == 1

    async def all(self) -> list[Recipient]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(recipients).order_by(recipients.c.queue_id, recipients.c.id))
            return [to_recipient(r) for r in rows]

    async def check_complete(self) -> None:
        """Every queue and the duty manager must have someone to tell, or notify refuses to start."""
        entries = await self.all()
        covered = {r.queue_id for r in entries if r.role != DUTY_MANAGER or r.queue_id == DUTY_MANAGER}
        missing = [q for q in [*(q.value for q in QueueId), DUTY_MANAGER] if q not in covered]
        if missing:
            raise NoRecipient(f"no recipient for: {', '.join(missing)} (add with `frontdoor notify directory add`)")
