"""A batch subscriber asks Kafka once per poll, waiting in the fetch for up to a second, for at most its
`max_records`, and hands on the records of every partition in the order the poll returned them."""

import asyncio

from aiokafka import TopicPartition
from aiokafka.errors import ConsumerStoppedError
from faststream.kafka import KafkaBroker

from shared.messaging.waiting_poll import IDLE_WAIT_MS, wait_in_fetch


class ScriptedConsumer:
    """Answers each `getmany` with the next of `answers`, recording what it was asked."""

    def __init__(self, *answers: dict) -> None:
        self.answers, self.asked = list(answers), []

    async def getmany(self, *partitions, timeout_ms: int = 0, max_records: int | None = None) -> dict:
        self.asked.append({"timeout_ms": timeout_ms, "max_records": max_records})
        if not self.answers:
            raise ConsumerStoppedError()
        return self.answers.pop(0)


def a_batch_subscriber(max_records: int = 3):
    return wait_in_fetch(KafkaBroker().subscriber("t", batch=True, max_records=max_records, group_id="g"))


def test_a_poll_waits_in_the_fetch_for_at_most_max_records():
    subscriber, consumer = a_batch_subscriber(max_records=3), ScriptedConsumer({})
    assert asyncio.run(subscriber.get_msg(consumer)) == ()
    assert consumer.asked == [{"timeout_ms": IDLE_WAIT_MS, "max_records": 3}]


def test_records_of_every_partition_are_handed_on_in_the_polls_order():
    polled = {TopicPartition("t", 0): ["a", "b"], TopicPartition("t", 2): ["c"]}
    subscriber, consumer = a_batch_subscriber(), ScriptedConsumer({}, polled)
    assert asyncio.run(subscriber.get_msg(consumer)) == ()
    assert asyncio.run(subscriber.get_msg(consumer)) == ("a", "b", "c")
    assert len(consumer.asked) == 2


def test_the_subscriber_is_still_the_decorator_that_registers_a_handler():
    subscriber = a_batch_subscriber()

    @subscriber
    async def handle(body: list) -> None:
        return None

    assert len(subscriber.calls) == 1


def test_faststreams_own_consume_loop_polls_through_it_and_never_sleeps_between_empty_polls():
    """Pins the seam in FastStream (0.7.8) this relies on: its consume loop asks `get_msg`, so three empty polls
    are three waits in the fetch, back to back, and the loop ends when the consumer stops."""
    subscriber, consumer = a_batch_subscriber(), ScriptedConsumer({}, {}, {})
    subscriber.running = True
    asyncio.run(asyncio.wait_for(subscriber._run_consume_loop(consumer), timeout=30))
    assert consumer.asked == [{"timeout_ms": IDLE_WAIT_MS, "max_records": 3}] * 4  # the fourth met the stop
