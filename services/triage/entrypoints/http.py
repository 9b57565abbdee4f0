"""Triage's small HTTP surface: liveness for the orchestrator, and the rule table in force, so a practitioner
or partner can read exactly what the front door applies (the same table `frontdoor triage rules` prints)."""

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi_offline import FastAPIOffline

from shared.standard_routes import mount_standard_routes
from services.triage.domain.rules.ruleset import RuleSet
from services.triage.entrypoints.rule_table import csv_text, markdown


def create_app(ruleset: RuleSet) -> FastAPI:
    app = FastAPIOffline(title="Front Door triage", version="1.0.0",
                         description="The triage rules in force. Decisions are made from `referrals.received`.")
    mount_standard_routes(app)  # liveness and the topics' contract

    @app.get("/triage/v1/rules", response_class=PlainTextResponse, summary="The rule table in force")
    async def rules(format: str = "md") -> PlainTextResponse:
        if format not in ("md", "csv"):
            return PlainTextResponse("format must be md or csv", status_code=422)
        text = markdown(ruleset) if format == "md" else csv_text(ruleset)
        return PlainTextResponse(text, media_type="text/markdown" if format == "md" else "text/csv")

    return app
