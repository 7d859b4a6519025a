"""`newstrace watch`: poll feeds, fetch only new items, ingest them; the state lives in the store so a
stopped watch resumes where it left off.

Per feed the store keeps the conditional-GET validators (ETag, Last-Modified), the last poll and
its outcome (table feed_state), and per item whether it is done (table feed_items). An item whose
page could not be fetched is tried again on the next polls, at most MAX_ATTEMPTS times.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..records import Failure, RawDocument, utcnow
from .feeds import FeedEntry, FeedError, is_feed_file, iter_feed, parse_feed
from .fetch import FetchError, Fetcher
from .urls import is_url, stored_lookup

MAX_ATTEMPTS = 3
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """Seconds from '90', '30s', '15m', '2h' or '1d'; ValueError naming the text otherwise."""
    m = _EVERY.match(text or "")
    if not m:
        raise ValueError(f"cannot read interval {text!r}: use e.g. 30s, 15m, 2h")
    seconds = float(m.group(1)) * _UNIT[(m.group(2) or "").lower() or None]
    if seconds <= 0:
        raise ValueError(f"interval {text!r} must be positive")
    return seconds


def read_feed_list(spec: str) -> list[str]:
    """Feeds named by FEED_OR_LIST: a feed URL, a feed file, an OPML subscription list, or a text file with one feed per line (# comments)."""
    if is_url(spec):
        return [spec]
    p = Path(spec)
    if not p.is_file():
        raise ValueError(f"{spec}: not a URL and no such file")
    if is_feed_file(p):
        return [spec]
    head = p.open("rb").read(4096)
    if re.search(rb"<opml[\s>]", head):
        return _opml_feeds(p)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"{spec}: cannot read feed list: {e}") from None
    feeds = [ln.split("#", 1)[0].strip() for ln in lines]
    feeds = [f for f in feeds if f]
    if not feeds:
        raise ValueError(f"{spec}: no feeds listed (one URL or feed file per line)")
    return list(dict.fromkeys(feeds))


def _opml_feeds(p: Path) -> list[str]:
    """xmlUrl of every outline in an OPML file (the usual export of feed readers)."""
    import xml.etree.ElementTree as ET
    try:
        root = ET.parse(p).getroot()
    except (ET.ParseError, OSError) as e:
        raise ValueError(f"{p}: cannot read OPML: {e}") from None
    feeds = [o.get("xmlUrl", "").strip() for o in root.iter("outline")]
    feeds = [f for f in feeds if f]
    if not feeds:
        raise ValueError(f"{p}: OPML file lists no feeds (no outline with xmlUrl)")
    return list(dict.fromkeys(feeds))


class FeedState:
    """Feed and item state in the store's feed_state / feed_items tables (migration 50)."""

    def __init__(self, store: Any):
        if not hasattr(store, "execute"):
            raise TypeError(f"{type(store).__name__} has no execute(); watch needs a store with migration 50's tables")
        self.store = store

    def _sql(self, sql: str) -> str:
        return sql  # both backends take SQLite-style `?` placeholders in execute() (PostgresStore translates them)

    def _one(self, sql: str, params: tuple) -> Any:
        cur = self.store.execute(self._sql(sql), params)
        return cur.fetchone()

    def feed(self, url: str) -> dict[str, Any] | None:
        """Validators and last poll of one feed."""
        r = self._one("SELECT etag, last_modified, title, last_poll, last_status FROM feed_state WHERE feed_url=?", (url,))
        if r is None:
            return None
        return dict(zip(("etag", "last_modified", "title", "last_poll", "last_status"), tuple(r)))

    def save_feed(self, url: str, status: str, etag: str | None = None, last_modified: str | None = None,
                  title: str | None = None, keep_validators: bool = False) -> None:
        """Record a poll; validators are replaced unless keep_validators (304, errors)."""
        now = utcnow().isoformat()
        if self.feed(url) is None:
            if keep_validators:
                etag = last_modified = None
            self.store.execute(self._sql("INSERT INTO feed_state (feed_url, etag, last_modified, title, last_poll, last_status) VALUES (?,?,?,?,?,?)"),
                               (url, etag, last_modified, title, now, status))
        elif keep_validators:
            self.store.execute(self._sql("UPDATE feed_state SET title=coalesce(?, title), last_poll=?, last_status=? WHERE feed_url=?"),
                               (title, now, status, url))
        else:
            self.store.execute(self._sql("UPDATE feed_state SET etag=?, last_modified=?, title=coalesce(?, title), last_poll=?, last_status=? WHERE feed_url=?"),
                               (etag, last_modified, title, now, status, url))

    def item(self, url: str, key: str) -> tuple[str, int] | None:
        """(status, attempts) of one item, None when never seen."""
        r = self._one("SELECT status, attempts FROM feed_items WHERE feed_url=? AND item_key=?", (url, key))
        return (r[0], int(r[1])) if r is not None else None

    def is_done(self, url: str, key: str) -> bool:
        """True when an item needs no more work."""
        st = self.item(url, key)
        return st is not None and (st[0] != "retry" or st[1] >= MAX_ATTEMPTS)

    def mark(self, url: str, key: str, link: str | None, ok: bool, reason: str | None = None) -> None:
        """Record an item's outcome: done, or to retry (counting attempts)."""
        now = utcnow().isoformat()
        prev = self.item(url, key)
        attempts = (prev[1] if prev else 0) + 1
        status = "done" if ok else ("failed" if attempts >= MAX_ATTEMPTS else "retry")
        if prev is None:
            self.store.execute(self._sql("INSERT INTO feed_items (feed_url, item_key, link, status, attempts, first_seen, last_try, reason) VALUES (?,?,?,?,?,?,?,?)"),
                               (url, key, link, status, attempts, now, now, reason))
        else:
            self.store.execute(self._sql("UPDATE feed_items SET status=?, attempts=?, last_try=?, reason=?, link=? WHERE feed_url=? AND item_key=?"),
                               (status, attempts, now, reason, link, url, key))


@dataclass
class PollResult:
    """What one poll of one feed did."""

    feed: str
    status: str                        # "updated" | "not modified" | "failed"
    new_items: int = 0
    added: int = 0
    failed: list[Failure] = field(default_factory=list)
    reason: str | None = None

    def summary(self) -> str:
        if self.status == "failed":
            return f"{self.feed}: failed: {self.reason}"
        if self.status == "not modified":
            return f"{self.feed}: not modified"
        return f"{self.feed}: {self.new_items} new item(s), {self.added} new article(s), {len(self.failed)} quarantined"


def poll_feed(feed_url: str, store: Any, fetcher: Fetcher, stop: threading.Event | None = None,
              ingest_fn: Callable | None = None) -> PollResult:
    """One poll: conditional GET, parse, fetch and ingest entries not done before, record state."""
    from ..pipeline import ingest as pipeline_ingest
    ingest_fn = ingest_fn or pipeline_ingest
    state = FeedState(store)
    known = state.feed(feed_url) or {}
    try:
        if is_url(feed_url):
            res = fetcher.get(feed_url, etag=known.get("etag"), last_modified=known.get("last_modified"), robots=True)
            if res.not_modified:
                state.save_feed(feed_url, "not modified", keep_validators=True)
                return PollResult(feed_url, "not modified")
            data, base, etag, modified = res.body, res.final_url, res.headers.get("etag"), res.headers.get("last-modified")
            charset = res.charset
        else:
            data, base, etag, modified, charset = Path(feed_url).read_bytes(), None, None, None, None
        feed = parse_feed(data, feed_url, base, charset)
    except (FetchError, FeedError, OSError) as e:
        reason = str(e) if not isinstance(e, FeedError) else f"{e} ({feed_url})"
        failure = Failure(origin=feed_url, reason=reason, stage="ingest")
        ingest_fn([failure], store, link=False)
        state.save_feed(feed_url, f"failed: {reason}", keep_validators=True)
        return PollResult(feed_url, "failed", failed=[failure], reason=reason)

    outcomes: list[tuple[FeedEntry, RawDocument | Failure]] = []

    def items() -> Iterator[RawDocument | Failure]:
        for entry, doc in iter_feed(feed, fetcher, robots=True, skip=lambda e: state.is_done(feed_url, e.key),
                                    known=stored_lookup(store)):
            outcomes.append((entry, doc))
            yield doc
            if stop is not None and stop.is_set():
                return  # Ctrl-C: finish the item in hand, leave the rest for the next run

    report = ingest_fn(items(), store)
    with store.transaction():
        for entry, doc in outcomes:
            ok = isinstance(doc, RawDocument)
            state.mark(feed_url, entry.key, entry.link, ok, None if ok else doc.reason)
        # New validators only once every entry is settled: otherwise a 304 next time would hide the
        # entries still to do (interrupted poll, items to retry).
        settled = all(state.is_done(feed_url, e.key) for e in feed.entries)
        state.save_feed(feed_url, "updated" if settled else "updated (items pending)", etag=etag, last_modified=modified,
                        title=feed.title, keep_validators=not settled)
    # every item quarantined, at fetch or at extraction (a page fetched fine may still hold no article)
    return PollResult(feed_url, "updated", new_items=len(outcomes), added=len(report.added), failed=list(report.failed))


def watch(feeds: list[str], store: Any, fetcher: Fetcher, every: float, once: bool = False,
          stop: threading.Event | None = None, on_poll: Callable[[PollResult], None] | None = None) -> list[PollResult]:
    """Poll every feed, then wait `every` seconds, until `stop` is set (or after one round with once).

    Returns the results of the last round (a long watch keeps no history in memory)."""
    stop = stop or threading.Event()
    results: list[PollResult] = []
    while not stop.is_set():
        results = []
        for url in feeds:
            if stop.is_set():
                break
            try:
                result = poll_feed(url, store, fetcher, stop)
            except Exception as e:  # one feed's trouble (even a bug) must not end a long-running watch
                result = PollResult(url, "failed", reason=f"poll error: {type(e).__name__}: {e}")
            results.append(result)
            if on_poll:
                on_poll(result)
        if once:
            break
        stop.wait(every)
    return results
