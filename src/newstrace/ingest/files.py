"""Local inputs: files, folders (recursive), gzip, JSONL article records."""
from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterator

from ..records import Failure, RawDocument, content_id, utcnow
from ..textio import UnreadableInput, decode_text
from .feeds import FEED_SUFFIXES, is_feed_file, iter_feed_file
from .urls import is_url, iter_url
from .warc import is_warc_name, iter_warc

if TYPE_CHECKING:
    from .feeds import Known
    from .fetch import Fetcher

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".warc", ".warc.gz", ".rss", ".atom", ".xml")
JSONL_MEDIA_TYPE = "application/x-article+json"


def media_type_for(name: str) -> str | None:
    """Media type from a file name (after removing .gz), None when unsupported."""
    n = name.lower()
    if n.endswith(".gz"):
        n = n[:-3]
    if n.endswith((".html", ".htm", ".xhtml")):
        return "text/html"
    if n.endswith((".txt", ".text", ".md")):
        return "text/plain"
    if n.endswith((".jsonl", ".ndjson")):
        return JSONL_MEDIA_TYPE
    return None


def iter_inputs(specs: list[str], allow_private: bool = False, fetcher: "Fetcher | None" = None,
                stdin: BinaryIO | None = None, known: "Known | None" = None) -> Iterator[RawDocument | Failure]:
    """Raw documents and failures for every input named: files, folders, http(s) URLs (pages or feeds),
    feed files, WARC archives, and `-` for JSONL on standard input. `known` (urls.stored_lookup(store))
    returns pages already stored under a URL so that they are not fetched again."""
    from .fetch import FetchPolicy, Fetcher
    own = None
    try:
        for spec in specs:
            if spec == "-":
                any_line = False
                for item in iter_jsonl_stream(stdin or sys.stdin.buffer, "<stdin>", utcnow(), "ingest-time"):
                    any_line = True
                    yield item
                if not any_line:
                    yield Failure(origin="<stdin>", reason="standard input is empty", stage="ingest")
                continue
            if fetcher is None:  # one fetcher for the whole run, so politeness delays span inputs
                fetcher = own = Fetcher(FetchPolicy(allow_private=allow_private))
            if is_url(spec):
                yield from iter_url(spec, fetcher, known)
            else:
                yield from iter_path(spec, fetcher, known)
    finally:
        if own is not None:
            own.close()


def iter_path(spec: str, fetcher: "Fetcher | None" = None, known: "Known | None" = None) -> Iterator[RawDocument | Failure]:
    """Every document under one path; unreadable ones come out as Failure, never as exceptions."""
    p = Path(spec)
    if not p.exists():
        yield Failure(origin=spec, reason="no such file or folder", stage="ingest")
        return
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts))
        for f in files:
            # .xml files in a folder count only when they are feeds (sitemaps and the like are skipped)
            if media_type_for(f.name) is not None or is_warc_name(f.name) or is_feed_file(f):
                yield from _route_file(f, fetcher, known)
        return
    yield from _route_file(p, fetcher, known)


def _route_file(p: Path, fetcher: "Fetcher | None", known: "Known | None" = None) -> Iterator[RawDocument | Failure]:
    """WARC archives and feed files go to their readers; everything else is an article file."""
    if is_warc_name(p.name):
        yield from iter_warc(p)
    elif p.name.lower().endswith(FEED_SUFFIXES):
        if not is_feed_file(p):
            yield Failure(origin=str(p), reason="not an RSS/Atom feed (no rss, feed or RDF root element)", stage="ingest")
        elif fetcher is not None:
            yield from iter_feed_file(p, fetcher, known)
        else:
            from .fetch import Fetcher
            with Fetcher() as own:
                yield from iter_feed_file(p, own, known)
    else:
        yield from _iter_file(p)


def _mtime(p: Path) -> datetime:
    return datetime.fromtimestamp(p.stat().st_mtime, tz=timezone.utc)


def _iter_file(p: Path) -> Iterator[RawDocument | Failure]:
    origin = str(p)
    mt = media_type_for(p.name)
    if mt is None:
        mt = _sniff(p)
        if mt is None:
            yield Failure(origin=origin, reason=f"unsupported file type {p.suffix or '(no suffix)'!r}", stage="ingest")
            return
    try:
        data = p.read_bytes()
    except OSError as e:
        yield Failure(origin=origin, reason=f"cannot read file: {e.strerror or e}", stage="ingest")
        return
    if p.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            yield Failure(origin=origin, reason=f"broken gzip: {e}", stage="ingest", data=data, id=content_id(data))
            return
    seen = _mtime(p)
    if mt == JSONL_MEDIA_TYPE:
        yield from iter_jsonl(data, origin, seen)
        return
    try:
        decode_text(data, html=(mt == "text/html"))
    except UnreadableInput as e:
        yield Failure(origin=origin, reason=str(e), stage="ingest", data=data, id=content_id(data))
        return
    yield RawDocument(id=content_id(data), origin=origin, data=data, media_type=mt, first_seen=seen, first_seen_source="file-mtime")


def _sniff(p: Path) -> str | None:
    """Guess html/text for files without a known suffix from their first bytes."""
    try:
        head = p.open("rb").read(512).lstrip().lower()
    except OSError:
        return None
    if head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return None


def iter_jsonl(data: bytes, origin: str, seen: datetime, seen_source: str = "file-mtime") -> Iterator[RawDocument | Failure]:
    """One raw document per JSONL line holding an article record (DESIGN.md's shape)."""
    try:
        text = decode_text(data)
    except UnreadableInput as e:
        yield Failure(origin=origin, reason=str(e), stage="ingest", data=data, id=content_id(data))
        return
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield jsonl_record(line, f"{origin}#line={n}", seen, seen_source)


def iter_jsonl_stream(stream: BinaryIO, origin: str, seen: datetime, seen_source: str = "ingest-time") -> Iterator[RawDocument | Failure]:
    """iter_jsonl for a stream read line by line (standard input), so big inputs are never held whole."""
    for n, raw_line in enumerate(stream, 1):
        if n == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
            raw_line = raw_line[3:]
        raw_line = raw_line.rstrip(b"\r\n")
        if not raw_line.strip():
            continue
        where = f"{origin}#line={n}"
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as e:
            yield Failure(origin=where, reason=f"bad encoding: not valid UTF-8 ({e.reason} at byte {e.start})", stage="ingest",
                          data=raw_line, id=content_id(raw_line))
            continue
        yield jsonl_record(line, where, seen, seen_source)


def jsonl_record(line: str, where: str, seen: datetime, seen_source: str) -> RawDocument | Failure:
    """One JSONL line as a raw article record, or a Failure saying what is wrong with it."""
    raw = line.encode("utf-8")
    try:
        rec = json.loads(line)
    except ValueError as e:
        return Failure(origin=where, reason=f"not JSON: {e.msg} at column {e.colno}", stage="ingest", data=raw, id=content_id(raw))
    if not isinstance(rec, dict):
        return Failure(origin=where, reason="JSON line is not an object", stage="ingest", data=raw, id=content_id(raw))
    # a headline-only record (wire flashes, corpora that keep the first sentence as the title) is still a report
    if not any(isinstance(rec.get(k), str) and rec[k].strip() for k in ("text", "html", "title")):
        return Failure(origin=where, reason="record has no 'text', 'html' or 'title'", stage="ingest", data=raw, id=content_id(raw))
    hints = {k: rec.get(k) for k in ("id", "url", "outlet", "title", "published", "author", "language") if rec.get(k) is not None}
    return RawDocument(id=content_id(raw), origin=where, data=raw, media_type=JSONL_MEDIA_TYPE,
                       first_seen=seen, first_seen_source=seen_source, hints=hints)
