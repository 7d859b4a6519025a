"""Link: copies, provenance, recycled verdicts and stories, computed against the store.

Order matters and only runs forward within one update:
copies (near-duplicates, provenance) → story assignment → recycled verdicts (may use copies and
story-mates as evidence; a re-post found alone is moved into its event's story) → story documents (roles from copies and verdicts; facts from `agreement`).
"""
from __future__ import annotations

from typing import Any

from ..records import Article, Enrichment
from ..store import Store
from . import copies, recycled, stories


def update_links(store: Store, new_ids: list[str]) -> None:
    """Bring copies, recycled verdicts and stories up to date after new articles were stored."""
    touched = copies.update(store, new_ids)
    changed_stories = stories.assign(store, new_ids)
    affected = set(new_ids) | set(touched)
    for sid in changed_stories:
        affected |= set(stories.members(store, sid))
    changed_stories |= recycled.update(store, sorted(affected))
    changed_stories |= {store.article_state(a).get("story_id") for a in affected} - {None}
    stories.refresh(store, sorted(changed_stories))


def judge(store: Store, article: Article, enrichment: Enrichment) -> dict[str, Any]:
    """One article judged against the store without storing it: copies, original, recycled or not, and why."""
    found = copies.find_copies(store, article)
    verdict = recycled.judge(store, article, enrichment, found)
    return {"article": article.to_json(), "copies_of": found, "original": copies.original_of(found),
            "recycled": verdict.to_json(), "stored_as": article.id if store.has_article(article.id) else None}


__all__ = ["update_links", "judge"]
