"""Composition root for audit: the log writer (as the writer role) behind a batch consumer of every topic,
periodic signed checkpoints, and the auditors' API."""

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.auth.tokens import Tokens
from shared.clock import SystemClock
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from services.audit.adapters import tables
from services.audit.adapters.sqla_log import writer_engine
from services.audit.config import AuditSettings
from services.audit.entrypoints import subscribers
from services.audit.entrypoints.http import create_app
from services.audit.entrypoints.wiring import auditor_tools


def build(settings: AuditSettings, tracer_provider: TracerProvider) -> ServiceRuntime:
    runtime = ServiceRuntime(name="audit", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS)
    writer = writer_engine(settings)
    runtime.add_cleanup(writer.dispose)
    tools = auditor_tools(settings, writer)
    subscribers.register(runtime, tools.append)
    runtime.add_loop(lambda stopping: tools.checkpoint.run(stopping, settings.checkpoint_seconds))
    if tools.witness is not None:
        witness = tools.witness
        runtime.add_loop(lambda stopping: witness.run(stopping, settings.checkpoint_seconds))
    app = create_app(tools, Tokens(settings.auth), SystemClock())
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    return runtime
