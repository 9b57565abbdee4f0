"""Tracing set-up shared by every service: one provider per process, exporter chosen by settings.

Span attributes carry ids and codes only (referral id, queue id, rule id); never names, dates of birth or
free text. `allowed_attributes` is that allow-list, applied where the services add attributes themselves.
"""

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace import Status

from shared.settings import PlatformSettings

ALLOWED_ATTRIBUTES = frozenset({
    "frontdoor.referral_id", "frontdoor.event_id", "frontdoor.event_type", "frontdoor.queue_id",
    "frontdoor.rule_id", "frontdoor.ruleset_version", "frontdoor.partner_id", "frontdoor.rag",
})


def allowed_attributes(**attributes: str) -> dict[str, str]:
    """Keep only allow-listed `frontdoor.*` attributes, so a careless caller cannot leak personal data."""
    named = {f"frontdoor.{k}": str(v) for k, v in attributes.items()}
    return {k: v for k, v in named.items() if k in ALLOWED_ATTRIBUTES}


KEPT_EXCEPTION_ATTRIBUTES = ("exception.type", "exception.escaped")


def without_exception_text(span: ReadableSpan) -> ReadableSpan:
    """The span with exception events reduced to the exception's type and the status to its code: an error's
    message (a driver echoing a bound value, a validation error quoting input) and its stack trace can hold a
    child's details, and instrumentation records them on its own."""
    events = [Event(e.name, {k: v for k, v in (e.attributes or {}).items() if k in KEPT_EXCEPTION_ATTRIBUTES},
                    e.timestamp) if e.name == "exception" else e for e in span.events]
    return ReadableSpan(name=span.name, context=span.context, parent=span.parent, resource=span.resource,
                        attributes=span.attributes, events=events, links=span.links, kind=span.kind,
                        status=Status(span.status.status_code), start_time=span.start_time, end_time=span.end_time,
                        instrumentation_scope=span.instrumentation_scope)


class ExceptionTextRemoved(SpanProcessor):
    """Wraps the exporting processor, so no exporter ever sees an exception's text."""

    def __init__(self, inner: SpanProcessor) -> None:
        self._inner = inner

    def on_start(self, span, parent_context=None) -> None:
        self._inner.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self._inner.on_end(without_exception_text(span))

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


def make_tracer_provider(service_name: str, settings: PlatformSettings,
                         processor: SpanProcessor | None = None) -> TracerProvider:
    """A provider for one service; tests pass their own processor (an in-memory exporter)."""
    provider = TracerProvider(resource=Resource.create({"service.name": f"frontdoor-{service_name}"}))
    if processor is not None:
        provider.add_span_processor(ExceptionTextRemoved(processor))
    elif settings.otel_traces_exporter == "console":
        provider.add_span_processor(ExceptionTextRemoved(BatchSpanProcessor(ConsoleSpanExporter())))
    elif settings.otel_traces_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_exporter_otlp_endpoint
        exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces") if endpoint else OTLPSpanExporter()
        provider.add_span_processor(ExceptionTextRemoved(BatchSpanProcessor(exporter)))
    return provider


def tracer(provider: TracerProvider, name: str) -> trace.Tracer:
    return provider.get_tracer(f"frontdoor.{name}")
