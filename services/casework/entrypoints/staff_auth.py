"""Who is asking: a staff token from the Authorization header (API) or the console's session cookie."""

from fastapi import Request
from fastapi.responses import JSONResponse

from shared.auth.tokens import InvalidToken, Tokens
from services.casework.adapters.sqla_queries import ALL_QUEUES
from services.casework.domain.workitems import Actor

COOKIE = "frontdoor_session"
NOT_AUTHENTICATED = {"type": "about:blank", "title": "Not authenticated", "status": 401,
                     "detail": "Send 'Authorization: Bearer <staff token>'."}
READ_ROLES = {"practitioner", "manager", "auditor"}


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


async def actor_from(request: Request, tokens: Tokens, sessions) -> Actor:
    """The API's bearer token, or the token of the console session the cookie names (none once signed out)."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer":
        session_id = request.cookies.get(COOKIE, "")
        token = (await sessions.token_of(session_id) if session_id else None) or ""
    try:
        principal = tokens.verify(token)
    except InvalidToken:
        raise NotSignedIn() from None
    if not principal.roles & READ_ROLES:
        raise Forbidden()
    return Actor(principal.subject, principal.roles, principal.queues)


def visible_queues(actor: Actor) -> list[str]:
    if actor.is_manager or "auditor" in actor.roles:
        return ALL_QUEUES
    return [q for q in ALL_QUEUES if q in actor.queues]


def may_see_personal_data(actor: Actor, queue: str) -> bool:
    """Practitioners on the item's queue and managers; auditors review decisions, not the child's details."""
    return actor.works(queue)


WITHHELD = "[withheld]"


def timeline_for(actor: Actor, queue: str, timeline: list[dict]) -> list[dict]:
    """Staff reasons and notes are written about the child: only those who may see the child see them (the
    auditor privacy policy, services/audit/domain/minimise.py)."""
    if may_see_personal_data(actor, queue):
        return timeline
    return [{**e, **{k: WITHHELD for k in ("reason", "note") if e.get(k)}} for e in timeline]


class StaffAuthentication:
    """The staff API checks the bearer token before anything reads the body: no token, a wrong one or an
    expired one is 401 whatever is sent (FastAPI would otherwise parse and validate the body first)."""

    def __init__(self, app, *, tokens: Tokens, prefix: str = "/staff/") -> None:
        self.app, self.tokens, self.prefix = app, tokens, prefix

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
            scheme, _, token = header.partition(" ")
            try:
                self.tokens.verify(token if scheme.lower() == "bearer" else "")
            except InvalidToken:
                return await JSONResponse(NOT_AUTHENTICATED, status_code=401, media_type="application/problem+json",
                                          headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
        await self.app(scope, receive, send)
