"""http(s) inputs: an article page becomes one raw document; a feed URL becomes its entries' pages."""
from __future__ import annotations

from typing import Any, Callable, Iterator

from ..records import Failure, RawDocument
from .feeds import Known, iter_feed_bytes, looks_like_feed, page_document
from .fetch import FetchError, Fetcher


def is_url(spec: str) -> bool:
    """True for inputs meant as web addresses (http:// or https://)."""
    return spec.lower().startswith(("http://", "https://"))


def stored_lookup(store: Any) -> Known | None:
    """A lookup of the raw document already stored under an origin (URL), so stored pages are not fetched again.

    Live pages change a little on every fetch (ads, timestamps, tokens); without this, ingesting the
    same URL twice would store a second version and make a duplicate article.
    """
    if not hasattr(store, "execute"):
        return None

    def known(origin: str) -> RawDocument | None:
        row = store.execute("SELECT id FROM raw_documents WHERE origin=? ORDER BY ingested_at LIMIT 1", (origin,)).fetchone()
        return store.get_raw(row[0]) if row is not None else None
    return known


def iter_url(url: str, fetcher: Fetcher, known: Known | None = None) -> Iterator[RawDocument | Failure]:
    """Fetch one URL named by the user; feeds (sniffed from media type or root element) expand to their entries.

    robots.txt is not consulted for the URL the user names (like a browser), but it is for the
    entries of a feed, which are fetched on the user's behalf without being named. A URL whose page
    is already stored (see stored_lookup) yields the stored document without a fetch; feeds are
    always fetched, since their entries change.
    """
    stored = known(url) if known is not None else None
    if stored is not None and stored.media_type != "application/x-article+json":
        yield stored
        return
    try:
        result = fetcher.get(url)
    except FetchError as e:
        yield Failure(origin=url, reason=str(e), stage="ingest")
        return
    if looks_like_feed(result.body, result.content_type):
        yield from iter_feed_bytes(result.body, url, fetcher, base_url=result.final_url, robots=True, known=known,
                                   charset=result.charset)
        return
    yield page_document(result, url, {})
