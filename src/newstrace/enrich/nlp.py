"""Entities, places, quantities, quotes and events with spaCy (issue 5). Placeholder: adds nothing yet."""
from __future__ import annotations

from ..records import Article, Enrichment


def annotate(articles: list[Article], out: list[Enrichment]) -> None:
    """Fill mentions and claims of each enrichment."""
    return None
