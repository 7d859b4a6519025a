"""Near-duplicate detection (MinHash + LSH kept in the store) and provenance (issue 3). Placeholder."""
from __future__ import annotations

from typing import Any

from ..records import Article
from ..store import Store


def update(store: Store, new_ids: list[str]) -> list[str]:
    """Index new articles, link copies to originals; returns every article id whose copy state changed."""
    return []


def find_copies(store: Store, article: Article) -> list[dict[str, Any]]:
    """Stored articles that this (unstored) article copies or is copied by, best first."""
    return []


def roles(store: Store, article_ids: list[str]) -> dict[str, str]:
    """Role of each article within a story from copy links and recycled verdicts: original/copy/recycled/report."""
    out = {}
    for aid in article_ids:
        st = store.article_state(aid)
        if (st.get("recycled") or {}).get("is_recycled"):
            out[aid] = "recycled"
        elif st.get("duplicate_of"):
            out[aid] = "copy"
        else:
            out[aid] = "report"
    return out
