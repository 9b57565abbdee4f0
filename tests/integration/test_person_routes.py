"""A triage decision in a person's history, on real PostgreSQL: the route on the referral's sighting and every
work item it opened under the person, in one statement; a redelivery adds nothing, and a referral people never
identified is skipped without error."""

from uuid import uuid4

import pytest

from shared.clock import SystemClock
from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from services.people.adapters import tables
from services.people.adapters.sqla_unit_of_work import SqlaPeopleUnitOfWork
from services.people.application.identify import IdentifyReferrals
from services.people.application.keep_history import KeepHistory
from services.people.domain.match_policy import DEFAULT as MATCH_POLICY
from tests.support.casework_inputs import triaged
from tests.support.observe import fetch
from tests.support.referrals import unrelated_child
from tests.support.staging import capturing, received

pytestmark = pytest.mark.infra


async def routes_and_work(url: str, referral_id) -> tuple[list, list]:
    route = await fetch(url, "SELECT person_id, primary_queue FROM people.sightings WHERE referral_id = $1",
                        referral_id)
    work = await fetch(url, "SELECT work_item_id, person_id, queue_id, open FROM people.work "
                       "WHERE referral_id = $1 ORDER BY queue_id", referral_id)
    return [tuple(r) for r in route], [tuple(w) for w in work]


async def test_a_decision_records_its_route_and_all_its_work_under_the_person_once(endpoints):
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine, staged = make_engine(endpoints.database_url, pool_size=2), []

    def units(kind: type = SqlaPeopleUnitOfWork):
        return lambda: kind(engine, inbox_table=tables.inbox, outbox_table=tables.outbox)

    keep = KeepHistory(uow=units(), clock=SystemClock())
    try:
        referral = received(**unrelated_child())
        await IdentifyReferrals(uow=units(capturing(SqlaPeopleUnitOfWork, staged)), policy=MATCH_POLICY,
                                clock=SystemClock()).execute_many([referral])
        person = staged[0].payload.person_id
        _, decision = triaged(parallel=True, received=referral)
        await keep.execute_many([decision])
        await keep.execute_many([decision.model_copy(update={"event_id": uuid4()})])  # past the inbox: same work
        unknown = triaged(parallel=True)[1]  # a referral people never identified
        await keep.execute_many([unknown])
        route, work = await routes_and_work(endpoints.database_url, referral.referral_id)
        nothing = await routes_and_work(endpoints.database_url, unknown.referral_id)
    finally:
        await engine.dispose()
    payload = decision.payload
    assert route == [(person, payload.decision.primary_queue.value)]
    assert sorted(work) == sorted([(payload.work_item_id, person, payload.decision.primary_queue.value, True)] + [
        (w.work_item_id, person, w.queue_id.value, True) for w in payload.parallel_work])
    assert len(work) == 2 and nothing == ([], [])
