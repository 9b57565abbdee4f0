"""Alembic, driven from code: each service applies its own migrations to its own schema on start.

A session-level advisory lock serialises concurrent starts (four services, or several replicas of one), so
two processes never race to create the same schema or version table.
"""

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATION_LOCK_KEY = 7_110_001


def _config(database_url: str, schema: str, script_location: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", database_url)
    cfg.attributes["schema"] = schema
    return cfg


async def upgrade_to_head(database_url: str, schema: str, script_location: Path) -> None:
    """Bring `schema` to the newest revision; safe to call from a running event loop."""
    await asyncio.to_thread(command.upgrade, _config(database_url, schema, script_location), "head")


def run_env() -> None:
    """Body of every service's `env.py`: online migrations over asyncpg inside one advisory lock."""
    cfg = context.config
    schema = cfg.attributes["schema"]

    def run(connection) -> None:
        context.configure(connection=connection, version_table_schema=schema, include_schemas=True)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(cfg.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool)
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            await conn.commit()
            try:
                await conn.run_sync(run)
                await conn.commit()
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                await conn.commit()
        await engine.dispose()

    asyncio.run(main())
