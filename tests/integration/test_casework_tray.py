"""A queue's tray on real PostgreSQL: pages in the order practitioners work (overdue, then red, amber, green,
then soonest due: `domain/sla.queue_order`), ordered by the database so a long queue reads one page."""

import json
import random
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from services.casework.adapters import tables
from services.casework.adapters.sqla_queries import SqlaWorkItemQueries
from services.casework.domain.sla import queue_order
from tests.support.infra import fresh_database
from tests.support.observe import pg_url

pytestmark = pytest.mark.infra


async def test_a_long_queue_pages_most_urgent_first_and_the_pages_add_up_to_the_queue(real_endpoints):
    endpoints = await fresh_database(real_endpoints)
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    rng, now = random.Random(7), datetime.now(UTC)
    conn = await asyncpg.connect(pg_url(endpoints.database_url))
    try:
        for i in range(250):
            rid, due = uuid.uuid4(), now + timedelta(minutes=rng.randrange(-600, 6000))
            await conn.execute("INSERT INTO casework.decisions VALUES ($1, $2, $3, $4)", rid,
                               json.dumps({"primary_queue": "early_help"}), now, due)
            await conn.execute(
                "INSERT INTO casework.work_items (id, referral_id, queue_id, secondary_queues, state, rag, due_at, "
                "decision_due_at, sla_breached) VALUES ($1, $2, 'early_help', '{}', $3, $4, $5, $5, $6)",
                uuid.uuid4(), rid, "closed" if i % 10 == 0 else "new", rng.choice(["red", "amber", "green"]), due,
                rng.random() < 0.1)
    finally:
        await conn.close()
    engine = make_engine(endpoints.database_url, pool_size=1)
    try:
        queries = SqlaWorkItemQueries(engine)
        pages = [await queries.tray("early_help", offset=offset, limit=100) for offset in (0, 100, 200)]
    finally:
        await engine.dispose()
    items = [row.item for page in pages for row in page]
    assert [len(page) for page in pages] == [100, 100, 25]  # 225 open of 250
    assert items == sorted(items, key=queue_order)  # one order across the pages, the domain's
    assert len({item.id for item in items}) == 225 and pages[0][0].item.sla_breached
