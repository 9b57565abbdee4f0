"""Delivery receipts from providers (GOV.UK Notify's callback shape): bearer token, idempotent."""

import hmac
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict

from services.notify.application.record_receipt import Receipt, RecordReceipt, UnknownNotification


class ReceiptBody(BaseModel):
    """GOV.UK Notify posts id, reference, to, status, created_at, completed_at, sent_at, notification_type..."""

    model_config = ConfigDict(extra="allow")
    reference: str
    status: str


def create_app(*, record: RecordReceipt, callback_token: str) -> FastAPI:
    app = FastAPIOffline(title="Front Door notify", version="1.0.0")

    @app.post("/notify/v1/receipts")
    async def receipt(body: ReceiptBody, authorization: Annotated[str | None, Header()] = None) -> dict:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), callback_token.encode()):
            raise HTTPException(401, "bearer token required", headers={"WWW-Authenticate": "Bearer"})
        try:
            status = await record.execute(Receipt(reference=body.reference, status=body.status))
        except UnknownNotification:
            raise HTTPException(404, "no notification with this reference") from None
        return {"reference": body.reference, "status": status}

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict:
        return {"status": "ok"}

    return app
