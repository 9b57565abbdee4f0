"""One async engine per process, built in bootstrap from settings (never at import)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def make_engine(database_url: str, *, pool_size: int = 5, application_name: str | None = None) -> AsyncEngine:
    """No `pool_pre_ping`: a ping per checkout was a round trip per transaction (a tenth of intake's CPU).
    After a PostgreSQL restart the first statement on a stale connection fails as a disconnect, SQLAlchemy
    invalidates the whole pool, and the caller's normal path takes over: consumers retry it as an
    infrastructure error, intake answers 503 with Retry-After, the relay backs off. Nothing is lost.

    `hide_parameters`: a failing statement's error (logged, put in a span's exception event, shown in a
    traceback) names the SQL but never the values bound to it, which are a child's details.

    `application_name`: PostgreSQL's views and logs (`pg_stat_activity`, `%a`) say which service a connection
    and a statement belong to."""
    connect_args = {"server_settings": {"application_name": application_name}} if application_name else {}
    return create_async_engine(database_url, pool_size=pool_size, max_overflow=5, hide_parameters=True,
                               connect_args=connect_args)


@asynccontextmanager
async def statements_of_their_own(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection on which each statement is its own transaction (autocommit): where one statement is the
    whole transaction, BEGIN and COMMIT would be two more round trips to PostgreSQL for nothing."""
    async with engine.connect() as conn:
        yield await conn.execution_options(isolation_level="AUTOCOMMIT")
