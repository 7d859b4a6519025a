"""WARC / WARC.gz archives (FastWARC): each HTML response record becomes a raw document whose
first-seen time is the record's WARC-Date.

Records that are not pages (requests, metadata, non-2xx answers, non-HTML media) are skipped
silently; records that should be pages but cannot be read (no HTTP response inside, payload
digest mismatch, broken content encoding, undecodable text, oversized) become Failures naming the
archive, the record id and its byte offset. Corrupt bytes between records are reported once and
reading resumes at the next record that starts cleanly, so one bad record never hides the rest.
"""
from __future__ import annotations

import zlib
from pathlib import Path
from typing import IO, Iterator

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from ..records import Failure, RawDocument, content_id

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
MAX_RECORD_BYTES = 32 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_RESUME_SCAN = 1 << 20
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _looks_binary(body: bytes) -> bool:
    """textio.looks_binary's rule (NULs, or more than 1% control bytes) at C speed via bytes.translate."""
    sample = body[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs
        return False
    if b"\0" in sample:
        return True
    ctrl = len(sample) - len(sample.translate(None, _CONTROL))
    return ctrl > max(2, len(sample) // 100)


def is_warc_name(name: str) -> bool:
    """True for file names of web archives."""
    return name.lower().endswith((".warc", ".warc.gz"))


def iter_warc(path: str | Path, verify: bool = True) -> Iterator[RawDocument | Failure]:
    """Raw documents (HTML responses) and failures from one WARC file, in archive order."""
    origin = str(path)
    try:
        fh = open(path, "rb")
    except OSError as e:
        yield Failure(origin=origin, reason=f"cannot read file: {e.strerror or e}", stage="ingest")
        return
    with fh:
        gz = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        seen = 0
        for item in _records(fh, origin, gz):
            seen += 1
            if isinstance(item, Failure):
                yield item
                continue
            doc = record_document(item, origin, verify)
            if doc is not None:
                yield doc
        if seen == 0:
            yield Failure(origin=origin, reason="not a WARC file (no records found)", stage="ingest")


def _records(fh: IO[bytes], origin: str, gz: bool) -> Iterator[WarcRecord | Failure]:
    """Every record; on corrupt bytes, one Failure per bad stretch, then resume at the next clean record."""
    offset = 0
    broken_at: int | None = None   # start of a bad stretch not yet reported
    broken_reason = ""
    while True:
        fh.seek(offset)
        last = None
        try:
            # every record type, so the byte position of the last good record is always known
            for rec in ArchiveIterator(fh, parse_http=True, record_types=WarcRecordType.any_type, max_content_length=None):
                if broken_at is not None:
                    yield Failure(origin=f"{origin}#offset={broken_at}", stage="ingest",
                                  reason=f"malformed WARC data in {origin} between bytes {broken_at} and {rec.stream_pos} skipped: {broken_reason}")
                    broken_at = None
                last = rec.stream_pos
                yield rec
            if broken_at is not None:
                yield Failure(origin=f"{origin}#offset={broken_at}", stage="ingest",
                              reason=f"malformed WARC data from byte {broken_at} to the end of {origin}: {broken_reason}")
            return
        except OSError as e:
            bad = offset if last is None else last + 1  # the bad stretch begins somewhere after the last good record
            if broken_at is None:
                broken_at, broken_reason = bad, str(e) or type(e).__name__
            nxt = _next_record_start(fh, bad + (0 if last is not None else 1), gz)
            if nxt is None:
                yield Failure(origin=f"{origin}#offset={broken_at}", stage="ingest",
                              reason=f"malformed WARC data from byte {broken_at} to the end of {origin}: {broken_reason}")
                return
            offset = nxt


def _next_record_start(fh: IO[bytes], start: int, gz: bool) -> int | None:
    """Byte offset of the next record that begins cleanly at or after `start`, or None."""
    pos = start
    while True:
        fh.seek(pos)
        chunk = fh.read(_RESUME_SCAN)
        if not chunk:
            return None
        marker = b"\x1f\x8b\x08" if gz else b"WARC/1."
        i = chunk.find(marker)
        while i != -1:
            at = pos + i
            if not gz:
                if at == 0 or chunk[i - 1:i] == b"\n":
                    return at
            else:
                fh.seek(at)
                try:
                    head = zlib.decompressobj(31).decompress(fh.read(4096), 16)
                except zlib.error:
                    head = b""
                if head.startswith(b"WARC/"):
                    return at
            i = chunk.find(marker, i + 1)
        if len(chunk) < _RESUME_SCAN:
            return None
        pos += len(chunk) - len(marker)  # overlap so a marker across chunk ends is found


def record_document(rec: WarcRecord, archive: str, verify: bool = True) -> RawDocument | Failure | None:
    """One response record as an HTML raw document; None for records that are not pages."""
    if rec.record_type != WarcRecordType.response:
        return None
    rid = (rec.record_id or "").strip("<>") or f"offset={rec.stream_pos}"
    uri = rec.headers.get("WARC-Target-URI", "") or ""
    origin = f"{archive}#{rid}"
    where = f"record {rid} ({uri or 'no target URI'}) at byte {rec.stream_pos}"
    http = rec.http_headers
    status = getattr(http, "status_code", None) if http is not None else None
    if not isinstance(status, int) or status < 100:
        return Failure(origin=origin, reason=f"malformed WARC record: {where} holds no readable HTTP response", stage="ingest")
    if not 200 <= status < 300:
        return None  # redirects and errors captured by the crawler are not articles
    ctype = (rec.http_content_type or "").lower()
    if rec.content_length > MAX_RECORD_BYTES:
        return Failure(origin=origin, reason=f"WARC {where} too big: {rec.content_length} bytes", stage="ingest")
    if verify and rec.headers.get("WARC-Payload-Digest") and not rec.verify_payload_digest():
        return Failure(origin=origin, reason=f"malformed WARC record: {where} fails its payload digest (truncated or corrupted)", stage="ingest")
    body = rec.reader.read()
    if ctype and not ctype.startswith(_HTML_TYPES):
        return None
    if not ctype and not body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        return None
    encoding = (http.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate") and body[:2] in (b"\x1f\x8b", b"\x78\x01", b"\x78\x9c", b"\x78\xda"):
        try:
            d = zlib.decompressobj(47)
            body = d.decompress(body, MAX_RECORD_BYTES + 1)
        except zlib.error as e:
            return Failure(origin=origin, reason=f"WARC {where}: broken {encoding} body: {e}", stage="ingest")
        if len(body) > MAX_RECORD_BYTES:
            return Failure(origin=origin, reason=f"WARC {where}: body too big after decompression", stage="ingest")
    if not body.strip():
        return Failure(origin=origin, reason=f"WARC {where}: empty page", stage="ingest")
    if _looks_binary(body):
        return Failure(origin=origin, reason=f"WARC {where}: binary content, not an HTML page", stage="ingest", data=body, id=content_id(body))
    # Character-set trouble is left to extraction (it decodes anyway and quarantines what it cannot read);
    # decoding here too would double the cost per record.
    hints = {"url": uri, "warc_record_id": rid, "warc_date": rec.record_date.isoformat() if rec.record_date else None,
             "http_last_modified": rec.http_last_modified.isoformat() if getattr(rec, "http_last_modified", None) else None,
             "content_type": ctype.split(";")[0].strip() or None, "charset": (rec.http_charset or "").lower() or None}
    first_seen = rec.record_date
    if first_seen is None:
        return Failure(origin=origin, reason=f"malformed WARC record: {where} has no valid WARC-Date", stage="ingest")
    return RawDocument(id=content_id(body), origin=origin, data=body, media_type="text/html", first_seen=first_seen,
                       first_seen_source="warc-date", hints={k: v for k, v in hints.items() if v})
