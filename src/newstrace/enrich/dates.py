"""Dates written in an article, resolved to absolute days against its claimed date (issue 3). Placeholder."""
from __future__ import annotations

from ..records import Article, Enrichment


def resolve(articles: list[Article], out: list[Enrichment]) -> None:
    """Fill the `dates` of each enrichment."""
    return None
