"""A fresh audit log in a database of its own, the `frontdoor audit` commands on it, and tampering with it
as a superuser would: shared by the audit log's integration tests."""

import asyncio
import json
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
import pytest
from typer.testing import CliRunner

from services.audit.adapters.sqla_log import SqlaAuditUnitOfWork, writer_engine
from services.audit.application.append_events import AppendEvents, Received, to_entry
from services.audit.entrypoints.cli import tools_for
from tests.support.audit import audit_settings, service_env
from tests.support.infra import fresh_database
from tests.support.observe import pg_url
from tools.cli import app
from tools.localinfra.stack import Endpoints

runner = CliRunner()
REFERRAL = uuid.uuid4()


def event(n: int, referral=REFERRAL) -> bytes:
    return json.dumps({"event_id": str(uuid.uuid4()), "event_type": "ReferralRouted", "schema_version": 1,
                       "occurred_at": datetime.now(UTC).isoformat(), "referral_id": str(referral),
                       "correlation_id": str(referral), "causation_id": None, "producer": "test",
                       "payload": {"n": n}}).encode()


@pytest.fixture
def log_db(real_endpoints) -> Endpoints:
    """A fresh database whose log holds 10 events."""
    endpoints = asyncio.run(fresh_database(real_endpoints))
    asyncio.run(append_events(endpoints, 10))
    return endpoints


def cli(endpoints: Endpoints, *args: str, token: str | None = None, env: dict[str, str] | None = None):
    env = endpoints.as_env() | service_env() | ({"FRONTDOOR_TOKEN": token} if token else {}) | (env or {})
    return runner.invoke(app, ["audit", *args], env=env)


def sql(endpoints: Endpoints, *statements: str, role: str | None = None) -> None:
    async def go():
        conn = await asyncpg.connect(pg_url(endpoints.database_url))
        try:
            if role:
                await conn.execute(f"SET ROLE {role}")
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()
    asyncio.run(go())


def behind_the_back(endpoints: Endpoints, *statements: str) -> None:
    """A superuser switching triggers off, as an attacker with database access would."""
    sql(endpoints, "SET session_replication_role = replica", *statements)


def entries(count: int) -> list:
    """`count` new events as audit receives them from a queue topic."""
    return [to_entry(Received("queue.early_help", event(i))) for i in range(count)]


async def append_events(endpoints, count: int) -> None:
    async with tools_for(audit_settings(endpoints)) as tools:
        await tools.append.execute(entries(count))


@asynccontextmanager
async def appender(endpoints):
    """Audit's append as the service wires it, on the writer engine (yielded too, for statistics its sessions
    keep); the log's tables must exist (`log_db`)."""
    engine = writer_engine(audit_settings(endpoints))
    try:
        yield AppendEvents(uow=lambda: SqlaAuditUnitOfWork(engine)), engine
    finally:
        await engine.dispose()


async def event_id_at(endpoints, seq: int) -> str:
    conn = await asyncpg.connect(pg_url(endpoints.database_url))
    try:
        return str(await conn.fetchval("SELECT event_id FROM audit.log WHERE seq = $1", seq))
    finally:
        await conn.close()


def json_of(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output[: result.output.rindex("}") + 1]
