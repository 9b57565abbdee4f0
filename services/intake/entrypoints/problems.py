"""RFC 9457 problem details: every 4xx names the field and says in plain English what is wrong."""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

PROBLEM = "application/problem+json"

PLAIN = {
    "extra_forbidden": "is not a field of the v1 referral contract",
    "missing": "is required",
    "enum": "is not one of the allowed codes",
    "literal_error": "is not one of the allowed values",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "date_from_datetime_parsing": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "date_parsing": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "date_type": "must be a date in ISO 8601 form (YYYY-MM-DD)",
    "json_invalid": "is not valid JSON",
    "string_too_long": "is too long",
    "string_too_short": "must not be empty",
    "too_long": "has too many items",
    "string_pattern_mismatch": "is not in the expected format",
    "value_error": None,
    "model_type": "must be a JSON object",
    "list_type": "must be a JSON array",
    "string_type": "must be a string",
}


def problem(status: int, title: str, detail: str, *, errors: list[dict] | None = None,
            headers: dict | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def field_path(loc: tuple) -> str:
    parts = [str(p) for p in loc if p != "body"]
    return ".".join(parts) or "body"


def plain_message(error: dict) -> str:
    message = PLAIN.get(error["type"], False)
    if message is None or message is False:
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    return message


def field_errors(errors) -> list[dict]:
    """Pydantic errors as {field, problem}; the rejected value is never echoed (it may be personal data)."""
    return [{"field": field_path(tuple(e["loc"])), "problem": plain_message(e)} for e in errors]


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = field_errors(exc.errors())
    return problem(422, "The referral is not valid",
                   "; ".join(f"{e['field']}: {e['problem']}" for e in errors[:5]), errors=errors)
