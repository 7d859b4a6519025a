"""Agreement between two clusterings of the same articles (B-cubed), and the clusterings a store holds."""
from __future__ import annotations

from collections import defaultdict
from typing import Hashable, Mapping

from ..store import Store


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of `pred` against `gold` over the items both label."""
    items = [i for i in pred if i in gold]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    by_p: dict[Hashable, set[str]] = defaultdict(set)
    by_g: dict[Hashable, set[str]] = defaultdict(set)
    for i in items:
        by_p[pred[i]].add(i)
        by_g[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        cp, cg = by_p[pred[i]], by_g[gold[i]]
        both = len(cp & cg)
        p += both / len(cp)
        r += both / len(cg)
    p, r = p / len(items), r / len(items)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "items": len(items)}


def story_clusters(store: Store) -> dict[str, str]:
    """Article id → story id."""
    return {a.id: store.article_state(a.id).get("story_id") or a.id for a in store.articles()}


def copy_clusters(store: Store) -> dict[str, str]:
    """Article id → its copy group (connected components of copy links and duplicate_of pointers)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ids = [a.id for a in store.articles()]
    for aid in ids:
        find(aid)
        dup = store.article_state(aid).get("duplicate_of")
        if dup:
            parent[find(aid)] = find(dup)
    for l in store.links(kind="copy"):
        parent[find(l.src)] = find(l.dst)
    return {aid: find(aid) for aid in ids}
