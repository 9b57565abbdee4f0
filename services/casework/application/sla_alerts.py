"""Use case: raise SlaWarning and SlaBreached for open items, once each, on working days."""

import asyncio
from dataclasses import replace

from shared.clock import Clock
from shared.events.topics import WORKITEMS_EVENTS
from shared.periodic import every
from shared.working_days import HolidayCalendar
from services.casework.application.ports import UnitOfWorkFactory
from services.casework.application.work_queue import event_for
from services.casework.domain.sla import alert_due
from services.casework.domain.workitems import Change


class RaiseSlaAlerts:
    def __init__(self, *, uow: UnitOfWorkFactory, clock: Clock, is_holiday: HolidayCalendar) -> None:
        self._uow, self._clock, self._is_holiday = uow, clock, is_holiday

    async def execute(self) -> list[tuple[str, str]]:
        """Raise what is due now; returns (work item id, event type) for each alert raised."""
        now, raised = self._clock.now(), list[tuple[str, str]]()
        async with self._uow() as uow:
            for loaded, created_at in await uow.lock_open_items():
                kind = alert_due(loaded.item, created_at=created_at, now=now, is_holiday=self._is_holiday)
                if kind is None:
                    continue
                breached = kind == "SlaBreached"
                item = replace(loaded.item, sla_breached=True) if breached else replace(loaded.item, sla_warned=True)
                event = event_for(Change(item, kind, {}), loaded, None, now)
                await uow.save_item(item)
                await uow.add_timeline(item, event)
                await uow.stage((event, WORKITEMS_EVENTS))
                raised.append((str(item.id), kind))
            await uow.commit()
        return raised

    async def run(self, stopping: asyncio.Event, every_seconds: float) -> None:
        await every(stopping, every_seconds, self.execute, what="SLA check", first_now=True)
