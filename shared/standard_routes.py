"""Routes every service's HTTP app carries, written once: liveness for the orchestrator's probe and the topics'
contract (AsyncAPI) next to the OpenAPI docs."""

from fastapi import FastAPI

from shared.asyncapi_docs import mount_asyncapi


def mount_standard_routes(app: FastAPI) -> None:
    mount_asyncapi(app)

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict:
        """Alive means the process answers; readiness (where a service has one) says more."""
        return {"status": "ok"}
