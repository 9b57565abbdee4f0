"""Running services in this process until SIGINT/SIGTERM, then stopping them in reverse order."""

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable

from opentelemetry.sdk.trace import TracerProvider

from shared.localinfra.stack import Endpoints, LocalStack
from shared.messaging.kafka_logs import KafkaNoise
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from shared.telemetry import make_tracer_provider

log = logging.getLogger("frontdoor")


def configure_logging() -> None:
    """Plain lines (no colour codes: logs go to files and collectors), harmless Kafka noise quietened."""
    logging.basicConfig(level=os.environ.get("FRONTDOOR_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(KafkaNoise())
    for noisy in ("aiokafka", "faststream", "alembic", "uvicorn", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def use_endpoints(endpoints: Endpoints) -> None:
    """Make the settings of every service built after this point find the broker and the database."""
    os.environ.update(endpoints.as_env())


def running_endpoints(stack: LocalStack) -> Endpoints:
    endpoints = stack.external() or stack.status()
    if endpoints is None:
        raise SystemExit("No Kafka/PostgreSQL: set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL, "
                         "or run `frontdoor infra up` first.")
    return endpoints


Builder = Callable[[TracerProvider], ServiceRuntime]


async def serve(builders: dict[str, Builder], *, on_started: Callable[[], Awaitable[None]] | None = None) -> None:
    """Start the named services, wait for a stop signal, stop them all."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    platform = PlatformSettings()
    started: list[ServiceRuntime] = []
    try:
        for name, build in builders.items():
            runtime = build(make_tracer_provider(name, platform))
            await runtime.start()
            started.append(runtime)
        if on_started:
            await on_started()
        await stopping.wait()
    finally:
        for runtime in reversed(started):
            await runtime.stop()
        for runtime in started:
            runtime.tracer_provider.shutdown()
