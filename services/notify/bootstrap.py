"""Composition root for notify: directory, channels, the intent recorder, the dispatcher, receipts."""

import asyncio

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from shared.clock import Clock, SystemClock
from shared.events.topics import NOTIFICATIONS_EVENTS, dlq_topic
from shared.http_server import serve_loop
from shared.runtime import ServiceRuntime
from services.notify.adapters import tables
from services.notify.adapters.directory_file import read_directory_file
from services.notify.adapters.sqla_directory import SqlaDirectory
from services.notify.adapters.sqla_unit_of_work import SqlaClaims, SqlaNotifyUnitOfWork
from services.notify.application.dispatch_notifications import DispatchNotifications
from services.notify.application.ports import Channel
from services.notify.application.record_notifications import RecordNotifications
from services.notify.application.record_receipt import RecordReceipt
from services.notify.config import NotifySettings
from services.notify.entrypoints import subscribers
from services.notify.entrypoints.channels import configured_channels
from services.notify.entrypoints.http import create_app

RELAY_LOCK_KEY = 7_110_030


class NotifyRuntime(ServiceRuntime):
    """Notify refuses to start with a queue nobody would be told about. With NOTIFY_DIRECTORY_FILE set
    (development) the file replaces the directory at start; unset it to manage the table with the CLI."""

    def __init__(self, notify_settings: NotifySettings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.directory = SqlaDirectory(self.engine)
        self._seed = notify_settings.directory_file

    async def prepare(self) -> None:
        """Before the first event is consumed: an event read earlier would find yesterday's directory."""
        if self._seed:  # development: the file is the whole directory, so removing a line removes a recipient
            await self.directory.replace_all(read_directory_file(self._seed))
        try:
            await self.directory.check_complete()
        except Exception:
            await self.engine.dispose()
            raise


def build(settings: NotifySettings, tracer_provider: TracerProvider, *, channels: dict[str, Channel] | None = None,
          clock: Clock | None = None) -> ServiceRuntime:
    runtime = NotifyRuntime(settings, name="notify", settings=settings.platform, tracer_provider=tracer_provider,
                            schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                            relay_lock_key=RELAY_LOCK_KEY)

    uow = runtime.units_of_work(SqlaNotifyUnitOfWork)

    wake, clock = asyncio.Event(), clock or SystemClock()
    channels = channels or configured_channels(settings)
    dispatcher = DispatchNotifications(uow=uow, claims=SqlaClaims(runtime.engine), channels=channels, clock=clock,
                                       console_url=settings.console_url, max_attempts=settings.max_attempts,
                                       base_backoff_seconds=settings.base_backoff_seconds,
                                       claim_lease_seconds=settings.claim_lease_seconds, in_flight=settings.in_flight)
    for channel in channels.values():
        runtime.add_cleanup(channel.close)
    runtime.add_loop(lambda stopping: dispatcher.run(stopping, wake))
    runtime.publishes(NOTIFICATIONS_EVENTS, dlq_topic(NOTIFICATIONS_EVENTS))
    subscribers.register(runtime, RecordNotifications(uow=uow, wake_dispatcher=wake.set, clock=clock))
    app = create_app(record=RecordReceipt(uow=uow, clock=clock), callback_token=settings.callback_token)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, exclude_spans=["receive", "send"])
    runtime.add_loop(serve_loop(app, host=settings.host, port=settings.port))
    return runtime
