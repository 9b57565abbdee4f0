"""Audit's Kafka entrypoint: every Front Door topic and its dead-letter topic, in batches, appended to the log.

Each record is parsed once, here, and handled inside its own consumer span (the delivery policy's), whose
parent is the trace the event carries, so a referral's trace visibly reaches audit even though the batch
spans many traces. A batch that fails on a healthy system is split like every other consumer's, so only the
message that breaks the append is dead-lettered.

Dead-letter topics have a consumer of their own: every fetch names each partition its consumer holds, and the
client decodes an answer for each, so one consumer of all 32 topics (192 partitions) spent a quarter of audit's
CPU decoding empty partitions of topics that are almost always empty.
"""

from faststream.kafka.annotations import KafkaMessage

from shared.events.topics import DLQ_TOPICS, EVENT_TOPICS
from shared.messaging.delivery import PoisonMessage
from shared.runtime import ServiceRuntime
from services.audit.application.append_events import AppendEvents, LogEntry, NotAnEvent, Received, to_entry
from services.audit.domain.dead_letters import dead_letter_event, is_dead_letter_topic


def received(record) -> LogEntry:
    """The record as audit keeps it; not an event is poison. A dead letter is logged as what happened to it
    (see `domain/dead_letters.py`)."""
    if is_dead_letter_topic(record.topic):
        headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
        return to_entry(Received(record.topic, dead_letter_event(
            topic=record.topic, partition=record.partition, offset=record.offset, key=record.key,
            timestamp_ms=record.timestamp, headers=headers)))
    try:
        return to_entry(Received(record.topic, record.value))
    except NotAnEvent as exc:
        raise PoisonMessage("NotAnEvent: no event_id/event_type/referral_id") from exc


def register(runtime: ServiceRuntime, append: AppendEvents) -> None:
    @runtime.subscriber(*EVENT_TOPICS, **runtime.batch_options())
    async def on_events(msg: KafkaMessage) -> None:
        await runtime.deliver_records(msg, received, append.execute)

    @runtime.subscriber(*DLQ_TOPICS, **runtime.batch_options())
    async def on_dead_letters(msg: KafkaMessage) -> None:
        await runtime.deliver_records(msg, received, append.execute)
