"""The bench's Kafka and PostgreSQL, and a fresh database for each measurement.

Every bench runs on the bench stack (`.frontdoor/bench-stack`): started if nobody had, and stopped afterwards only
then, so a stack someone started by hand keeps running. Each measurement gets a database of its own, dropped after
it even on failure: a run's millions of rows must not stay behind to be vacuumed while the next run measures.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tools.localinfra.databases import drop_database, fresh_database
from tools.localinfra.stack import PROJECT_ROOT, Endpoints, LocalStack


@asynccontextmanager
async def bench_stack() -> AsyncIterator[Endpoints]:
    """The bench stack's server endpoints, started for the duration if it was not running."""
    stack = LocalStack(state_dir=PROJECT_ROOT / ".frontdoor" / "bench-stack")
    started_here = stack.external() is None and stack.status() is None
    try:
        yield stack.up()
    finally:
        if started_here:
            stack.down()


@asynccontextmanager
async def fresh_bench_database(server: Endpoints, prefix: str) -> AsyncIterator[Endpoints]:
    """Endpoints naming a new, empty database on `server`, dropped afterwards."""
    database = await fresh_database(server, prefix=prefix)
    try:
        yield database
    finally:
        await drop_database(server, database)


@asynccontextmanager
async def bench_database(prefix: str) -> AsyncIterator[Endpoints]:
    """The bench stack with one fresh database: what a single measurement needs."""
    async with bench_stack() as server, fresh_bench_database(server, prefix) as database:
        yield database
