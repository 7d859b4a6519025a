"""`newstrace watch` against a real loopback server: only new items are fetched, conditional GET, resume, Ctrl-C."""
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopback_server import LoopbackServer, Route
from news_pages import page, rss
from newstrace.cli import app
from newstrace.ingest.watch import parse_every, read_feed_list

HTML = {"Content-Type": "text/html; charset=utf-8"}


class LiveFeed:
    """A feed whose items change between polls; it answers conditional GETs like a real server."""

    def __init__(self, server: LoopbackServer):
        self.server = server
        self.items: list[dict] = []
        self.version = 0
        server.routes["/feed"] = Route(handler=self.handle)

    def add(self, i: int, link_path: str | None = None) -> None:
        self.items.insert(0, {"title": f"Story {i}", "link": self.server.url(link_path or f"/news/{i}"), "guid": f"story-{i}"})
        self.version += 1

    def handle(self, h) -> None:
        body = rss("Live Wire", self.items)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = f"Mon, 0{self.version} Jan 2024 00:00:00 GMT"
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("ETag", etag)
        h.send_header("Last-Modified", modified)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    for i in range(4):
        srv.routes[f"/news/{i}"] = Route(page(i), headers=HTML)
    yield srv
    srv.stop()


def _watch_once(url: str, db: str) -> str:
    r = CliRunner().invoke(app, ["watch", url, "--once", "--db", db, "--allow-private", "--delay", "0"])
    assert r.exit_code == 0, r.output
    return r.output


def _articles(db: str) -> list[dict]:
    return json.loads(CliRunner().invoke(app, ["articles", "--json", "--db", db]).stdout)


def test_watch_ingests_only_new_items_with_conditional_get(server, tmp_path):
    db = str(tmp_path / "w.db")
    feed = LiveFeed(server)
    feed.add(0)
    _watch_once(server.url("/feed"), db)
    assert len(_articles(db)) == 1
    assert "If-None-Match" not in server.hits("/feed")[0]

    feed.add(1)  # the feed gains an item between two polls
    _watch_once(server.url("/feed"), db)
    titles = sorted(a["title"] for a in _articles(db))
    assert titles == ["City council approves new tram line", "Harbour ferry resumes after storm repairs"]
    assert len(server.hits("/news/0")) == 1 and len(server.hits("/news/1")) == 1  # the old item was not fetched again
    second = server.hits("/feed")[1]
    assert second.get("If-None-Match") and second.get("If-Modified-Since") == "Mon, 01 Jan 2024 00:00:00 GMT"

    out = _watch_once(server.url("/feed"), db)  # nothing changed: the server answers 304
    assert "not modified" in out
    assert len(server.hits("/feed")) == 3 and len(_articles(db)) == 2
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT last_status FROM feed_state").fetchone()[0] == "not modified"
        assert c.execute("SELECT count(*) FROM feed_items WHERE status='done'").fetchone()[0] == 2


def test_failed_item_is_retried_on_the_next_poll_and_validators_wait(server, tmp_path):
    db = str(tmp_path / "w.db")
    feed = LiveFeed(server)
    feed.add(0)
    feed.add(2, link_path="/later/2")  # not there yet: 404 on the first poll
    out = _watch_once(server.url("/feed"), db)
    assert "HTTP 404" in out and len(_articles(db)) == 1
    server.routes["/later/2"] = Route(page(2), headers=HTML)
    _watch_once(server.url("/feed"), db)
    # the feed did not change, but an item was pending, so the poll was not conditional and the item was retried
    assert "If-None-Match" not in server.hits("/feed")[1]
    assert len(_articles(db)) == 2 and len(server.hits("/news/0")) == 1
    _watch_once(server.url("/feed"), db)
    assert server.hits("/feed")[2].get("If-None-Match")  # all settled: conditional again


def test_feed_failure_is_quarantined_and_watch_goes_on(server, tmp_path):
    db = str(tmp_path / "w.db")
    feed = LiveFeed(server)
    feed.add(3)
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# my feeds\n{server.url('/gone-feed')}\n{server.url('/feed')}  # live\n")
    out = _watch_once(str(listing), db)
    assert "HTTP 404" in out
    assert len(_articles(db)) == 1
    q = json.loads(CliRunner().invoke(app, ["quarantine", "--json", "--db", db]).stdout)
    assert [row["origin"] for row in q] == [server.url("/gone-feed")]


def test_ctrl_c_stops_cleanly_and_state_survives(server, tmp_path):
    db = str(tmp_path / "w.db")
    feed = LiveFeed(server)
    feed.add(9, link_path="/not-yet")  # a 404 keeps this run cheap (no article to enrich) and leaves state to resume from
    exe = Path(sys.executable).with_name("newstrace")
    proc = subprocess.Popen([str(exe), "watch", server.url("/feed"), "--every", "30s", "--db", db, "--allow-private", "--delay", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        deadline = time.monotonic() + 120
        polled = False
        while time.monotonic() < deadline and not polled:
            time.sleep(0.3)
            assert proc.poll() is None, proc.stderr.read().decode()
            if os.path.exists(db):
                try:
                    with sqlite3.connect(db, timeout=1) as c:
                        polled = c.execute("SELECT count(*) FROM feed_state").fetchone()[0] == 1
                except sqlite3.OperationalError:
                    pass  # tables not created yet
        assert polled
        proc.send_signal(signal.SIGINT)  # while it waits for the next poll
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()
    assert "stopping" in err.decode() and "Traceback" not in err.decode()
    with sqlite3.connect(db) as c:  # what the next run resumes from
        assert c.execute("SELECT status, attempts FROM feed_items").fetchall() == [("retry", 1)]
    server.routes["/not-yet"] = Route(page(3), headers=HTML)
    _watch_once(server.url("/feed"), db)
    assert [a["title"] for a in _articles(db)] == ["Museum returns stolen manuscripts to monastery"]


def test_intervals_and_feed_lists(tmp_path):
    assert parse_every("15m") == 900 and parse_every("30s") == 30 and parse_every("2h") == 7200 and parse_every("90") == 90
    for bad in ("", "soon", "-5m", "0s"):
        with pytest.raises(ValueError):
            parse_every(bad)
    assert read_feed_list("https://example.org/rss") == ["https://example.org/rss"]
    with pytest.raises(ValueError, match="no such file"):
        read_feed_list(str(tmp_path / "missing.txt"))
    opml = tmp_path / "subs.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>'
                    '<outline text="news"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/>'
                    '<outline text="B" type="rss" xmlUrl="https://b.example/atom.xml"/></outline></body></opml>')
    assert read_feed_list(str(opml)) == ["https://a.example/rss", "https://b.example/atom.xml"]
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://a.example/rss  # wire\n\n# off: https://c.example/rss\nhttps://a.example/rss\n")
    assert read_feed_list(str(listing)) == ["https://a.example/rss"]


@pytest.mark.postgres
def test_feed_state_on_both_backends(server, any_store):
    """The watch state (migration 50) works the same on SQLite and PostgreSQL."""
    from newstrace.ingest.fetch import Fetcher, FetchPolicy
    from newstrace.ingest.watch import watch
    feed = LiveFeed(server)
    feed.add(0)
    feed.add(5, link_path="/missing")
    with Fetcher(FetchPolicy(allow_private=True, host_delay=0, retries=0)) as f:
        [first] = watch([server.url("/feed")], any_store, f, every=1, once=True)
        assert (first.new_items, first.added, len(first.failed)) == (2, 1, 1)
        feed.add(1)
        [second] = watch([server.url("/feed")], any_store, f, every=1, once=True)
    # the new item and the one to retry; the done one is not fetched again
    assert second.new_items == 2 and second.added == 1
    assert len(server.hits("/news/0")) == 1 and len(server.hits("/missing")) == 2
    assert any_store.article_count() == 2
    assert "If-None-Match" not in server.hits("/feed")[1]  # an item is still pending: no conditional GET yet
