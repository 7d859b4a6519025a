"""Story assignment (issue 4). Placeholder: one story per article."""
from __future__ import annotations

from typing import Any

from ..records import iso
from ..store import Store
from . import agreement, copies


def assign(store: Store, new_ids: list[str]) -> set[str]:
    """Put each new article in a story (existing or new); returns the ids of stories that changed."""
    changed = set()
    for aid in new_ids:
        sid = f"s-{aid[:12]}"
        store.set_article_state(aid, story_id=sid)
        changed.add(sid)
    return changed


def members(store: Store, story_id: str) -> list[str]:
    """Article ids of one story."""
    s = store.get_story(story_id)
    ids = [a["id"] for a in (s or {}).get("articles", [])]
    return ids or [a.id for a in store.articles() if store.article_state(a.id).get("story_id") == story_id]


def refresh(store: Store, story_ids: list[str]) -> None:
    """Rewrite the documents of the given stories from their current members."""
    for sid in story_ids:
        ids = [a.id for a in store.articles() if store.article_state(a.id).get("story_id") == sid]
        if ids:
            store.put_story(sid, build_story(store, sid, ids))
        else:
            store.delete_story(sid)


def build_story(store: Store, story_id: str, article_ids: list[str]) -> dict[str, Any]:
    """The story document DESIGN.md fixes, from its member articles."""
    arts = [store.get_article(a) for a in article_ids]
    arts = sorted((a for a in arts if a is not None), key=lambda a: (a.published is None, a.published or 0, a.id))
    role = copies.roles(store, [a.id for a in arts])
    first = arts[0]
    dates = [a.published for a in arts if a.published]
    facts = agreement.story_facts(store, [a.id for a in arts])
    return {"id": story_id, "headline": first.title,
            "first_reported": {"article_id": first.id, "outlet": first.outlet, "published": iso(first.published)},
            "period": {"start": iso(min(dates)) if dates else None, "end": iso(max(dates)) if dates else None},
            "outlets": sorted({a.outlet for a in arts if a.outlet}),
            "articles": [{"id": a.id, "external_id": a.external_id, "outlet": a.outlet, "title": a.title,
                          "published": iso(a.published), "role": role.get(a.id, "report")} for a in arts],
            **facts}
