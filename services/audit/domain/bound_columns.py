"""The columns an auditor reads beside each row's hashed bytes, checked against those bytes.

Only the canonical bytes are hashed (they are the RFC 6962 leaf), so a superuser who switches the triggers off
could change a displayed column (`referral_id` to hide an event from a child's trail, `event_type`, `topic`,
`event_id`, `recorded_at`) without touching a hash. Verify therefore derives each column from the verified
bytes and names the row whose column disagrees:
- `event_id`, `event_type`, `referral_id` must equal the event's own;
- `topic` must be the topic that event type is published on (a routed referral's on its queue's topic, a dead
  letter on the dead-letter topic it names, a trail read in `audit.reads`);
- `recorded_at` (audit's own arrival time, not in the event) must not go backwards along the log. Within that
  order it is not bound: what a log alone cannot prove is listed in README "What verify can and cannot catch".
"""

from datetime import datetime
from typing import Any

from shared.events.audit import AUDIT_READS
from shared.events.topics import (
    ACCESS_EVENTS,
    NOTIFICATIONS_EVENTS,
    PEOPLE_EVENTS,
    REFERRALS_IDENTIFIED,
    REFERRALS_RECEIVED,
    REFERRALS_REDECIDED,
    REFERRALS_TRIAGED,
    WORKITEMS_EVENTS,
)
from shared.events.workitems import WORK_ITEM_EVENTS

FIXED_TOPICS = {"ReferralReceived": REFERRALS_RECEIVED, "ReferralTriaged": REFERRALS_TRIAGED, "TrailRead": AUDIT_READS,
                "NotificationSent": NOTIFICATIONS_EVENTS, "NotificationFailed": NOTIFICATIONS_EVENTS,
                "NotificationDelivered": NOTIFICATIONS_EVENTS, "ReferralIdentified": REFERRALS_IDENTIFIED,
                "PersonLinkConfirmed": PEOPLE_EVENTS, "PersonLinkRejected": PEOPLE_EVENTS,
                "ReferralReidentified": PEOPLE_EVENTS, "ReferralRedecided": REFERRALS_REDECIDED,
                "ChildRecordsSearched": ACCESS_EVENTS} | dict.fromkeys(WORK_ITEM_EVENTS, WORKITEMS_EVENTS)
DEAD_LETTER_TYPES = ("DeadLettered", "DeadLetterReplayed", "DeadLetterResolved")


def topic_fault(event: dict[str, Any], topic: str) -> str | None:
    kind, payload = event.get("event_type"), event.get("payload") or {}
    if kind in FIXED_TOPICS and topic != FIXED_TOPICS[kind]:
        return f"topic {topic!r} is not where a {kind} is published ({FIXED_TOPICS[kind]})"
    if kind == "ReferralRouted":
        queue = payload.get("queue_id") if isinstance(payload, dict) else None
        expected = f"queue.{queue}" if queue else None
        if not topic.startswith("queue.") or (expected and topic != expected):
            return f"topic {topic!r} is not the routed queue's topic ({expected or 'queue.<id>'})"
    if kind in DEAD_LETTER_TYPES and topic != payload.get("dlq_topic"):
        return f"topic {topic!r} is not the dead-letter topic the entry names"
    return None


def column_fault(event: dict[str, Any], columns: dict[str, Any], previous_recorded_at: datetime | None) -> str | None:
    """Why a row's displayed columns disagree with its verified bytes, or None."""
    for name in ("event_id", "event_type", "referral_id"):
        shown, bound = columns[name], event.get(name)
        if (str(shown) if shown is not None else None) != (str(bound) if bound is not None else None):
            return f"column {name} ({shown}) differs from the hashed event ({bound})"
    if fault := topic_fault(event, columns["topic"]):
        return fault
    if previous_recorded_at and columns["recorded_at"] < previous_recorded_at:
        return "recorded_at goes backwards: the row's time was altered"
    return None
