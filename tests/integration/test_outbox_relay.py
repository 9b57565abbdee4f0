"""The outbox relay on real PostgreSQL (its producer a fake, so a send can be made to fail): a batch leaves the
outbox only as far as Kafka took it. A row that met an outage is still in the outbox under its own id, with
everything it was staged with, and goes out on the next run, in order; a relay that does not hold the lock
touches nothing."""

import asyncio
import uuid

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError
from sqlalchemy import MetaData, insert, select, text

from shared.db.engine import make_engine
from shared.messaging.outbox import outbox_table
from shared.messaging.relay import OutboxRelay
from tests.support.infra import fresh_database
from tests.support.observe import pg_url

pytestmark = pytest.mark.infra
LOCK_KEY = 4_242


class FlakyProducer:
    """Takes every send, except those to a topic in `down`, which fail as if the broker were unreachable."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []
        self.down: set[str] = set()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, topic, value, *, key, headers):
        confirmation = asyncio.get_running_loop().create_future()
        if topic in self.down:
            confirmation.set_exception(KafkaConnectionError("broker unreachable"))
        else:
            self.sent.append((topic, value))
            confirmation.set_result(None)
        return confirmation


@pytest.fixture
async def relay_db(real_endpoints):
    endpoints = await fresh_database(real_endpoints)
    metadata = MetaData(schema="relaytest")
    table = outbox_table(metadata)
    engine = make_engine(endpoints.database_url, pool_size=2)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE SCHEMA relaytest"))
        await conn.run_sync(metadata.create_all)
    yield endpoints, engine, table
    await engine.dispose()


def staged(topic: str, n: int) -> dict:
    return {"event_id": uuid.uuid4(), "aggregatetype": topic, "aggregateid": str(uuid.uuid4()), "type": "Test",
            "payload": f"body {n}".encode(), "headers": {"event-id": str(n)}}


async def outbox(engine, table) -> list:
    async with engine.connect() as conn:
        return list((await conn.execute(select(table).order_by(table.c.id))).all())


async def test_a_row_that_met_an_outage_stays_as_it_was_and_goes_out_next_time_in_order(relay_db):
    _, engine, table = relay_db
    async with engine.begin() as conn:
        await conn.execute(insert(table), [staged("up", 1), staged("down", 2), staged("up", 3)])
    before = await outbox(engine, table)
    producer = FlakyProducer()
    producer.down.add("down")
    relay = OutboxRelay(engine=engine, table=table, producer=lambda: producer, lock_key=LOCK_KEY)
    relay._producer = producer  # what `run` does once connected

    with pytest.raises(KafkaConnectionError):
        await relay.publish_pending()
    assert producer.sent == [("up", b"body 1"), ("up", b"body 3")]
    assert await outbox(engine, table) == [before[1]]  # the same id, payload, headers and time it was staged

    producer.down.clear()
    async with engine.begin() as conn:
        await conn.execute(insert(table), [staged("up", 4)])
    assert await relay.publish_pending() == 2
    assert producer.sent[2:] == [("down", b"body 2"), ("up", b"body 4")]
    assert await outbox(engine, table) == []


async def test_a_relay_without_the_lock_publishes_and_deletes_nothing(relay_db):
    endpoints, engine, table = relay_db
    async with engine.begin() as conn:
        await conn.execute(insert(table), [staged("up", 1)])
    producer = FlakyProducer()
    relay = OutboxRelay(engine=engine, table=table, producer=lambda: producer, lock_key=LOCK_KEY)
    relay._producer = producer
    other = await asyncpg.connect(pg_url(endpoints.database_url))
    try:
        async with other.transaction():
            assert await other.fetchval("SELECT pg_try_advisory_xact_lock($1)", LOCK_KEY)
            assert await relay.publish_pending() == 0
        assert producer.sent == [] and len(await outbox(engine, table)) == 1
    finally:
        await other.close()
    assert await relay.publish_pending() == 1
    assert producer.sent == [("up", b"body 1")] and await outbox(engine, table) == []
