"""HTTP hardening for the web UI and API: CSP and related headers, Host check, cross-site write refusal, body caps, write tokens."""
from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import secrets
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("newstrace.serve")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

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


def allowed_host_names(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host names a request may carry: loopback names, the bound host, the machine's name beyond loopback, and `extra`."""
    names = {*LOOPBACK_NAMES, bind_host.strip("[]").lower(), *(h.strip().strip("[]").lower() for h in extra if h.strip())}
    if not is_loopback(bind_host):
        names.add(socket.gethostname().lower())
    return frozenset(names)


def host_ok(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a Host header names this server: an allowed name (or *.localhost), or any IP literal ('*' allows all)."""
    # DNS rebinding needs a name the attacker controls: a page served from an IP literal is this server itself.
    if "*" in allowed:
        return True
    if not header:
        return False
    try:
        host = urlsplit("//" + header).hostname
    except ValueError:
        return False
    if not host:
        return False
    host = host.rstrip(".").lower()
    if host in allowed or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
        return True
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
    """Security headers on every response; foreign Host names, cross-site writes, oversized bodies refused; crashes as 500 + error id."""

    def __init__(self, app: ASGIApp, max_body: int, allowed_hosts: frozenset[str] = frozenset(LOOPBACK_NAMES),
                 render_error: Callable[[Scope, int, str], tuple[bytes, bytes]] | None = None):
        self.app = app
        self.max_body = max_body
        self.allowed_hosts = allowed_hosts
        self.render_error = render_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        method = scope.get("method", "GET")
        if not host_ok(headers.get("host"), self.allowed_hosts):
            # A page on a foreign name that resolves here (DNS rebinding) would otherwise read and write as a local user.
            await _error(send, 400, f"unknown host name {headers.get('host', '')[:100]!r}: this server answers only to "
                                    "its configured names (newstrace serve --allowed-host NAME adds one)")
            return
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

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message.setdefault("headers", [])
                names = {k.lower() for k, _ in message["headers"]}
                message["headers"] = list(message["headers"]) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            # The exception's name and text can reveal code and paths: the client gets an id to quote, the log the rest.
            error_id = secrets.token_hex(6)
            log.exception("error %s serving %s %s", error_id, method, scope.get("path", ""))
            message = f"internal error (id {error_id}); the server log has the details"
            content_type, body = self.render_error(scope, 500, message) if self.render_error else (b"", b"")
            await _error(send, 500, message, content_type, body)


async def _error(send: Send, status: int, message: str, content_type: bytes = b"", body: bytes = b"") -> None:
    if not body:
        content_type, body = b"application/json", json.dumps({"status": status, "message": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
