"""Consumers commit the partitions their polls read, each at the offset after its last handled record, at
most once an interval, and a quiet consumer still commits what it finished."""

import asyncio
from types import SimpleNamespace

from aiokafka import TopicPartition
from faststream.message import AckStatus

from shared.messaging.offsets import OffsetCommitter, commit_polled, next_offsets


def record(topic: str, partition: int, offset: int) -> SimpleNamespace:
    return SimpleNamespace(topic=topic, partition=partition, offset=offset)


class RecordingConsumer:
    def __init__(self, fail: bool = False) -> None:
        self.commits: list[dict] = []
        self.fail = fail

    async def commit(self, offsets=None) -> None:
        if self.fail:
            raise RuntimeError("the partition was revoked")
        self.commits.append(offsets)


class StepClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_each_partition_read_is_committed_after_its_highest_offset():
    records = [record("a", 0, 7), record("a", 0, 9), record("a", 3, 2), record("b", 0, 0), record("a", 0, 8)]
    assert next_offsets(records) == {TopicPartition("a", 0): 10, TopicPartition("a", 3): 3,
                                     TopicPartition("b", 0): 1}


async def test_a_poll_commits_only_what_it_read_and_faststream_commits_nothing_more():
    consumer = RecordingConsumer()
    msg = SimpleNamespace(raw_message=(record("audit", 5, 41),), consumer=consumer, committed=None)
    await commit_polled(msg)
    await asyncio.sleep(0)  # the commit runs beside the next poll, not before it
    assert consumer.commits == [{TopicPartition("audit", 5): 42}]  # never None: that would be every partition
    assert msg.committed == AckStatus.ACKED


async def test_polls_within_the_interval_are_committed_together_by_the_timer():
    consumer, clock = RecordingConsumer(), StepClock()
    committer = OffsetCommitter(consumer, interval=0.05, clock=clock)
    await committer.handled([record("t", 0, 1)])
    await asyncio.sleep(0)
    clock.now += 0.01
    await committer.handled([record("t", 0, 2), record("t", 1, 0)])
    await committer.handled([record("t", 0, 3)])
    assert consumer.commits == [{TopicPartition("t", 0): 2}]  # the first at once; the rest wait for the timer
    await asyncio.sleep(0.1)
    assert consumer.commits[1:] == [{TopicPartition("t", 0): 4, TopicPartition("t", 1): 1}]


async def test_a_refused_commit_is_logged_and_does_not_fail_the_consumer(caplog):
    committer = OffsetCommitter(RecordingConsumer(fail=True), interval=0.05)
    await committer.handled([record("t", 0, 1)])
    await asyncio.sleep(0)
    assert "will be read again" in caplog.text
