"""The console's child pages: search for a child, see everything known of them, and confirm or reject a
possible earlier record. Searching and link decisions go through the `Children` use case (each search is
recorded in the audit log before its results are shown)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from services.casework.adapters.child_queries import SqlaChildQueries
from services.casework.application.children import Children
from services.casework.domain.child_search import criteria, may_search
from services.casework.domain.workitems import Actor, Conflict, Invalid, Refused
from services.casework.entrypoints.pages import NO_STORE, Pages

FIELDS = ("name", "date_of_birth", "postcode", "nhs_number")
LABELS = {"name": "Name", "date_of_birth": "Date of birth", "postcode": "Postcode", "nhs_number": "NHS number",
          "candidate": "Candidate"}


def children_router(*, children: Children, lookup: SqlaChildQueries, pages: Pages, current_actor) -> APIRouter:
    router = APIRouter()
    Who = Annotated[Actor, Depends(current_actor)]
    page = pages.render

    @router.get("/console/search", include_in_schema=False)
    async def search(request: Request, who: Who) -> HTMLResponse:
        form = {k: request.query_params.get(k, "") for k in FIELDS}
        try:
            may_search(who)
        except Refused as exc:
            return page(request, "search.html", 403, actor=who, form=form, hits=None,
                        errors={"name": str(exc).capitalize()})
        if not any(form.values()):
            return page(request, "search.html", actor=who, form=form, hits=None)
        try:
            wanted = criteria(**form)
        except Invalid as exc:
            return page(request, "search.html", 422, actor=who, form=form, hits=None,
                        errors={exc.field: f"{LABELS[exc.field]} {exc.problem}"})
        return page(request, "search.html", actor=who, form=form, hits=await children.search(who, wanted))

    @router.get("/console/children/{person_id}", include_in_schema=False)
    async def child(request: Request, person_id: UUID, who: Who) -> HTMLResponse:
        try:
            may_search(who)
        except Refused as exc:
            return page(request, "search.html", 403, actor=who, form={}, hits=None,
                        errors={"name": str(exc).capitalize()})
        record = await lookup.child(person_id)
        if record is None:
            return page(request, "search.html", 404, actor=who, form={}, hits=None,
                        errors={"name": "There is no such child on record"})
        return page(request, "child.html", actor=who, record=record)

    @router.post("/console/referrals/{referral_id}/candidates/{candidate_id}/{verdict}", include_in_schema=False)
    async def link(request: Request, referral_id: UUID, candidate_id: UUID, verdict: str, who: Who):
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        back = form.get("back", "")
        back = back if back.startswith("/console/") else "/console/queues"
        if verdict not in ("confirm", "reject"):
            return RedirectResponse(back, status_code=303, headers=NO_STORE)
        try:
            await children.decide_link(who, referral_id=referral_id, candidate_person_id=candidate_id,
                                       confirm=verdict == "confirm", reason=form.get("reason"))
        except (Refused, Conflict, Invalid, LookupError) as exc:
            status = 403 if isinstance(exc, Refused) else 409 if isinstance(exc, Conflict) else 422
            problem = str(exc).capitalize() if not isinstance(exc, LookupError) else "No such referral"
            return page(request, "search.html", status, actor=who, form={}, hits=None, errors={"candidate": problem})
        done = "Same child confirmed" if verdict == "confirm" else "Different child recorded"
        return RedirectResponse(f"{back}?done={done}", status_code=303, headers=NO_STORE)

    return router
