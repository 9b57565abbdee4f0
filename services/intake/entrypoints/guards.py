"""Request guards that run before routing: body size (413) and media type (415), as problem+json.

The size check counts the bytes actually received, so a chunked body without Content-Length cannot slip past;
bodies are small (at most the limit), so buffering them here costs nothing worth saving.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.intake.entrypoints.problems import problem

MAX_BODY_BYTES = 256 * 1024


class RequestGuards:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}  # RFC 9110
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return await problem(415, "Unsupported media type",
                                 "Send the referral as JSON with 'Content-Type: application/json'.")(
                    scope, receive, send)
        length = headers.get("content-length") or "0"
        if not length.isdigit():
            return await problem(400, "Bad request", "Content-Length must be a number of bytes.", errors=[
                {"field": "Content-Length header", "problem": "must be a number of bytes"}])(scope, receive, send)
        if int(length) > self.max_body_bytes:
            return await self._too_large(scope, receive, send)
        body = bytearray()
        while True:  # buffer (at most the limit) so a chunked body is measured too
            message = await receive()
            if message["type"] != "http.request":
                return
            body += message.get("body", b"")
            if len(body) > self.max_body_bytes:
                return await self._too_large(scope, receive, send)
            if not message.get("more_body"):
                break
        await self.app(scope, replaying({"type": "http.request", "body": bytes(body), "more_body": False},
                                         receive), send)

    async def _too_large(self, scope, receive, send) -> None:
        await problem(413, "Request body too large",
                      f"A referral body may be at most {self.max_body_bytes // 1024} KiB.")(scope, receive, send)


def replaying(first: Message, receive: Receive) -> Receive:
    """A `receive` that hands `first` (a body already read) to the app, then carries on with `receive`."""
    replayed = False

    async def again() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return first

    return again
