"""Accepting a referral on real PostgreSQL: the key, the referral and its event are stored together or not at
all, a used key stores nothing more, and the relay is woken only for what was stored."""

import json
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy.exc import IntegrityError

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralV1
from shared.events.topics import REFERRALS_RECEIVED
from services.intake.adapters import tables
from services.intake.adapters.referral_store import PgReferralStore
from services.intake.application.ports import IdempotencyRecord, NewReferral
from tests.support.observe import fetch
from tests.support.referrals import referral_body

pytestmark = pytest.mark.infra
AT = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def new_referral(key: str, event_id: UUID | None = None) -> NewReferral:
    referral, referral_id = ReferralV1.model_validate(referral_body()), uuid4()
    event = ReferralReceived(occurred_at=AT, referral_id=referral_id, correlation_id=referral_id, producer="intake",
                             payload=ReferralReceivedPayload(referral=referral, received_at=AT, partner_id="school"),
                             **({"event_id": event_id} if event_id else {}))
    return NewReferral(referral_id=referral_id, partner_id="school", idempotency_key=key, fingerprint="f" * 64,
                       referral=referral, received_at=AT, received=event, topic=REFERRALS_RECEIVED)


async def stored(url: str, new: NewReferral) -> tuple[int, int, int]:
    """How many key, referral and outbox rows `new` has."""
    [(keys, referrals, events)] = await fetch(url, """
        SELECT (SELECT count(*) FROM intake.idempotency_keys WHERE partner_id = $1 AND key = $2),
               (SELECT count(*) FROM intake.referrals WHERE id = $3),
               (SELECT count(*) FROM intake.outbox WHERE event_id = $4)""",
        new.partner_id, new.idempotency_key, new.referral_id, new.received.event_id)
    return keys, referrals, events


@pytest.fixture
async def store_and_wakes(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine, wakes = make_engine(endpoints.database_url, pool_size=1), []
    yield PgReferralStore(engine, on_stored=lambda: wakes.append(1)), wakes
    await engine.dispose()


async def test_a_new_key_stores_the_referral_and_its_event_together_and_wakes_the_relay(endpoints, store_and_wakes):
    store, wakes = store_and_wakes
    new = new_referral(f"k-{uuid4()}")
    assert await store.store_once(new) is None
    assert await stored(endpoints.database_url, new) == (1, 1, 1) and wakes == [1]
    [(body, received_at, payload, headers)] = await fetch(endpoints.database_url, """
        SELECT r.body, r.received_at, o.payload, o.headers FROM intake.referrals r, intake.outbox o
        WHERE r.id = $1 AND o.event_id = $2""", new.referral_id, new.received.event_id)
    assert json.loads(body) == new.referral.model_dump(mode="json") and received_at == AT
    assert payload == new.received.to_wire()
    assert json.loads(headers)["event-type"] == "ReferralReceived"


async def test_a_used_key_stores_nothing_and_returns_the_earlier_record(endpoints, store_and_wakes):
    store, wakes = store_and_wakes
    key = f"k-{uuid4()}"
    first, retry = new_referral(key), new_referral(key)
    await store.store_once(first)
    assert await store.store_once(retry) == IdempotencyRecord(fingerprint="f" * 64, referral_id=first.referral_id)
    assert await stored(endpoints.database_url, retry) == (1, 0, 0) and wakes == [1]


async def test_when_the_event_cannot_be_stored_neither_the_key_nor_the_referral_is(endpoints, store_and_wakes):
    store, wakes = store_and_wakes
    first = new_referral(f"k-{uuid4()}")
    await store.store_once(first)
    clash = new_referral(f"k-{uuid4()}", event_id=first.received.event_id)  # the outbox's event_id is unique
    with pytest.raises(IntegrityError):
        await store.store_once(clash)
    [(keys, referrals)] = await fetch(endpoints.database_url, """
        SELECT (SELECT count(*) FROM intake.idempotency_keys WHERE key = $1),
               (SELECT count(*) FROM intake.referrals WHERE id = $2)""", clash.idempotency_key, clash.referral_id)
    assert (keys, referrals) == (0, 0) and wakes == [1]
