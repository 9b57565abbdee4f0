"""A practitioner's search by name on real PostgreSQL: each word finds the names casework has seen that are
similar to it or start with it (`child_names`, trigram), then the referrals with exactly those names. The
children found are exactly those the trigram predicate over every referral's own name columns finds (the search
as it was before the names table, kept here as the reference), so the faster search finds the same children."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy import event

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events.people import HistorySnapshot, ReferralIdentifiedPayload
from shared.events.referral import ReferralV1
from services.casework.adapters import tables
from services.casework.adapters.child_queries import SqlaChildQueries
from services.casework.adapters.sqla_unit_of_work import SqlaCaseworkUnitOfWork
from services.casework.domain.child_search import SearchCriteria
from tests.support.infra import fresh_database
from tests.support.observe import pg_url
from tests.support.referrals import referral_body

pytestmark = pytest.mark.infra

GIVEN = ["Maisie", "Maisy", "Macy", "Mary Jane", "Oliver", "Olivia", "Amelia", "Zoë", "Jack", "Jake"]
FAMILY = ["Smith", "Smyth", "Smithson", "Okafor", "O'Brien", "Nowak", "Patel", "Penridge"]
WORDS = ["maisy", "maisie smith", "SMITH maisie", "smi", "olivr", "mary", "mary jane okafor", "zoë", "zoe",
         "o'brien", "penrige", "ja", "patel jack", "qwxyz", "smith qwxyz"]
REFERENCE = """SELECT DISTINCT person_id FROM casework.referrals WHERE person_id IS NOT NULL AND
  (SELECT bool_and(child_given % w OR child_family % w OR child_given LIKE w || '%' OR child_family LIKE w || '%')
   FROM unnest($1::text[]) AS w)"""


def identified(given: str, family: str, person_id: uuid.UUID, at: datetime) -> ReferralIdentifiedPayload:
    body = referral_body()
    body["child"].update(given_name=given, family_name=family)
    return ReferralIdentifiedPayload(referral=ReferralV1.model_validate(body), received_at=at, partner_id="test",
                                     person_id=person_id, grade="new", score=0.0, matcher_version="test",
                                     candidates=[], history=HistorySnapshot())


@pytest.fixture
async def casework_db(real_endpoints):
    endpoints = await fresh_database(real_endpoints)
    await upgrade_to_head(endpoints.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = make_engine(endpoints.database_url, pool_size=2)
    yield endpoints, engine
    await engine.dispose()


async def save(engine, *payloads: ReferralIdentifiedPayload) -> None:
    async with SqlaCaseworkUnitOfWork(engine, inbox_table=tables.inbox, outbox_table=tables.outbox) as uow:
        for payload in payloads:
            await uow.save_referral(referral_id=uuid.uuid4(), identified=payload)
        await uow.commit()


async def test_a_search_finds_exactly_the_children_the_trigram_predicate_over_the_referrals_finds(casework_db):
    endpoints, engine = casework_db
    now = datetime.now(UTC)
    people = {(g, f): uuid.uuid4() for g in GIVEN for f in FAMILY}
    await save(engine, *(identified(g, f, person, now - timedelta(days=i)) for i, ((g, f), person)
                         in enumerate(people.items())))
    await save(engine, identified("Maisie", "Smith", people["Maisie", "Smith"], now))  # referred twice
    queries = SqlaChildQueries(engine)
    conn = await asyncpg.connect(pg_url(endpoints.database_url))
    try:
        await conn.execute("SET pg_trgm.similarity_threshold = 0.4")
        for words in WORDS:
            found = await queries.search(SearchCriteria(name=words))
            expected = {row["person_id"] for row in await conn.fetch(REFERENCE, words.casefold().split())}
            assert {hit.person_id for hit in found} == expected, words
            assert len(found) == len(expected) < 50, words  # one hit per child, all of them (under the limit)
    finally:
        await conn.close()
    maisy = {(h.given_name, h.family_name) for h in await queries.search(SearchCriteria(name="maisy smith"))}
    assert {("Maisie", "Smith"), ("Maisy", "Smith"), ("Maisie", "Smithson")} <= maisy  # misspelt, or the start
    assert ("Jack", "Patel") in {(h.given_name, h.family_name) for h in await queries.search(SearchCriteria(name="ja"))}
    assert await queries.search(SearchCriteria(name="smith qwxyz")) == []  # every word must match
    twice = await queries.search(SearchCriteria(name="maisie smith"))
    assert [h.referrals for h in twice if h.person_id == people["Maisie", "Smith"]] == [2]


async def test_a_child_is_found_by_name_as_soon_as_the_referral_is_saved_and_names_are_kept_once(casework_db):
    endpoints, engine = casework_db
    now = datetime.now(UTC)
    queries = SqlaChildQueries(engine)
    assert await queries.search(SearchCriteria(name="quennell")) == []
    first, second = uuid.uuid4(), uuid.uuid4()
    await asyncio.gather(  # two consumers adding the same new names at once, in opposite orders
        save(engine, identified("Ada", "Quennell", first, now), identified("Bea", "Quennell", first, now)),
        save(engine, identified("Bea", "Quennell", second, now), identified("Ada", "Quennel", second, now)))
    assert {h.person_id for h in await queries.search(SearchCriteria(name="quennell"))} == {first, second}
    conn = await asyncpg.connect(pg_url(endpoints.database_url))
    try:
        names = [row["name"] for row in await conn.fetch("SELECT name FROM casework.child_names ORDER BY name")]
    finally:
        await conn.close()
    assert names == ["ada", "bea", "quennel", "quennell"]


async def test_a_common_name_finds_the_same_page_among_recent_referrals_as_by_counting_every_match(casework_db):
    """A page of children found among the recent referrals (`recent`) is exactly the page found by counting
    every match: the MAX_HITS children with the newest matching referrals, each with all its matches counted.
    When the recent referrals hold fewer than a page of children, every match is counted instead."""
    _, engine = casework_db
    now = datetime.now(UTC)
    jacks = [uuid.uuid4() for _ in range(70)]
    await save(engine, *(identified("Jack", f"Ja{i}", person, now - timedelta(minutes=i + minutes))
                         for i, person in enumerate(jacks) for minutes in (0, 100, 300)))
    await save(engine, *(identified("Amelia", "Nowak", uuid.uuid4(), now - timedelta(minutes=i, seconds=30))
                         for i in range(30)))  # recent referrals that do not match "ja"
    await save(engine, identified("Amelia", "Nowak", uuid.uuid4(), now - timedelta(days=9)))  # and one long ago
    await save(engine, *(identified("Quill", "Penridge", uuid.uuid4(), now - timedelta(days=9, minutes=i))
                         for i in range(3)))  # a rare name, long ago
    counted, recent_page = SqlaChildQueries(engine, recent=10**9), SqlaChildQueries(engine, recent=150)
    for words in ("ja", "jack ja1", "quill", "nowak"):
        everything = await counted.search(SearchCriteria(name=words))
        assert await recent_page.search(SearchCriteria(name=words)) == everything, words
    page = await counted.search(SearchCriteria(name="ja"))
    assert [h.person_id for h in page] == jacks[:50]
    assert {h.referrals for h in page} == {3}
    assert len(await recent_page.search(SearchCriteria(name="nowak"))) == 31  # the recent 30 are not all of them
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    for words, on_page in (("ja", True), ("quill", False)):  # 150 recent referrals hold a page of "ja" children
        statements.clear()
        await recent_page.search(SearchCriteria(name=words))
        assert ("person_id IN" in statements[-1]) is on_page, words
