"""Delivery receipts from providers (GOV.UK Notify's callback shape): bearer token, idempotent.

The token is checked before the body is read: a caller without it gets 401, whatever it sends. The body is then
validated by hand (not by FastAPI before the route runs), so that order holds; every field problem is a 422
naming the field, never a 500."""

import hmac
from typing import Annotated

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.functional_validators import AfterValidator

from shared.events.referral import storable
from shared.standard_routes import mount_standard_routes
from services.notify.application.record_receipt import Receipt, RecordReceipt, UnknownNotification

MAX_RECEIPT_BYTES = 64 * 1024
Text = Annotated[str, AfterValidator(storable)]


class ReceiptBody(BaseModel):
    """GOV.UK Notify posts id, reference, to, status, created_at, completed_at, sent_at, notification_type..."""

    model_config = ConfigDict(extra="allow")
    reference: Text = Field(min_length=1, max_length=300)
    status: Text = Field(min_length=1, max_length=64)


def problem(status: int, title: str, detail: str, errors: list | None = None, headers=None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body | ({"errors": errors} if errors else {}), status_code=status, headers=headers,
                        media_type="application/problem+json")


def create_app(*, record: RecordReceipt, callback_token: str) -> FastAPI:
    app = FastAPIOffline(title="Front Door notify", version="1.0.0")
    mount_standard_routes(app)  # liveness and the topics' contract

    def authenticated(request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(token.encode("utf-8", "replace"),
                                                                  callback_token.encode())

    @app.post("/notify/v1/receipts", openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": ReceiptBody.model_json_schema()}}}})
    async def receipt(request: Request):
        if not authenticated(request):
            return problem(401, "Not authenticated", "Send the callback bearer token.",
                           headers={"WWW-Authenticate": "Bearer"})
        raw = await request.body()
        if len(raw) > MAX_RECEIPT_BYTES:
            return problem(413, "Request body too large", f"A receipt is at most {MAX_RECEIPT_BYTES // 1024} KiB.")
        try:
            body = ReceiptBody.model_validate_json(raw)
        except ValidationError as exc:
            errors = [{"field": ".".join(map(str, e["loc"])) or "body", "problem": e["msg"]}
                      for e in exc.errors(include_input=False)]
            return problem(422, "The receipt is not valid", "; ".join(f"{e['field']}: {e['problem']}"
                                                                       for e in errors), errors)
        try:
            status = await record.execute(Receipt(reference=body.reference, status=body.status))
        except UnknownNotification:
            raise HTTPException(404, "no notification with this reference") from None
        return {"reference": body.reference, "status": status}

    return app
