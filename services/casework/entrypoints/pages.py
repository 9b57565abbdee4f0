"""Rendering a console page: the templates, the labels they use, and the headers every page is sent with
(no-store: a shared computer keeps no copy of a child's details)."""

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from shared.clock import Clock
from services.casework.domain.workitems import OUTCOMES
from services.casework.entrypoints import labels

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
ENGLAND = ZoneInfo("Europe/London")
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
labels.register(templates.env)


class Pages:
    def __init__(self, names: dict[str, str], clock: Clock) -> None:
        self._names, self._clock = names, clock

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context = {"names": self._names, "outcomes": OUTCOMES, "tz": ENGLAND, "now": self._clock.now(),
                   "errors": {}, "flash": request.query_params.get("done"), "form": {}} | context
        return templates.TemplateResponse(request, name, context, status_code=status, headers=NO_STORE)
