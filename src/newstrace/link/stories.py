"""Story assignment (issue 4). Placeholder: one story per article."""
from __future__ import annotations

from typing import Any

from ..records import iso
from ..store import Store
from . import agreement, copies


def update(store: Store, new_ids: list[str]) -> None:
    """Assign new articles to stories and rewrite the affected story documents."""
    for aid in new_ids:
        sid = f"s-{aid[:12]}"
        store.set_article_state(aid, story_id=sid)
        store.put_story(sid, build_story(store, sid, [aid]))


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
