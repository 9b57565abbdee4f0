"""Reads every event id still held on a topic, from the first retained offset to the end, for reconciliation."""

import json
import uuid

from aiokafka import AIOKafkaConsumer, TopicPartition


async def event_ids_on(bootstrap: str, topic: str) -> dict[str, str | None]:
    """event_id -> referral_id for every message currently on `topic` (a throw-away, non-committing reader)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", client_id=f"audit-reconcile-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in (consumer.partitions_for_topic(topic) or
                                                         await _partitions(consumer, topic))]
        if not partitions:
            return {}
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: dict[str, str | None] = {}
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    try:
                        event = json.loads(record.value)
                        found[str(event["event_id"])] = event.get("referral_id")
                    except (ValueError, KeyError, TypeError):
                        continue
        return found
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    await consumer._client.force_metadata_update()  # aiokafka has no public call to refresh one topic
    return consumer.partitions_for_topic(topic) or set()
