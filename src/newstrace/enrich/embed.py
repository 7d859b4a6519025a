"""Dense sentence embeddings and distinctive terms for story similarity (issue 4). Placeholder."""
from __future__ import annotations

from ..records import Article, Enrichment


def embed(articles: list[Article], out: list[Enrichment]) -> None:
    """Fill `embedding` and `terms` of each enrichment."""
    return None
