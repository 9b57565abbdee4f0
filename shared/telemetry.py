"""Tracing set-up shared by every service: one provider per process, exporter chosen by settings.

Span attributes carry ids and codes only (referral id, queue id, rule id); never names, dates of birth or
free text. `allowed_attributes` is that allow-list, applied where the services add attributes themselves.
"""

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

from shared.settings import PlatformSettings

ALLOWED_ATTRIBUTES = frozenset({
    "frontdoor.referral_id", "frontdoor.event_id", "frontdoor.event_type", "frontdoor.queue_id",
    "frontdoor.rule_id", "frontdoor.ruleset_version", "frontdoor.partner_id", "frontdoor.rag",
})


def allowed_attributes(**attributes: str) -> dict[str, str]:
    """Keep only allow-listed `frontdoor.*` attributes, so a careless caller cannot leak personal data."""
    named = {f"frontdoor.{k}": str(v) for k, v in attributes.items()}
    return {k: v for k, v in named.items() if k in ALLOWED_ATTRIBUTES}


def make_tracer_provider(service_name: str, settings: PlatformSettings,
                         processor: SpanProcessor | None = None) -> TracerProvider:
    """A provider for one service; tests pass their own processor (an in-memory exporter)."""
    provider = TracerProvider(resource=Resource.create({"service.name": f"frontdoor-{service_name}"}))
    if processor is not None:
        provider.add_span_processor(processor)
    elif settings.otel_traces_exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif settings.otel_traces_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_exporter_otlp_endpoint
        exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces") if endpoint else OTLPSpanExporter()
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def tracer(provider: TracerProvider, name: str) -> trace.Tracer:
    return provider.get_tracer(f"frontdoor.{name}")
