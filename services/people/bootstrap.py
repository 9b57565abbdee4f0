"""Composition root for people: settings in, a runnable service out (the person index)."""

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.clock import Clock, SystemClock
from shared.events.topics import PEOPLE_EVENTS, REFERRALS_IDENTIFIED
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from services.people.adapters import tables
from services.people.adapters.sqla_unit_of_work import SqlaPeopleUnitOfWork
from services.people.application.identify import IdentifyReferrals
from services.people.application.keep_history import KeepHistory
from services.people.config import PeopleSettings
from services.people.domain.match_policy import POLICIES
from services.people.entrypoints import subscribers
from services.people.entrypoints.http import create_app

RELAY_LOCK_KEY = 7_110_060


def build(settings: PeopleSettings, tracer_provider: TracerProvider, *, clock: Clock | None = None) -> ServiceRuntime:
    policy = POLICIES[settings.match_policy_version]  # refuse to start on an unknown version
    runtime = ServiceRuntime(name="people", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                             relay_lock_key=RELAY_LOCK_KEY)
    uow = runtime.units_of_work(SqlaPeopleUnitOfWork)
    clock = clock or SystemClock()
    runtime.publishes(REFERRALS_IDENTIFIED, PEOPLE_EVENTS)
    subscribers.register(runtime, IdentifyReferrals(uow=uow, policy=policy, clock=clock),
                         KeepHistory(uow=uow, clock=clock))
    app = create_app(policy)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    return runtime
