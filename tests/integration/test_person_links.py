"""Practitioners' link confirmations on real PostgreSQL, against each other and against identification
running at the same moment on another replica: a child must end up with one person, and a repeat referral
must land on the person the child now is (identity safety: a missed repeat referral can leave a child
unprotected)."""

import asyncio
from datetime import UTC, datetime

import pytest

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events.people import PersonLinkConfirmed, PersonLinkPayload
from services.people.adapters import tables
from services.people.adapters.sqla_unit_of_work import SqlaPeopleUnitOfWork
from services.people.application.identify import IdentifyReferrals
from services.people.application.keep_history import KeepHistory
from services.people.domain.match_policy import DEFAULT as MATCH_POLICY
from tests.support.observe import fetch
from tests.support.referrals import unrelated_child
from tests.support.staging import capturing, received

pytestmark = pytest.mark.infra


@pytest.fixture
async def people(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=4)
    yield endpoints, engine
    await engine.dispose()


def units(engine, unit_of_work=SqlaPeopleUnitOfWork):
    return lambda: unit_of_work(engine, inbox_table=tables.inbox, outbox_table=tables.outbox)


def confirmed(about, person_id, candidate_person_id) -> PersonLinkConfirmed:
    return about.caused(PersonLinkConfirmed, producer="casework", occurred_at=datetime.now(UTC),
                        payload=PersonLinkPayload(person_id=person_id, candidate_person_id=candidate_person_id,
                                                  actor="pat"))


async def two_people_for_one_child(engine, staged) -> tuple:
    """A child referred twice with a slip (a different given name): a person each, the second a candidate."""
    identify = IdentifyReferrals(uow=units(engine, capturing(SqlaPeopleUnitOfWork, staged)), policy=MATCH_POLICY,
                                 clock=SystemClock())
    child = unrelated_child()
    known, near = received(**child), received(**{**child, "given_name": child["given_name"] + "a"})
    await identify.execute_many([known])
    await identify.execute_many([near])
    one, two = staged[-2:]
    assert one.payload.person_id != two.payload.person_id
    return child, known, near, one.payload.person_id, two.payload.person_id


async def test_crossing_confirmations_join_the_two_persons_once_and_never_each_into_the_other(people):
    endpoints, engine = people
    _, known, near, a, b = await two_people_for_one_child(engine, [])
    keep = KeepHistory(uow=units(engine), clock=SystemClock())
    await asyncio.gather(keep.execute_many([confirmed(near, b, a)]), keep.execute_many([confirmed(known, a, b)]))
    rows = await fetch(endpoints.database_url, "SELECT person_id, merged_into FROM people.persons "
                       "WHERE person_id = ANY($1)", [a, b])
    live = [row["person_id"] for row in rows if row["merged_into"] is None]
    assert len(live) == 1  # before: each joined into the other, and the child had no person at all
    assert {row["merged_into"] for row in rows if row["merged_into"]} == set(live)
    sightings = await fetch(endpoints.database_url, "SELECT DISTINCT person_id FROM people.sightings "
                            "WHERE referral_id = ANY($1)", [known.referral_id, near.referral_id])
    assert [row["person_id"] for row in sightings] == live


async def test_a_repeat_referral_identified_while_its_person_is_joined_into_another_lands_on_the_joined_person(
        people):
    """Replica 1 identifies a repeat referral of the known child (certain: the same details), slowed between
    reading the index and writing; meanwhile replica 2 joins that person into another on a practitioner's
    confirmation. The join waits for the identification, then takes its sighting along."""
    endpoints, engine = people
    child, known, near, a, b = await two_people_for_one_child(engine, [])
    staged: list = []

    class SlowReplica(capturing(SqlaPeopleUnitOfWork, staged)):
        async def sightings_under(self, key_sets):
            found = await super().sightings_under(key_sets)
            await asyncio.sleep(0.5)  # the join runs meanwhile
            return found

    identify = IdentifyReferrals(uow=units(engine, SlowReplica), policy=MATCH_POLICY, clock=SystemClock())
    keep = KeepHistory(uow=units(engine), clock=SystemClock())
    repeat = received(**child)

    async def join_a_moment_later() -> None:
        await asyncio.sleep(0.1)
        await keep.execute_many([confirmed(known, a, b)])  # the known child's person joins near's

    await asyncio.gather(identify.execute_many([repeat]), join_a_moment_later())
    assert (staged[0].payload.grade, staged[0].payload.person_id) == ("certain", a)  # identified before the join
    rows = await fetch(endpoints.database_url, "SELECT referral_id, person_id FROM people.sightings "
                       "WHERE referral_id = ANY($1)", [known.referral_id, near.referral_id, repeat.referral_id])
    assert {row["referral_id"]: row["person_id"] for row in rows} == {
        known.referral_id: b, near.referral_id: b, repeat.referral_id: b}  # before: the repeat stayed on a
    merged = await fetch(endpoints.database_url, "SELECT merged_into FROM people.persons WHERE person_id = $1", a)
    assert merged[0]["merged_into"] == b
