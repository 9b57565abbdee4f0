"""Composition root for triage: settings in, a runnable service out."""

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.auth.tokens import AuthSettings, Tokens
from shared.clock import SystemClock
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from services.triage.adapters import tables
from services.triage.adapters.console_sessions import SqlaConsoleSessions
from services.triage.adapters.england_calendar import EnglandBankHolidays
from services.triage.adapters.sqla_queries import SqlaWorkItemQueries
from services.triage.adapters.sqla_unit_of_work import SqlaTriageUnitOfWork
from services.triage.application.sla_alerts import RaiseSlaAlerts
from services.triage.application.triage_referral import TriageReferral
from services.triage.application.work_queue import WorkQueue
from services.triage.config import TriageSettings
from services.triage.domain.rules.registry import get_ruleset
from services.triage.domain.urgency import QueueUrgency
from services.triage.entrypoints import subscribers
from services.triage.entrypoints.staff_web import create_staff_app

RELAY_LOCK_KEY = 7_110_020


def build(settings: TriageSettings, tracer_provider: TracerProvider, *, auth: AuthSettings | None = None,
          clock=None) -> ServiceRuntime:
    ruleset = get_ruleset(settings.ruleset_version)  # refuse to start on an unknown version
    runtime = ServiceRuntime(name="triage", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                             relay_lock_key=RELAY_LOCK_KEY)

    def uow() -> SqlaTriageUnitOfWork:
        return SqlaTriageUnitOfWork(runtime.engine, inbox_table=tables.inbox, outbox_table=tables.outbox,
                                    on_commit=runtime.wake_relay)

    clock, holidays = clock or SystemClock(), EnglandBankHolidays()
    subscribers.register(runtime, TriageReferral(uow=uow, ruleset=ruleset, is_holiday=holidays, clock=clock))
    alerts = RaiseSlaAlerts(uow=uow, clock=clock, is_holiday=holidays)
    runtime.add_loop(lambda stopping: alerts.run(stopping, settings.sla_check_seconds))
    work = WorkQueue(uow=uow, clock=clock, urgency=QueueUrgency(ruleset.queue_urgency, ruleset.thresholds.rag_hours))
    app = create_staff_app(queries=SqlaWorkItemQueries(runtime.engine), work=work,
                           tokens=Tokens(auth or AuthSettings()), names=ruleset.queue_names, clock=clock,
                           sessions=SqlaConsoleSessions(runtime.engine))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    return runtime
