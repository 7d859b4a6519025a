"""Link: copies, provenance, recycled verdicts and stories, computed against the store.

Order matters and only runs forward: copies (near-duplicates) → recycled verdicts → stories
(which take roles from the first two and facts/agreement from `agreement`).
"""
from __future__ import annotations

from typing import Any

from ..records import Article, Enrichment
from ..store import Store
from . import copies, recycled, stories


def update_links(store: Store, new_ids: list[str]) -> None:
    """Bring copies, recycled verdicts and stories up to date after new articles were stored."""
    touched = copies.update(store, new_ids)
    recycled.update(store, sorted(set(new_ids) | set(touched)))
    stories.update(store, new_ids)


def judge(store: Store, article: Article, enrichment: Enrichment) -> dict[str, Any]:
    """One article judged against the store without storing it: copies, original, recycled or not, and why."""
    found = copies.find_copies(store, article)
    verdict = recycled.judge(store, article, enrichment, found)
    return {"article": article.to_json(), "copies_of": found, "original": found[0] if found else None,
            "recycled": verdict.to_json()}


__all__ = ["update_links", "judge"]
