"""A fresh, empty database on a server, for a test session or a bench run that must start from nothing."""

import uuid

import asyncpg

from tools.localinfra.stack import Endpoints


async def fresh_database(endpoints: Endpoints, prefix: str = "frontdoor_test") -> Endpoints:
    base = endpoints.database_url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    url = endpoints.database_url.rsplit("/", 1)[0] + f"/{name}"
    return Endpoints(endpoints.kafka_bootstrap_servers, url, endpoints.kafka_pid, endpoints.postgres_pid)


async def drop_database(server: Endpoints, database: Endpoints) -> None:
    """Drop a database `fresh_database` made on `server` (a bench's millions of rows must not stay behind to be
    vacuumed while the next run measures)."""
    name = database.database_url.rsplit("/", 1)[-1]
    conn = await asyncpg.connect(server.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
