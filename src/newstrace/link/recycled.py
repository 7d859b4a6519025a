"""Recycled-article verdicts with evidence (issue 3). Placeholder: never flags."""
from __future__ import annotations

from typing import Any

from ..records import Article, Enrichment, RecycledVerdict, iso
from ..store import Store


def judge(store: Store, article: Article, enrichment: Enrichment, copies_found: list[dict[str, Any]]) -> RecycledVerdict:
    """Whether one article is an old report re-posted under a fresh date."""
    return RecycledVerdict(is_recycled=False, claimed=iso(article.published.date()) if article.published else None,
                           reason="no evidence of an earlier date")


def update(store: Store, article_ids: list[str]) -> None:
    """Recompute and store the verdict of each article."""
    for aid in article_ids:
        a, e = store.get_article(aid), store.get_enrichment(aid)
        if a is not None:
            store.set_article_state(aid, recycled=judge(store, a, e, []).to_json())
