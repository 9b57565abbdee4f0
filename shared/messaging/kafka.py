"""The broker every service builds the same way: durable producer settings and FastStream tracing."""

import logging

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider

from shared.events.topics import ALL_TOPICS
from shared.settings import PlatformSettings

PAYLOAD_LOGGING_LIBRARIES = ("aiokafka", "faststream")


def make_broker(settings: PlatformSettings, tracer_provider: TracerProvider, client_id: str) -> KafkaBroker:
    """acks=all with the idempotent producer: a publish the relay sees confirmed is on every replica.

    No FastDepends (`apply_types=False`): every handler takes the poll as its one argument (`the_message`).
    FastDepends resolved a handler's `KafkaMessage` argument on a thread-pool thread, a thread hand-off for
    every poll of every subscriber (py-spy put 5-10 % of each service's busy samples there at 2/s, though CPU
    per referral did not measurably change without it).

    aiokafka logs whole message values at DEBUG, and our messages carry a child's details: those loggers are
    held at WARNING whatever the root level, so turning on debug logging can never leak personal data."""
    for name in PAYLOAD_LOGGING_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=settings.kafka_linger_ms,
        graceful_timeout=15.0,
        middlewares=(KafkaTelemetryMiddleware(tracer_provider=tracer_provider),),
        logger=None,
        apply_types=False,
    )


def make_relay_producer(settings: PlatformSettings, client_id: str) -> AIOKafkaProducer:
    """The outbox relay's producer: the same durability as the broker's, with no linger of its own."""
    return AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, client_id=f"{client_id}-relay",
                            enable_idempotence=True, acks="all", linger_ms=0)


async def ensure_topics(settings: PlatformSettings, topics: tuple[str, ...] = ALL_TOPICS) -> None:
    """Create the contract's topics if missing, so consumers never race topic auto-creation."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(t, settings.kafka_partitions, 1) for t in topics if t not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()
