"""A poll commits the partitions it read, each at the offset after its last record, and nothing else."""

from types import SimpleNamespace

from aiokafka import TopicPartition
from faststream.message import AckStatus

from shared.messaging.offsets import commit_polled, next_offsets


def record(topic: str, partition: int, offset: int) -> SimpleNamespace:
    return SimpleNamespace(topic=topic, partition=partition, offset=offset)


class RecordingConsumer:
    def __init__(self) -> None:
        self.commits: list[dict] = []

    async def commit(self, offsets=None) -> None:
        self.commits.append(offsets)


def test_each_partition_read_is_committed_after_its_highest_offset():
    records = [record("a", 0, 7), record("a", 0, 9), record("a", 3, 2), record("b", 0, 0), record("a", 0, 8)]
    assert next_offsets(records) == {TopicPartition("a", 0): 10, TopicPartition("a", 3): 3,
                                     TopicPartition("b", 0): 1}


async def test_a_poll_commits_only_what_it_read_and_faststream_commits_nothing_more():
    consumer = RecordingConsumer()
    msg = SimpleNamespace(raw_message=(record("audit", 5, 41),), consumer=consumer, committed=None)
    await commit_polled(msg)
    assert consumer.commits == [{TopicPartition("audit", 5): 42}]  # never None: that would be every partition
    assert msg.committed == AckStatus.ACKED
