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
        "published_source": article.published_source, "published_precision": article.published_precision,
        "language": article.language, "first_seen": iso(article.first_seen), "story_id": state.get("story_id"),
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


# --- paged and detailed views for the REST API and web UI (issue 6) -------------------------

def story_counts(story: dict[str, Any]) -> dict[str, int]:
    """Counts shown beside a story: articles, outlets, recycled and copied articles, claims by status."""
    arts = story.get("articles") or []
    claims = story.get("claims") or []
    return {"articles": len(arts),
            "outlets": len({a.get("outlet") for a in arts if a.get("outlet")} | set(story.get("outlets") or [])),
            "recycled": sum(1 for a in arts if a.get("role") == "recycled"),
            "copies": sum(1 for a in arts if a.get("role") == "copy"),
            "conflicting": sum(1 for c in claims if c.get("status") == "conflicting"),
            "corroborated": sum(1 for c in claims if c.get("status") == "corroborated")}


def search_story_ids(store: Store, query: str, limit: int = 1000) -> list[str]:
    """Stories holding an article that matches a full-text query, best match first."""
    out: dict[str, None] = {}
    for aid in store.search(query, limit=limit):
        sid = store.article_state(aid).get("story_id")
        if sid:
            out.setdefault(sid)
    return list(out)


def stories_page_json(store: Store, *, sort: str = "largest", offset: int = 0, limit: int = 20, q: str | None = None,
                      outlet: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      place: str | None = None, entity: str | None = None) -> dict[str, Any]:
    """One page of stories (each the `stories --json` document plus `counts`) with the total that match."""
    ids = search_story_ids(store, q) if q and q.strip() else None
    total, docs = store.story_page(sort=sort, offset=offset, limit=limit, story_ids=ids, outlet=outlet or None,
                                   date_from=date_from or None, date_to=date_to or None, place=place or None, entity=entity or None)
    return {"total": total, "offset": offset, "limit": limit,
            "items": [{**d, "counts": story_counts(d)} for d in docs]}


def articles_page_json(store: Store, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """One page of articles as `articles --json` shows them, with the total."""
    return {"total": store.article_count(), "offset": offset, "limit": limit,
            "items": [article_json(store, a) for a in store.article_page(offset, limit)]}


def story_sources_json(store: Store, story: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources table of a story: each article's outlet, role, claimed date and the evidence date of its verdict."""
    rows = []
    for a in story.get("articles") or []:
        state = store.article_state(a.get("id", "")) if a.get("id") else {}
        rec = state.get("recycled") or {}
        rows.append({"article_id": a.get("id"), "outlet": a.get("outlet"), "title": a.get("title"), "role": a.get("role"),
                     "published": a.get("published"), "claimed": rec.get("claimed") or (a.get("published") or "")[:10] or None,
                     "evidence_date": rec.get("evidence_date"), "is_recycled": bool(rec.get("is_recycled")),
                     "reason": rec.get("reason"), "duplicate_of": state.get("duplicate_of")})
    return rows


def article_detail_json(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its text, removed boilerplate, entities, dates, claims, copies and original."""
    article = store.get_article(article_id)
    if article is None:
        return None
    out = article_json(store, article, full=True)
    enr = store.get_enrichment(article_id)
    out["entities"] = [{"text": m.text, "type": m.type, "canonical": m.canonical, "start": m.start, "end": m.end,
                        "lat": m.lat, "lon": m.lon, "country": m.country} for m in (enr.mentions if enr else [])]
    out["dates"] = [{"text": d.text, "start": iso(d.start), "end": iso(d.end), "about": d.about, "char": d.char,
                     "sentence": d.sentence} for d in (enr.dates if enr else [])]
    out["claims"] = [{**c.fields, "kind": c.kind, "text": c.text} for c in (enr.claims if enr else [])]
    copies = []
    for link in store.links(article_id, kind="copy"):
        other = link.src if link.dst == article_id else link.dst
        o = store.get_article(other)
        copies.append({"article_id": other, "direction": "copied-by" if link.dst == article_id else "copies",
                       "score": link.score, "outlet": o.outlet if o else None, "title": o.title if o else None,
                       "published": iso(o.published) if o else None})
    out["copies"] = copies
    dup = out.get("duplicate_of")
    if dup:
        o = store.get_article(dup)
        out["original"] = {"article_id": dup, "outlet": o.outlet if o else None, "title": o.title if o else None,
                           "published": iso(o.published) if o else None}
    else:
        out["original"] = None
    return out
