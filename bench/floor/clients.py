"""The floor's Kafka clients: aiokafka, as the services use it, or librdkafka through confluent-kafka.

Issue 16 measures the system against a raw aiokafka chain, and README argues from the floor that 0.4x of it is
beyond the design. That argument holds only for the client the floor uses: at 150 messages/s librdkafka's
client cost 0.03-0.05 cores against aiokafka's 0.12-0.27 on this machine. `python -m bench.floor --client
librdkafka` runs the same skeleton on librdkafka, so the bound can be read for either client. (Measured on 3
December: the hops cost the same on both from 100/s up, and both sustain 400/s; README, Benchmark.)

Both clients offer what the skeleton needs of aiokafka: a producer whose `send` returns a future settled by
Kafka's acknowledgement (acks=all, idempotent, no linger), and a consumer with `getmany`, `assignment` and
`commit`. librdkafka works in its own threads; its delivery reports and fetches reach the event loop through
one thread each (`call_soon_threadsafe`, and a single-thread executor, as confluent-kafka's own asyncio
wrappers do).
"""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

CLIENTS = ("aiokafka", "librdkafka")


class Record(NamedTuple):
    topic: str
    partition: int
    offset: int
    value: bytes


def producer_for(client: str, bootstrap: str) -> Any:
    if client == "librdkafka":
        return RdProducer(bootstrap)
    return AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0)


def consumer_for(client: str, bootstrap: str, group: str, topics: tuple[str, ...]) -> Any:
    if client == "librdkafka":
        return RdConsumer(bootstrap, group, topics)
    return AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                            enable_auto_commit=False)


class RdProducer:
    """librdkafka's producer; a thread serves its delivery reports and settles each send's future."""

    def __init__(self, bootstrap: str) -> None:
        self._producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True,
                                   "linger.ms": 0})
        self._stopping = threading.Event()
        self._reports = threading.Thread(target=self._serve_reports, daemon=True)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._reports.start()

    def _serve_reports(self) -> None:
        while not self._stopping.is_set():
            self._producer.poll(0.1)  # returns as soon as a report is served

    async def send(self, topic: str, value: bytes, key: bytes | None = None) -> asyncio.Future:
        acked = self._loop.create_future()

        def report(err: KafkaError | None, _msg: Any) -> None:
            self._loop.call_soon_threadsafe(_settle, acked, err)

        self._producer.produce(topic, value, key, on_delivery=report)
        return acked

    async def stop(self) -> None:
        self._stopping.set()
        await asyncio.get_running_loop().run_in_executor(None, self._reports.join)
        await asyncio.get_running_loop().run_in_executor(None, self._producer.flush, 10)


def _settle(acked: asyncio.Future, err: KafkaError | None) -> None:
    if acked.done():
        return
    if err is None:
        acked.set_result(None)
    else:
        acked.set_exception(KafkaException(err))


class RdConsumer:
    """librdkafka's consumer, every call on one thread of its own (the Python consumer is not to be shared)."""

    def __init__(self, bootstrap: str, group: str, topics: tuple[str, ...]) -> None:
        self._consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                                   "auto.offset.reset": "earliest", "enable.auto.commit": False})
        self._topics = list(topics)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rdkafka-consumer")
        self._assigned: set[tuple[str, int]] = set()

    async def _call(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    async def start(self) -> None:
        await self._call(self._consumer.subscribe, self._topics)

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[tuple[str, int], list[Record]]:
        """Wait for the first record only, then take what has already arrived: librdkafka's `consume` would
        wait out its timeout for a full batch."""
        messages = await self._call(self._fetch, timeout_ms / 1000, max_records)
        batches: dict[tuple[str, int], list[Record]] = {}
        for m in messages:
            if m.error() is not None:
                raise KafkaException(m.error())
            batches.setdefault((m.topic(), m.partition()), []).append(
                Record(m.topic(), m.partition(), m.offset(), m.value()))
        return batches

    def _fetch(self, timeout_s: float, max_records: int) -> list[Any]:
        first = self._consumer.poll(timeout_s)
        self._assigned = {(tp.topic, tp.partition) for tp in self._consumer.assignment()}
        if first is None:
            return []
        return [first, *self._consumer.consume(max_records - 1, 0)]

    def assignment(self) -> set[tuple[str, int]]:
        return self._assigned

    async def commit(self, offsets: dict[tuple[str, int], int]) -> None:
        await self._call(lambda: self._consumer.commit(
            offsets=[TopicPartition(t, p, o) for (t, p), o in offsets.items()], asynchronous=False))

    async def stop(self) -> None:
        await self._call(self._consumer.close)
        self._thread.shutdown()
