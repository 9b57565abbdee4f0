"""The GOV.UK Notify channel through Notify's own Python client, against a local stand-in for the API that
checks the client's JWT as Notify does (iss = service id, HS256 with the key's secret)."""

import uuid
from datetime import UTC, datetime

import jwt
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.http_server import serve_loop
from services.notify.adapters.govuk_notify_channel import GovukNotifyChannel
from services.notify.application.ports import PermanentSendError, RetryableSendError
from services.notify.domain.messages import compose
from tools.localinfra.processes import free_port

SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
API_KEY = f"frontdoor_test-{SERVICE_ID}-{SECRET}"
OUTCOMES = {"perm-fail@simulator.notify": 400, "rate@limited.example": 429, "down@example.gov.uk": 500}


def fake_notify(received: list) -> FastAPI:
    app = FastAPI()

    @app.post("/v2/notifications/email")
    async def email(request: Request):
        token = request.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_aud": False})
        assert claims["iss"] == SERVICE_ID
        body = await request.json()
        received.append(body)
        status = OUTCOMES.get(body["email_address"], 201)
        return JSONResponse({"id": str(uuid.uuid4()), "reference": body["reference"]} if status == 201 else
                            {"errors": [{"error": "Error", "message": "simulated"}], "status_code": status},
                            status_code=status)

    return app


def message(address: str):
    return compose(ref=f"r:{uuid.uuid4()}:x", recipient_id="x", address=address, trigger="ReferralTriaged",
                   purpose="action", queue_name="Early Help", rag="green", due_at=datetime.now(UTC),
                   console_url="https://mash.example", referral_id=uuid.uuid4())


async def test_notify_client_success_permanent_and_retryable_failures():
    import asyncio

    received: list = []
    port, stopping = free_port(), asyncio.Event()
    server = asyncio.create_task(serve_loop(fake_notify(received), host="127.0.0.1", port=port)(stopping))
    await asyncio.sleep(0.3)
    channel = GovukNotifyChannel(api_key=API_KEY, template_id=str(uuid.uuid4()), base_url=f"http://127.0.0.1:{port}")
    try:
        ok = message("early-help@example.gov.uk")
        await channel.send(ok)
        assert received[0]["reference"] == ok.reference
        assert set(received[0]["personalisation"]) == {"reference", "queue", "rag", "due_at", "link", "trigger",
                                                       "purpose"}
        with pytest.raises(PermanentSendError):
            await channel.send(message("perm-fail@simulator.notify"))
        for address in ("rate@limited.example", "down@example.gov.uk"):
            with pytest.raises(RetryableSendError):
                await channel.send(message(address))
    finally:
        stopping.set()
        await server
    unreachable = GovukNotifyChannel(api_key=API_KEY, template_id="t", base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(RetryableSendError):
        await unreachable.send(message("early-help@example.gov.uk"))
