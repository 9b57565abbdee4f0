"""A poll's events in one transaction on real PostgreSQL: duplicates inside the batch and events seen in an
earlier batch are each handled once, and every event's outbox rows commit together."""

import uuid
from datetime import UTC, datetime

import pytest

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events import ReferralReceived, ReferralReceivedPayload, ReferralV1
from shared.messaging.traced_batch import TracedBatch
from services.triage.adapters import tables
from services.triage.adapters.england_calendar import EnglandBankHolidays
from services.triage.adapters.sqla_unit_of_work import SqlaTriageUnitOfWork
from services.triage.application.triage_referral import TriageReferral
from services.triage.config import TriageSettings
from services.triage.domain.rules.registry import get_ruleset
from tests.support.observe import fetch
from tests.support.referrals import referral_body

pytestmark = pytest.mark.infra


def received() -> ReferralReceived:
    rid, now = uuid.uuid4(), datetime.now(UTC)
    return ReferralReceived(occurred_at=now, referral_id=rid, correlation_id=rid, producer="intake",
                            payload=ReferralReceivedPayload(referral=ReferralV1.model_validate(referral_body()),
                                                            received_at=now, partner_id="test"))


async def test_a_batch_with_repeats_triages_each_referral_once_in_one_transaction(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    triage = TriageReferral(uow=lambda: SqlaTriageUnitOfWork(engine, inbox_table=tables.inbox,
                                                              outbox_table=tables.outbox),
                            ruleset=get_ruleset(TriageSettings().ruleset_version), is_holiday=EnglandBankHolidays(), clock=SystemClock())
    try:
        earlier, a, b = received(), received(), received()
        await triage.execute_many(TracedBatch.of([earlier]))
        await triage.execute_many(TracedBatch.of([a, earlier, b, a]))
    finally:
        await engine.dispose()
    ids = [e.referral_id for e in (earlier, a, b)]
    decisions = await fetch(endpoints.database_url, "SELECT referral_id, count(*) AS n FROM triage.decisions "
                                                    "WHERE referral_id = ANY($1) GROUP BY 1", ids)
    assert {row["referral_id"]: row["n"] for row in decisions} == {i: 1 for i in ids}
    staged = await fetch(endpoints.database_url, "SELECT aggregateid, count(*) AS n FROM triage.outbox "
                                                 "WHERE aggregateid = ANY($1) GROUP BY 1", [str(i) for i in ids])
    assert {row["aggregateid"]: row["n"] for row in staged} == {str(i): 2 for i in ids}  # Triaged + Routed
