"""Without pre-ping, a connection PostgreSQL dropped fails once as an infrastructure error (which every caller
retries or answers 503 for), and the next checkout works: what `shared/db/engine.py` relies on."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.db.engine import make_engine
from shared.outages import is_unavailable
from tests.support.observe import fetch

pytestmark = pytest.mark.infra


async def test_a_dropped_connection_fails_once_as_infrastructure_then_the_pool_recovers(endpoints):
    engine = make_engine(endpoints.database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        await fetch(endpoints.database_url, "SELECT pg_terminate_backend($1)", pid)  # as a restart would
        with pytest.raises(DBAPIError) as failed:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        assert is_unavailable(failed.value)
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT 1")) == 1
    finally:
        await engine.dispose()
