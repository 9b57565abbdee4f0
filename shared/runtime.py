"""A service process's moving parts, started and stopped in one place.

On start: migrations to head (own schema), the contract's topics, the broker (subscribers and producer),
the outbox relay and any background loops. On stop, the reverse: nothing is left running.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from faststream import AckPolicy
from faststream.kafka.annotations import KafkaMessage
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Table

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.messaging.delivery import DeliveryPolicy
from shared.messaging.kafka import ensure_topics, make_broker
from shared.messaging.relay import OutboxRelay
from shared.settings import PlatformSettings

log = logging.getLogger(__name__)
Loop = Callable[[asyncio.Event], Awaitable[None]]


async def raw_body(msg) -> bytes:
    """FastStream decoder that keeps the bytes: contract models parse them, audit hashes them as received."""
    return msg.body


class ServiceRuntime:
    def __init__(self, *, name: str, settings: PlatformSettings, tracer_provider: TracerProvider,
                 schema: str, migrations: Path, outbox: Table | None = None, relay_lock_key: int = 0) -> None:
        self.name, self.settings, self.schema, self._migrations = name, settings, schema, migrations
        self.tracer_provider = tracer_provider
        self.engine = make_engine(settings.database_url)
        self.broker = make_broker(settings, tracer_provider, client_id=f"frontdoor-{name}")
        self.delivery = DeliveryPolicy(self.broker.publish)
        self.relay = (OutboxRelay(engine=self.engine, table=outbox, broker=self.broker, lock_key=relay_lock_key)
                      if outbox is not None else None)
        self._loops: list[Loop] = [self.relay.run] if self.relay else []
        self._tasks: list[asyncio.Task] = []
        self._stopping = asyncio.Event()

    def consumer_options(self, **overrides) -> dict:
        """Consumer group, earliest offset for a new group, commit only after the handler succeeded."""
        return {"group_id": f"frontdoor-{self.name}", "auto_offset_reset": "earliest",
                "ack_policy": AckPolicy.NACK_ON_ERROR, "decoder": raw_body, **overrides}

    async def deliver(self, handle: Callable[[], Awaitable[None]], msg: KafkaMessage) -> None:
        """Run `handle` under the delivery policy for this message (or batch)."""
        records = msg.raw_message if isinstance(msg.raw_message, tuple) else (msg.raw_message,)
        await self.delivery.run(handle, records)

    def add_loop(self, loop: Loop) -> None:
        self._loops.append(loop)

    def wake_relay(self) -> None:
        if self.relay:
            self.relay.wake()

    async def start(self) -> None:
        await upgrade_to_head(self.settings.database_url, self.schema, self._migrations)
        await ensure_topics(self.settings)
        await self.broker.start()
        self._tasks = [asyncio.create_task(loop(self._stopping), name=f"{self.name}-loop") for loop in self._loops]
        log.info("%s started", self.name)

    async def stop(self) -> None:
        self._stopping.set()
        self.wake_relay()
        await self.broker.stop()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=20)
            for task in self._tasks:
                task.cancel()
        await self.engine.dispose()
        log.info("%s stopped", self.name)
