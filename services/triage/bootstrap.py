"""Composition root for triage: settings in, a runnable service out. Triage only decides; casework works."""

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.clock import Clock, SystemClock
from shared.events.topics import QUEUE_TOPICS, REFERRALS_REDECIDED, REFERRALS_TRIAGED
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from shared.working_days import EnglandBankHolidays
from services.triage.adapters import tables
from services.triage.adapters.sqla_unit_of_work import SqlaTriageUnitOfWork
from services.triage.application.redecide_referral import RedecideReferral
from services.triage.application.triage_referral import TriageReferral
from services.triage.config import TriageSettings
from services.triage.domain.rules.registry import get_ruleset
from services.triage.entrypoints import subscribers
from services.triage.entrypoints.http import create_app

RELAY_LOCK_KEY = 7_110_020


def build(settings: TriageSettings, tracer_provider: TracerProvider, *, clock: Clock | None = None) -> ServiceRuntime:
    ruleset = get_ruleset(settings.ruleset_version)  # refuse to start on an unknown version
    runtime = ServiceRuntime(name="triage", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                             relay_lock_key=RELAY_LOCK_KEY)

    uow = runtime.units_of_work(SqlaTriageUnitOfWork)

    clock = clock or SystemClock()
    runtime.publishes(REFERRALS_TRIAGED, REFERRALS_REDECIDED, *QUEUE_TOPICS)
    subscribers.register(runtime, TriageReferral(uow=uow, ruleset=ruleset, is_holiday=EnglandBankHolidays(),
                                                 clock=clock),
                         RedecideReferral(uow=uow, ruleset=ruleset, clock=clock))
    app = create_app(ruleset)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    return runtime
