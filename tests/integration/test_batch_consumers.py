"""A poll's events in one transaction on real PostgreSQL: duplicates inside the batch and events seen in an
earlier batch are each handled once, and every event's outbox rows commit together."""

import asyncio
import uuid

import pytest

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events import ReferralIdentified
from shared.working_days import EnglandBankHolidays
from services.casework.adapters import tables as casework_tables
from services.casework.adapters.sqla_unit_of_work import SqlaCaseworkUnitOfWork
from services.casework.application.open_work import TakeInReferrals
from services.people.adapters import tables as people_tables
from services.people.adapters.sqla_unit_of_work import SqlaPeopleUnitOfWork
from services.people.application.identify import IdentifyReferrals
from services.people.domain.match_policy import DEFAULT as MATCH_POLICY
from services.triage.adapters import tables
from services.triage.adapters.sqla_unit_of_work import SqlaTriageUnitOfWork
from services.triage.application.triage_referral import TriageReferral
from services.triage.config import TriageSettings
from services.triage.domain.rules.registry import get_ruleset
from tests.support.identified import identified
from tests.support.observe import fetch
from tests.support.referrals import another_child, unrelated_child
from tests.support.staging import capturing, received

pytestmark = pytest.mark.infra


def identified_referral() -> ReferralIdentified:
    return identified(received())


async def test_a_batch_with_repeats_triages_each_referral_once_in_one_transaction(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    triage = TriageReferral(uow=lambda: SqlaTriageUnitOfWork(engine, inbox_table=tables.inbox,
                                                              outbox_table=tables.outbox),
                            ruleset=get_ruleset(TriageSettings().ruleset_version), is_holiday=EnglandBankHolidays(),
                            clock=SystemClock())
    try:
        earlier, a, b = identified_referral(), identified_referral(), identified_referral()
        await triage.execute_many([earlier])
        await triage.execute_many([a, earlier, b, a])
    finally:
        await engine.dispose()
    ids = [e.referral_id for e in (earlier, a, b)]
    decisions = await fetch(endpoints.database_url, "SELECT referral_id, count(*) AS n FROM triage.decisions "
                                                    "WHERE referral_id = ANY($1) GROUP BY 1", ids)
    assert {row["referral_id"]: row["n"] for row in decisions} == dict.fromkeys(ids, 1)
    staged = await fetch(endpoints.database_url, "SELECT aggregateid, count(*) AS n FROM triage.outbox "
                                                 "WHERE aggregateid = ANY($1) GROUP BY 1", [str(i) for i in ids])
    assert {row["aggregateid"]: row["n"] for row in staged} == {str(i): 2 for i in ids}  # Triaged + Routed


async def test_casework_opens_each_triaged_referrals_work_once_whichever_topic_arrives_first(endpoints):
    """Casework reads `referrals.triaged` and `referrals.identified` apart: a batch with repeats, and the body
    arriving after the decision, still give one primary item per referral and the body beside it."""
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    await upgrade_to_head(endpoints.database_url, casework_tables.SCHEMA, casework_tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    staged: list = []
    Capture = capturing(SqlaTriageUnitOfWork, staged)

    def casework_uow():
        return SqlaCaseworkUnitOfWork(engine, inbox_table=casework_tables.inbox, outbox_table=casework_tables.outbox)

    triage = TriageReferral(uow=lambda: Capture(engine, inbox_table=tables.inbox, outbox_table=tables.outbox),
                            ruleset=get_ruleset(TriageSettings().ruleset_version), is_holiday=EnglandBankHolidays(),
                            clock=SystemClock())
    try:
        a, b = identified_referral(), identified_referral()
        await triage.execute_many([a, b])
        triaged = [e for e in staged if e.event_type == "ReferralTriaged"]
        await TakeInReferrals(uow=casework_uow).execute_many([triaged[0], triaged[1], triaged[0]])
        await TakeInReferrals(uow=casework_uow).execute_many([triaged[1]])
        await TakeInReferrals(uow=casework_uow).execute_many([a, b, a])
    finally:
        await engine.dispose()
    ids = [a.referral_id, b.referral_id]
    items = await fetch(endpoints.database_url, "SELECT w.referral_id, w.id, w.queue_id, r.referral IS NOT NULL "
                        "AS has_body FROM casework.work_items w LEFT JOIN casework.referrals r USING (referral_id) "
                        "WHERE w.referral_id = ANY($1) AND w.primary_item_id IS NULL", ids)
    assert sorted(row["referral_id"] for row in items) == sorted(ids)
    by_referral = {e.referral_id: e.payload for e in triaged}
    for row in items:
        assert row["id"] == by_referral[row["referral_id"]].work_item_id  # the id triage announced
        assert row["queue_id"] == by_referral[row["referral_id"]].decision.primary_queue.value
        assert row["has_body"]


async def test_people_identifies_a_poll_once_attaching_repeats_from_the_index_and_from_the_same_poll(endpoints):
    """The person index on real PostgreSQL: blocking-key lookups, name counts, history, one transaction."""
    await upgrade_to_head(endpoints.database_url, people_tables.SCHEMA, people_tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    staged: list = []
    Capture = capturing(SqlaPeopleUnitOfWork, staged)

    identify = IdentifyReferrals(uow=lambda: Capture(engine, inbox_table=people_tables.inbox,
                                                     outbox_table=people_tables.outbox),
                                 policy=MATCH_POLICY, clock=SystemClock())
    child = unrelated_child()
    try:
        first = received(**child)
        await identify.execute_many([first])
        again, same_poll = received(**{**child, "given_name": child["given_name"].upper()}), received(**child)
        twin = received(**{**child, "given_name": another_child()})
        await identify.execute_many([again, same_poll, again, twin])
    finally:
        await engine.dispose()
    one, two, three, four = staged
    assert one.payload.grade == "new"
    assert (two.payload.grade, two.payload.person_id) == ("certain", one.payload.person_id)
    assert (three.payload.grade, three.payload.person_id) == ("certain", one.payload.person_id)
    assert [r.referral_id for r in three.payload.history.referrals_last_12_months] == [first.referral_id,
                                                                                        again.referral_id]
    assert four.payload.grade != "certain" and four.payload.person_id != one.payload.person_id
    ids = [e.referral_id for e in (first, again, same_poll, twin)]
    rows = await fetch(endpoints.database_url, "SELECT person_id, count(*) AS n FROM people.sightings "
                       "WHERE referral_id = ANY($1) GROUP BY 1", ids)
    assert sorted(row["n"] for row in rows) == [1, 3]


async def test_two_replicas_identifying_one_child_at_once_take_turns_and_the_second_attaches(endpoints):
    """Two people replicas, each slowed between reading the index and writing (as a loaded machine would be),
    get a referral about the same child at the same moment: the blocking-key locks make the second wait for the
    first's commit, so it attaches to the first's person instead of making a second one (a missed repeat)."""
    await upgrade_to_head(endpoints.database_url, people_tables.SCHEMA, people_tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=4)
    staged: list = []

    class SlowReplica(capturing(SqlaPeopleUnitOfWork, staged)):
        async def sightings_under(self, key_sets):
            found = await super().sightings_under(key_sets)
            await asyncio.sleep(0.5)  # the other replica's transaction runs meanwhile
            return found

    def replica() -> IdentifyReferrals:
        return IdentifyReferrals(uow=lambda: SlowReplica(engine, inbox_table=people_tables.inbox,
                                                         outbox_table=people_tables.outbox),
                                 policy=MATCH_POLICY, clock=SystemClock())
    child = unrelated_child()
    try:
        await asyncio.gather(replica().execute_many([received(**child)]), replica().execute_many([received(**child)]))
    finally:
        await engine.dispose()
    assert sorted(e.payload.grade for e in staged) == ["certain", "new"]
    assert len({e.payload.person_id for e in staged}) == 1


async def test_a_person_joining_another_brings_along_the_children_a_practitioner_said_it_is_not(endpoints):
    """If A is not B and A is C, C is not B: a confirmed link carries the rejected pairs on real PostgreSQL."""
    await upgrade_to_head(endpoints.database_url, people_tables.SCHEMA, people_tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    a, b, c, d = (uuid.uuid4() for _ in range(4))

    def uow() -> SqlaPeopleUnitOfWork:
        return SqlaPeopleUnitOfWork(engine, inbox_table=people_tables.inbox, outbox_table=people_tables.outbox)

    try:
        async with uow() as work:
            await work.reject(person_id=a, candidate_person_id=b)
            await work.reject(person_id=d, candidate_person_id=a)
            await work.commit()
        async with uow() as work:
            await work.link(person_id=a, into=c)
            await work.commit()
        async with uow() as work:
            pairs = await work.rejected_pairs({c})
    finally:
        await engine.dispose()
    assert {frozenset((c, b)), frozenset((d, c))} <= pairs
    assert all(c in pair for pair in pairs) and frozenset((c,)) not in pairs
