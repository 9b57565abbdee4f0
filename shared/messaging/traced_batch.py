"""A poll's events, each handled inside its own trace.

A batch consumer handles many referrals in one transaction, yet each referral's trace must run on through it.
Iterating a `TracedBatch` makes each record's trace context current, under a `<topic> process` consumer span
(FastStream's name for a consume), while the loop body handles that event, so the outbox rows it stages carry
that referral's trace onwards. `close()` ends a span left open when the loop body raised.
"""

from collections.abc import Iterator, Sequence

from opentelemetry import propagate, trace

from shared.telemetry import allowed_attributes


class TracedBatch:
    def __init__(self, pairs: Sequence[tuple[object, object]], tracer: trace.Tracer | None) -> None:
        self._pairs, self._tracer = list(pairs), tracer
        self._live: list[Iterator] = []

    @classmethod
    def of(cls, events: Sequence) -> "TracedBatch":
        """Events handled outside a consumer (a test, a tool): no record, no trace of their own."""
        return cls([(None, event) for event in events], None)

    def __len__(self) -> int:
        return len(self._pairs)

    def untraced(self) -> list:
        """The events without entering their traces: for work done for the whole batch at once."""
        return [event for _, event in self._pairs]

    def __iter__(self) -> Iterator:
        each = self._each()
        self._live.append(each)
        return each

    def _each(self) -> Iterator:
        for record, event in self._pairs:
            if self._tracer is None:
                yield event
                continue
            headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
            with self._tracer.start_as_current_span(
                    f"{record.topic} process", context=propagate.extract(headers), kind=trace.SpanKind.CONSUMER,
                    attributes=allowed_attributes(event_id=headers.get("event-id", ""))):
                yield event

    def split(self) -> list["TracedBatch"]:
        """One batch per record: how a failed batch is retried record by record."""
        return [TracedBatch([pair], self._tracer) for pair in self._pairs]

    def close(self) -> None:
        for each in reversed(self._live):
            each.close()
        self._live.clear()
