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
