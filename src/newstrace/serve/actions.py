"""Check and ingest for the REST API and web UI: untrusted uploads and pasted text turned into raw documents."""
from __future__ import annotations

import dataclasses
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..ingest.files import JSON_FILE_TYPE, JSONL_MEDIA_TYPE, iter_json_file, iter_jsonl, media_type_for
from ..records import Article, Failure, RawDocument, content_id, utcnow
from ..store import Store
from ..textio import UnreadableInput, decode_text

MAX_UPLOAD_BYTES = 5 * 1024 * 1024      # one article is kilobytes; a cap stops memory exhaustion by upload
MAX_RECORDS = 1000                      # articles per ingest request
RECORD_KEYS = ("id", "url", "outlet", "title", "published", "author", "language", "text", "html")

_ingest_lock = threading.Lock()         # one ingest at a time: link updates read what earlier batches wrote


@dataclass(frozen=True)
class CheckLimits:
    """Bounds on the server's checks; measured on 2 cores: 256 KB of text ≈ 7 s and +0.3 GB over the loaded models."""

    max_bytes: int = 256 * 1024     # text (or file) per check request; a long read is ~30 KB
    enrich_chars: int = 50_000      # each article's text enriched only up to here (memory grows ~4 MB per KB parsed)
    timeout: float = 60.0           # articles not started by then are reported "not checked"
    concurrency: int = 2            # checks running at once; more get 429 with Retry-After


class CheckGate:
    """At most `n` checks at once: a slot is taken without waiting, or refused."""

    def __init__(self, n: int):
        self._slots = threading.BoundedSemaphore(max(1, n))

    def enter(self) -> bool:
        """Take a slot if one is free."""
        return self._slots.acquire(blocking=False)

    def leave(self) -> None:
        """Give a slot back."""
        self._slots.release()


class InputError(ValueError):
    """Input refused, with the HTTP status that says why (400 bad, 413 too large, 415 wrong type)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def raw_from_upload(name: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> RawDocument | list[RawDocument | Failure]:
    """Raw document(s) from an uploaded file, type-checked by name and content; InputError when refused."""
    if len(data) > limit:
        raise InputError(413, f"{name}: file too large ({len(data)} bytes; the limit is {limit})")
    media_type = media_type_for(name or "")
    if media_type is None or (name or "").lower().endswith(".gz"):
        raise InputError(415, f"{name or 'upload'}: unsupported file type; send .txt, .html, .htm, .jsonl or .json")
    try:
        decode_text(data, html=(media_type == "text/html"))
    except UnreadableInput as e:
        raise InputError(415, f"{name}: {e}") from None
    origin = f"upload:{name}"
    if media_type == JSONL_MEDIA_TYPE:
        return list(iter_jsonl(data, origin, utcnow(), "ingest-time"))
    if media_type == JSON_FILE_TYPE:
        return list(iter_json_file(data, origin, utcnow(), "ingest-time"))
    return RawDocument(id=content_id(data), origin=origin, data=data, media_type=media_type, first_seen=utcnow(),
                       first_seen_source="ingest-time")


def raw_from_fields(fields: dict[str, Any], origin: str = "pasted text", limit: int = MAX_UPLOAD_BYTES) -> RawDocument:
    """A raw document from pasted text (or HTML) and optional title/outlet/date/url; InputError when empty or too large."""
    text = (fields.get("text") or "").strip()
    html = (fields.get("html") or "").strip()
    if not text and not html:
        raise InputError(400, "nothing to check: give the article text (or upload a file)")
    size = len(text.encode("utf-8", "surrogatepass")) + len(html.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise InputError(413, f"text too large ({size} bytes; the limit is {limit}): check one article at a time")
    meta = {k: str(fields[k]).strip() for k in RECORD_KEYS if k not in ("text", "html") and fields.get(k)}
    if not meta and not html:
        data = text.encode("utf-8")
        return RawDocument(id=content_id(data), origin=origin, data=data, media_type="text/plain", first_seen=utcnow(),
                           first_seen_source="ingest-time")
    # With metadata the pasted article is an article record, exactly like a JSONL line.
    rec = {**meta, **({"html": html} if html else {"text": text})}
    data = json.dumps(rec, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return RawDocument(id=content_id(data), origin=origin, data=data, media_type=JSONL_MEDIA_TYPE, first_seen=utcnow(),
                       first_seen_source="ingest-time", hints={k: v for k, v in meta.items()})


def enrichable(article: Article, max_chars: int) -> Article:
    """The article cut to its first `max_chars` characters (at a paragraph or space) for enrichment; offsets stay valid."""
    if len(article.text) <= max_chars:
        return article
    cut = article.text.rfind("\n", 0, max_chars)
    if cut < max_chars // 2:
        cut = article.text.rfind(" ", 0, max_chars)
    text = article.text[:cut if cut > 0 else max_chars].rstrip()
    kept, used = [], 0
    for para in article.paragraphs:
        if used + len(para) > len(text):
            break
        kept.append(para)
        used += len(para) + 2
    return dataclasses.replace(article, text=text, paragraphs=kept)


def check(store: Store, raws: list[RawDocument | Failure], limits: CheckLimits | None = None) -> list[dict[str, Any]]:
    """The `check` verdict of each document (as cli.py's check computes it), nothing stored; bounded by `limits`."""
    from ..enrich import enrich_articles
    from ..link import judge
    from ..pipeline import extract_or_fail
    limits = limits or CheckLimits()
    deadline = time.monotonic() + limits.timeout
    results = []
    for item in raws:
        if results and time.monotonic() > deadline:
            # Between articles is the only safe place to stop: a parse cannot be interrupted.
            results.append({"origin": item.origin, "error": f"not checked: the time limit of {limits.timeout:g} s was reached"})
            continue
        result = item if isinstance(item, Failure) else extract_or_fail(item)
        if isinstance(result, Failure):
            results.append({"origin": result.origin, "error": result.reason})
            continue
        # Copies are found on the whole text (cheap); only the costly parse is bounded.
        results.append(judge(store, result, enrich_articles([enrichable(result, limits.enrich_chars)])[0]))
    return results


def records_to_raws(records: list[Any]) -> list[RawDocument | Failure]:
    """Article records (the JSONL line shape) to raw documents, bad ones as failures naming the record."""
    if len(records) > MAX_RECORDS:
        raise InputError(413, f"too many articles in one request ({len(records)}; the limit is {MAX_RECORDS})")
    # ASCII escapes: a lone surrogate in a record (a cut emoji) stays encodable; ingest replaces it (textio.clean_text)
    data = "\n".join(json.dumps(r, ensure_ascii=True, sort_keys=True) for r in records).encode("utf-8")
    if len(data) > MAX_UPLOAD_BYTES * 4:
        raise InputError(413, f"request too large ({len(data)} bytes)")
    if not records:
        return []
    return list(iter_jsonl(data, "api:ingest", utcnow(), "ingest-time"))


def ingest(store: Store, items: list[RawDocument | Failure]) -> dict[str, Any]:
    """Store new documents through the normal pipeline; the same report the CLI prints, as JSON."""
    from ..pipeline import ingest as run_ingest
    with _ingest_lock:
        report = run_ingest(items, store)
    return {"added": report.added, "unchanged": report.unchanged,
            "failed": [{"origin": f.origin, "reason": f.reason} for f in report.failed], "summary": report.summary()}
