"""The services' one periodic loop: first tick at once or after an interval, a failing tick does not end it,
and setting `stopping` ends it promptly."""

import asyncio

from shared.periodic import every


async def test_a_failing_tick_is_logged_by_type_and_the_loop_goes_on_until_stopped(caplog):
    stopping, ticks = asyncio.Event(), []

    async def tick():
        ticks.append(len(ticks))
        if len(ticks) == 1:
            raise RuntimeError("secret value")
        if len(ticks) == 3:
            stopping.set()

    await asyncio.wait_for(every(stopping, 0.01, tick, what="the job", first_now=True), timeout=5)
    assert ticks == [0, 1, 2]
    assert "the job failed (RuntimeError)" in caplog.text and "secret value" not in caplog.text


async def test_without_first_now_nothing_runs_before_one_interval_and_stopping_ends_the_wait():
    stopping, ticks = asyncio.Event(), []

    async def tick():
        ticks.append(1)

    loop = asyncio.create_task(every(stopping, 60, tick, what="the job"))
    await asyncio.sleep(0.05)
    stopping.set()
    await asyncio.wait_for(loop, timeout=1)
    assert ticks == []
