"""Enrich: entities, places, dates, quantities, quotes, events and embeddings for articles.

Each concern is its own module; this function only runs them in order, batched.
"""
from __future__ import annotations

from ..records import Article, Enrichment
from . import dates, embed, nlp


def enrich_articles(articles: list[Article], *, with_embeddings: bool = True) -> list[Enrichment]:
    """One Enrichment per article, in order (models run once per batch)."""
    out = [Enrichment(article_id=a.id) for a in articles]
    if not articles:
        return out
    articles = [a.head() for a in articles]  # a very long text is analysed on its leading part (records.ANALYSED_CHARS)
    texts = [embed.embedding_text(a) for a in articles] if with_embeddings else None
    # mentions (entities, places), claims (quantities, quotes, events); big batches embed on the workers beside
    vectors = nlp.annotate(articles, out, texts)
    dates.resolve(articles, out)           # dates mentioned, resolved against the claimed date
    if with_embeddings:
        # dense vector (here when the batch was too small for the workers) + distinctive terms for story similarity
        embed.embed(articles, out, vectors if vectors is not None else embed.encode(texts))
    return out


__all__ = ["enrich_articles"]
