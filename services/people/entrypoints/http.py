"""People's HTTP surface: liveness for the orchestrator and the matcher policy in force (weights and grade
thresholds), so anyone can read how a child is matched."""

from dataclasses import asdict

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from shared.asyncapi_docs import mount_asyncapi
from services.people.domain.match_policy import MatchPolicy


def create_app(policy: MatchPolicy) -> FastAPI:
    app = FastAPIOffline(title="Front Door people", version="1.0.0",
                         description="The person index. Referrals are matched from `referrals.received`.")
    mount_asyncapi(app)  # the topics' contract, next to the OpenAPI docs

    @app.get("/people/v1/match-policy", summary="The matcher's policy in force")
    async def match_policy() -> dict:
        return asdict(policy)

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict:
        return {"status": "ok"}

    return app
