"""http(s) inputs: an article page becomes one raw document; a feed URL becomes its entries' pages."""
from __future__ import annotations

from typing import Iterator

from ..records import Failure, RawDocument
from .feeds import iter_feed_bytes, looks_like_feed, page_document
from .fetch import FetchError, Fetcher


def is_url(spec: str) -> bool:
    """True for inputs meant as web addresses (http:// or https://)."""
    return spec.lower().startswith(("http://", "https://"))


def iter_url(url: str, fetcher: Fetcher) -> Iterator[RawDocument | Failure]:
    """Fetch one URL named by the user; feeds (sniffed from media type or root element) expand to their entries.

    robots.txt is not consulted for the URL the user names (like a browser), but it is for the
    entries of a feed, which are fetched on the user's behalf without being named.
    """
    try:
        result = fetcher.get(url)
    except FetchError as e:
        yield Failure(origin=url, reason=str(e), stage="ingest")
        return
    if looks_like_feed(result.body, result.content_type):
        yield from iter_feed_bytes(result.body, url, fetcher, base_url=result.final_url, robots=True)
        return
    yield page_document(result, url, {})
