"""One async engine per process, built in bootstrap from settings (never at import)."""

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def make_engine(database_url: str, *, pool_size: int = 5) -> AsyncEngine:
    """`pool_pre_ping` so a Postgres restart costs one failed checkout, not a stuck pool."""
    return create_async_engine(database_url, pool_size=pool_size, max_overflow=5, pool_pre_ping=True)
