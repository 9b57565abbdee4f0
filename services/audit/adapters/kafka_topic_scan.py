"""Reads every event id still held on a topic, from the first retained offset to the end, for reconciliation."""

import json

from shared.messaging.topic_scan import records_on


async def event_ids_on(bootstrap: str, topic: str) -> dict[str, str | None]:
    """event_id -> referral_id for every message currently on `topic` (a throw-away, non-committing reader)."""
    found: dict[str, str | None] = {}
    for record in await records_on(bootstrap, topic, client_id="audit-reconcile"):
        try:
            event = json.loads(record.value)
            found[str(event["event_id"])] = event.get("referral_id")
        except (ValueError, KeyError, TypeError):
            continue
    return found
