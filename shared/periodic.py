"""One periodic loop for the services' background jobs (checkpoints, witnessing, SLA checks, gauges): it runs
until `stopping` is set, and outlives any failure of a single tick (the next tick tries again)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(stopping: asyncio.Event, seconds: float, action: Callable[[], Awaitable[object]], *, what: str,
                first_now: bool = False) -> None:
    """Call `action` every `seconds` (first at once with `first_now`, else after one interval); a failure is
    logged as a warning naming `what` and the exception's type, never its message (it may hold values)."""
    wait_first = not first_now
    while not stopping.is_set():
        if wait_first:
            try:
                await asyncio.wait_for(stopping.wait(), timeout=seconds)
                return
            except TimeoutError:
                pass
        wait_first = True
        try:
            await action()
        except Exception as exc:  # noqa: BLE001 - a loop that must outlive any failure; the next tick tries again
            log.warning("%s failed (%s)", what, type(exc).__name__)
