"""The single-machine flow: ingest → extract → enrich → link → store, in batches."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .enrich import enrich_articles
from .extract import ExtractOptions, extract_document
from .link import update_links
from .records import Article, Failure, RawDocument, content_id
from .store import Store, claims
from .textio import UnreadableInput

# Articles extracted before one enrich-and-store transaction ($NEWSTRACE_BATCH_SIZE): larger batches feed spaCy better,
# smaller ones commit sooner.
BATCH_SIZE = max(1, int(os.environ.get("NEWSTRACE_BATCH_SIZE") or 64))


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)        # new article ids
    unchanged: list[str] = field(default_factory=list)    # origins whose bytes were already stored
    failed: list[Failure] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)         # origins another live run is processing right now
    resumed: int = 0                                      # bytes an interrupted run had stored without their article
    stages: dict[str, list[float]] = field(default_factory=dict)  # stage -> [items, seconds] (extract, enrich, link)

    def timed(self, stage: str, items: int, seconds: float) -> None:
        done = self.stages.setdefault(stage, [0, 0.0])
        done[0] += items
        done[1] += seconds

    def stage_lines(self) -> list[str]:
        """One line per stage run: what it did, how long it took, at what rate."""
        what = {"extract": "input(s) read and extracted", "enrich": "article(s) enriched", "link": "article(s) linked"}
        return [f"{stage}: {int(n)} {what[stage]} in {secs:.1f} s" + (f" ({n / secs:.1f}/s)" if secs > 0 and n else "")
                for stage, (n, secs) in self.stages.items()]

    def exit_code(self) -> int:
        """The documented exit status of a run (README, "What happens to bad input"): 0 every input stored (now or
        before), 1 nothing usable (every input quarantined, or none given), 3 some stored and some quarantined."""
        usable = len(self.added) + len(self.unchanged) + len(self.busy)
        if not self.failed:
            return 0 if usable else 1
        return 3 if usable else 1

    def summary(self) -> str:
        text = f"{len(self.added)} new article(s), {len(self.unchanged)} already stored (no change), {len(self.failed)} quarantined"
        if self.resumed:
            text += f", {self.resumed} resumed from an interrupted run"
        if self.busy:
            text += f", {len(self.busy)} being stored by another run"
        return text


def extract_or_fail(raw: RawDocument, options: ExtractOptions | None = None) -> Article | Failure:
    """Extraction that turns any error into a Failure naming the input and the reason."""
    try:
        return extract_document(raw, options)
    except (UnreadableInput, ValueError) as e:
        return Failure(origin=raw.origin, reason=str(e), stage="extract", data=raw.data, id=raw.id)
    except Exception as e:  # a bug or a pathological page must not stop the batch
        return Failure(origin=raw.origin, reason=f"extraction error: {type(e).__name__}: {e}", stage="extract", data=raw.data, id=raw.id)


def ingest(items: Iterable[RawDocument | Failure], store: Store, options: ExtractOptions | None = None,
           on_item: Callable[[RawDocument | Failure, str], None] | None = None, link: bool = True,
           on_stage: Callable[[str, int], None] | None = None) -> IngestReport:
    """Store every new document and its article; record failures; then update links and stories. `on_stage(stage, n)`
    hears when a stage (extract, enrich, link) starts on n items."""
    with claims.run() as run:
        return _ingest(items, store, options, on_item, link, run, on_stage or (lambda stage, n: None))


def _ingest(items: Iterable[RawDocument | Failure], store: Store, options: ExtractOptions | None,
            on_item: Callable[[RawDocument | Failure, str], None] | None, link: bool, run: str,
            on_stage: Callable[[str, int], None]) -> IngestReport:
    report = IngestReport()
    pending: list[Article] = []
    clock = [time.monotonic()]  # start of the extract time not yet counted

    def flush() -> None:
        if not pending:
            return
        now = time.monotonic()
        report.timed("extract", 0, now - clock[0])
        on_stage("enrich", len(pending))
        enrichments = enrich_articles(pending)
        with store.transaction():
            for article, enrichment in zip(pending, enrichments):
                # idempotent insert: a taken-over claim whose first owner still finished adds nothing twice
                if store.add_article(article, enrichment):
                    report.added.append(article.id)
                store.finish_raw(article.id)  # same transaction: the article and "done" land together
        report.timed("enrich", len(pending), time.monotonic() - now)
        pending.clear()
        clock[0] = time.monotonic()
        on_stage("extract", 0)

    on_stage("extract", 0)
    for item in items:
        report.timed("extract", 1, 0.0)
        if isinstance(item, Failure):
            store.add_failure(item)
            report.failed.append(item)
            status = "failed"
            if on_item:
                on_item(item, status)
            continue
        state = store.claim_raw(item, run)  # keeps the bytes and claims them in one atomic step: one writer wins
        # (the article look-up is by primary key; the quarantine is searched only for bytes that made no article)
        before = store.failure_of(item.id) if state == "done" and not store.has_article(item.id) else None
        if before is not None:  # quarantined by an earlier run: still no article, so it still counts as quarantined
            item = Failure(origin=item.origin, reason=before, stage="extract", id=item.id)
            report.failed.append(item)
            status = "failed"
        elif state in ("done", "mine"):
            report.unchanged.append(item.origin)
            status = "unchanged"
        elif state == "busy":
            report.busy.append(item.origin)
            status = "busy"
        else:  # the bytes are kept even when extraction fails
            report.resumed += state == "taken"
            result = extract_or_fail(item, options)
            if isinstance(result, Failure):
                with store.transaction():
                    store.add_failure(result)
                    store.finish_raw(item.id)
                report.failed.append(result)
                status = "failed"
                item = result  # the progress callback names the failure and its reason
            else:
                pending.append(result)
                status = "added"
        if on_item:
            on_item(item, status)
        if len(pending) >= BATCH_SIZE:   # after on_item: a progress bar counts the article read before its batch is enriched
            flush()
    item = None  # the last raw document (its bytes are stored) need not stay in memory while linking
    if not pending:  # else flush counts it
        report.timed("extract", 0, time.monotonic() - clock[0])
    flush()
    if link:
        with store.link_lock():  # concurrent ingest processes link one at a time so stories stay consistent
            todo = unlinked(store, run)
            if todo:
                on_stage("link", len(todo))
                start = time.monotonic()
                update_links(store, todo)
                report.timed("link", len(todo), time.monotonic() - start)
    return report


def unlinked(store: Store, run: str | None = None) -> list[str]:
    """Articles for this run to link, oldest ingest first: not yet in a story, and stored by this run or by
    a run that is gone (killed before its link stage); another live run links its own."""
    rows = store.execute("SELECT a.id, r.claimed_by, r.claimed_at FROM articles a JOIN raw_documents r ON r.id=a.id "
                         "WHERE a.story_id IS NULL ORDER BY a.seq").fetchall()
    me, alive = store.claim_owner() + (f"#{run}" if run else ""), {}
    out = []
    for aid, owner, at in rows:
        if owner is not None and owner != me and owner not in alive:
            alive[owner] = store.claim_alive(owner)
        if owner == me or claims.stale(owner, at, alive.get(owner)):
            out.append(aid)
    return out


def raw_from_text(text: str, origin: str, media_type: str = "text/plain") -> RawDocument:
    """A raw document made from pasted text (for `check` and the web UI)."""
    from .records import utcnow
    data = text.encode("utf-8")
    return RawDocument(id=content_id(data), origin=origin, data=data, media_type=media_type, first_seen=utcnow(), first_seen_source="ingest-time")
