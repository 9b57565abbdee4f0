"""The console's defences a browser needs beyond its SameSite=Strict cookie (which does not stop a page on
another origin of the same site, e.g. another port on the same host):

- a form post is accepted only from the console's own origin (`Origin`, else `Referer`); anything else is a 403,
  before the route runs (OWASP CSRF cheat sheet: verifying origin with standard headers);
- every page says what it may load and who may frame it (CSP with `frame-ancestors 'none'`, `form-action
  'self'`), `nosniff`, a same-origin Referrer-Policy, and HSTS when it is served over TLS (directly or behind a
  proxy that says so).
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.casework.entrypoints.staff_api import problem

PROTECTED = ("/console", "/referrals")
CSP = ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"DENY")]


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def own_origin(scope: Scope, headers: dict[str, str]) -> str:
    return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"


def same_origin(scope: Scope) -> bool:
    headers = _headers(scope)
    origin, mine = headers.get("origin"), own_origin(scope, headers)
    if origin is not None:
        return origin == mine
    referer = headers.get("referer", "")
    return referer == mine or referer.startswith(mine + "/")


class ConsoleProtection:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        console = scope["path"].startswith(PROTECTED)
        if console and scope["method"] not in ("GET", "HEAD") and not same_origin(scope):
            return await problem(403, "Cross-origin request refused",
                                 "Console forms can only be sent from the console itself.")(scope, receive, send)
        tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(HEADERS) + ([(b"content-security-policy", CSP.encode())] if console else [])
                if tls:
                    extra.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)
