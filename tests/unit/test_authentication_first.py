"""Authentication precedes validation everywhere (issue "Security and integrity" item 2): without a valid
credential every API answers 401 before it reads, parses or validates the body."""

import httpx
import pytest

from shared.auth.tokens import AuthSettings, Tokens
from services.casework.entrypoints.staff_web import create_staff_app
from services.intake.adapters.rate_limits import MemoryRateLimiter
from services.intake.domain.admission import Admission
from services.intake.entrypoints.http import create_app as intake_app
from services.notify.entrypoints.http import create_app as notify_app
from tests.support.fakes import FakePartners, FixedClock

BODIES = [b"not json", b"{}", b'{"to_queue": 12}', b"[" * 10_000]
WRONG = [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic Zm9vOmJhcg=="}]


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api")


APPS = {
    "intake": (lambda: intake_app(submit=None, partners=FakePartners(), statuses=None, clock=FixedClock(),
                                  admission=Admission(max_backlog=10, retry_after_seconds=1),
                                  rate_limiter=MemoryRateLimiter("10/minute")), "/v1/referrals"),
    "staff": (lambda: create_staff_app(queries=None, work=None, tokens=Tokens(AuthSettings()), names={},
                                       clock=FixedClock(), children=None, children_lookup=None),
              "/staff/v1/items/7d0c2b4e-0c3a-4b35-9d1b-3f2f2a1b9c01/transfer"),
    "notify": (lambda: notify_app(record=None, callback_token="right"), "/notify/v1/receipts"),
}


@pytest.mark.parametrize("api", sorted(APPS))
@pytest.mark.parametrize("headers", WRONG)
@pytest.mark.parametrize("body", BODIES)
async def test_no_valid_credential_is_401_whatever_the_body(api, headers, body):
    make, path = APPS[api]
    async with client(make()) as c:
        response = await c.post(path, content=body, headers=headers | {"Content-Type": "application/json"})
    assert response.status_code == 401, response.text
