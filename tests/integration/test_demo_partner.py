"""Issue "What a new user … found" item 10: the demo partner key stays the same across `make run`s (the last
one printed keeps working), and a new one is made only when the old one no longer works."""

import pytest

from shared.db.engine import make_engine
from services.intake.adapters import partner_admin
from tools.demo_partner import DEMO_PARTNER, create_demo_partner

pytestmark = pytest.mark.infra


async def test_the_demo_key_is_stable_until_it_stops_working(endpoints, tmp_path):
    first = await create_demo_partner(endpoints.database_url, tmp_path)
    assert await create_demo_partner(endpoints.database_url, tmp_path) == first
    assert (tmp_path / "demo-partner.key").stat().st_mode & 0o077 == 0  # the owner's only
    engine = make_engine(endpoints.database_url, pool_size=1)
    try:
        assert await partner_admin.key_is_current(engine, DEMO_PARTNER, first)
        await partner_admin.delete_partner(engine, DEMO_PARTNER)
        second = await create_demo_partner(endpoints.database_url, tmp_path)
        assert second != first and await partner_admin.key_is_current(engine, DEMO_PARTNER, second)
        assert not await partner_admin.key_is_current(engine, DEMO_PARTNER, first)
    finally:
        await engine.dispose()
