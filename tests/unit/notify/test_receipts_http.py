"""Notify's receipts endpoint: authentication before the body is looked at; bad bodies are 4xx naming the field."""

import httpx
import pytest

from services.notify.application.record_receipt import UnknownNotification
from services.notify.entrypoints.http import create_app

TOKEN = "callback-token"


class FakeRecord:
    def __init__(self) -> None:
        self.seen = []

    async def execute(self, receipt):
        self.seen.append(receipt)
        if receipt.reference == "unknown":
            raise UnknownNotification(receipt.reference)
        return "delivered"


def client(record=None) -> httpx.AsyncClient:
    app = create_app(record=record or FakeRecord(), callback_token=TOKEN)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"},
                                     {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.staff.token"}])
@pytest.mark.parametrize("body", [b"{}", b"not json", b'{"reference": 1}'])
async def test_no_or_wrong_token_is_401_before_the_body_is_looked_at(headers, body):
    record = FakeRecord()
    async with client(record) as c:
        response = await c.post("/notify/v1/receipts", content=body, headers=headers)
    assert response.status_code == 401 and record.seen == []


@pytest.mark.parametrize(("body", "field"), [
    (b"{}", "reference"), (b'{"reference": "r", "status": 7}', "status"), (b"not json", "body"),
    (b'{"reference": "' + b"x" * 400 + b'", "status": "delivered"}', "reference"),
    (b'{"reference": "a\\u0000b", "status": "delivered"}', "reference"),
])
async def test_a_bad_body_with_the_token_is_a_422_naming_the_field(body, field):
    async with client() as c:
        response = await c.post("/notify/v1/receipts", content=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_a_good_receipt_is_recorded_and_an_unknown_reference_is_404():
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with client() as c:
        ok = await c.post("/notify/v1/receipts", json={"reference": "r1", "status": "delivered"}, headers=auth)
        unknown = await c.post("/notify/v1/receipts", json={"reference": "unknown", "status": "delivered"},
                               headers=auth)
    assert ok.json() == {"reference": "r1", "status": "delivered"} and unknown.status_code == 404
