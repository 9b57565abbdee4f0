"""The person index's reads for a whole poll on real PostgreSQL: asked for several records at once, each record
gets exactly what it would get asked alone (identification reads once per poll, not once per referral)."""

from uuid import UUID

import pytest

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from services.people.adapters import tables
from services.people.adapters.sqla_unit_of_work import SqlaPeopleUnitOfWork
from services.people.application.identify import IdentifyReferrals
from services.people.domain.blocking import lookup_keys
from services.people.domain.history import twelve_months_before
from services.people.domain.match_policy import DEFAULT as MATCH_POLICY
from services.people.domain.records import record_of
from tests.support.referrals import unrelated_child
from tests.support.staging import capturing, received

pytestmark = pytest.mark.infra
NOBODY = UUID(int=0)  # no person has it: people derives person ids from referral ids with uuid5


async def test_a_polls_reads_give_each_record_what_it_would_get_alone(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    staged: list = []
    Capture = capturing(SqlaPeopleUnitOfWork, staged)

    def uow() -> SqlaPeopleUnitOfWork:
        return Capture(engine, inbox_table=tables.inbox, outbox_table=tables.outbox)

    identify = IdentifyReferrals(uow=uow, policy=MATCH_POLICY, clock=SystemClock())
    known_a, known_b, stranger = unrelated_child(), unrelated_child(), unrelated_child()
    try:
        await identify.execute_many([received(**known_a)])
        await identify.execute_many([received(**known_b)])
        person_a, person_b = (e.payload.person_id for e in staged)
        records = [record_of(received(**child).payload.referral.child) for child in (known_a, known_b, stranger)]
        key_sets = [lookup_keys(r) for r in records] + [lookup_keys(records[0]) | lookup_keys(records[1])]
        since = twelve_months_before(staged[0].payload.received_at)
        async with uow() as reads:
            together = await reads.sightings_under(key_sets)
            alone = [(await reads.sightings_under([keys]))[0] for keys in key_sets]
            counts_together = await reads.name_counts_of(records)
            counts_alone = [(await reads.name_counts_of([r]))[0] for r in records]
            histories = await reads.histories_of([person_a, person_b, NOBODY], since)
            history_alone = await reads.histories_of([person_a], since)
    finally:
        await engine.dispose()

    assert [{s.person_id for s in found} for found in together] == [{person_a}, {person_b}, set(),
                                                                      {person_a, person_b}]
    assert [set(found) for found in together] == [set(found) for found in alone]
    assert counts_together == counts_alone and counts_alone[0].given >= 1 and counts_alone[2].given == 0
    assert [r.referral_id for r in histories[person_a].referrals] == [staged[0].referral_id]
    assert [r.referral_id for r in histories[person_b].referrals] == [staged[1].referral_id]
    assert histories[person_a] == history_alone[person_a]
    nobody = histories[NOBODY]
    assert (nobody.referrals, nobody.open_work, nobody.link_confirmed) == ([], [], False)
