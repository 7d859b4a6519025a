"""JSON views shared by the CLI and the REST API (one implementation of each output shape)."""
from __future__ import annotations

import ntpath
import posixpath
import re
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


def headline_in(story: dict[str, Any], lang: str | None) -> str | None:
    """The story's headline in language `lang` when one of its reports is in it, else the story's own."""
    if lang:
        h = (story.get("headlines") or {}).get(lang.strip().lower().split("-")[0])
        if h:
            return h
    return story.get("headline")


def stories_json(store: Store) -> list[dict[str, Any]]:
    """Every story, largest first, then newest."""
    stories = store.stories()
    stories.sort(key=lambda s: (-len(s.get("articles", [])), s.get("period", {}).get("start") or "", s["id"]))
    return stories


def claim_label(c: dict[str, Any]) -> str:
    """A short name for a claim from its kind-specific fields (the full sentences are shown beside it)."""
    if c.get("label"):
        return str(c["label"])   # made by link.agreement (quotes clipped at a word, with an ellipsis)
    kind = c.get("kind")
    if kind == "quantity" and c.get("number"):
        parts = [c.get("owner"), c.get("verb"), c.get("qualifier"), str(c.get("number")), c.get("unit"), c.get("counted")]
    elif kind == "quote" and (c.get("speaker") or c.get("words")):
        return f"{c.get('speaker') or 'unattributed'}: “{c.get('words') or c.get('text')}”"
    elif kind == "event" and c.get("action"):
        parts = [c.get("actor"), c.get("action"), c.get("target"), ("in " + c["place"]) if c.get("place") else None]
    else:
        parts = []
    label = " ".join(str(p) for p in parts if p)
    return label or (c.get("text") or "")


# --- paged and detailed views for the REST API and web UI (issue 6) -------------------------

_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")


def public_origin(origin: str | None) -> str | None:
    """An origin as the server shows it: URLs and labels unchanged, a local file by its name (the server's paths are its own)."""
    if not origin:
        return origin
    path, sep, where = origin.partition("#")  # '#line=3', '#offset=…' say where inside the file
    if "://" in path:
        return origin
    if _WINDOWS_PATH.match(path):
        name = ntpath.basename(path)
    elif path.startswith(("/", "~")) or ".." in path.split("/"):
        name = posixpath.basename(path)
    else:
        return origin  # a path relative to where ingest ran, or a label such as 'upload:…' / 'pasted text'
    return (name or path.rstrip("/").rsplit("/", 1)[-1]) + sep + where


def public_article_json(store: Store, article: Article) -> dict[str, Any]:
    """`article_json` as the server shows it: the origin through `public_origin`."""
    return {**article_json(store, article), "origin": public_origin(article.origin)}


def public_failure(row: dict[str, Any]) -> dict[str, Any]:
    """A quarantine row with its origin shown as `public_origin` does (also where the reason repeats it)."""
    origin = row.get("origin") or ""
    shown = public_origin(origin) or ""
    if shown == origin:
        return row
    path, shown_path = origin.partition("#")[0], shown.partition("#")[0]
    return {**row, "origin": shown, "reason": (row.get("reason") or "").replace(path, shown_path)}

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


SEARCH_LIMIT = 1000  # best-matching articles a search looks at (lists and the volume chart of a search cover these)


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
    ids = search_story_ids(store, q, limit=SEARCH_LIMIT) if q and q.strip() else None
    if sort == "relevance" and ids is None:
        sort = "largest"  # nothing searched: nothing to rank by
    total, docs = store.story_page(sort=sort, offset=offset, limit=limit, story_ids=ids, outlet=outlet or None,
                                   date_from=date_from or None, date_to=date_to or None, place=place or None, entity=entity or None)
    return {"total": total, "offset": offset, "limit": limit,
            "items": [{**d, "counts": story_counts(d)} for d in docs]}


def articles_page_json(store: Store, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """One page of articles as `articles --json` shows them, with the total."""
    return {"total": store.article_count(), "offset": offset, "limit": limit,
            "items": [public_article_json(store, a) for a in store.article_page(offset, limit)]}


def story_sources_json(store: Store, story: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources table of a story: each article's outlet, role, claimed date and the evidence date of its verdict."""
    rows = []
    for a in story.get("articles") or []:
        state = store.article_state(a.get("id", "")) if a.get("id") else {}
        rec = state.get("recycled") or {}
        rows.append({"article_id": a.get("id"), "outlet": a.get("outlet"), "title": a.get("title"), "role": a.get("role"),
                     "language": a.get("language"),
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
    out["origin"] = public_origin(article.origin)
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


# --- article lists, volume, outlets (issue 25) -------------------------------------------

def _article_search(store: Store, filters: dict[str, Any]) -> dict[str, Any]:
    """Store-level article filters: a full-text query `q` becomes the ids it matches, best first."""
    out = {k: v for k, v in filters.items() if k != "q"}
    q = (filters.get("q") or "").strip()
    if q:
        out["article_ids"] = store.search(q, limit=SEARCH_LIMIT)
    return out


def articles_filtered_json(store: Store, *, sort: str = "ingest", offset: int = 0, limit: int = 50,
                           **filters: Any) -> dict[str, Any]:
    """One page of articles (as `articles --json` shows them) matching the filters (q, outlet, language, date_from,
    date_to, recycled, copy, outlet_is), with the total."""
    f = _article_search(store, filters)
    if sort == "relevance" and "article_ids" not in f:
        sort = "newest"
    total, arts = store.article_filter_page(sort=sort, offset=offset, limit=limit, **f)
    return {"total": total, "offset": offset, "limit": limit, "items": [public_article_json(store, a) for a in arts]}


def volume_json(store: Store, of: str, **filters: Any) -> dict[str, Any]:
    """How many stories (by first report) or articles (by claimed date) match the filters on each day."""
    if of == "stories":
        q = (filters.pop("q", None) or "").strip()
        ids = search_story_ids(store, q, limit=SEARCH_LIMIT) if q else None
        days = store.story_volume(story_ids=ids, **filters)
    else:
        days = store.article_volume(**_article_search(store, filters))
    return {"of": of, "total": sum(n for _, n in days), "days": [{"day": d, "count": n} for d, n in days]}


def outlet_json(store: Store, outlet: str) -> dict[str, Any] | None:
    """One outlet: its counts, the articles it copied (and from whom) and the copies others made of it."""
    stats = next((o for o in store.outlet_stats() if o["outlet"].lower() == outlet.lower()), None)
    if stats is None:
        return None
    pairs = store.outlet_copies(stats["outlet"])
    name = stats["outlet"].lower()
    copies = [p for p in pairs if (p["copy_outlet"] or "").lower() == name]
    copied = [p for p in pairs if (p["original_outlet"] or "").lower() == name and (p["copy_outlet"] or "").lower() != name]

    def tally(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for r in rows:
            counts[r[key] or ""] = counts.get(r[key] or "", 0) + 1
        return [{"outlet": o, "count": n} for o, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return {**stats, "copies_from": tally(copies, "original_outlet"), "copied_by": tally(copied, "copy_outlet"),
            "copy_pairs": copies, "copied_pairs": copied}
