"""Intake's partner-facing HTTP API: routes decode, authenticate, and call one use case each."""

from typing import Annotated
from uuid import UUID

from fastapi import Body, Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from shared.events.referral import ReferralV1
from services.intake.adapters.tables import referrals
from services.intake.application.ports import Partner, PartnerDirectory
from services.intake.application.submit_referral import IdempotencyConflict, SubmitReferral
from services.intake.domain.acceptance import date_problems, fingerprint
from services.intake.entrypoints.problems import on_validation_error, problem

RETRY_AFTER_SECONDS = "5"


class Unauthorised(Exception):
    pass


def create_app(*, submit: SubmitReferral, partners: PartnerDirectory, engine, clock) -> FastAPI:
    app = FastAPI(title="Front Door referral API", version="1.0.0",
                  description="Partner agencies post referrals about a child to the children's services front door.")
    app.add_exception_handler(RequestValidationError, on_validation_error)

    async def current_partner(authorization: Annotated[str | None, Header()] = None) -> Partner:
        scheme, _, key = (authorization or "").partition(" ")
        partner = await partners.by_key(key.strip()) if scheme.lower() == "bearer" else None
        if partner is None:
            raise Unauthorised()
        return partner

    @app.exception_handler(Unauthorised)
    async def _unauthorised(request: Request, exc: Unauthorised) -> JSONResponse:
        return problem(401, "Not authenticated", "Send 'Authorization: Bearer <partner key>' with a current key.",
                       headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(DBAPIError)
    @app.exception_handler(OSError)
    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        return problem(503, "Temporarily unable to store referrals",
                       "Nothing was stored. Retry with the same Idempotency-Key.",
                       headers={"Retry-After": RETRY_AFTER_SECONDS})

    @app.post("/v1/referrals", status_code=202, summary="Submit a referral about a child")
    async def post_referral(
        referral: Annotated[ReferralV1, Body()],
        partner: Annotated[Partner, Depends(current_partner)],
        idempotency_key: Annotated[str, Header(min_length=1, max_length=255,
                                               description="Unique per referral; reuse it when retrying")],
    ) -> JSONResponse:
        if problems := date_problems(referral, clock.now().date()):
            errors = [{"field": p.field, "problem": p.problem} for p in problems]
            return problem(422, "The referral is not valid",
                           "; ".join(f"{e['field']}: {e['problem']}" for e in errors), errors=errors)
        try:
            accepted = await submit.execute(partner=partner, idempotency_key=idempotency_key, referral=referral,
                                            fingerprint=fingerprint(referral.model_dump(mode="json")))
        except IdempotencyConflict:
            return problem(409, "Idempotency-Key already used",
                           "This Idempotency-Key was used for a different referral; use a new key.")
        location = f"/v1/referrals/{accepted.referral_id}"
        return JSONResponse({"referral_id": str(accepted.referral_id), "status": "received", "status_url": location},
                            status_code=202, headers={"Location": location})

    @app.get("/v1/referrals/{referral_id}", summary="The status of one of your referrals")
    async def get_referral(referral_id: UUID, partner: Annotated[Partner, Depends(current_partner)]) -> JSONResponse:
        async with engine.connect() as conn:
            row = (await conn.execute(select(referrals.c.id, referrals.c.status, referrals.c.received_at).where(
                referrals.c.id == referral_id, referrals.c.partner_id == partner.id))).first()
        if row is None:
            return problem(404, "No such referral", "No referral with this id was submitted by your organisation.")
        return JSONResponse({"referral_id": str(row.id), "status": row.status,
                             "received_at": row.received_at.isoformat()})

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict:
        return {"status": "ok"}

    @app.get("/health/ready", include_in_schema=False)
    async def ready() -> JSONResponse:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    return app


__all__ = ["create_app"]
