"""Audit's Kafka entrypoint: every Front Door topic and its dead-letter topic, in batches, appended to the log.

Each event gets an `audit append` span whose parent is the trace the event carries, so a referral's trace
visibly reaches audit even though the batch itself spans many traces. A batch that fails on a healthy system
is split like every other consumer's, so only the message that breaks the append is dead-lettered.
"""

from faststream.kafka.annotations import KafkaMessage
from opentelemetry import propagate

from shared.events.topics import DLQ_TOPICS, EVENT_TOPICS
from shared.messaging.delivery import PoisonMessage
from shared.messaging.traced_batch import TracedBatch
from shared.runtime import ServiceRuntime
from shared.telemetry import allowed_attributes, tracer
from services.audit.application.append_events import AppendEvents, NotAnEvent, Received, to_entry
from services.audit.domain.dead_letters import dead_letter_event, is_dead_letter_topic


def received(record) -> tuple[Received, dict[str, str]]:
    """The record as audit keeps it, with the trace headers it came with; not an event is poison. A dead
    letter is logged as what happened to it (see `domain/dead_letters.py`)."""
    headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
    if is_dead_letter_topic(record.topic):
        return Received(record.topic, dead_letter_event(
            topic=record.topic, partition=record.partition, offset=record.offset, key=record.key,
            timestamp_ms=record.timestamp, headers=headers)), headers
    item = Received(record.topic, record.value)
    try:
        to_entry(item)
    except NotAnEvent as exc:
        raise PoisonMessage("NotAnEvent: no event_id/event_type/referral_id") from exc
    return item, headers


def register(runtime: ServiceRuntime, append: AppendEvents) -> None:
    spans = tracer(runtime.tracer_provider, "audit")

    async def append_batch(batch: TracedBatch) -> None:
        events = batch.untraced()
        await append.execute([item for item, _ in events])
        for _, headers in events:
            with spans.start_span("audit append", context=propagate.extract(headers),
                                  attributes=allowed_attributes(event_id=headers.get("event-id", ""))):
                pass

    @runtime.broker.subscriber(*EVENT_TOPICS, *DLQ_TOPICS, **runtime.batch_options())
    async def on_events(body: list, msg: KafkaMessage) -> None:
        await runtime.delivery.run_batch(msg.raw_message, received, append_batch)
