"""Who is asking: a staff token from the Authorization header (API) or the console's session cookie."""

from fastapi import Request

from shared.auth.tokens import InvalidToken, Tokens
from services.triage.adapters.sqla_queries import ALL_QUEUES
from services.triage.domain.workitems import Actor

COOKIE = "frontdoor_session"
READ_ROLES = {"practitioner", "manager", "auditor"}


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


def actor_from(request: Request, tokens: Tokens) -> Actor:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    token = token if scheme.lower() == "bearer" else request.cookies.get(COOKIE, "")
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
