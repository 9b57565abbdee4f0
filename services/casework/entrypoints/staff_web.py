"""The staff-facing HTTP app: the JSON staff API and the console, one sign-in for both."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi_offline import FastAPIOffline

from shared.auth.tokens import Tokens
from shared.standard_routes import mount_standard_routes
from services.casework.adapters.child_queries import SqlaChildQueries
from services.casework.adapters.sqla_queries import SqlaWorkItemQueries
from services.casework.application.children import Children
from services.casework.application.work_queue import WorkQueue
from services.casework.entrypoints.console import console_router
from services.casework.entrypoints.console_children import children_router
from services.casework.entrypoints.console_protection import ConsoleProtection
from services.casework.entrypoints.pages import Pages
from services.casework.entrypoints.staff_api import problem, staff_router
from services.casework.entrypoints.staff_auth import Forbidden, NotSignedIn, StaffAuthentication, actor_from


def create_staff_app(*, queries: SqlaWorkItemQueries, work: WorkQueue, tokens: Tokens, names: dict[str, str],
                     clock, children: Children, children_lookup: SqlaChildQueries, sessions=None) -> FastAPI:
    app = FastAPIOffline(title="Front Door MASH staff API", version="1.0.0",
                  description="Work the routed queues: claim, transfer, override, close. Bearer staff token.")
    mount_standard_routes(app)  # liveness and the topics' contract

    app.add_middleware(ConsoleProtection)
    app.add_middleware(StaffAuthentication, tokens=tokens)  # outermost: authentication before all else

    async def current_actor(request: Request):
        return await actor_from(request, tokens, sessions)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn):
        if request.url.path.startswith("/staff/"):
            return problem(401, "Not authenticated", "Send 'Authorization: Bearer <staff token>'.")
        return RedirectResponse("/console/sign-in", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return problem(403, "Forbidden", "Your role does not give access to the work queues.")

    app.include_router(staff_router(queries=queries, work=work, current_actor=current_actor))
    app.include_router(console_router(queries=queries, work=work, tokens=tokens, names=names,
                                      current_actor=current_actor, clock=clock, sessions=sessions,
                                      children_lookup=children_lookup))
    app.include_router(children_router(children=children, lookup=children_lookup, pages=Pages(names, clock),
                                       current_actor=current_actor))

    return app
