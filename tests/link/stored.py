"""A plain-text article stored with its raw bytes and its lexical terms, for story tests on any backend."""
from __future__ import annotations

from datetime import datetime, timezone

from newstrace.enrich.embed import terms_of
from newstrace.records import Article, Enrichment, RawDocument, content_id


def stored_article(store, title: str, text: str, vec: list[float], day: int) -> str:
    """Store an article published on 2023-05-`day` with embedding `vec`; return its id."""
    data = (title + "\n" + text).encode()
    rid = content_id(data)
    t = datetime(2023, 5, day, tzinfo=timezone.utc)
    store.add_raw(RawDocument(id=rid, origin=f"{rid}.txt", data=data, media_type="text/plain", first_seen=t))
    a = Article(id=rid, origin=f"{rid}.txt", title=title, text=text, paragraphs=[text], published=t, first_seen=t)
    store.add_article(a, Enrichment(article_id=rid, terms=terms_of(a), embedding=vec))
    return rid
