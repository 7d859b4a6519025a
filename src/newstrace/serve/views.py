"""JSON views shared by the CLI and the REST API (one implementation of each output shape)."""
from __future__ import annotations

from typing import Any

from ..records import Article, iso
from ..store import Store


def recycled_json(article: Article, state: dict[str, Any]) -> dict[str, Any]:
    """The `recycled` object DESIGN.md fixes; a default 'not recycled' when nothing was judged."""
    rec = state.get("recycled")
    if rec:
        return rec
    return {"is_recycled": False, "claimed": iso(article.published.date()) if article.published else None,
            "evidence_date": None, "reason": "not judged"}


def article_json(store: Store, article: Article, full: bool = False) -> dict[str, Any]:
    """One article as `articles --json` shows it."""
    state = store.article_state(article.id)
    out = {
        "id": article.id, "external_id": article.external_id, "origin": article.origin, "outlet": article.outlet,
        "title": article.title, "url": article.url, "author": article.author, "published": iso(article.published),
        "published_source": article.published_source, "language": article.language,
        "first_seen": iso(article.first_seen), "story_id": state.get("story_id"),
        "duplicate_of": state.get("duplicate_of"), "recycled": recycled_json(article, state),
    }
    if full:
        out.update(text=article.text, paragraphs=article.paragraphs, captions=article.captions, boilerplate=article.boilerplate)
    return out


def articles_json(store: Store, full: bool = False) -> list[dict[str, Any]]:
    """Every article."""
    return [article_json(store, a, full) for a in store.articles()]


def stories_json(store: Store) -> list[dict[str, Any]]:
    """Every story, largest first, then newest."""
    stories = store.stories()
    stories.sort(key=lambda s: (-len(s.get("articles", [])), s.get("period", {}).get("start") or "", s["id"]))
    return stories
