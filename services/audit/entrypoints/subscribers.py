"""Audit's Kafka entrypoint: every Front Door topic, in batches, appended to the log.

Each event gets an `audit append` span whose parent is the trace the event carries, so a referral's trace
visibly reaches audit even though the batch itself spans many traces.
"""

from faststream.kafka.annotations import KafkaMessage
from opentelemetry import propagate

from shared.events.topics import EVENT_TOPICS
from shared.runtime import ServiceRuntime
from shared.telemetry import allowed_attributes, tracer
from services.audit.application.append_events import AppendEvents, NotAnEvent, Received, to_entry


def register(runtime: ServiceRuntime, append: AppendEvents) -> None:
    spans = tracer(runtime.tracer_provider, "audit")

    @runtime.broker.subscriber(*EVENT_TOPICS, **runtime.batch_options())
    async def on_events(body: list, msg: KafkaMessage) -> None:
        good, bad = [], []
        for record in msg.raw_message:
            try:
                to_entry(Received(record.topic, record.value))
                good.append(record)
            except NotAnEvent:
                bad.append(record)
        if bad:
            await runtime.delivery.dead_letter(bad, "NotAnEvent: no event_id/event_type/referral_id")
        if good:
            await runtime.delivery.run(lambda: append.execute([Received(r.topic, r.value) for r in good]), good)
            for record in good:
                headers = {k: v.decode() for k, v in record.headers or ()}
                with spans.start_span("audit append", context=propagate.extract(headers),
                                      attributes=allowed_attributes(event_id=headers.get("event-id", ""))):
                    pass
