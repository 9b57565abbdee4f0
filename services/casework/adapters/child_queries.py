"""Read models about children: search, who a referral is about, and everything known of one child.

A name search forgives case and small misspellings: each word finds the given or family names casework has seen
that are similar to it (trigram `%`, threshold 0.4) or start with it, in the small `child_names` table, then the
referrals with exactly those names (b-tree lookups, combined across words). Date of birth, NHS number and
postcode are exact (a district matches every postcode in it). Results are per child (person), not per referral:
the MAX_HITS children referred most recently.

A short or common word (`ja`, `oliver`) matches tens of thousands of referrals at a million; counting every one
per child took 150-400 ms. So the page's children are looked for first among the `RECENT_REFERRALS` newest
referrals (a bounded range of the time index, whatever the planner thinks of the names), and only their
referrals are then counted. When the recent referrals hold fewer than a page of children the name is rare, and
every match is counted, which is then cheap.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, Text, and_, any_, func, literal, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.casework.adapters.sqla_unit_of_work import searchable, to_item
from services.casework.adapters.tables import child_names, decisions, person_links, referrals, timeline, work_items
from services.casework.application.children import Identity
from services.casework.domain.child_search import SearchCriteria
from services.casework.domain.workitems import WorkItem

MAX_HITS = 50
RECENT_REFERRALS = 20_000  # where a search looks for its page of children before counting every match


@dataclass(frozen=True)
class ChildHit:
    person_id: UUID
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None
    postcode: str | None
    referrals: int
    last_received: datetime
    open_items: int


@dataclass(frozen=True)
class ReferralOnRecord:
    referral_id: UUID
    received_at: datetime
    referral: dict[str, Any]
    decision: dict[str, Any] | None
    items: list[tuple[WorkItem, list[dict[str, Any]]]]


@dataclass(frozen=True)
class ChildRecord:
    person_id: UUID
    referrals: list[ReferralOnRecord]  # newest first


class SqlaChildQueries:
    def __init__(self, engine: AsyncEngine, *, recent: int = RECENT_REFERRALS) -> None:
        self._engine, self._recent = engine, recent

    async def search(self, criteria: SearchCriteria) -> list[ChildHit]:
        r = referrals.c
        where: list[ColumnElement[bool]] = [r.person_id.is_not(None)]
        if criteria.date_of_birth:
            where.append(r.child_dob == criteria.date_of_birth)
        if criteria.nhs_number:
            where.append(r.child_nhs == criteria.nhs_number)
        if criteria.postcode:
            where.append(r.child_postcode.startswith(criteria.postcode))
        async with self._engine.connect() as conn:
            await conn.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.4"))
            for word in (searchable(criteria.name) or "").split():
                names = await _names_like(conn, word)
                if not names:
                    return []
                seen = literal(names, ARRAY(Text))  # one array parameter, however many names a prefix finds
                where.append(or_(r.child_given == any_(seen), r.child_family == any_(seen)))
            if page := await self._children_on_page(conn, where):
                where.append(r.person_id.in_(page))
            rows = (await conn.execute(_latest_per_child(where))).all()
        return [ChildHit(row.person_id, row.referral["child"].get("given_name"),
                         row.referral["child"].get("family_name"), _date(row.referral["child"].get("date_of_birth")),
                         row.referral["child"].get("postcode"), row.referrals, row.received_at, row.open_items)
                for row in rows]

    async def _children_on_page(self, conn: AsyncConnection, where: list[ColumnElement[bool]]) -> list[UUID]:
        """The children whose matching referrals are newest, when the recent referrals hold a page of them;
        otherwise none (older matches may belong on the page)."""
        r = referrals.c
        oldest_recent = (select(r.received_at).order_by(r.received_at.desc()).offset(self._recent - 1).limit(1)
                         .scalar_subquery())
        newest_first = (select(r.person_id).where(*where, r.received_at >= oldest_recent).group_by(r.person_id)
                        .order_by(func.max(r.received_at).desc()).limit(MAX_HITS))
        page: list[UUID] = list((await conn.execute(newest_first)).scalars())
        return page if len(page) == MAX_HITS else []

    async def identity(self, referral_id: UUID) -> Identity | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(referrals.c.person_id, referrals.c.candidates)
                                      .where(referrals.c.referral_id == referral_id))).first()
            correlation = await conn.scalar(select(work_items.c.correlation_id)
                                            .where(work_items.c.referral_id == referral_id).limit(1))
        if row is None or row.person_id is None:
            return None
        return Identity(row.person_id, tuple(UUID(c["person_id"]) for c in row.candidates),
                        correlation or referral_id)

    async def link_decisions(self, referral_id: UUID) -> dict[str, str]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(person_links.c.candidate_person_id, person_links.c.decision)
                                      .where(person_links.c.referral_id == referral_id))
            return {str(row.candidate_person_id): row.decision for row in rows}

    async def child(self, person_id: UUID) -> ChildRecord | None:
        r, w = referrals.c, work_items.c
        async with self._engine.connect() as conn:
            found = (await conn.execute(select(r.referral_id, r.received_at, r.referral, decisions.c.decision)
                                        .outerjoin(decisions, decisions.c.referral_id == r.referral_id)
                                        .where(r.person_id == person_id).order_by(r.received_at.desc()))).all()
            if not found:
                return None
            ids = [row.referral_id for row in found]
            items = [to_item(row) for row in await conn.execute(select(work_items).where(w.referral_id.in_(ids))
                                                                .order_by(w.created_at))]
            events = await conn.execute(select(timeline).where(timeline.c.work_item_id.in_([i.id for i in items]))
                                        .order_by(timeline.c.at))
            by_item: dict[UUID, list[dict[str, Any]]] = {}
            for e in events:
                by_item.setdefault(e.work_item_id, []).append(
                    {"event_type": e.event_type, "actor": e.actor, "at": e.at, **e.details})
        return ChildRecord(person_id, [ReferralOnRecord(
            row.referral_id, row.received_at, row.referral, row.decision,
            [(i, by_item.get(i.id, [])) for i in items if i.referral_id == row.referral_id]) for row in found])


async def _names_like(conn: AsyncConnection, word: str) -> list[str]:
    """The names seen that a practitioner typing `word` means: similar to it, or starting with it."""
    n = child_names.c.name
    return list((await conn.execute(select(n).where(or_(n.op("%")(word), n.startswith(word, autoescape=True)))))
                .scalars())


def _latest_per_child(where: list[ColumnElement[bool]]) -> Select:
    """Per child found, the latest matching referral, how many matched and how many items are open."""
    r = referrals.c
    latest = (select(r.person_id, r.referral, r.received_at,
                     func.count().over(partition_by=r.person_id).label("referrals"),
                     func.row_number().over(partition_by=r.person_id, order_by=r.received_at.desc()).label("n"))
              .where(and_(*where)).subquery())
    open_items = (select(func.count()).select_from(work_items.join(referrals, referrals.c.referral_id ==
                                                                   work_items.c.referral_id))
                  .where(referrals.c.person_id == latest.c.person_id, work_items.c.state != "closed")
                  .scalar_subquery())
    return (select(latest, open_items.label("open_items")).where(latest.c.n == 1)
            .order_by(latest.c.received_at.desc()).limit(MAX_HITS))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
