"""The demo partner `make run` prints: the same key on every run, a new one only when that key stops working.

Kept in the development state folder, readable by its owner only. Development only: production partners are
registered with `frontdoor partners add`.
"""

from pathlib import Path

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from services.intake.adapters import partner_admin
from services.intake.adapters.tables import MIGRATIONS, SCHEMA
from tools.localinfra.stack import default_state_dir

DEMO_PARTNER = "demo"


async def create_demo_partner(database_url: str, state_dir: Path | None = None) -> str:
    remembered = (state_dir or default_state_dir()) / "demo-partner.key"
    await upgrade_to_head(database_url, SCHEMA, MIGRATIONS)
    engine = make_engine(database_url, pool_size=1)
    try:
        known = remembered.read_text().strip() if remembered.exists() else ""
        if known and await partner_admin.key_is_current(engine, DEMO_PARTNER, known):
            return known
        await partner_admin.delete_partner(engine, DEMO_PARTNER)
        key = await partner_admin.add_partner(engine, partner_id=DEMO_PARTNER, name="Demo school", source="2A")
    finally:
        await engine.dispose()
    remembered.parent.mkdir(parents=True, exist_ok=True)
    remembered.touch(mode=0o600)
    remembered.write_text(key)
    return key
