"""Safe HTTP fetching of untrusted URLs: only http(s), no private addresses unless allowed, capped, polite.

Why httpcore and not a plain client: its network backend is the one place where a host name
becomes a socket, so the address check sits there. The host is resolved once, every address
is checked, and the socket is opened to a checked address — a second DNS answer (rebinding)
never reaches a connection. TLS still verifies the certificate against the host name.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import socket
import ssl
import threading
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import certifi
import httpcore

from .. import __version__
from ..records import utcnow

DEFAULT_USER_AGENT = f"newstrace/{__version__} (+https://pypi.org/project/newstrace/; news provenance research)"
REDIRECT_CODES = {301, 302, 303, 307, 308}
_URL_SAFE = "/%:@!$&'()*+,;=-._~"  # RFC 3986 characters left as they are; spaces and non-ASCII get percent-encoded
RETRY_CODES = {408, 425, 429, 500, 502, 503, 504}
# Cloud instance metadata services (AWS/GCP/Azure/OpenStack 169.254.169.254 is link-local already; AWS's IPv6
# endpoint sits in the private fd00::/8, Alibaba's in 100.64.0.0/10): credentials live there.
METADATA_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("fd00:ec2::254/128", "100.100.100.200/32"))
# Not covered by --allow-private: a private news site is plausible, a fetch of these is an attack.
NEVER_IMPLIED = ("link-local", "cloud metadata service")


def _allowed_from_env() -> tuple[str, ...]:
    """Addresses or networks named in $NEWSTRACE_ALLOW_ADDRESS (comma or space separated); malformed ones are ignored, said once."""
    out = []
    for a in os.environ.get("NEWSTRACE_ALLOW_ADDRESS", "").replace(",", " ").split():
        try:
            ipaddress.ip_network(a, strict=False)
            out.append(a)
        except ValueError:
            logging.getLogger(__name__).warning("NEWSTRACE_ALLOW_ADDRESS: %r is not an address or network; ignored", a)
    return tuple(out)


class FetchError(Exception):
    """A URL that could not be fetched; str() is the reason, naming the URL."""

    def __init__(self, url: str, reason: str, transient: bool = False, status: int | None = None):
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason
        self.transient = transient  # worth retrying later (timeouts, 5xx), as opposed to 404 or a blocked address
        self.status = status


class BlockedAddress(FetchError):
    """The host resolves to an address that policy forbids (private, loopback, link-local...)."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetcher; the defaults suit fetching the open web politely."""

    allow_private: bool = False
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0          # whole response, so a server trickling bytes cannot hold us forever
    max_bytes: int = 10 * 1024 * 1024    # decoded body size cap
    max_redirects: int = 5
    retries: int = 2                     # extra attempts for transient failures
    backoff: float = 1.0                 # first retry waits this long, then doubles
    max_retry_after: float = 60.0        # cap on a server's Retry-After
    host_delay: float = 1.0              # minimum seconds between two requests to one host
    max_crawl_delay: float = 30.0        # cap on robots.txt Crawl-delay
    ca_file: str | None = None           # extra PEM CA bundle to trust (intranets), beside the public roots
    deny_networks: tuple[str, ...] = ()  # always refused, even with allow_private (e.g. "169.254.169.254/32")
    # Fetched even when otherwise refused (link-local, metadata, private): each named explicitly, e.g. "169.254.169.254".
    allow_addresses: tuple[str, ...] = field(default_factory=_allowed_from_env)
    user_agent: str = field(default_factory=lambda: os.environ.get("NEWSTRACE_USER_AGENT") or DEFAULT_USER_AGENT)


@dataclass
class FetchResult:
    """One successful response (or a 304 Not Modified), after redirects."""

    url: str                  # the URL asked for
    final_url: str            # after redirects
    status: int
    headers: dict[str, str]   # lower-case names; repeated headers joined by ", "
    body: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type, lower case, or None."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"\'').lower()
        return None

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower case ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def address_problem(ip: str) -> str | None:
    """Why an IP address is not a public internet address, or None when it is."""
    try:
        addr = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        inner = addr.ipv4_mapped or addr.sixtofour
        if inner is not None:  # ::ffff:127.0.0.1 reaches 127.0.0.1
            return address_problem(str(inner))
    if any(addr.version == net.version and addr in net for net in METADATA_NETWORKS):
        return "cloud metadata service"
    for label, hit in (("loopback", addr.is_loopback), ("link-local", addr.is_link_local),
                       ("unspecified", addr.is_unspecified), ("multicast", addr.is_multicast),
                       ("private", addr.is_private), ("reserved", addr.is_reserved)):
        if hit:
            return label
    if not addr.is_global:  # e.g. 100.64.0.0/10 carrier-grade NAT
        return "not globally routable"
    return None


def _in(ip: str, networks: tuple[str, ...]) -> bool:
    addr = ipaddress.ip_address(ip.split("%")[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return any(addr.version == net.version and addr in net for net in (ipaddress.ip_network(n, strict=False) for n in networks))


def resolve_checked(host: str, port: int, allow_private: bool, deny: tuple[str, ...] = (),
                    allow: tuple[str, ...] = ()) -> list[str]:
    """Every address of a host, after checking each; raises BlockedAddress naming the first bad one."""
    # allow_private opens private and loopback addresses, never link-local or metadata ones; an address
    # in `allow` (named explicitly) passes whatever it is, unless it is also in `deny`.
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise FetchError(f"{host}:{port}", f"cannot resolve host {host!r}: {e.strerror or e}", transient=True) from None
    ips = list(dict.fromkeys(info[4][0] for info in infos))
    denied = [ipaddress.ip_network(n, strict=False) for n in deny]
    for ip in ips:
        addr = ipaddress.ip_address(ip.split("%")[0])
        for net in denied:
            if addr.version == net.version and addr in net:
                raise BlockedAddress(f"{host}:{port}", f"blocked address: {host} resolves to {ip} (in denied network {net})")
    for ip in ips:
        problem = address_problem(ip)
        if not problem or _in(ip, allow) or (allow_private and problem not in NEVER_IMPLIED):
            continue
        how = (f"name it in NEWSTRACE_ALLOW_ADDRESS={ip.split('%')[0]} to allow it (--allow-private does not cover {problem} addresses)"
               if problem in NEVER_IMPLIED else "use --allow-private to allow it")
        raise BlockedAddress(f"{host}:{port}", f"blocked address: {host} resolves to {ip} ({problem}); {how}")
    return ips


class _CheckedBackend(httpcore.SyncBackend):
    """Opens sockets only to addresses that passed the check, resolving each host exactly once per connection."""

    def __init__(self, allow_private: bool, deny: tuple[str, ...] = (), allow: tuple[str, ...] = ()):
        super().__init__()
        self.allow_private = allow_private
        self.deny = deny
        self.allow = allow

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for ip in resolve_checked(host, port, self.allow_private, self.deny, self.allow):
            try:
                return super().connect_tcp(ip, port, timeout=timeout, local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e  # try the host's next (also checked) address
        raise last or httpcore.ConnectError(f"no address for {host}")


def check_url(url: str) -> str:
    """The URL normalised for fetching (IDNA host, percent-encoded path); raises FetchError for anything but absolute http(s) URLs."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as e:
        raise FetchError(url, f"malformed URL: {e}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, f"unsupported URL scheme {parts.scheme or '(none)'!r}: only http and https are fetched")
    if not parts.hostname:
        raise FetchError(url, "URL has no host")
    if parts.username or parts.password:
        raise FetchError(url, "URL carries credentials: refused")
    try:
        port = parts.port
    except ValueError:
        raise FetchError(url, "URL has an invalid port") from None
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    else:
        try:
            host = host.encode("idna").decode("ascii")  # internationalised names travel as punycode
        except UnicodeError:
            raise FetchError(url, f"invalid host name {parts.hostname!r}") from None
    netloc = host if port is None else f"{host}:{port}"
    path = quote(parts.path or "/", safe=_URL_SAFE)
    query = quote(parts.query, safe=_URL_SAFE + "?")
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


class Fetcher:
    """Fetches URLs under a FetchPolicy: address checks on every connection, redirects re-checked,
    timeouts, size cap, retries with backoff, a delay per host, and robots.txt when asked."""

    def __init__(self, policy: FetchPolicy | None = None, sleep: Callable[[float], None] = time.sleep):
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._pool_made: httpcore.ConnectionPool | None = None   # made on first fetch: a run of local files needs none
        self._pool_lock = threading.Lock()
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, float]] = {}  # site → (rules, expiry)
        self._lock = threading.Lock()

    # --- public --------------------------------------------------------
    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            robots: bool = False, accept: str | None = None) -> FetchResult:
        """GET a URL following redirects (each hop re-checked); raises FetchError with the reason."""
        start = check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        current, hops = start, []
        for _ in range(self.policy.max_redirects + 1):
            if robots and not self.allowed_by_robots(current):
                parser = self._robots_for(current)
                why = " (robots.txt unreachable: everything disallowed for now)" if parser is not None and parser.disallow_all else ""
                raise FetchError(current, f"disallowed by robots.txt{why}", transient=bool(why))
            status, resp_headers, body = self._get_with_retries(current, headers)
            if status in REDIRECT_CODES:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {status} redirect without a Location header", status=status)
                nxt = check_url(urljoin(current, location))  # the new hop's scheme is checked here, its address on connect
                hops.append(nxt)
                current = nxt
                continue
            if status == 304 and (etag or last_modified):
                return FetchResult(url, current, status, resp_headers, b"", utcnow(), hops)
            if not 200 <= status < 300:
                raise FetchError(current if current == url else f"{url} → {current}", f"HTTP {status}",
                                 transient=status in RETRY_CODES, status=status)
            return FetchResult(url, current, status, resp_headers, body, utcnow(), hops)
        raise FetchError(url, f"too many redirects (more than {self.policy.max_redirects})")

    def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt of the URL's site lets our user agent fetch it (missing: yes; unreachable: no)."""
        parser = self._robots_for(url)
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    @property
    def _pool(self) -> httpcore.ConnectionPool:
        """The connection pool, made on first use (loading the CA bundle costs ~30 ms of CPU)."""
        with self._pool_lock:
            if self._pool_made is None:
                ctx = ssl.create_default_context(cafile=certifi.where())
                if self.policy.ca_file:
                    ctx.load_verify_locations(self.policy.ca_file)
                # TLS verifies the certificate against the URL's host name, although the socket goes to the checked IP
                self._pool_made = httpcore.ConnectionPool(
                    ssl_context=ctx, max_connections=8, keepalive_expiry=30.0, retries=0,
                    network_backend=_CheckedBackend(self.policy.allow_private, self.policy.deny_networks,
                                                    self.policy.allow_addresses))
            return self._pool_made

    def close(self) -> None:
        """Close pooled connections."""
        if self._pool_made is not None:
            self._pool_made.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -----------------------------------------------------
    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's robots.txt rules as RFC 9309 reads them; None when there are none (allow all)."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(site)
        if cached and time.monotonic() < cached[1]:
            return cached[0]
        parser: urllib.robotparser.RobotFileParser | None = None
        ttl = 3600.0
        target, status, body = site + "/robots.txt", 0, b""
        try:
            for _ in range(5):  # RFC 9309: follow at least five redirects
                status, headers, body = self._get_with_retries(target, {}, retries=0)
                if status not in REDIRECT_CODES or not headers.get("location"):
                    break
                target = check_url(urljoin(target, headers["location"]))
        except BlockedAddress:
            raise
        except FetchError:
            status = 0
        if 200 <= status < 300:
            parser = urllib.robotparser.RobotFileParser()
            parser.parse(body.decode("utf-8", "replace").splitlines())
        elif 400 <= status < 500:
            parser = None  # "unavailable": the crawler may access everything
        else:
            # "unreachable" (5xx, network trouble, endless redirects): assume complete disallow, ask again soon
            parser = urllib.robotparser.RobotFileParser()
            parser.disallow_all = True
            ttl = 600.0
        self._robots[site] = (parser, time.monotonic() + ttl)
        return parser

    def _crawl_delay(self, host_key: str, url: str) -> float:
        cached = self._robots.get(host_key)
        delay = self.policy.host_delay
        if cached and cached[0] is not None:
            cd = cached[0].crawl_delay(self.policy.user_agent)
            if cd:
                delay = max(delay, min(float(cd), self.policy.max_crawl_delay))
        return delay

    def _wait_turn(self, url: str) -> None:
        """Politeness: keep at least the per-host delay between two requests to one host."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        delay = self._crawl_delay(key, url)
        with self._lock:
            last = self._last_request.get(key)
            now = time.monotonic()
            wait = 0.0 if last is None else last + delay - now
            self._last_request[key] = now + max(wait, 0.0)
        if wait > 0:
            self._sleep(wait)

    def _get_with_retries(self, url: str, headers: dict[str, str], retries: int | None = None) -> tuple[int, dict[str, str], bytes]:
        retries = self.policy.retries if retries is None else retries
        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                status, resp_headers, body = self._get_once(url, headers)
            except BlockedAddress:
                raise
            except FetchError as e:
                if not e.transient or attempt >= retries:
                    raise
                self._sleep(self.policy.backoff * (2 ** attempt))
                attempt += 1
                continue
            if status in RETRY_CODES and attempt < retries:
                self._sleep(self._retry_after(resp_headers, self.policy.backoff * (2 ** attempt)))
                attempt += 1
                continue
            return status, resp_headers, body

    def _retry_after(self, headers: dict[str, str], default: float) -> float:
        value = headers.get("retry-after", "").strip()
        if not value:
            return default
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
            except (TypeError, ValueError):
                return default
        return max(0.0, min(seconds, self.policy.max_retry_after))

    def _get_once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        p = self.policy
        req_headers = {"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate",
                       "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"}
        req_headers.update(headers)
        timeout = {"connect": p.connect_timeout, "read": p.read_timeout, "write": p.read_timeout, "pool": p.connect_timeout}
        deadline = time.monotonic() + p.total_timeout
        try:
            with self._pool.stream("GET", url, headers=list(req_headers.items()), extensions={"timeout": timeout}) as resp:
                resp_headers: dict[str, str] = {}
                for k, v in resp.headers:
                    name = k.decode("latin-1").lower()
                    value = v.decode("latin-1")
                    resp_headers[name] = f"{resp_headers[name]}, {value}" if name in resp_headers else value
                if resp.status in REDIRECT_CODES or resp.status == 304 or resp.status >= 400:
                    return resp.status, resp_headers, b""  # bodies of these answers are never used
                declared = resp_headers.get("content-length", "")
                if declared.isdigit() and int(declared) > p.max_bytes:
                    raise FetchError(url, f"response too big: {int(declared)} bytes declared, limit {p.max_bytes}")
                body = _read_capped(resp.iter_stream(), resp_headers.get("content-encoding", ""), p.max_bytes, deadline, url)
                return resp.status, resp_headers, body
        except FetchError as e:
            if e.url == url:
                raise
            raise type(e)(url, e.reason, e.transient, e.status) from None  # name the URL, not just host:port
        except httpcore.TimeoutException as e:
            raise FetchError(url, f"timed out ({type(e).__name__})", transient=True) from None
        except (httpcore.ConnectError, OSError) as e:
            if _is_cert_error(e):
                raise FetchError(url, f"TLS certificate not trusted: {e}") from None  # retrying will not help
            raise FetchError(url, f"cannot connect: {e}", transient=True) from None
        except httpcore.ProtocolError as e:
            raise FetchError(url, f"broken HTTP response: {e}", transient=True) from None
        except httpcore.UnsupportedProtocol as e:
            raise FetchError(url, f"unsupported protocol: {e}") from None
        except Exception as e:  # anything else about one URL must not stop a batch
            raise FetchError(url, f"fetch error: {type(e).__name__}: {e}") from None


def _is_cert_error(e: BaseException) -> bool:
    """True when a connection failed on certificate verification (httpcore keeps only the text of the ssl error)."""
    seen: BaseException | None = e
    for _ in range(5):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(e)


def _read_capped(chunks: Iterable[bytes], encoding: str, limit: int, deadline: float, url: str) -> bytes:
    """The decoded body, refusing more than `limit` bytes (also after decompression) or a response past the deadline."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(47)  # 47 = accept zlib or gzip headers
    else:
        raise FetchError(url, f"unsupported content encoding {encoding!r}")
    out = bytearray()
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise FetchError(url, "timed out (response took too long)", transient=True)
        if decoder is not None:
            try:
                # max_length keeps a decompression bomb from growing past the cap in one step
                chunk = decoder.decompress(chunk, limit + 1 - len(out))
            except zlib.error as e:
                raise FetchError(url, f"broken {encoding} body: {e}") from None
            if decoder.unconsumed_tail:
                raise FetchError(url, f"response too big: more than {limit} bytes after decompression")
        out += chunk
        if len(out) > limit:
            raise FetchError(url, f"response too big: more than {limit} bytes")
    if decoder is not None:
        out += decoder.flush()
        if len(out) > limit:
            raise FetchError(url, f"response too big: more than {limit} bytes")
    return bytes(out)


def http_date_hint(value: str | None) -> str | None:
    """An HTTP date header as ISO 8601 (UTC), or None."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat()


def host_of(url: str) -> str:
    """scheme://host:port of a URL (the unit of politeness)."""
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"
