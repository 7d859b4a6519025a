"""The single-machine flow: ingest → extract → enrich → link → store, in batches."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .enrich import enrich_articles
from .extract import ExtractOptions, extract_document
from .link import update_links
from .records import Article, Failure, RawDocument, content_id
from .store import Store
from .textio import UnreadableInput

BATCH_SIZE = 64


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)        # new article ids
    unchanged: list[str] = field(default_factory=list)    # origins whose bytes were already stored
    failed: list[Failure] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.added)} new article(s), {len(self.unchanged)} already stored (no change), {len(self.failed)} quarantined"


def extract_or_fail(raw: RawDocument, options: ExtractOptions | None = None) -> Article | Failure:
    """Extraction that turns any error into a Failure naming the input and the reason."""
    try:
        return extract_document(raw, options)
    except (UnreadableInput, ValueError) as e:
        return Failure(origin=raw.origin, reason=str(e), stage="extract", data=raw.data, id=raw.id)
    except Exception as e:  # a bug or a pathological page must not stop the batch
        return Failure(origin=raw.origin, reason=f"extraction error: {type(e).__name__}: {e}", stage="extract", data=raw.data, id=raw.id)


def ingest(items: Iterable[RawDocument | Failure], store: Store, options: ExtractOptions | None = None,
           on_item: Callable[[RawDocument | Failure, str], None] | None = None, link: bool = True) -> IngestReport:
    """Store every new document and its article; record failures; then update links and stories."""
    report = IngestReport()
    pending: list[Article] = []

    def flush() -> None:
        if not pending:
            return
        enrichments = enrich_articles(pending)
        with store.transaction():
            for article, enrichment in zip(pending, enrichments):
                if store.add_article(article, enrichment):
                    report.added.append(article.id)
        pending.clear()

    for item in items:
        if isinstance(item, Failure):
            store.add_failure(item)
            report.failed.append(item)
            status = "failed"
        elif store.has_raw(item.id) or not store.add_raw(item):  # add_raw is the claim: one writer wins
            report.unchanged.append(item.origin)
            status = "unchanged"
        else:  # the bytes are kept even when extraction fails
            result = extract_or_fail(item, options)
            if isinstance(result, Failure):
                store.add_failure(result)
                report.failed.append(result)
                status = "failed"
            else:
                pending.append(result)
                status = "added"
                if len(pending) >= BATCH_SIZE:
                    flush()
        if on_item:
            on_item(item, status)
    flush()
    if link and report.added:
        with store.link_lock():  # concurrent ingest processes link one at a time so stories stay consistent
            update_links(store, report.added)
    return report


def raw_from_text(text: str, origin: str, media_type: str = "text/plain") -> RawDocument:
    """A raw document made from pasted text (for `check` and the web UI)."""
    from .records import utcnow
    data = text.encode("utf-8")
    return RawDocument(id=content_id(data), origin=origin, data=data, media_type=media_type, first_seen=utcnow(), first_seen_source="ingest-time")
