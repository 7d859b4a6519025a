"""Entities, places, quantities, quotes and events for a batch of articles, from one parse each.

The article is parsed once as "title\\n\\ntext" (titles carry names too) by the model of its language
(enrich/annotate.py); each concern lives in its own module and reads the same Doc. Docs are streamed
from `nlp.pipe` and dropped once read (they are large).
"""
from __future__ import annotations

import logging
from typing import Iterator

from ..records import Article, Enrichment
from . import workers
from .annotate import Item, Result, annotate_all, extract_all
from .entities import name_key

log = logging.getLogger(__name__)


def compose(article: Article) -> tuple[str, int]:
    """The text parsed for an article and the offset of Article.text inside it."""
    title = (article.title or "").strip()
    if title and not article.text.startswith(title):
        return f"{title}\n\n{article.text}", len(title) + 2
    return article.text, 0


def annotate(articles: list[Article], out: list[Enrichment], embed_texts: list[str] | None = None) -> list[list[float]] | None:
    """Fill mentions and claims of each enrichment (one failing article never stops the batch); return the
    embeddings of `embed_texts` when the workers computed them beside (None: the caller computes them).

    Big batches run on worker processes (enrich/workers.py), small ones here.
    """
    composed: list[Item] = [(*compose(a), a.language) for a in articles]
    n = workers.pool_size(len(articles))
    done = workers.annotate_parallel(composed, n, embed_texts) if n > 1 else None
    results, vectors = done if done is not None else (None, None)
    if results is None:
        results = list(_annotate_here(composed))
    for article, enrichment, res in zip(articles, out, results):
        if isinstance(res, str):
            log.warning("enrich: %s (%s): annotation failed: %s", article.origin, article.id, res)
        elif res is not None:
            for m in res[0]:
                if not m.key:
                    m.key = name_key(m.canonical)
            enrichment.mentions.extend(res[0])
            enrichment.claims.extend(res[1])
    return vectors


def _annotate_here(composed: list[Item]) -> Iterator[Result | str]:
    from threadpoolctl import threadpool_limits

    # One BLAS thread: the model's products are small, and a second thread mostly spins (measured:
    # +20% CPU per article for no gain in wall time on 2 cores).
    with threadpool_limits(1, user_api="blas"):
        yield from annotate_all(composed)


def annotate_doc(doc, shift: int, enrichment: Enrichment) -> None:  # type: ignore[no-untyped-def]
    """Fill one enrichment's mentions and claims from its parsed English article."""
    mentions, claims = extract_all(doc, shift)
    enrichment.mentions.extend(mentions)
    enrichment.claims.extend(claims)


__all__ = ["annotate", "annotate_doc", "compose", "extract_all"]
