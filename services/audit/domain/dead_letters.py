"""A message on a dead-letter topic, as the audit log records it: where it was set aside, why, and (for an
operator's replay or resolution) by whom and why. Built from the record's position and headers only, never
its body, so a dead letter always has an entry, however malformed the message that put it there.

Its event id is derived from the record's position (`uuid5`), so a redelivered DLQ record is logged once, and
it never collides with the original event's id, which the log may already hold from the source topic.
"""

import json
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

KEPT_HEADERS = ("event-id", "event-type", "dlq-error", "dlq-source-topic", "dlq-source-offset", "dlq-set-aside",
                "dlq-action", "dlq-replay-of", "dlq-operator", "dlq-reason")


OUTCOME_TYPES = {"replayed": "DeadLetterReplayed", "resolved": "DeadLetterResolved"}

def is_dead_letter_topic(topic: str) -> bool:
    return topic.endswith(".dlq")


def _referral_id(key: bytes | None) -> str | None:
    try:
        return str(UUID((key or b"").decode()))
    except ValueError:
        return None


def dead_letter_event(*, topic: str, partition: int, offset: int, key: bytes | None, timestamp_ms: int,
                      headers: dict[str, str]) -> bytes:
    """The JSON audit appends for one DLQ record: `DeadLettered`, or `DeadLetterReplayed` for a replay."""
    action = headers.get("dlq-action")  # a replay or resolution record an operator wrote with `frontdoor dlq`
    return json.dumps({
        "event_id": str(uuid5(NAMESPACE_URL, f"frontdoor-dlq:{topic}:{partition}:{offset}")),
        "event_type": OUTCOME_TYPES.get(action or "", "DeadLettered"),
        "occurred_at": datetime.fromtimestamp(timestamp_ms / 1000, UTC).isoformat(),
        "referral_id": _referral_id(key),
        "producer": "dlq",
        "payload": {"dlq_topic": topic, "dlq_position": f"{partition}:{offset}",
                    **{k.replace("-", "_"): headers[k] for k in KEPT_HEADERS if k in headers}},
    }).encode()
