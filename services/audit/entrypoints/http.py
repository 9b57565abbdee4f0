"""The auditors' API: trails, verification, proofs and the checkpoint public key. Role `auditor` required."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi_offline import FastAPIOffline

from shared.auth.tokens import InvalidToken, Principal, Tokens
from shared.standard_routes import mount_standard_routes
from services.audit.application.proofs import CannotProve, prove_consistency, prove_inclusion
from services.audit.application.trail import FullRecordNeedsReason
from services.audit.domain.checkpoint import note_verifier_key
from services.audit.entrypoints.trail_html import render_trail
from services.audit.entrypoints.wiring import AuditorTools

NO_STORE = {"Cache-Control": "no-store"}
MAX_SEQ = 2**63 - 1  # PostgreSQL bigint: a larger row number is a 422, not a database error


def create_app(tools: AuditorTools, tokens: Tokens, clock) -> FastAPI:
    app = FastAPIOffline(title="Front Door audit API", version="1.0.0",
                  description="Trails, verification and proofs for safeguarding reviewers (role: auditor).")
    mount_standard_routes(app)  # liveness and the topics' contract

    def auditor(authorization: Annotated[str | None, Header()] = None) -> Principal:
        scheme, _, token = (authorization or "").partition(" ")
        try:
            principal = tokens.verify(token) if scheme.lower() == "bearer" else None
        except InvalidToken:
            principal = None
        if principal is None:
            raise HTTPException(401, "Send an auditor's bearer token", headers={"WWW-Authenticate": "Bearer"})
        if not principal.has("auditor"):
            raise HTTPException(403, "The auditor role is required")
        return principal

    Auditor = Annotated[Principal, Depends(auditor)]

    def published_note(text: str | None, missing: str) -> PlainTextResponse:
        if text is None:
            raise HTTPException(404, missing)
        return PlainTextResponse(text, headers={"Cache-Control": "no-cache"})

    @app.get("/audit/v1/checkpoints/latest", response_class=PlainTextResponse)
    async def latest_checkpoint() -> PlainTextResponse:
        """The latest signed checkpoint as published outside the database: public, so that anyone (a partner,
        an inspector, a witness) can keep copies and later show that the log was not rewritten."""
        return published_note(tools.published.latest_text() if tools.published else None,
                              "no checkpoint has been published yet")

    @app.get("/audit/v1/checkpoints/cosigned", response_class=PlainTextResponse)
    async def cosigned_checkpoint() -> PlainTextResponse:
        """The latest checkpoint a witness cosigned (the log's signature, then the witness's cosignature)."""
        return published_note(tools.published.cosigned_text() if tools.published else None,
                              "no checkpoint has been cosigned by a witness yet")

    @app.get("/audit/v1/public-key")
    async def public_key() -> dict:
        """The checkpoint signing key: raw (base64) and as the C2SP note verifier key standard clients take."""
        return {"algorithm": "Ed25519", "public_key": tools.public_key, "origin": tools.origin,
                "note_verifier_key": note_verifier_key(tools.public_key, tools.origin)}

    @app.get("/audit/v1/referrals/{referral_id}/trail")
    async def trail(referral_id: UUID, who: Auditor, format: Annotated[str, Query(pattern="^(json|html)$")] = "json",
                    full: bool = False, reason: Annotated[str | None, Query(max_length=200)] = None):
        """Minimised by default; `full=true` with a `reason` (logged with the read) gives the whole record."""
        try:
            entries = await tools.trail.execute(referral_id, reader=who.subject, via="api", fmt=format, full=full,
                                                reason=reason)
        except FullRecordNeedsReason as exc:
            return JSONResponse({"type": "about:blank", "title": "A reason is needed", "status": 422,
                                 "detail": str(exc), "errors": [{"field": "reason", "problem": str(exc)}]},
                                status_code=422, media_type="application/problem+json")
        if format == "html":
            report = await tools.verify.execute(public_key=tools.public_key)
            page = render_trail(referral_id=referral_id, entries=entries, reader=who.subject,
                                read_at=clock.now().isoformat(), verified=report.fault is None,
                                verification=_verdict(report))
            return HTMLResponse(page, headers=NO_STORE)
        return JSONResponse({"referral_id": str(referral_id), "entries": [e.__dict__ for e in entries]},
                            headers=NO_STORE)

    @app.get("/audit/v1/verify")
    async def verify(who: Auditor, start: Annotated[int, Query(ge=1, le=MAX_SEQ)] = 1,
                     end: Annotated[int | None, Query(ge=1, le=MAX_SEQ)] = None) -> JSONResponse:
        report = await tools.verify.execute(start=start, end=end, public_key=tools.public_key)
        return JSONResponse({"ok": report.fault is None, "rows_checked": report.rows_checked,
                             "checkpoints_checked": report.checkpoints_checked,
                             "fault": report.fault.__dict__ if report.fault else None},
                            status_code=200 if report.fault is None else 409)

    @app.get("/audit/v1/proofs/inclusion/{event_id}")
    async def inclusion(event_id: UUID, who: Auditor) -> dict:
        try:
            return (await prove_inclusion(tools.log, event_id)).as_dict()
        except CannotProve as exc:
            raise HTTPException(404, str(exc)) from None

    @app.get("/audit/v1/proofs/consistency")
    async def consistency(old: Annotated[int, Query(ge=0, le=MAX_SEQ)], new: Annotated[int, Query(ge=0, le=MAX_SEQ)],
                          who: Auditor) -> dict:
        try:
            return (await prove_consistency(tools.log, old, new)).as_dict()
        except CannotProve as exc:
            raise HTTPException(404, str(exc)) from None

    return app


def _verdict(report) -> str:
    if report.fault:
        return f"Verification FAILED at row {report.fault.seq}: {report.fault.problem}"
    return f"Verified: {report.rows_checked} rows and {report.checkpoints_checked} signed checkpoints intact."
