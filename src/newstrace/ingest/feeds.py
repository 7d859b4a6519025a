"""RSS 2.0 / Atom / RDF feeds (feedparser): each entry's article page is fetched and ingested with the
entry's metadata as hints.

Hint keys set on every document made from a feed entry (extraction may use them when the page
lacks its own): url, title, published (ISO 8601 UTC), updated, author, outlet (the feed's title),
feed_url, feed_entry_id; for fetched pages also http_last_modified, content_type and charset (from
the Content-Type header, for pages that do not declare their own); when the
article comes from the feed's own full content: content_from="feed" and fetch_error.

Decision on full content: when fetching an entry's page fails and the entry carries full content
(content:encoded / Atom content with at least FULL_CONTENT_MIN_CHARS characters of text), the
article is ingested from that content instead; summaries/teasers are never taken for articles.
"""
from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import feedparser

from ..records import Failure, RawDocument, content_id, utcnow
from ..textio import XML_ENCODING, UnreadableInput, decode
from .fetch import FetchError, Fetcher, FetchResult, http_date_hint

FEED_SUFFIXES = (".rss", ".atom", ".xml")
FEED_MEDIA_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
FULL_CONTENT_MIN_CHARS = 400
_HTML_TYPES = {"text/html", "application/xhtml+xml"}

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_TAGS = re.compile(r"<[^>]+>")


Known = Callable[[str], "RawDocument | None"]  # origin → the raw document already stored under it


class FeedError(ValueError):
    """The bytes are not a readable feed; the message says why."""


@dataclass
class FeedEntry:
    """One item of a feed, with what the feed says about it."""

    index: int                        # 1-based position in the feed
    key: str                          # stable identity: guid/id, else link, else title
    link: str | None
    title: str | None = None
    published: str | None = None      # ISO 8601 UTC
    updated: str | None = None
    author: str | None = None
    content_html: str | None = None   # full content when the feed carries it (not the summary)


@dataclass
class Feed:
    """A parsed feed."""

    origin: str
    title: str | None
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None        # parse trouble that still left readable entries


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """True when a media type or the document's root element says RSS/Atom/RDF."""
    ct = content_type.split(";")[0].strip().lower()
    if ct in FEED_MEDIA_TYPES:
        return True
    # the root element decides otherwise: servers often label feeds text/xml or even text/html
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    m = _FIRST_ELEMENT.search(_COMMENT.sub(b"", head))  # skips <?xml ...?> and <!DOCTYPE ...>: they are not elements
    if not m:
        return False
    root = m.group(1).split(b":")[-1].lower()
    return root in (b"rss", b"feed", b"rdf")


def _iso(struct: time.struct_time | None) -> str | None:
    if not struct:
        return None
    try:
        return datetime(*struct[:6], tzinfo=timezone.utc).isoformat()
    except (TypeError, ValueError):
        return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = html.unescape(_TAGS.sub("", value)).strip()
    return value or None


def _undeclared_charset(data: bytes) -> str | None:
    """The legacy encoding of a feed that is not UTF-8 and declares none (feedparser would read it as cp1252), as
    textio detects it from its text; None when the feed is UTF-8, declares its encoding, or reads as no text."""
    if XML_ENCODING.match(data) or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        return decode(data, html=True)[1]
    except UnreadableInput:
        return None


def parse_feed(data: bytes, origin: str, base_url: str | None = None, charset: str | None = None) -> Feed:
    """Parse feed bytes (never a URL: feedparser would fetch it); raises FeedError when nothing is readable.
    `charset` is the one the server declared (HTTP Content-Type)."""
    if not data.strip():
        raise FeedError("empty feed")
    headers = {"content-location": base_url} if base_url else {}
    charset = charset or _undeclared_charset(data)
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
    try:
        parsed = feedparser.parse(data, response_headers=headers)
    except Exception as e:  # feedparser is lenient, but a hostile feed must not stop a batch
        raise FeedError(f"broken feed: {type(e).__name__}: {e}") from None
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = f"{type(exc).__name__}: {exc}" if exc else "malformed feed"
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(f"not a feed ({problem or 'no RSS/Atom root element'})")
    if problem and not parsed.entries:
        raise FeedError(f"broken feed: {problem}")
    info = parsed.feed
    feed = Feed(origin=origin, title=_clean(info.get("title")), link=info.get("link"), problem=problem)
    for n, e in enumerate(parsed.entries, 1):
        link = e.get("link")
        content = None
        for c in e.get("content") or []:
            if isinstance(c, dict) and str(c.get("type", "")).endswith(("html", "xml", "plain")) and c.get("value"):
                content = c["value"] if "html" in c.get("type", "") else f"<pre>{html.escape(c['value'])}</pre>"
                break
        key = e.get("id") or link or _clean(e.get("title")) or f"#{n}"
        feed.entries.append(FeedEntry(index=n, key=str(key), link=link, title=_clean(e.get("title")),
                                      published=_iso(e.get("published_parsed")),
                                      # dict.get: feedparser's own get maps a missing updated to published, with a warning
                                      updated=_iso(dict.get(e, "updated_parsed")),
                                      author=_clean(e.get("author")), content_html=content))
    return feed


def entry_hints(entry: FeedEntry, feed: Feed) -> dict[str, str]:
    """What the feed tells about an entry, for extraction to use when the page lacks it."""
    updated = entry.updated if entry.updated != entry.published else None  # feedparser copies one into the other
    hints = {"url": entry.link, "title": entry.title, "published": entry.published, "updated": updated,
             "author": entry.author, "outlet": feed.title, "feed_url": feed.origin, "feed_entry_id": entry.key}
    return {k: v for k, v in hints.items() if v}


def has_full_content(entry: FeedEntry) -> bool:
    """True when the entry carries enough text to stand for the article (not a teaser)."""
    text = _clean(entry.content_html or "") or ""
    return len(text) >= FULL_CONTENT_MIN_CHARS


def page_document(result: FetchResult, origin: str, hints: dict[str, str]) -> RawDocument | Failure:
    """A fetched response as a raw document (HTML or plain text), or a Failure for other media types."""
    ct = result.content_type
    if ct in _HTML_TYPES or (not ct and result.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))):
        media_type = "text/html"
    elif ct == "text/plain":
        media_type = "text/plain"
    else:
        return Failure(origin=origin, reason=f"unsupported content type {ct or '(none)'!r} at {result.final_url}", stage="ingest")
    if not result.body.strip():
        return Failure(origin=origin, reason=f"empty response from {result.final_url}", stage="ingest")
    extra = {"url": result.final_url, "content_type": ct, "charset": result.charset,
             "http_last_modified": http_date_hint(result.headers.get("last-modified"))}
    merged = {**hints, **{k: v for k, v in extra.items() if v}}
    return RawDocument(id=content_id(result.body), origin=origin, data=result.body, media_type=media_type,
                       first_seen=result.fetched_at, first_seen_source="fetch", hints=merged)


def content_document(entry: FeedEntry, feed: Feed, fetch_error: str, seen: datetime) -> RawDocument:
    """The article made from the feed's own full content (used when the page cannot be fetched)."""
    title = html.escape(entry.title or "")
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{entry.content_html}</article></body></html>").encode("utf-8")
    hints = {**entry_hints(entry, feed), "content_from": "feed", "fetch_error": fetch_error}
    return RawDocument(id=content_id(page), origin=entry.link or f"{feed.origin}#entry={entry.index}", data=page,
                       media_type="text/html", first_seen=seen, first_seen_source="fetch", hints=hints)


def entry_document(entry: FeedEntry, feed: Feed, fetcher: Fetcher, robots: bool = True,
                   known: Known | None = None) -> RawDocument | Failure:
    """Fetch an entry's article page (unless already stored); fall back to the feed's full content when the fetch fails."""
    where = f"{feed.origin}#entry={entry.index}"
    if entry.link and known is not None:
        stored = known(entry.link)
        if stored is not None:
            return stored
    if not entry.link:
        if has_full_content(entry):
            return content_document(entry, feed, "entry has no link", utcnow())
        return Failure(origin=where, reason=f"feed entry {entry.index} ({entry.title or entry.key!r}) has no link and no full content", stage="ingest")
    try:
        result = fetcher.get(entry.link, robots=robots, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        doc = page_document(result, entry.link, entry_hints(entry, feed))
        if isinstance(doc, RawDocument):
            return doc
        reason = doc.reason
    except FetchError as e:
        reason = str(e)
    if has_full_content(entry):
        return content_document(entry, feed, reason, utcnow())
    return Failure(origin=entry.link, reason=f"feed entry {entry.index} of {feed.origin}: {reason}", stage="ingest")


def iter_feed(feed: Feed, fetcher: Fetcher, robots: bool = True, skip: Callable[[FeedEntry], bool] | None = None,
              known: Known | None = None) -> Iterator[tuple[FeedEntry, RawDocument | Failure]]:
    """Each entry (except skipped ones) with its document or failure."""
    for entry in feed.entries:
        if skip is not None and skip(entry):
            continue
        yield entry, entry_document(entry, feed, fetcher, robots, known)


def iter_feed_bytes(data: bytes, origin: str, fetcher: Fetcher, base_url: str | None = None,
                    robots: bool = True, known: Known | None = None, charset: str | None = None) -> Iterator[RawDocument | Failure]:
    """Documents for every entry of a feed given as bytes; a broken feed is one Failure."""
    try:
        feed = parse_feed(data, origin, base_url, charset)
    except FeedError as e:
        yield Failure(origin=origin, reason=str(e), stage="ingest", data=data, id=content_id(data))
        return
    if not feed.entries:
        yield Failure(origin=origin, reason="feed has no entries", stage="ingest")
        return
    for _entry, doc in iter_feed(feed, fetcher, robots, known=known):
        yield doc


def is_feed_file(p: Path) -> bool:
    """A local file named like a feed whose content is one."""
    if not p.name.lower().endswith(FEED_SUFFIXES):
        return False
    try:
        with p.open("rb") as fh:
            return looks_like_feed(fh.read(8192))
    except OSError:
        return False


def iter_feed_file(p: Path, fetcher: Fetcher, known: Known | None = None) -> Iterator[RawDocument | Failure]:
    """Documents for every entry of a local feed file (article pages are fetched)."""
    try:
        data = p.read_bytes()
    except OSError as e:
        yield Failure(origin=str(p), reason=f"cannot read file: {e.strerror or e}", stage="ingest")
        return
    yield from iter_feed_bytes(data, str(p), fetcher, known=known)
