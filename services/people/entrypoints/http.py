"""People's HTTP surface: liveness for the orchestrator and the matcher policy in force (weights and grade
thresholds), so anyone can read how a child is matched."""

from dataclasses import asdict

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from shared.standard_routes import mount_standard_routes
from services.people.domain.match_policy import MatchPolicy


def create_app(policy: MatchPolicy) -> FastAPI:
    app = FastAPIOffline(title="Front Door people", version="1.0.0",
                         description="The person index. Referrals are matched from `referrals.received`.")
    mount_standard_routes(app)  # liveness and the topics' contract

    @app.get("/people/v1/match-policy", summary="The matcher's policy in force")
    async def match_policy() -> dict:
        return asdict(policy)

    return app
