"""Load generation: closed loop for maximum request rates, open loop at a constant arrival rate.

Open-loop latency is timed from each request's *scheduled* send time, so time spent queueing in the load
generator or the server is counted, not hidden (the coordinated-omission trap)."""

import asyncio
import time
from dataclasses import dataclass

import httpx


@dataclass
class Sent:
    scheduled: float  # epoch seconds
    status: int
    response_seconds: float
    referral_id: str | None


async def closed_loop(url: str, body: bytes, headers, count: int, concurrency: int = 32) -> float:
    """As many requests as `concurrency` workers can push; requests per second."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        remaining = iter(range(count))

        async def worker() -> None:
            for i in remaining:
                await client.post(url, content=body, headers=headers(i))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


async def open_loop(url: str, body: bytes, headers, *, rate: float, seconds: float, key_prefix: str) -> list[Sent]:
    """Send at `rate` per second for `seconds`, each request at its scheduled instant."""
    total = max(1, int(rate * seconds))
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=256)
    results: list[Sent] = []
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.time() + 0.2

        async def one(i: int) -> None:
            scheduled = start + i / rate
            await asyncio.sleep(max(0.0, scheduled - time.time()))
            try:
                response = await client.post(url, content=body, headers=headers(f"{key_prefix}-{i}"))
                rid = response.json().get("referral_id") if response.status_code == 202 else None
                results.append(Sent(scheduled, response.status_code, time.time() - scheduled, rid))
            except httpx.HTTPError:
                results.append(Sent(scheduled, 0, time.time() - scheduled, None))

        await asyncio.gather(*(one(i) for i in range(total)))
    return results


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
