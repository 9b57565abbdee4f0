"""Load generation: closed loop for maximum request rates, open loop at a constant arrival rate.

Open-loop latency is timed from each request's *scheduled* send time, so time spent queueing in the load
generator or the server is counted, not hidden (the coordinated-omission trap). The client is aiohttp: httpx's
connection pool scans every connection per request, which made the generator, not the system, the bottleneck
past ~100 requests/s on this machine.
"""

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp


@dataclass
class Sent:
    scheduled: float  # epoch seconds
    status: int
    response_seconds: float
    referral_id: str | None


def _session(connections: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections),
                                 timeout=aiohttp.ClientTimeout(total=120))


async def closed_loop(url: str, body: bytes, headers, count: int, concurrency: int = 32) -> float:
    """As many requests as `concurrency` workers can push; requests per second."""
    async with _session(concurrency) as session:
        remaining = iter(range(count))

        async def worker() -> None:
            for i in remaining:
                async with session.post(url, data=body, headers=headers(i)) as response:
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


async def open_loop(url: str, body: bytes | Callable[[int], bytes], headers, *, rate: float, seconds: float,
                    key_prefix: str, connections: int = 256) -> list[Sent]:
    """Send at `rate` per second for `seconds`, each request at its scheduled instant; `body` may be a function
    of the request's number (a different child each time, say)."""
    total = max(1, int(rate * seconds))
    results: list[Sent] = []
    async with _session(connections) as session:

        async def one(i: int, scheduled: float) -> None:
            try:
                data = body(i) if callable(body) else body
                async with session.post(url, data=data, headers=headers(f"{key_prefix}-{i}")) as response:
                    payload = await response.read()
                    rid = json.loads(payload).get("referral_id") if response.status == 202 else None
                    results.append(Sent(scheduled, response.status, time.time() - scheduled, rid))
            except (aiohttp.ClientError, TimeoutError):
                results.append(Sent(scheduled, 0, time.time() - scheduled, None))

        start, tasks = time.time() + 0.2, []
        for i in range(total):
            scheduled = start + i / rate
            if (delay := scheduled - time.time()) > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, scheduled)))
        await asyncio.gather(*tasks)
    return results


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
