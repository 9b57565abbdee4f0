"""Every message a topic holds right now, from the first retained offset to the end, read without a consumer
group (nothing committed, nobody's offsets moved): for reconciliation and for checking what was published."""

import uuid

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord


async def records_on(bootstrap: str, topic: str, *more_topics: str,
                     client_id: str = "frontdoor-scan") -> list[ConsumerRecord]:
    """Every record on `topic` (and `more_topics`, read by the same one consumer)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", client_id=f"{client_id}-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    try:
        partitions = [TopicPartition(t, p) for t in (topic, *more_topics) for p in await partitions_of(consumer, t)]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        found: list[ConsumerRecord] = []
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                found += records
        return found
    finally:
        await consumer.stop()


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    """The topic's partitions, refreshing metadata a few times for a topic this client has not seen yet."""
    for _ in range(5):
        if partitions := consumer.partitions_for_topic(topic):
            return partitions
        await consumer._client.force_metadata_update()  # aiokafka has no public call to refresh one topic
    return set()
