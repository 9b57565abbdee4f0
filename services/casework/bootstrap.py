"""Composition root for casework: settings in, a runnable service out (the MASH work queues and console)."""

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.auth.tokens import Tokens
from shared.clock import Clock, SystemClock
from shared.events.topics import ACCESS_EVENTS, PEOPLE_EVENTS, WORKITEMS_EVENTS
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from shared.working_days import EnglandBankHolidays
from services.casework.adapters import tables
from services.casework.adapters.child_queries import SqlaChildQueries
from services.casework.adapters.console_sessions import SqlaConsoleSessions
from services.casework.adapters.sqla_queries import SqlaWorkItemQueries
from services.casework.adapters.sqla_unit_of_work import SqlaCaseworkUnitOfWork
from services.casework.application.children import Children
from services.casework.application.open_work import TakeInReferrals
from services.casework.application.redecisions import ApplyRedecisions
from services.casework.application.sla_alerts import RaiseSlaAlerts
from services.casework.application.work_queue import WorkQueue
from services.casework.config import CaseworkSettings
from services.casework.domain.queue_policy import POLICIES
from services.casework.entrypoints import subscribers
from services.casework.entrypoints.staff_web import create_staff_app

RELAY_LOCK_KEY = 7_110_050


def build(settings: CaseworkSettings, tracer_provider: TracerProvider, *, clock: Clock | None = None) -> ServiceRuntime:
    policy = POLICIES[settings.queue_policy_version]  # refuse to start on an unknown version
    runtime = ServiceRuntime(name="casework", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                             relay_lock_key=RELAY_LOCK_KEY)

    uow = runtime.units_of_work(SqlaCaseworkUnitOfWork)

    clock = clock or SystemClock()
    runtime.publishes(WORKITEMS_EVENTS, ACCESS_EVENTS, PEOPLE_EVENTS)
    subscribers.register(runtime, TakeInReferrals(uow=uow),
                         ApplyRedecisions(uow=uow, clock=clock, urgency=policy.urgency))
    alerts = RaiseSlaAlerts(uow=uow, clock=clock, is_holiday=EnglandBankHolidays())
    runtime.add_loop(lambda stopping: alerts.run(stopping, settings.sla_check_seconds))
    work = WorkQueue(uow=uow, clock=clock, urgency=policy.urgency)
    lookup = SqlaChildQueries(runtime.engine)
    app = create_staff_app(queries=SqlaWorkItemQueries(runtime.engine), work=work,
                           tokens=Tokens(settings.auth), names=policy.names, clock=clock,
                           sessions=SqlaConsoleSessions(runtime.engine), children_lookup=lookup,
                           children=Children(uow=uow, lookup=lookup, clock=clock))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    return runtime
