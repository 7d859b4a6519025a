"""HTTP hardening for the web UI and API: CSP and related headers, cross-site write refusal, body caps, write tokens."""
from __future__ import annotations

import hmac
import ipaddress
import json
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: data reaches the charts as JSON read with textContent.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
           (b"cross-origin-opener-policy", b"same-origin"), (b"permissions-policy", b"camera=(), microphone=(), geolocation=()")]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_ok(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of a presented write token with the configured one (no token configured: open)."""
    if not expected:
        return True
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def presented_token(headers: dict[str, str]) -> str | None:
    """The token from `Authorization: Bearer …` or `X-Newstrace-Token`."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return headers.get("x-newstrace-token")


class SecurityMiddleware:
    """Adds security headers to every response; refuses cross-site writes and bodies over the cap (before parsing)."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope.get("method", "GET")
        if method in UNSAFE_METHODS:
            # Browsers say where a request comes from (Sec-Fetch-Site, else Origin); scripts and curl send neither.
            site, origin = headers.get("sec-fetch-site"), headers.get("origin")
            if site is not None:
                cross = site not in ("same-origin", "none")
            else:
                cross = origin is not None and (origin == "null" or urlsplit(origin).netloc != headers.get("host", ""))
            if cross:
                await _error(send, 403, "cross-site request refused: write from this site's own pages or a script")
                return
            # A declared length lets the cap act before any byte is read; chunked writes are refused.
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                await _error(send, 411, "send a Content-Length with the request body")
                return
            if int(length) > self.max_body:
                await _error(send, 413, f"request body too large ({length} bytes; the limit is {self.max_body})")
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                names = {k.lower() for k, _ in message["headers"]}
                message["headers"] = list(message["headers"]) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"status": status, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
