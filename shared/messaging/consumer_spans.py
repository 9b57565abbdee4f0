"""One consumer span per record of a poll, and the trace each event staged because of it continues.

A batch consumer handles many referrals in one transaction, yet each referral's trace must run on through
it. The entrypoint opens a `<topic> process` span (FastStream's name for a consume) per record, parented on
the trace the record carries, for the time the poll is handled; the use case sees plain events. Whatever is
written on behalf of an event (an outbox row caused by it, a notification it triggers) asks
`trace_context_of(event_id)` for that record's span, so the trace continues from it, not from the batch.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any
from uuid import UUID

from opentelemetry import propagate, trace
from opentelemetry.context import Context

from shared.telemetry import allowed_attributes

_CONTEXTS: ContextVar[Mapping[UUID, Context]] = ContextVar("frontdoor_consumer_spans",
                                                            default=MappingProxyType({}))


def trace_context_of(event_id: UUID | None) -> Context | None:
    """The span of the record that carried `event_id` in the poll being handled; None outside one."""
    return _CONTEXTS.get().get(event_id) if event_id is not None else None


@contextmanager
def consumer_spans(tracer: trace.Tracer | None, pairs: Sequence[tuple[Any, Any]]) -> Iterator[None]:
    """`pairs`: (aiokafka record, decoded event with an `event_id`) for each record handled together."""
    if tracer is None:
        yield
        return
    spans = {}
    for record, event in pairs:
        headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
        spans[_event_id(event)] = tracer.start_span(
            f"{record.topic} process", context=propagate.extract(headers), kind=trace.SpanKind.CONSUMER,
            attributes=allowed_attributes(event_id=headers.get("event-id", "")))
    token = _CONTEXTS.set({event_id: trace.set_span_in_context(span) for event_id, span in spans.items()})
    try:
        yield
    except BaseException as exc:
        for span in spans.values():
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
        raise
    finally:
        _CONTEXTS.reset(token)
        for span in spans.values():
            span.end()


def _event_id(event: Any) -> UUID:
    return event.event_id
