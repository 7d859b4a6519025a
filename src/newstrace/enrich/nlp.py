"""Entities, places, quantities, quotes and events for a batch of articles, from one spaCy parse each.

The article is parsed once as "title\\n\\ntext" (titles carry names too); each concern lives in its
own module and reads the same Doc. Docs are streamed from `nlp.pipe` and dropped once read (they are large).
"""
from __future__ import annotations

import logging

from ..records import Article, Enrichment
from . import entities, events, models, quantities, quotes

log = logging.getLogger(__name__)


def compose(article: Article) -> tuple[str, int]:
    """The text parsed for an article and the offset of Article.text inside it."""
    title = (article.title or "").strip()
    if title and not article.text.startswith(title):
        return f"{title}\n\n{article.text}", len(title) + 2
    return article.text, 0


def annotate(articles: list[Article], out: list[Enrichment]) -> None:
    """Fill mentions and claims of each enrichment (one failing article never stops the batch)."""
    composed = [compose(a) for a in articles]
    docs = models.parse_iter([t for t, _ in composed])
    for article, enrichment, doc, (_, shift) in zip(articles, out, docs, composed):
        try:
            annotate_doc(doc, shift, enrichment)
        except Exception as exc:  # noqa: BLE001 - one odd text must not stop the batch
            log.warning("enrich: %s (%s): annotation failed: %s", article.origin, article.id, exc)


def annotate_doc(doc, shift: int, enrichment: Enrichment) -> None:  # type: ignore[no-untyped-def]
    """Mentions, then claims that refer back to them (quote speakers, event actors)."""
    mentions = entities.extract(doc, shift)
    enrichment.mentions.extend(mentions)
    found_quotes = quotes.extract(doc, mentions, shift)
    enrichment.claims.extend(found_quotes)
    enrichment.claims.extend(quantities.extract(doc, mentions, shift))
    enrichment.claims.extend(events.extract(doc, mentions, shift))


__all__ = ["annotate", "annotate_doc", "compose"]
