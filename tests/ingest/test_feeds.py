"""Feeds and article URLs from a real loopback server, through the real pipeline into SQLite."""
import html
import json

import pytest
from typer.testing import CliRunner

from loopback_server import LoopbackServer, Route
from news_pages import STORIES, page, rss
from newstrace.cli import app
from newstrace.ingest import iter_inputs
from newstrace.ingest.feeds import looks_like_feed, parse_feed
from newstrace.ingest.fetch import Fetcher, FetchPolicy
from newstrace.ingest.urls import stored_lookup
from newstrace.pipeline import ingest
from newstrace.store.sqlite import SQLiteStore

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def policy() -> FetchPolicy:
    return FetchPolicy(allow_private=True, read_timeout=0.4, total_timeout=2, retries=0, host_delay=0, max_bytes=100_000)


def full_content(i: int) -> str:
    """What a feed's content:encoded would carry for story i: the whole article (well over a teaser)."""
    title, outlet, day, paras = STORIES[i]
    extra = ("Officials said more details would be published in the coming days, and local residents were invited "
             "to a public meeting to discuss the next steps with the authorities and independent experts.")
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras + [extra])


def live_page(body: bytes):
    """A page that differs on every request, like real ones (ads, timestamps, tokens)."""
    count = [0]

    def handle(h):
        count[0] += 1
        data = body.replace(b"</body>", f"<!-- request {count[0]} -->\n</body>".encode())
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
    return handle


@pytest.fixture
def site(server):
    """A news site: a feed with good, redirected, slow, oversized, missing and broken entries; an article; a broken feed."""
    u = server.url
    for i in (0, 1, 3, 4):
        server.routes[f"/news/{i}"] = Route(handler=live_page(page(i, with_meta=False)))
    server.routes["/go/1"] = Route(status=301, headers={"Location": "/news/1"})
    server.routes["/news/slow"] = Route(page(5), headers=HTML, delay=2.0)
    server.routes["/news/huge"] = Route(b"<html><body>" + b"<p>filler</p>" * 20_000 + b"</body></html>", headers=HTML)
    server.routes["/feed.xml"] = Route(rss("Example Wire", [
        {"title": "Ferry resumes", "link": u("/news/0"), "guid": "n0", "pubDate": "Sun, 03 Mar 2024 09:30:00 GMT"},
        {"title": "Tram line approved", "link": u("/go/1"), "guid": "n1", "pubDate": "Tue, 14 May 2024 10:00:00 GMT"},
        {"title": "Slow page", "link": u("/news/slow"), "guid": "slow"},
        {"title": "Huge page", "link": u("/news/huge"), "guid": "huge"},
        {"title": "Missing page", "link": u("/news/missing"), "guid": "missing"},
        {"title": "Entry with neither link nor content", "guid": "broken"},
        {"title": "Script link", "link": "javascript:alert(1)", "guid": "script"},
        {"title": "Drought forces farmers to sell cattle early", "link": u("/news/gone"), "guid": "n2",
         "pubDate": "Mon, 21 Aug 2023 07:00:00 GMT", "content": full_content(2)},
    ]), headers=RSS)
    # a feed served as text/xml is found by its root element
    server.routes["/wire"] = Route(rss("Second Wire", [{"title": "Plastic", "link": u("/news/4"), "guid": "n4"}]),
                                   headers={"Content-Type": "text/xml"})
    server.routes["/article"] = Route(page(3), headers=HTML)
    server.routes["/broken-feed.xml"] = Route(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', headers=RSS)
    return server


def test_feeds_and_urls_ingested_once_and_each_failure_quarantined(site, tmp_path):
    u = site.url
    inputs = [u("/feed.xml"), u("/wire"), u("/article"), u("/broken-feed.xml")]
    store = SQLiteStore(str(tmp_path / "s.db"))
    with Fetcher(policy()) as f:
        first = ingest(iter_inputs(inputs, fetcher=f, known=stored_lookup(store)), store)
    reasons = {x.origin: x.reason for x in first.failed}
    assert "timed out" in reasons[u("/news/slow")] and u("/news/slow") in reasons[u("/news/slow")]
    assert "too big" in reasons[u("/news/huge")]
    assert "HTTP 404" in reasons[u("/news/missing")] and u("/feed.xml") in reasons[u("/news/missing")]
    assert "no link and no full content" in reasons[u("/feed.xml") + "#entry=6"]
    assert "unsupported URL scheme 'javascript'" in reasons["javascript:alert(1)"]
    assert "broken feed" in reasons[u("/broken-feed.xml")] or "not a feed" in reasons[u("/broken-feed.xml")]
    assert len(first.failed) == 6, reasons
    # pages 0, 1 (through a redirect), 4 (second feed), 3 (article URL) and story 2 from the feed's full content
    assert len(first.added) == 5
    raws = {r.origin: r for r in (store.get_raw(a) for a in first.added)}
    tram = raws[u("/go/1")]
    assert tram.hints["url"] == u("/news/1")  # the final URL after the redirect
    assert tram.hints["outlet"] == "Example Wire" and tram.hints["title"] == "Tram line approved"
    assert tram.hints["published"] == "2024-05-14T10:00:00+00:00"
    assert tram.first_seen_source == "fetch" and tram.first_seen is not None
    assert tram.hints["charset"] == "utf-8" and tram.hints["content_type"] == "text/html"
    from_feed = raws[u("/news/gone")]
    assert from_feed.hints["content_from"] == "feed" and "HTTP 404" in from_feed.hints["fetch_error"]
    assert "Farmers across the eastern plains" in from_feed.data.decode()
    titles = {a.title for a in store.articles()}
    assert {"City council approves new tram line", "Drought forces farmers to sell cattle early"} <= titles
    n_failures = len(store.failures())

    hits = {p: len(site.hits(p)) for p in ("/news/0", "/news/1", "/news/3", "/news/4", "/feed.xml")}
    with Fetcher(policy()) as f:
        second = ingest(iter_inputs(inputs, fetcher=f, known=stored_lookup(store)), store)
    assert second.added == []
    # stored pages are not fetched again (they would differ and make duplicates); feeds are re-read
    assert {p: len(site.hits(p)) for p in hits} == {**hits, "/feed.xml": hits["/feed.xml"] + 1}
    assert store.article_count() == 5
    assert len(store.failures()) == n_failures  # the same failures are not recorded twice


def test_local_feed_file_fetches_its_entries(site, tmp_path):
    u = site.url
    feed = tmp_path / "saved.rss"
    feed.write_bytes(rss("Saved Wire", [{"title": "Ferry", "link": u("/news/0"), "guid": "a"},
                                        {"title": "Museum", "link": u("/news/3"), "guid": "b"}]))
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_bytes(b'<?xml version="1.0"?><urlset><url><loc>http://example.org/</loc></url></urlset>')
    store = SQLiteStore(str(tmp_path / "s.db"))
    with Fetcher(policy()) as f:
        report = ingest(iter_inputs([str(feed), str(sitemap)], fetcher=f), store, link=False)
    assert len(report.added) == 2
    assert {store.get_raw(a).hints["outlet"] for a in report.added} == {"Saved Wire"}
    [failure] = report.failed
    assert failure.origin == str(sitemap) and "not an RSS/Atom feed" in failure.reason


def test_feed_sniffing():
    atom = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- generated --><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>'
    rdf = b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
    xhtml = b'<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body>rss feed</body></html>'
    assert looks_like_feed(rss("x", []))
    assert looks_like_feed(atom) and looks_like_feed(rdf)
    assert looks_like_feed(b"<rss version='2.0'></rss>", "text/html")  # mislabelled feeds still count
    assert not looks_like_feed(xhtml, "application/xml")
    assert not looks_like_feed(page(0), "text/html")
    assert looks_like_feed(b"", "application/rss+xml")


def test_atom_entries_and_relative_links():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>One</title><id>urn:one</id><link href="/news/1"/><published>2024-01-02T03:04:05+01:00</published><updated>2024-01-02T03:04:05+01:00</updated></entry>
</feed>"""
    feed = parse_feed(atom, "http://example.org/atom.xml", base_url="http://example.org/atom.xml")
    [e] = feed.entries
    assert feed.title == "Atom Wire" and e.key == "urn:one"
    assert e.link == "http://example.org/news/1"
    assert e.published == "2024-01-02T02:04:05+00:00"


def test_jsonl_on_standard_input(tmp_path):
    db = str(tmp_path / "s.db")
    lines = ("\n".join([
        json.dumps({"id": "s1", "title": "Bridge closes", "outlet": "Town Crier", "published": "2024-03-01",
                    "text": "The old bridge closed on Friday for repairs that will take two months, the council said."}),
        "{broken",
    ]) + "\n").encode() + b'{"id": "s3", "text": "caf\xe9 latin-1, not UTF-8"}\n'
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", "-", "--db", db], input=lines)
    assert r.exit_code == 3, r.output   # some stored, some quarantined
    r2 = runner.invoke(app, ["ingest", "-", "--db", db], input=lines)
    assert r2.exit_code == 3
    arts = json.loads(runner.invoke(app, ["articles", "--json", "--db", db]).stdout)
    assert [a["external_id"] for a in arts] == ["s1"]
    q = json.loads(runner.invoke(app, ["quarantine", "--json", "--db", db]).stdout)
    assert sorted((row["origin"], row["reason"].split(":")[0]) for row in q) == [
        ("<stdin>#line=2", "not JSON"), ("<stdin>#line=3", "bad encoding")]
    runner.invoke(app, ["ingest", "-", "--db", db], input=b"")
    q = json.loads(runner.invoke(app, ["quarantine", "--json", "--db", db]).stdout)
    assert any(row["origin"] == "<stdin>" and "empty" in row["reason"] for row in q)


def test_cli_ingest_of_a_live_url_twice_adds_one_article(server, tmp_path):
    server.routes["/live"] = Route(handler=live_page(page(1)))
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    for _ in range(2):
        r = runner.invoke(app, ["ingest", server.url("/live"), "--db", db, "--allow-private"])
        assert r.exit_code == 0, r.output
    assert "already stored" in r.output
    arts = json.loads(runner.invoke(app, ["articles", "--json", "--db", db]).stdout)
    assert [a["title"] for a in arts] == ["City council approves new tram line"]
    assert len(server.hits("/live")) == 1
