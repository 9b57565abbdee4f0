"""Use case: find events that are on a topic but never reached the log (gap detection)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Missing:
    topic: str
    event_id: str
    referral_id: str | None


async def reconcile(*, topics: tuple[str, ...], scan: Callable[[str], Awaitable[dict[str, str | None]]],
                    logged_ids: Callable[[list[UUID]], Awaitable[set[UUID]]]) -> tuple[int, list[Missing]]:
    """`scan(topic)` gives event_id -> referral_id on the topic; `logged_ids(ids)` the ids the log holds."""
    seen, missing = 0, list[Missing]()
    for topic in topics:
        on_topic = await scan(topic)
        seen += len(on_topic)
        present = {str(i) for i in await logged_ids([UUID(i) for i in on_topic])} if on_topic else set()
        missing += [Missing(topic, eid, rid) for eid, rid in on_topic.items() if eid not in present]
    return seen, missing
