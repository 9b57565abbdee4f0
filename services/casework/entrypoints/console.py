"""The MASH console: server-rendered pages over the same use cases as the staff API.

Signing in starts a server-side session and puts only its random id in an HttpOnly, SameSite=Strict cookie;
signing out deletes the session, so the cookie is worthless at once. Every page is sent with no-store so a
shared computer keeps no copy of a child's details.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from shared.auth.tokens import InvalidToken, Tokens
from services.casework.adapters.child_queries import SqlaChildQueries
from services.casework.adapters.sqla_queries import ALL_QUEUES, TRAY_PAGE, SqlaWorkItemQueries
from services.casework.application.work_queue import NotFound, WorkQueue
from services.casework.domain.workitems import Actor, Conflict, Invalid, Refused
from services.casework.entrypoints.pages import NO_STORE, Pages
from services.casework.entrypoints.staff_auth import COOKIE, may_see_personal_data, timeline_for, visible_queues


def console_router(*, queries: SqlaWorkItemQueries, work: WorkQueue, tokens: Tokens, names: dict[str, str],
                   current_actor, clock, sessions, children_lookup: SqlaChildQueries) -> APIRouter:
    router = APIRouter()
    Who = Annotated[Actor, Depends(current_actor)]

    page = Pages(names, clock).render

    @router.get("/console", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/console/queues", status_code=303)

    @router.get("/console/sign-in", include_in_schema=False)
    async def sign_in_page(request: Request) -> HTMLResponse:
        return page(request, "sign_in.html", actor=None)

    @router.post("/console/sign-in", include_in_schema=False)
    async def sign_in(request: Request, token: Annotated[str, Form()] = ""):
        try:
            principal = tokens.verify(token.strip())
        except InvalidToken:
            return page(request, "sign_in.html", 401, actor=None,
                        errors={"token": "That token is not valid or has expired"})
        session_id = await sessions.start(token.strip(), principal.expires_at)
        response = RedirectResponse("/console/queues", status_code=303, headers=NO_STORE)
        response.set_cookie(COOKIE, session_id, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", max_age=8 * 3600)
        return response

    @router.post("/console/sign-out", include_in_schema=False)
    async def sign_out(request: Request) -> RedirectResponse:
        """Ends the session on the server: the cookie, even if copied, no longer signs anyone in."""
        if session_id := request.cookies.get(COOKIE):
            await sessions.end(session_id)
        response = RedirectResponse("/console/sign-in", status_code=303, headers=NO_STORE)
        response.delete_cookie(COOKIE)
        return response

    @router.get("/console/queues", include_in_schema=False)
    async def queues(request: Request, who: Who) -> HTMLResponse:
        return page(request, "queues.html", actor=who, summaries=await queries.summaries(visible_queues(who)))

    @router.get("/console/queues/{queue}", include_in_schema=False)
    async def queue(request: Request, queue: str, who: Who, page_number: Annotated[int, Query(
            alias="page", ge=1, le=10_000)] = 1) -> HTMLResponse:
        if queue not in visible_queues(who):
            return page(request, "queues.html", 403, actor=who, summaries=[],
                        errors={"queue": "You do not work that queue"})
        rows = await queries.tray(queue, offset=(page_number - 1) * TRAY_PAGE, limit=TRAY_PAGE + 1)
        return page(request, "queue.html", actor=who, queue=queue, rows=rows[:TRAY_PAGE], page_number=page_number,
                    more=len(rows) > TRAY_PAGE, first=(page_number - 1) * TRAY_PAGE + 1)

    async def item_page(request: Request, who: Actor, item_id: UUID, status: int = 200, **extra) -> HTMLResponse:
        found = await queries.detail(item_id=item_id)
        if found is None or found.item.queue_id not in visible_queues(who):
            return page(request, "queues.html", 404, actor=who, summaries=[],
                        errors={"item": "There is no such referral in your queues"})
        personal = may_see_personal_data(who, found.item.queue_id)
        return page(request, "item.html", status, actor=who, item=found.item, decision=found.decision,
                    referral=found.referral if personal else None, personal=personal,
                    timeline=timeline_for(who, found.item.queue_id, found.timeline),
                    received_at=found.received_at, decision_due_at=found.decision_due_at, linked=found.linked,
                    can_act=who.works(found.item.queue_id) or who.is_manager,
                    link_decisions=await children_lookup.link_decisions(found.item.referral_id) if personal else {},
                    identity=found if personal else None, **extra)

    @router.get("/console/items/{item_id}", include_in_schema=False)
    async def item(request: Request, item_id: UUID, who: Who) -> HTMLResponse:
        return await item_page(request, who, item_id)

    @router.get("/referrals/{referral_id}", include_in_schema=False)
    async def from_notification(referral_id: UUID, who: Who) -> RedirectResponse:
        found = await queries.detail(referral_id=referral_id, queues=sorted(who.queues))
        target = f"/console/items/{found.item.id}" if found else "/console/queues"
        return RedirectResponse(target, status_code=303)

    @router.post("/console/items/{item_id}/{action}", include_in_schema=False)
    async def act(request: Request, item_id: UUID, action: str, who: Who):
        form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
        field_names = {"override": {"reason": "override_reason"}, "feedback": {"note": "feedback_note"}}
        calls = {
            "claim": lambda: work.claim(item_id, who),
            "release": lambda: work.release(item_id, who),
            "transfer": lambda: work.transfer(item_id, who, to_queue=_queue(form), reason=form.get("reason")),
            "override": lambda: work.override(item_id, who, to_queue=_queue(form), reason=form.get("reason")),
            "close": lambda: work.close(item_id, who, outcome=form.get("outcome") or None, note=form.get("note")),
            "feedback": lambda: work.feedback(item_id, who, note=form.get("note")),
        }
        if action not in calls:
            return await item_page(request, who, item_id, 404, errors={"action": "No such action"})
        try:
            changed = await calls[action]()
        except NotFound:
            return await item_page(request, who, item_id, 404)
        except Refused as exc:
            return await item_page(request, who, item_id, 403, errors={"action": str(exc).capitalize()})
        except Conflict as exc:
            return await item_page(request, who, item_id, 409, errors={"action": str(exc).capitalize()})
        except Invalid as exc:
            field = field_names.get(action, {}).get(exc.field, exc.field)
            label = {"reason": "Reason", "note": "Note", "outcome": "Outcome", "to_queue": "Queue"}[exc.field]
            return await item_page(request, who, item_id, 422, errors={field: f"{label} {exc.problem}"}, form=form)
        done = {"claim": "Claimed", "release": "Released", "transfer": "Transferred", "override": "Route overridden",
                "close": "Closed", "feedback": "Feedback recorded"}[action]
        return RedirectResponse(f"/console/items/{changed.id}?done={done}", status_code=303, headers=NO_STORE)

    return router


def _queue(form: dict) -> str:
    queue = form.get("to_queue", "")
    if queue not in ALL_QUEUES:
        raise Invalid("to_queue", "is not a queue")
    return queue
