"""The in-flight gate: past the limit a routine POST is answered 429 at once; an urgent one still goes in."""

import asyncio
import json

import httpx

from services.intake.domain.admission import Admission
from services.intake.entrypoints.admission_gate import AdmissionGate
from tests.support.referrals import referral_body


class SlowApp:
    """Holds every request until released, so the test controls how many are in flight."""

    def __init__(self) -> None:
        self.release, self.bodies = asyncio.Event(), []

    async def __call__(self, scope, receive, send) -> None:
        self.bodies.append(json.loads((await receive())["body"]))
        await self.release.wait()
        await send({"type": "http.response.start", "status": 202, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


async def test_past_the_in_flight_limit_routine_posts_get_429_and_urgent_ones_are_served():
    inner = SlowApp()
    gate = AdmissionGate(inner, admission=Admission(max_backlog=10, retry_after_seconds=5, max_in_flight=1))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gate), base_url="http://intake") as client:
        first = asyncio.create_task(client.post("/v1/referrals", json=referral_body()))
        while gate.in_flight < 1:
            await asyncio.sleep(0.01)
        busy = await client.post("/v1/referrals", json=referral_body())
        urgent = asyncio.create_task(client.post("/v1/referrals", json=referral_body(immediate_danger=True)))
        while gate.in_flight < 2:
            await asyncio.sleep(0.01)
        inner.release.set()
        assert (await first).status_code == 202 and (await urgent).status_code == 202
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
    assert busy.headers["content-type"] == "application/problem+json"
    assert [b["immediate_danger"] for b in inner.bodies] == [False, True]  # the urgent body reached the app whole
    assert gate.in_flight == 0
