"""Safe fetching against a real HTTP server on loopback: address checks, redirects, caps, timeouts, retries, robots."""
import gzip
import json
import time

import pytest
from typer.testing import CliRunner

from loopback_server import LoopbackServer, Route
from newstrace.cli import app
from newstrace.ingest.fetch import (BlockedAddress, DEFAULT_USER_AGENT, FetchError, Fetcher, FetchPolicy, address_problem,
                                    resolve_checked)

PAGE = b"<html><head><title>Pier reopens</title></head><body><article><p>The pier reopened on Sunday.</p></article></body></html>"
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def fast(**kw) -> FetchPolicy:
    """A policy for tests: loopback allowed, short timeouts, no politeness wait unless asked."""
    base = dict(allow_private=True, connect_timeout=2, read_timeout=0.5, total_timeout=3, retries=0, backoff=0.01, host_delay=0)
    base.update(kw)
    return FetchPolicy(**base)


@pytest.mark.parametrize("ip,problem", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("::ffff:127.0.0.1", "loopback"), ("100.64.0.1", "not globally routable"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"), ("8.8.8.8", None), ("2001:4860:4860::8888", None),
])
def test_address_classification(ip, problem):
    got = address_problem(ip)
    assert (got is None) if problem is None else (problem in got)


def test_loopback_is_refused_by_default_even_by_name(server):
    server.routes["/a"] = Route(PAGE, headers=HTML)
    with Fetcher(FetchPolicy()) as f:
        with pytest.raises(BlockedAddress) as e:
            f.get(server.url("/a"))
        assert "127.0.0.1 (loopback)" in str(e.value) and server.url("/a") in str(e.value)
        # a host name is resolved and its address checked, not just literal IPs
        port = server.server_address[1]
        for disguised in (f"http://localhost:{port}/a", f"http://2130706433:{port}/a", f"http://0x7f.1:{port}/a",
                          f"http://[::ffff:127.0.0.1]:{port}/a", f"http://127.1:{port}/a"):
            with pytest.raises(BlockedAddress):
                f.get(disguised)
    assert server.hits("/a") == []  # nothing ever reached the server


@pytest.mark.parametrize("url,problem", [
    ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "link-local"),
    ("http://169.254.170.2/v2/credentials", "link-local"), ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata service"),
    ("http://100.100.100.200/latest/meta-data/", "cloud metadata service"), ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[fe80::1]/", "link-local"), ("http://2852039166/latest/meta-data/", "link-local"),
])
def test_allow_private_still_refuses_link_local_and_metadata(url, problem):
    """--allow-private opens private networks, not the cloud's credential endpoints: refused before any connection."""
    t = time.monotonic()
    with Fetcher(fast(connect_timeout=5)) as f:
        with pytest.raises(BlockedAddress) as e:
            f.get(url)
    assert f"({problem})" in str(e.value) and "NEWSTRACE_ALLOW_ADDRESS=" in str(e.value)
    assert time.monotonic() - t < 1  # no connection was attempted (that would wait for the 5 s connect timeout)


def test_an_address_named_explicitly_is_allowed_and_deny_still_wins(server, monkeypatch):
    """Only an address named in NEWSTRACE_ALLOW_ADDRESS (or the policy) passes; a denied network stays refused."""
    assert resolve_checked("169.254.169.254", 80, True, allow=("169.254.169.254",)) == ["169.254.169.254"]
    assert resolve_checked("fd00:ec2::254", 80, False, allow=("fd00:ec2::/64",)) == ["fd00:ec2::254"]
    with pytest.raises(BlockedAddress, match="link-local"):
        resolve_checked("169.254.169.253", 80, True, allow=("169.254.169.254",))
    with pytest.raises(BlockedAddress, match="denied network"):
        resolve_checked("169.254.169.254", 80, True, deny=("169.254.0.0/16",), allow=("169.254.169.254",))
    server.routes["/a"] = Route(PAGE, headers=HTML)
    monkeypatch.setenv("NEWSTRACE_ALLOW_ADDRESS", "127.0.0.1, not-an-address")
    policy = FetchPolicy(connect_timeout=2, read_timeout=1, retries=0, host_delay=0)
    assert policy.allow_addresses == ("127.0.0.1",) and not policy.allow_private
    with Fetcher(policy) as f:  # loopback named explicitly: fetched without --allow-private
        assert f.get(server.url("/a")).body == PAGE
    assert len(server.hits("/a")) == 1


def test_cli_ingest_refuses_loopback_url_without_allow_private(server, tmp_path):
    server.routes["/a"] = Route(PAGE, headers=HTML)
    db = str(tmp_path / "s.db")
    r = CliRunner().invoke(app, ["ingest", server.url("/a"), "--db", db])
    assert r.exit_code == 1, r.output   # nothing usable: the only input was refused
    q = CliRunner().invoke(app, ["quarantine", "--json", "--db", db])
    [row] = json.loads(q.stdout)
    assert row["origin"] == server.url("/a")
    assert "blocked address" in row["reason"] and "loopback" in row["reason"] and "--allow-private" in row["reason"]
    assert server.hits("/a") == []


def test_only_http_and_https(server):
    with Fetcher(fast()) as f:
        for bad in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x", "javascript:alert(1)", "http:///nohost",
                    "http://user:pw@example.org/"):
            with pytest.raises(FetchError):
                f.get(bad)


def test_redirects_followed_limited_and_each_hop_rechecked(server):
    server.routes["/a"] = Route(PAGE, headers=HTML)
    server.routes["/r1"] = Route(status=301, headers={"Location": "/r2"})
    server.routes["/r2"] = Route(status=302, headers={"Location": server.url("/a")})
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    server.routes["/to-file"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    port = server.server_address[1]
    server.routes["/to-denied"] = Route(status=302, headers={"Location": f"http://127.0.0.2:{port}/a"})
    with Fetcher(fast(deny_networks=("127.0.0.2/32",))) as f:
        r = f.get(server.url("/r1"))
        assert r.status == 200 and r.final_url == server.url("/a") and r.body == PAGE and len(r.redirects) == 2
        with pytest.raises(FetchError, match="too many redirects"):
            f.get(server.url("/loop"))
        assert len(server.hits("/loop")) == f.policy.max_redirects + 1
        with pytest.raises(FetchError, match="scheme 'file'"):
            f.get(server.url("/to-file"))
        # the first hop is allowed, the second one's address is not: refused before connecting
        with pytest.raises(BlockedAddress, match="127.0.0.2"):
            f.get(server.url("/to-denied"))


def test_slow_response_times_out(server):
    server.routes["/slow"] = Route(PAGE, headers=HTML, delay=2.0)
    with Fetcher(fast(read_timeout=0.3)) as f:
        t0 = time.monotonic()
        with pytest.raises(FetchError, match="timed out") as e:
            f.get(server.url("/slow"))
        assert time.monotonic() - t0 < 1.5
        assert e.value.transient


def test_trickling_response_hits_the_total_deadline(server):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        try:
            for _ in range(40):
                h.wfile.write(b"<p>x</p>")
                h.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
    server.routes["/trickle"] = Route(handler=trickle)
    with Fetcher(fast(read_timeout=1.0, total_timeout=0.6)) as f:
        with pytest.raises(FetchError, match="took too long"):
            f.get(server.url("/trickle"))


def test_size_cap_declared_streamed_and_decompressed(server):
    server.routes["/big"] = Route(b"<p>" + b"x" * 50_000 + b"</p>", headers=HTML)

    def undeclared(h):  # no Content-Length: the cap must hold while streaming
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"y" * 1000)
        except (BrokenPipeError, ConnectionResetError):
            pass
        h.close_connection = True
    server.routes["/stream"] = Route(handler=undeclared)
    bomb = gzip.compress(b"\0" * 5_000_000)
    server.routes["/bomb"] = Route(bomb, headers={**HTML, "Content-Encoding": "gzip"})
    small = gzip.compress(PAGE)
    server.routes["/gz"] = Route(small, headers={**HTML, "Content-Encoding": "gzip"})
    with Fetcher(fast(max_bytes=20_000)) as f:
        with pytest.raises(FetchError, match="too big: 50007 bytes declared"):
            f.get(server.url("/big"))
        with pytest.raises(FetchError, match="too big"):
            f.get(server.url("/stream"))
        assert len(bomb) < 20_000
        with pytest.raises(FetchError, match="too big"):
            f.get(server.url("/bomb"))
        assert f.get(server.url("/gz")).body == PAGE


def test_404_is_a_permanent_failure_naming_the_url(server):
    with Fetcher(fast(retries=3)) as f:
        with pytest.raises(FetchError) as e:
            f.get(server.url("/gone"))
    assert "HTTP 404" in str(e.value) and server.url("/gone") in str(e.value)
    assert not e.value.transient
    assert len(server.hits("/gone")) == 1  # not retried


def test_transient_errors_are_retried_with_backoff_and_retry_after(server):
    calls = []

    def flaky(h):
        calls.append(1)
        if len(calls) < 3:
            h.send_response(503)
            h.send_header("Retry-After", "2" if len(calls) == 2 else "0")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(PAGE)))
        h.end_headers()
        h.wfile.write(PAGE)
    server.routes["/flaky"] = Route(handler=flaky)
    waits = []
    with Fetcher(fast(retries=2, backoff=0.5), sleep=waits.append) as f:
        assert f.get(server.url("/flaky")).body == PAGE
    assert len(calls) == 3
    assert waits == [0.0, 2.0]  # the server's Retry-After wins over the default backoff


def test_politeness_delay_per_host_and_user_agent(server):
    server.routes["/a"] = Route(PAGE, headers=HTML)
    waits = []
    with Fetcher(fast(host_delay=5.0), sleep=waits.append) as f:
        f.get(server.url("/a"))
        f.get(server.url("/a"))
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0
    ua = server.hits("/a")[0]["User-Agent"]
    assert ua == DEFAULT_USER_AGENT and ua.startswith("newstrace/") and "https://" in ua


def test_robots_txt_is_respected_when_asked(server):
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    server.routes["/private/x"] = Route(PAGE, headers=HTML)
    server.routes["/public/x"] = Route(PAGE, headers=HTML)
    with Fetcher(fast()) as f:
        with pytest.raises(FetchError, match="robots.txt"):
            f.get(server.url("/private/x"), robots=True)
        assert f.get(server.url("/public/x"), robots=True).status == 200
    assert server.hits("/private/x") == []
    assert len(server.hits("/robots.txt")) == 1  # cached per site


def test_non_ascii_and_spaces_in_urls_are_percent_encoded(server):
    server.routes["/caf%C3%A9%20menu?q=%C3%A4"] = Route(PAGE, headers=HTML)
    with Fetcher(fast()) as f:
        assert f.get(server.url("/café menu?q=ä")).body == PAGE


def test_tls_is_verified_against_the_host_name_while_connecting_to_the_checked_ip(server, tmp_path):
    """The socket goes to the resolved, checked address; the certificate must still match the URL's host name."""
    import ssl
    import subprocess
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    tls = LoopbackServer()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    tls.routes["/a"] = Route(PAGE, headers=HTML)
    tls.start()
    port = tls.server_address[1]
    try:
        with Fetcher(fast(ca_file=str(cert))) as f:
            assert f.get(f"https://localhost:{port}/a").body == PAGE
            with pytest.raises(FetchError, match="certificate not trusted"):
                f.get(f"https://127.0.0.1:{port}/a")  # same server, but the certificate does not name this host
        with Fetcher(fast(retries=2)) as f:  # without the CA: refused at once, not retried
            with pytest.raises(FetchError, match="certificate not trusted") as e:
                f.get(f"https://localhost:{port}/a")
            assert not e.value.transient
        assert len(tls.hits("/a")) == 1
    finally:
        tls.stop()


def test_robots_txt_redirects_crawl_delay_and_unreachable_sites(server):
    server.routes["/robots.txt"] = Route(status=301, headers={"Location": "/site-robots.txt"})
    server.routes["/site-robots.txt"] = Route(b"User-agent: newstrace\nDisallow: /private/\nCrawl-delay: 3\n",
                                              headers={"Content-Type": "text/plain"})
    server.routes["/private/x"] = Route(PAGE, headers=HTML)
    server.routes["/public/x"] = Route(PAGE, headers=HTML)
    waits = []
    with Fetcher(fast(), sleep=waits.append) as f:
        with pytest.raises(FetchError, match="disallowed by robots.txt"):
            f.get(server.url("/private/x"), robots=True)
        f.get(server.url("/public/x"), robots=True)
        f.get(server.url("/public/x"), robots=True)
    assert server.hits("/private/x") == []
    assert waits and max(waits) > 2.0  # the site's Crawl-delay (3 s) wins over our own delay (0 here)

    down = LoopbackServer().start()
    try:
        down.routes["/robots.txt"] = Route(b"busy", status=503)
        down.routes["/page"] = Route(PAGE, headers=HTML)
        with Fetcher(fast()) as f:
            with pytest.raises(FetchError, match="robots.txt unreachable") as e:
                f.get(down.url("/page"), robots=True)
            assert e.value.transient  # worth trying again later
        assert down.hits("/page") == []
    finally:
        down.stop()
