"""One async engine per process, built in bootstrap from settings (never at import)."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def make_engine(database_url: str, *, pool_size: int = 5, application_name: str | None = None,
                server_settings: Mapping[str, str] | None = None) -> AsyncEngine:
    """No `pool_pre_ping`: a ping per checkout was a round trip per transaction (a tenth of intake's CPU).
    After a PostgreSQL restart the first statement on a stale connection fails as a disconnect, SQLAlchemy
    invalidates the whole pool, and the caller's normal path takes over: consumers retry it as an
    infrastructure error, intake answers 503 with Retry-After, the relay backs off. Nothing is lost.

    `hide_parameters`: a failing statement's error (logged, put in a span's exception event, shown in a
    traceback) names the SQL but never the values bound to it, which are a child's details.

    `application_name`: PostgreSQL's views and logs (`pg_stat_activity`, `%a`) say which service a connection
    and a statement belong to.

    `json_deserializer`: JSON and JSONB columns are read with orjson, four times faster than the standard
    library on people's candidate records, whose decoding was a fifth of people's busy time in the bench's
    profile at 75/s (people then drained a pile of referrals 5-7 % faster). It reads every value ours write
    alike; it would read an integer beyond 64 bits as a float, and none of our columns holds one (the referral
    contract has no integers). Writing stays with the standard library's `json.dumps`,
    which orjson does not match byte for byte (keys that are not strings, spacing).

    `server_settings`: PostgreSQL settings for every connection (see the audit writer's)."""
    settings = {**({"application_name": application_name} if application_name else {}), **(server_settings or {})}
    connect_args = {"server_settings": settings} if settings else {}
    return create_async_engine(database_url, pool_size=pool_size, max_overflow=5, hide_parameters=True,
                               connect_args=connect_args, json_deserializer=orjson.loads)


@asynccontextmanager
async def statements_of_their_own(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection on which each statement is its own transaction (autocommit): where one statement is the
    whole transaction, BEGIN and COMMIT would be two more round trips to PostgreSQL for nothing."""
    async with engine.connect() as conn:
        yield await conn.execution_options(isolation_level="AUTOCOMMIT")
