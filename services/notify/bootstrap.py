"""Composition root for notify: directory, channels, the intent recorder and the dispatcher."""

import asyncio

from opentelemetry.sdk.trace import TracerProvider

from shared.events.codes import Rag
from shared.runtime import ServiceRuntime
from services.notify.adapters import tables
from services.notify.adapters.directory_file import load_directory
from services.notify.adapters.log_channel import LogChannel
from services.notify.adapters.sqla_unit_of_work import SqlaNotifyUnitOfWork
from services.notify.application.dispatch_notifications import DispatchNotifications
from services.notify.application.record_notifications import RecordNotifications
from services.notify.config import NotifySettings
from services.notify.domain.messages import Recipient, new_referral_message
from services.notify.entrypoints import subscribers


RELAY_LOCK_KEY = 7_110_030


def build(settings: NotifySettings, tracer_provider: TracerProvider) -> ServiceRuntime:
    directory = load_directory(settings.directory_file)
    runtime = ServiceRuntime(name="notify", settings=settings.platform, tracer_provider=tracer_provider,
                             schema=tables.SCHEMA, migrations=tables.MIGRATIONS, outbox=tables.outbox,
                             relay_lock_key=RELAY_LOCK_KEY)

    def uow() -> SqlaNotifyUnitOfWork:
        return SqlaNotifyUnitOfWork(runtime.engine, inbox_table=tables.inbox, outbox_table=tables.outbox,
                                    on_commit=runtime.wake_relay)

    def compose(item):
        recipient = Recipient(id=item.recipient_id, channel=item.channel, address=item.address, role="")
        return new_referral_message(ref=item.reference, recipient=recipient, queue_name=item.queue_id,
                                    rag=Rag(item.rag), due_at=item.due_at, console_url=settings.console_url,
                                    referral_id=item.referral_id)

    wake = asyncio.Event()
    dispatcher = DispatchNotifications(uow=uow, channels={"log": LogChannel()}, compose=compose,
                                       max_attempts=settings.max_attempts)
    runtime.add_loop(lambda stopping: dispatcher.run(stopping, wake))
    subscribers.register(runtime, RecordNotifications(uow=uow, directory=directory, wake_dispatcher=wake.set))
    return runtime


__all__ = ["build"]
