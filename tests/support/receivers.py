"""Real peers for notify's channels, on loopback: an SMTP server (aiosmtpd) and a webhook receiver that
verifies signatures and answers with scripted status codes."""

import asyncio
import time
from collections import defaultdict
from email import message_from_bytes

from aiosmtpd.controller import Controller
from fastapi import FastAPI, Request, Response

from shared.http_server import serve_loop
from services.notify.domain.webhook_signature import verify
from tools.localinfra.processes import free_port


class SmtpInbox:
    """Every message the SMTP server accepted: envelope recipients and the raw bytes."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append({"to": list(envelope.rcpt_tos), "raw": envelope.content,
                              "email": message_from_bytes(envelope.content)})
        return "250 OK"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


HANG = 0  # a scripted "status" that holds the request open until the caller goes away


class WebhookReceiver:
    """POST /hook/<name>: answers the next scripted status for <name> (200 once the script runs out); HANG
    holds the request until the sender disconnects, which is recorded as an aborted call."""

    def __init__(self, secret: str, scripts: dict[str, list[int]] | None = None) -> None:
        self.secret, self.port = secret, free_port()
        self.scripts = defaultdict(list, {k: list(v) for k, v in (scripts or {}).items()})
        self.calls: dict[str, list[dict]] = defaultdict(list)
        self.in_flight = 0
        self.app = FastAPI()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None

        @self.app.post("/hook/{name}")
        async def hook(name: str, request: Request) -> Response:
            body = await request.body()
            signed = verify(self.secret, int(request.headers.get("X-Frontdoor-Timestamp", "0")), body,
                            request.headers.get("X-Frontdoor-Signature", ""), now=int(time.time()))
            status = (self.scripts[name].pop(0) if self.scripts[name] else 200) if signed else 401
            call = {"body": body, "signed": signed, "status": status,
                    "reference": request.headers.get("Idempotency-Key")}
            self.calls[name].append(call)
            if status == HANG:
                self.in_flight += 1
                for _ in range(600):
                    if await request.is_disconnected():
                        call["status"] = "aborted"
                        return Response(status_code=499)
                    await asyncio.sleep(0.1)
                call["status"] = 200
            return Response(status_code=call["status"])

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{name}"

    def delivered(self, name: str) -> list[dict]:
        return [c for c in self.calls[name] if isinstance(c["status"], int) and 0 < c["status"] < 300]

    async def __aenter__(self):
        self._task = asyncio.create_task(serve_loop(self.app, host="127.0.0.1", port=self.port)(self._stopping))
        await asyncio.sleep(0.3)
        return self

    async def __aexit__(self, *exc):
        self._stopping.set()
        await self._task
