"""Authentication before anything else looks at the request: a partner key that is missing, wrong or revoked
gets 401 before the body is read, parsed or validated (an unauthenticated caller learns nothing about the
contract from 422s). Runs outermost; the partner found is handed to the routes in `scope["state"]`."""

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.outages import is_unavailable
from services.intake.application.ports import PartnerDirectory
from services.intake.entrypoints.problems import problem

RETRY_AFTER_SECONDS = "5"


def bearer_key(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name.lower() == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            return key.strip() if scheme.lower() == "bearer" and key.strip() else None
    return None


class PartnerAuthentication:
    def __init__(self, app: ASGIApp, *, partners: PartnerDirectory, prefix: str = "/v1/referrals") -> None:
        self.app, self.partners, self.prefix = app, partners, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        key = bearer_key(scope)
        try:
            partner = await self.partners.by_key(key) if key else None
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            return await problem(503, "Temporarily unable to check your key", "Retry after Retry-After seconds.",
                                 headers={"Retry-After": RETRY_AFTER_SECONDS})(scope, receive, send)
        if partner is None:
            return await problem(401, "Not authenticated",
                                 "Send 'Authorization: Bearer <partner key>' with a current key.",
                                 headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
        scope.setdefault("state", {})["partner"] = partner
        await self.app(scope, receive, send)
