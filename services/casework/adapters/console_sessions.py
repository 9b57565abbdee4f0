"""Console sessions in the database: created at sign-in, looked up on each page, deleted at sign-out."""

import secrets
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.casework.adapters.tables import console_sessions


class SqlaConsoleSessions:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def start(self, token: str, expires_at: datetime) -> str:
        session_id = secrets.token_urlsafe(32)
        async with self._engine.begin() as conn:
            await conn.execute(insert(console_sessions).values(id=session_id, token=token, expires_at=expires_at))
            await conn.execute(delete(console_sessions).where(console_sessions.c.expires_at < datetime.now(
                expires_at.tzinfo)))  # tidy expired sessions as new ones start
        return session_id

    async def token_of(self, session_id: str) -> str | None:
        async with self._engine.connect() as conn:
            return await conn.scalar(select(console_sessions.c.token).where(console_sessions.c.id == session_id))

    async def end(self, session_id: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(delete(console_sessions).where(console_sessions.c.id == session_id))
