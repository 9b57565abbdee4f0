"""RFC 9457 problem details: every 4xx names the field and says in plain English what is wrong."""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

PROBLEM = "application/problem+json"

PLAIN = {
    "extra_forbidden": "is not a field of the v1 referral contract",
    "missing": "is required",
    "enum": "is not one of the allowed codes",
    "literal_error": "is not one of the allowed values",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "date_from_datetime_parsing": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "date_parsing": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "date_type": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "json_invalid": "is not valid JSON",
    "json_type": "must be a JSON object",
    "string_too_long": "is too long",
    "string_too_short": "must not be empty",
    "too_long": "has too many items",
    "string_pattern_mismatch": "is not in the expected format",
    "model_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a JSON array",
    "string_type": "must be a string",
    "uuid_parsing": "must be a UUID",
    "uuid_type": "must be a UUID",
}
TITLES = {400: "Bad request", 401: "Not authenticated", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Request body too large", 415: "Unsupported media type",
          429: "Too many requests", 503: "Service unavailable"}


class FieldError(BaseModel):
    field: str
    problem: str


class Problem(BaseModel):
    """RFC 9457 problem details, with `errors` naming each field that is wrong."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


def problem(status: int, title: str, detail: str, *, errors: list[dict] | None = None,
            headers: dict | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, errors=errors).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def at_capacity(retry_after_seconds: int) -> JSONResponse:
    """Intake is shedding load: nothing was stored, and the same request later will work."""
    return problem(429, "The front door is at capacity",
                   "Nothing was stored. Retry with the same Idempotency-Key after Retry-After seconds. Referrals "
                   "reporting immediate danger or significant harm are always accepted.",
                   headers={"Retry-After": str(retry_after_seconds)})


def field_path(loc: tuple) -> str:
    if loc and loc[0] == "header":
        return f"{loc[1].title()} header" if len(loc) > 1 else "headers"
    if loc and loc[0] == "path":
        return ".".join(map(str, loc[1:])) + " (in the URL)"
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "body"


def plain_message(error: dict) -> str:
    message = PLAIN.get(error["type"])
    return message or str(error.get("msg", "is invalid")).removeprefix("Value error, ")


def field_errors(errors) -> list[dict]:
    """Pydantic errors as {field, problem}; the rejected value is never echoed (it may be personal data). A body
    that is not JSON at all is about the body, not field "0" (the character position pydantic reports)."""
    return [{"field": "body" if e["type"] == "json_invalid" else field_path(tuple(e["loc"])),
             "problem": plain_message(e)} for e in errors]


DETAIL_LIMIT = 20


def invalid(errors: list[dict]) -> JSONResponse:
    """Every problem is in `errors`; the detail names them all too (up to a limit, then says how many more)."""
    named = "; ".join(f"{e['field']}: {e['problem']}" for e in errors[:DETAIL_LIMIT])
    more = f"; and {len(errors) - DETAIL_LIMIT} more (see errors)" if len(errors) > DETAIL_LIMIT else ""
    return problem(422, "The referral is not valid", named + more, errors=errors)


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return invalid(field_errors(exc.errors()))


async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return problem(exc.status_code, TITLES.get(exc.status_code, "Error"), str(exc.detail),
                   headers=getattr(exc, "headers", None))


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying with the same Idempotency-Key",
                               "schema": {"type": "integer"}}}


def error_responses(*statuses: int) -> dict:
    """The problem responses an operation really returns, with Retry-After declared where it is sent."""
    titles = TITLES | {422: "The request is not valid"}
    return {status: {"model": Problem, "description": titles[status], "content": {PROBLEM: {}},
                     **({"headers": RETRY_AFTER} if status in (429, 503) else {})} for status in statuses}
