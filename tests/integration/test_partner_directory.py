"""Intake's partner directory on real PostgreSQL: the key cache never turns a valid key into an error."""

from datetime import UTC, datetime

import pytest

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from services.intake.adapters import tables
from services.intake.adapters.partner_admin import add_partner, revoke_partner
from services.intake.adapters.sqla_unit_of_work import SqlaPartnerDirectory

pytestmark = pytest.mark.infra


class SteppingTimer:
    """Each reading is `step` seconds after the last, so a cache entry can expire inside one lookup."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
async def engine(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=1)
    yield engine
    await engine.dispose()


async def test_a_key_whose_entry_expires_mid_lookup_still_finds_its_partner(engine):
    """The CI failure of 3 Dec: `in` saw the entry, the read a moment later found it expired (KeyError, 500)."""
    key = await add_partner(engine, partner_id="school-a", name="School A", source="2A")
    directory = SqlaPartnerDirectory(engine, ttl_seconds=5, timer=SteppingTimer(step=2))
    found = [await directory.by_key(key) for _ in range(6)]
    assert [p.id if p else None for p in found] == ["school-a"] * 6


async def test_a_revoked_key_stops_working_once_its_entry_expires(engine):
    key = await add_partner(engine, partner_id="school-b", name="School B", source="2A")
    timer = SteppingTimer(step=0)
    directory = SqlaPartnerDirectory(engine, ttl_seconds=5, timer=timer)
    assert (await directory.by_key(key)).id == "school-b"
    assert await revoke_partner(engine, "school-b", now=datetime.now(UTC))
    assert (await directory.by_key(key)).id == "school-b", "within the ttl the cached entry answers"
    timer.now += 6
    assert await directory.by_key(key) is None


async def test_a_wrong_secret_with_a_known_prefix_is_refused(engine):
    key = await add_partner(engine, partner_id="school-c", name="School C", source="2A")
    directory = SqlaPartnerDirectory(engine, timer=SteppingTimer(step=0))
    assert (await directory.by_key(key)).id == "school-c"
    assert await directory.by_key(key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")) is None
