"""Intake's partner-facing HTTP API: routes authenticate, check limits, and call one use case each."""

import math
from datetime import datetime
from typing import Annotated
from uuid import UUID

from asyncpg import InterfaceError as DriverInterfaceError
from asyncpg import PostgresError
from fastapi import Body, Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from shared.events.referral import ReferralV1
from shared.outages import is_unavailable
from shared.standard_routes import mount_standard_routes
from services.intake.application.ports import Partner, PartnerDirectory, RateLimiter, ReferralStatuses
from services.intake.application.submit_referral import AtCapacity, IdempotencyConflict, SubmitReferral
from services.intake.domain.acceptance import date_problems, fingerprint
from services.intake.domain.admission import Admission
from services.intake.entrypoints.admission_gate import AdmissionGate
from services.intake.entrypoints.examples import REFERRAL_EXAMPLES
from services.intake.entrypoints.guards import RequestGuards
from services.intake.entrypoints.partner_auth import PartnerAuthentication
from services.intake.entrypoints.problems import (
    at_capacity,
    error_responses,
    invalid,
    on_http_error,
    on_validation_error,
    problem,
)

RETRY_AFTER_SECONDS = "5"
PARTNER_KEY = HTTPBearer(auto_error=False, scheme_name="PartnerKey",
                         description="The partner key the local authority issued to your organisation")
LOCATION = {"Location": {"description": "The referral's status URL", "schema": {"type": "string"}}}
DESCRIPTION = """Partner agencies post referrals about a child to the children's services front door (MASH).

* Authenticate with `Authorization: Bearer <partner key>` (issued by the local authority).
* Send a unique `Idempotency-Key` with every POST and reuse it when you retry: a retry returns the original
  referral id; the same key with a different body is a 409.
* A 202 means the referral is stored and will be triaged; follow `Location` for its status.
* Every error is `application/problem+json` with `errors[].field` naming what to fix.
* 429 and 503 carry `Retry-After`: wait that many seconds and retry with the same key.
* 429 also means the front door is at capacity: nothing was stored. A referral with `immediate_danger` or
  `significant_harm_suspected` set is accepted even then.
* If a child is in immediate danger, also call 999: this API does not replace an emergency call.
"""


class Accepted(BaseModel):
    referral_id: UUID
    status: str
    status_url: str


class StatusView(BaseModel):
    referral_id: UUID
    status: str
    received_at: datetime
    triaged_at: datetime | None = None
    routed_to: str | None = None
    acknowledged_at: datetime | None = None


class Unauthorised(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after


def create_app(*, submit: SubmitReferral, partners: PartnerDirectory, statuses: ReferralStatuses, clock,
               admission: Admission, rate_limiter: RateLimiter, rate_limit: str = "600/minute") -> FastAPI:
    app = FastAPIOffline(title="Front Door referral API", version="1.0.0", description=DESCRIPTION)
    mount_standard_routes(app)  # liveness and the topics' contract
    app.add_middleware(AdmissionGate, admission=admission)  # inside the guards: the body is already buffered
    app.add_middleware(RequestGuards)
    app.add_middleware(PartnerAuthentication, partners=partners)  # outermost: authentication before all else
    # Starlette types handlers as taking any Exception; these take the one they are registered for
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, on_http_error)  # type: ignore[arg-type]

    async def current_partner(
            request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(PARTNER_KEY)]) -> Partner:
        """The partner `PartnerAuthentication` found (the dependency on PARTNER_KEY documents the scheme)."""
        partner = request.scope.get("state", {}).get("partner")
        if partner is None:
            raise Unauthorised()
        if (wait := await rate_limiter.admit(partner.id, clock.now())) is not None:
            raise RateLimited(math.ceil(wait))
        return partner

    @app.exception_handler(Unauthorised)
    async def _unauthorised(request: Request, exc: Unauthorised) -> JSONResponse:
        return problem(401, "Not authenticated", "Send 'Authorization: Bearer <partner key>' with a current key.",
                       headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RateLimited)
    async def _rate_limited(request: Request, exc: RateLimited) -> JSONResponse:
        return problem(429, "Too many requests", f"Your organisation may send {rate_limit}; retry later.",
                       headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(SQLAlchemyError)
    @app.exception_handler(PostgresError)
    @app.exception_handler(DriverInterfaceError)
    @app.exception_handler(OSError)
    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        """The database cannot serve us (down, starting up, shutting down, out of connections, failed over):
        the transaction rolled back, nothing was stored, and a retry works once it is back. Anything else is a
        bug and stays a 500 (see `shared/outages.py` for what counts as unavailable)."""
        if not is_unavailable(exc):
            raise exc
        return problem(503, "Temporarily unable to store referrals",
                       "Nothing was stored. Retry with the same Idempotency-Key.",
                       headers={"Retry-After": RETRY_AFTER_SECONDS})

    @app.post("/v1/referrals", status_code=202, response_model=Accepted, summary="Submit a referral about a child",
              responses={202: {"description": "Stored; it will be triaged", "headers": LOCATION},
                         **error_responses(401, 409, 413, 415, 422, 429, 503)})
    async def post_referral(
        referral: Annotated[ReferralV1, Body(openapi_examples=REFERRAL_EXAMPLES)],
        partner: Annotated[Partner, Depends(current_partner)],
        idempotency_key: Annotated[str, Header(min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
                                               description="Unique per referral (printable ASCII, no spaces, "
                                                           "e.g. a UUID); reuse it when retrying")],
    ) -> JSONResponse:
        if problems := date_problems(referral, clock.now().date()):
            return invalid([{"field": p.field, "problem": p.problem} for p in problems])
        try:
            accepted = await submit.execute(partner=partner, idempotency_key=idempotency_key, referral=referral,
                                            fingerprint=fingerprint(referral.model_dump(mode="json")))
        except AtCapacity as busy:
            return at_capacity(busy.retry_after_seconds)
        except IdempotencyConflict:
            return problem(409, "Idempotency-Key already used",
                           "This Idempotency-Key was used for a different referral; use a new key.")
        location = f"/v1/referrals/{accepted.referral_id}"
        body = Accepted(referral_id=accepted.referral_id, status="received", status_url=location)
        return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Location": location})

    @app.get("/v1/referrals/{referral_id}", response_model=StatusView,
             responses=error_responses(401, 404, 422, 429, 503),
             summary="The status of one of your organisation's referrals")
    async def get_referral(referral_id: UUID, partner: Annotated[Partner, Depends(current_partner)]) -> StatusView:
        found = await statuses.for_partner(referral_id, partner.id)
        if found is None:
            raise HTTPException(404, "No referral with this id was submitted by your organisation.")
        return StatusView(**found.__dict__)

    @app.get("/health/ready", include_in_schema=False)
    async def ready() -> JSONResponse:
        ok = await statuses.database_ready()
        return JSONResponse({"status": "ok" if ok else "database unavailable"}, status_code=200 if ok else 503)

    return app
