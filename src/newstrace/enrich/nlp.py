"""Entities, places, quantities, quotes and events for a batch of articles, from one spaCy parse each.

The article is parsed once as "title\\n\\ntext" (titles carry names too); each concern lives in its
own module and reads the same Doc. Docs are streamed from `nlp.pipe` and dropped once read (they are large).
"""
from __future__ import annotations

import logging
from typing import Iterator

from ..records import Article, Claim, Enrichment, Mention
from . import entities, events, models, quantities, quotes, workers

log = logging.getLogger(__name__)


def compose(article: Article) -> tuple[str, int]:
    """The text parsed for an article and the offset of Article.text inside it."""
    title = (article.title or "").strip()
    if title and not article.text.startswith(title):
        return f"{title}\n\n{article.text}", len(title) + 2
    return article.text, 0


def annotate(articles: list[Article], out: list[Enrichment]) -> None:
    """Fill mentions and claims of each enrichment (one failing article never stops the batch).

    Big batches run on worker processes (enrich/workers.py), small ones here.
    """
    composed = [compose(a) for a in articles]
    n = workers.pool_size(len(articles))
    results = workers.annotate_parallel(composed, n) if n > 1 else None
    if results is None:
        results = list(_annotate_here(composed))
    for article, enrichment, res in zip(articles, out, results):
        if isinstance(res, str):
            log.warning("enrich: %s (%s): annotation failed: %s", article.origin, article.id, res)
        elif res is not None:
            enrichment.mentions.extend(res[0])
            enrichment.claims.extend(res[1])


def _annotate_here(composed: list[tuple[str, int]]) -> Iterator[tuple[list[Mention], list[Claim]] | str]:
    from threadpoolctl import threadpool_limits

    # One BLAS thread: the model's products are small, and a second thread mostly spins (measured:
    # +20% CPU per article for no gain in wall time on 2 cores).
    with threadpool_limits(1, user_api="blas"):
        for doc, (_, shift) in zip(models.parse_iter([t for t, _ in composed], n_process=1), composed):
            try:
                yield extract_all(doc, shift)
            except Exception as exc:  # noqa: BLE001 - one odd text must not stop the batch
                yield f"{type(exc).__name__}: {exc}"


def extract_all(doc, shift: int) -> tuple[list[Mention], list[Claim]]:  # type: ignore[no-untyped-def]
    """Mentions, then claims that refer back to them (quote speakers, event actors), of one parsed article."""
    mentions = entities.extract(doc, shift)
    claims: list[Claim] = []
    claims.extend(quotes.extract(doc, mentions, shift))
    claims.extend(quantities.extract(doc, mentions, shift))
    claims.extend(events.extract(doc, mentions, shift))
    return mentions, claims


def annotate_doc(doc, shift: int, enrichment: Enrichment) -> None:  # type: ignore[no-untyped-def]
    """Fill one enrichment's mentions and claims from its parsed article."""
    mentions, claims = extract_all(doc, shift)
    enrichment.mentions.extend(mentions)
    enrichment.claims.extend(claims)


__all__ = ["annotate", "annotate_doc", "compose", "extract_all"]
