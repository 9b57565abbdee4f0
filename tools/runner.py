"""Running services in this process until SIGINT/SIGTERM, then stopping them in reverse order."""

import asyncio
import functools
import importlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable

from opentelemetry.sdk.trace import TracerProvider

from shared.messaging.kafka_logs import KafkaNoise
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings
from shared.telemetry import make_tracer_provider
from tools.localinfra.stack import Endpoints, LocalStack

log = logging.getLogger("frontdoor")


def configure_logging() -> None:
    """Plain lines (no colour codes: logs go to files and collectors), harmless Kafka noise quietened."""
    logging.basicConfig(level=os.environ.get("FRONTDOOR_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(KafkaNoise())
    for noisy in ("aiokafka", "faststream", "alembic", "uvicorn", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def running_endpoints(stack: LocalStack) -> Endpoints:
    endpoints = stack.external() or stack.status()
    if endpoints is None:
        raise SystemExit("No Kafka/PostgreSQL: set KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL, "
                         "or run `frontdoor infra up` first.")
    return endpoints


Builder = Callable[[TracerProvider], ServiceRuntime]
SERVICES = ("intake", "people", "triage", "casework", "notify", "audit")
START_ORDER = ("audit", "notify", "casework", "triage", "people", "intake")  # consumers first, the front door last


SETTINGS = {"intake": "IntakeSettings", "people": "PeopleSettings", "triage": "TriageSettings",
            "casework": "CaseworkSettings", "notify": "NotifySettings", "audit": "AuditSettings"}


def load_settings(names: tuple[str, ...]) -> dict[str, object]:
    """Each named service's settings, read once, here, in start order."""
    return {name: getattr(importlib.import_module(f"services.{name}.config"), SETTINGS[name])()
            for name in START_ORDER if name in names}


def builders(settings: dict[str, object]) -> dict[str, Builder]:
    """Each service's composition root (`services.<name>.bootstrap.build`) with its settings."""
    return {name: functools.partial(_build, importlib.import_module(f"services.{name}.bootstrap").build, values)
            for name, values in settings.items()}


def _build(build: Callable, settings: object, provider: TracerProvider) -> ServiceRuntime:
    return build(settings, provider)


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
