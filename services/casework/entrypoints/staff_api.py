"""The staff API (JSON): queues, items, and every action on an item, checked against the caller's role."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Depends
from fastapi.responses import JSONResponse

from services.casework.adapters.sqla_queries import ALL_QUEUES, SqlaWorkItemQueries
from services.casework.application.work_queue import NotFound, WorkQueue
from services.casework.domain.workitems import OUTCOMES, Actor, Conflict, Invalid, Refused
from services.casework.entrypoints.staff_auth import may_see_personal_data, timeline_for, visible_queues

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, field: str | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if field:
        body["errors"] = [{"field": field, "problem": detail}]
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers={"Cache-Control": "no-store"})


def item_json(item) -> dict:
    return {"id": str(item.id), "referral_id": str(item.referral_id), "queue_id": item.queue_id,
            "secondary_queues": list(item.secondary_queues), "state": item.state, "assignee": item.assignee,
            "rag": item.rag, "due_at": item.due_at.isoformat(), "outcome": item.outcome,
            "sla_warned": item.sla_warned, "sla_breached": item.sla_breached}


def staff_router(*, queries: SqlaWorkItemQueries, work: WorkQueue, current_actor) -> APIRouter:
    router = APIRouter(prefix="/staff/v1")
    Who = Annotated[Actor, Depends(current_actor)]

    @router.get("/queues")
    async def queues(who: Who) -> JSONResponse:
        summaries = await queries.summaries(visible_queues(who))
        return JSONResponse([s.__dict__ for s in summaries], headers={"Cache-Control": "no-store"})

    @router.get("/queues/{queue_id}/items")
    async def queue_items(queue_id: str, who: Who) -> JSONResponse:
        if queue_id not in visible_queues(who):
            return problem(403, "Forbidden", f"you do not work the {queue_id} queue")
        items = await queries.open_items(queue_id)
        return JSONResponse([item_json(i) for i in items], headers={"Cache-Control": "no-store"})

    @router.get("/items/{item_id}")
    async def item(item_id: UUID, who: Who) -> JSONResponse:
        found = await queries.detail(item_id=item_id)
        if found is None or found.item.queue_id not in visible_queues(who):
            return problem(404, "Not found", "no such work item in your queues")
        body = item_json(found.item) | {"decision": found.decision, "timeline": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in e.items()}
            for e in timeline_for(who, found.item.queue_id, found.timeline)],
            "linked_items": [item_json(i) for i in found.linked]}
        if may_see_personal_data(who, found.item.queue_id):
            body["referral"] = found.referral
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def act(coro) -> JSONResponse:
        try:
            return JSONResponse(item_json(await coro), headers={"Cache-Control": "no-store"})
        except NotFound:
            return problem(404, "Not found", "no such work item")
        except Refused as exc:
            return problem(403, "Forbidden", str(exc))
        except Conflict as exc:
            return problem(409, "Conflict", str(exc))
        except Invalid as exc:
            return problem(422, "Not valid", exc.problem, exc.field)

    @router.post("/items/{item_id}/claim")
    async def claim(item_id: UUID, who: Who):
        return await act(work.claim(item_id, who))

    @router.post("/items/{item_id}/release")
    async def release(item_id: UUID, who: Who):
        return await act(work.release(item_id, who))

    @router.post("/items/{item_id}/transfer")
    async def transfer(item_id: UUID, who: Who, to_queue: Annotated[str, Body()], reason: Annotated[str, Body()] = ""):
        if to_queue not in ALL_QUEUES:
            return problem(422, "Not valid", "is not a queue", "to_queue")
        return await act(work.transfer(item_id, who, to_queue=to_queue, reason=reason))

    @router.post("/items/{item_id}/override")
    async def override(item_id: UUID, who: Who, to_queue: Annotated[str, Body()], reason: Annotated[str, Body()] = ""):
        if to_queue not in ALL_QUEUES:
            return problem(422, "Not valid", "is not a queue", "to_queue")
        return await act(work.override(item_id, who, to_queue=to_queue, reason=reason))

    @router.post("/items/{item_id}/close")
    async def close(item_id: UUID, who: Who, outcome: Annotated[str, Body()] = "", note: Annotated[str, Body()] = ""):
        return await act(work.close(item_id, who, outcome=outcome, note=note))

    @router.post("/items/{item_id}/feedback")
    async def feedback(item_id: UUID, who: Who, note: Annotated[str, Body(embed=True)] = ""):
        return await act(work.feedback(item_id, who, note=note))

    @router.get("/outcomes")
    async def outcomes(who: Who) -> dict:
        return OUTCOMES

    return router

