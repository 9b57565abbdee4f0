"""Urgency when a work item moves queue: the destination's urgency and clock apply, and a move never lowers
either (issue: a green Early Help referral overridden into statutory safeguarding stayed green, 24 h).

Each queue carries the urgency its rules route with (statutory safeguarding is red, Level 4: the rule table's
R1, from 001_5a30536d8eda2525.txt); a move into a more urgent queue takes that urgency, and its screening clock
restarts from the move, but never later than the time already due.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class QueueUrgency:
    """What the rule set in force says: the least urgency each queue carries, and screening hours by RAG."""

    queue_rag: dict[str, str]
    rag_hours: dict[str, float]


def more_urgent(a: str, b: str) -> bool:
    return RAG_ORDER.get(a, 3) < RAG_ORDER.get(b, 3)


def after_move(rag: str, due_at: datetime, to_queue: str, urgency: QueueUrgency, now: datetime) -> tuple[str, datetime]:
    """(rag, due_at) of an item moved into `to_queue` at `now`."""
    floor = urgency.queue_rag.get(to_queue, rag)
    if not more_urgent(floor, rag):
        return rag, due_at
    return floor, min(due_at, now + timedelta(hours=urgency.rag_hours[floor]))
