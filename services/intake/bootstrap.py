"""Composition root for intake: the partner API, its database and its outbox relay."""

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.clock import SystemClock
from shared.events.topics import REFERRALS_RECEIVED
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from services.intake.adapters import tables
from services.intake.adapters.backlog_gauge import SqlaBacklogGauge
from services.intake.adapters.rate_limits import PgRateLimiter
from services.intake.adapters.referral_store import PgReferralStore
from services.intake.adapters.sqla_unit_of_work import SqlaIntakeUnitOfWork, SqlaPartnerDirectory, SqlaReferralStatuses
from services.intake.application.record_triage_outcome import RecordAcknowledgement, RecordTriageOutcome
from services.intake.application.submit_referral import SubmitReferral
from services.intake.config import IntakeSettings
from services.intake.domain.admission import Admission
from services.intake.entrypoints import subscribers
from services.intake.entrypoints.http import create_app

RELAY_LOCK_KEY = 7_110_010


def build(settings: IntakeSettings, tracer_provider: TracerProvider) -> ServiceRuntime:
    runtime = ServiceRuntime(name="intake", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                             relay_lock_key=RELAY_LOCK_KEY)

    uow = runtime.units_of_work(SqlaIntakeUnitOfWork)

    clock = SystemClock()
    backlog = SqlaBacklogGauge(runtime.engine)
    runtime.add_loop(backlog.run)
    admission = Admission(max_backlog=settings.max_backlog, retry_after_seconds=settings.shed_retry_after_seconds,
                          max_in_flight=settings.max_in_flight)
    submit = SubmitReferral(store=PgReferralStore(runtime.engine, on_stored=runtime.wake_relay), clock=clock,
                            backlog=backlog, admission=admission)
    app = create_app(submit=submit,
                     partners=SqlaPartnerDirectory(runtime.engine), statuses=SqlaReferralStatuses(runtime.engine),
                     clock=clock, admission=admission, rate_limit=settings.rate_limit,
                     rate_limiter=PgRateLimiter(runtime.engine, settings.rate_limit))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    runtime.publishes(REFERRALS_RECEIVED)
    subscribers.register(runtime, RecordTriageOutcome(uow=uow), RecordAcknowledgement(uow=uow))
    return runtime
