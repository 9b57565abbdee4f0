"""Composition root for audit: the log writer behind a batch consumer of every topic."""

from opentelemetry.sdk.trace import TracerProvider

from shared.runtime import ServiceRuntime
from services.audit.adapters import tables
from services.audit.adapters.sqla_log import SqlaAuditUnitOfWork
from services.audit.application.append_events import AppendEvents
from services.audit.config import AuditSettings
from services.audit.entrypoints import subscribers




def build(settings: AuditSettings, tracer_provider: TracerProvider) -> ServiceRuntime:
    runtime = ServiceRuntime(name="audit", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS)
    subscribers.register(runtime, AppendEvents(uow=lambda: SqlaAuditUnitOfWork(runtime.engine)))
    return runtime
