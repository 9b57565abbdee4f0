"""A service process's moving parts, started and stopped in one place.

On start: migrations to head (own schema), the contract's topics, the broker (subscribers and producer),
the outbox relay and any background loops. On stop, the reverse: nothing is left running.
"""

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.kafka.annotations import KafkaMessage
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Table

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.db.unit_of_work import SqlaUnitOfWork
from shared.messaging.delivery import DeliveryPolicy
from shared.messaging.kafka import ensure_topics, make_broker, make_relay_producer
from shared.messaging.offsets import commit_polled
from shared.messaging.relay import OutboxRelay
from shared.messaging.waiting_poll import wait_in_fetch
from shared.settings import PlatformSettings
from shared.telemetry import tracer

log = logging.getLogger(__name__)
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
HEALTH_PROBE_SECONDS = 2.0
U = TypeVar("U", bound=SqlaUnitOfWork)


async def the_message(msg: KafkaMessage) -> KafkaMessage:
    """FastStream decoder that hands the handler the poll itself: its records' bytes (contract models parse
    them, audit hashes them as received), partitions and offsets. With no FastDepends on the broker
    (`make_broker`), the handler is called with just this."""
    return msg


class ServiceRuntime:
    def __init__(self, *, name: str, settings: PlatformSettings, tracer_provider: TracerProvider,
                 schema: str, migrations: Path, outbox: Table | None = None, relay_lock_key: int = 0) -> None:
        self.name, self.settings, self.schema, self._migrations = name, settings, schema, migrations
        self.tracer_provider = tracer_provider
        self.engine = make_engine(settings.database_url, application_name=f"frontdoor-{name}")
        self.broker = make_broker(settings, tracer_provider, client_id=f"frontdoor-{name}")
        self.delivery = DeliveryPolicy(self.broker.publish, tracer=tracer(tracer_provider, name),
                                       healthy=self.database_answers)
        self._outbox = outbox
        self.relay = (OutboxRelay(engine=self.engine, table=outbox, lock_key=relay_lock_key,
                                  producer=lambda: make_relay_producer(settings, f"frontdoor-{name}"))
                      if outbox is not None else None)
        self._loops: list[Loop] = [self._relay_once_topics_exist] if self.relay else []
        self._tasks: list[asyncio.Task] = []
        self._stopping = asyncio.Event()
        self.broker_connected = asyncio.Event()
        self.topics_ready = asyncio.Event()
        self._cleanups: list[Callable[[], Awaitable[None]]] = []

    def units_of_work(self, cls: type[U]) -> Callable[[], U]:
        """A factory of `cls` (a SqlaUnitOfWork) in this service's schema: its inbox and outbox tables, and a
        commit that stages events wakes the relay."""
        if self._outbox is None:
            raise TypeError(f"{self.name} has no outbox")
        inbox = self._outbox.metadata.tables[f"{self._outbox.schema}.inbox"]
        return functools.partial(cls, self.engine, inbox_table=inbox, outbox_table=self._outbox,
                                 on_commit=self.wake_relay)

    def consumer_options(self, **overrides) -> dict:
        """Consumer group, earliest offset for a new group, commit only after the handler succeeded."""
        return {"group_id": f"frontdoor-{self.name}", "auto_offset_reset": "earliest",
                "ack_policy": AckPolicy.NACK_ON_ERROR, "decoder": the_message, **overrides}

    def batch_options(self) -> dict[str, Any]:
        """A batch subscriber's settings: up to 500 records a poll, which returns as soon as records arrive
        (`subscriber` makes it wait in Kafka's fetch, `shared.messaging.waiting_poll`)."""
        return {"batch": True, "max_records": 500, **self.consumer_options()}

    async def deliver_batch(self, msg: KafkaMessage, decode_body: Callable[[bytes], object],
                            handle_many: Callable[[list[Any]], Awaitable[object]]) -> None:
        """Run one poll's records, decoded from their bodies, through `handle_many` (`deliver_records`)."""
        await self.deliver_records(msg, lambda record: decode_body(record.value), handle_many)

    async def deliver_records(self, msg: KafkaMessage, decode_record: Callable[[Any], object],
                              handle_many: Callable[[list[Any]], Awaitable[object]]) -> None:
        """Run one poll's records through `handle_many` in one transaction (see `DeliveryPolicy.run_batch`),
        then commit the partitions the poll read (`commit_polled`)."""
        await self.delivery.run_batch(msg.raw_message, decode_record, handle_many)
        await commit_polled(msg)

    async def database_answers(self) -> bool:
        """The delivery policy's health probe: can PostgreSQL run a query right now?"""
        try:
            async with asyncio.timeout(HEALTH_PROBE_SECONDS), self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure to answer is "not healthy"
            return False

    def publishes(self, *topics: str) -> None:
        """Declare what this service publishes (through its outbox), so that the AsyncAPI document generated
        from the services' brokers names each topic's producers (`frontdoor docs asyncapi`). Nothing is sent
        through these declarations."""
        for topic in topics:
            self.broker.publisher(topic, title=f"{self.name}:{topic}:publishes",
                                  description=f"Published by {self.name}.")

    def subscriber(self, *topics: str, **options: Any) -> Any:
        """The broker's subscriber, named `<service>:<topic>` in the AsyncAPI document (FastStream names a
        channel after its handler otherwise, and two services' handlers of one name would collide there); a batch
        subscriber waits in Kafka's fetch rather than polling on a timer (`wait_in_fetch`)."""
        title = self.name if len(topics) > 1 else f"{self.name}:{topics[0]}"
        subscriber = self.broker.subscriber(*topics, title=title, **options)
        return wait_in_fetch(subscriber) if options.get("batch") else subscriber

    def add_loop(self, loop: Loop) -> None:
        self._loops.append(loop)

    def add_cleanup(self, cleanup: Callable[[], Awaitable[None]]) -> None:
        """Something to close after the service stops (another engine, a client)."""
        self._cleanups.append(cleanup)

    def wake_relay(self) -> None:
        if self.relay:
            self.relay.wake()

    async def start(self, *, broker_wait_seconds: float = 30.0) -> None:
        """Migrate, then connect to Kafka in the background: a service whose broker is down still starts (intake
        keeps accepting referrals into its outbox) and connects as soon as Kafka is reachable."""
        await upgrade_to_head(self.settings.database_url, self.schema, self._migrations)
        await self.prepare()
        loops = [self._connect_broker, *self._loops]
        self._tasks = [asyncio.create_task(loop(self._stopping), name=f"{self.name}-loop") for loop in loops]
        try:
            await asyncio.wait_for(self.broker_connected.wait(), timeout=broker_wait_seconds)
        except TimeoutError:
            log.warning("%s started without Kafka; it will connect when Kafka is reachable", self.name)
        log.info("%s started", self.name)

    async def prepare(self) -> None:
        """A service's own set-up that must be done before its first message is consumed (after migrations)."""

    async def _connect_broker(self, stopping: asyncio.Event) -> None:
        backoff = 0.5
        while not stopping.is_set():
            try:
                await ensure_topics(self.settings)
                self.topics_ready.set()
                await self.broker.start()
                self.broker_connected.set()
                return
            except Exception as exc:  # noqa: BLE001 - keep trying until Kafka answers
                log.warning("%s cannot reach Kafka (%s); retrying in %.1fs", self.name, type(exc).__name__, backoff)
                await self.broker.stop()
                try:
                    await asyncio.wait_for(stopping.wait(), timeout=backoff)
                except TimeoutError:
                    backoff = min(backoff * 2, 10.0)

    async def _relay_once_topics_exist(self, stopping: asyncio.Event) -> None:
        """The relay has its own producer, so it need not wait for the consumers' group join (which, after a
        crash, waits out the dead member's session); only for the topics, so none is auto-created."""
        ready, stop = asyncio.create_task(self.topics_ready.wait()), asyncio.create_task(stopping.wait())
        await asyncio.wait({ready, stop}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel(), stop.cancel()
        if self.topics_ready.is_set() and self.relay is not None:
            await self.relay.run(stopping)

    async def stop(self) -> None:
        self._stopping.set()
        self.wake_relay()
        await self.broker.stop()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=20)
            for task in self._tasks:
                task.cancel()
        await self.engine.dispose()
        for cleanup in self._cleanups:
            await cleanup()
        log.info("%s stopped", self.name)
