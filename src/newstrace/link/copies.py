"""Near-duplicate detection (MinHash + LSH kept in the store) verified by aligned shared passages; provenance.

A pair is a candidate when their MinHash signatures share an LSH band; it is a copy only when
the two texts share long verbatim passages (runs of ≥ ALIGN_K identical words, aligned in
order) covering at least half of the shorter text and at least MIN_SHARED words. So a wire
story trimmed, re-headlined, wrapped in other chrome or with a paragraph added is found, while
two short texts with a common sentence or boilerplate line are not. A text shorter than
MIN_SHARED words (a brief, a one-paragraph item) is a copy only when nearly all of it
(SHORT_COVERAGE, at least SHORT_MIN words) reappears verbatim, in the same order, in the other
text: a shared sentence or boilerplate line covers too little of a real short report to pass.
Pairs sharing several passages without reaching that coverage are recorded as rewrites.
"""
from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from ..records import Article, Enrichment, Link, analysed_text, iso
from ..store import Store
from . import minhash, provenance

ALIGN_K = 8             # words per anchor when aligning two texts
MIN_SHARED = 30         # fewest shared words for any copy or rewrite of texts at least this long
SHORT_MIN = 20          # a shorter text needs this many words, all but a few shared verbatim and in order
SHORT_COVERAGE = 0.9
COPY_COVERAGE = 0.5     # share of the shorter text that must be shared for a copy
REWRITE_COVERAGE = 0.15
MAX_CANDIDATES = 50
DUP_SLACK = 0.05        # links scoring this close to a member's best match compete for its duplicate_of on date
MAX_PASSAGES = 12


def _positions(tokens: list[str], k: int = ALIGN_K) -> np.ndarray:
    """Hash of the k-word window starting at each position (not deduplicated: positions matter)."""
    if len(tokens) < k:
        return np.empty(0, dtype=np.uint64)
    th = minhash.token_hashes(tokens)
    n = len(tokens) - k + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc = acc * np.uint64(0x100000001B3) + th[j:j + n]
    return acc


def align(a: list[str], b: list[str], k: int = ALIGN_K) -> list[tuple[int, int, int, int]]:
    """Shared passages of two token lists as (a_start, a_end, b_start, b_end), in a's order, non-overlapping."""
    ha, hb = _positions(a, k), _positions(b, k)
    if not len(ha) or not len(hb):
        return []
    ub, first_b = np.unique(hb, return_index=True)
    idx = np.searchsorted(ub, ha)
    idx[idx >= len(ub)] = 0
    hit = ub[idx] == ha
    ia = np.nonzero(hit)[0]
    if not len(ia):
        return []
    jb = first_b[idx[ia]]
    # Consecutive matches on the same diagonal form one run.
    diag = jb - ia
    brk = np.ones(len(ia), dtype=bool)
    brk[1:] = (np.diff(ia) != 1) | (np.diff(diag) != 0)
    starts = np.nonzero(brk)[0]
    ends = np.append(starts[1:], len(ia))
    runs = sorted(((int(ia[s]), int(ia[e - 1]) + k, int(jb[s]), int(jb[e - 1]) + k) for s, e in zip(starts, ends)),
                  key=lambda r: -(r[1] - r[0]))
    used_a = np.zeros(len(a), dtype=bool)
    used_b = np.zeros(len(b), dtype=bool)
    out = []
    for a0, a1, b0, b1 in runs:
        if used_a[a0:a1].any() or used_b[b0:b1].any():
            # Trim overlap rather than drop: keep the free middle part when long enough.
            free = ~used_a[a0:a1] & ~used_b[b0:b1] if (a1 - a0) == (b1 - b0) else None
            if free is None or free.sum() < k:
                continue
            offs = np.nonzero(free)[0]
            a0, a1, b0, b1 = a0 + offs[0], a0 + offs[-1] + 1, b0 + offs[0], b0 + offs[-1] + 1
            if used_a[a0:a1].any() or used_b[b0:b1].any():
                continue
        used_a[a0:a1] = True
        used_b[b0:b1] = True
        out.append((int(a0), int(a1), int(b0), int(b1)))
    return sorted(out)


def compare(text_a: str, text_b: str) -> dict[str, Any] | None:
    """Verify a candidate pair: relation ('copy' or 'rewrite'), score and the shared passages; None when unrelated."""
    a, b = minhash.words(analysed_text(text_a)), minhash.words(analysed_text(text_b))
    runs = align(a, b)
    shared = sum(r[1] - r[0] for r in runs)
    shorter = min(len(a), len(b))
    if not shorter:
        return None
    coverage = shared / shorter
    if shared < MIN_SHARED and not _short_copy(shorter, shared, runs):
        return None
    if coverage >= COPY_COVERAGE:
        relation = "copy"
    elif coverage >= REWRITE_COVERAGE and len(runs) >= 2:
        relation = "rewrite"
    else:
        return None
    passages = sorted(runs, key=lambda r: -(r[1] - r[0]))[:MAX_PASSAGES]
    return {"relation": relation, "score": round(coverage, 4), "shared_words": shared,
            "coverage_a": round(shared / len(a), 4), "coverage_b": round(shared / len(b), 4),
            "passages_total": len(runs),
            "passages": [{"text": _clip(" ".join(a[a0:a1])), "words": a1 - a0, "a": [a0, a1], "b": [b0, b1]}
                         for a0, a1, b0, b1 in sorted(passages)]}


def _short_copy(shorter: int, shared: int, runs: list[tuple[int, int, int, int]]) -> bool:
    """A text too short for MIN_SHARED is still a copy when nearly all of it reappears verbatim, in the same order."""
    in_order = all(r1[2] >= r0[3] for r0, r1 in zip(runs, runs[1:]))   # runs come in a's order; b must agree
    return shorter < MIN_SHARED and shared >= SHORT_MIN and shared >= SHORT_COVERAGE * shorter and in_order


def _clip(s: str, n: int = 300) -> str:
    return s if len(s) <= n else s[:n].rsplit(" ", 1)[0] + " …"


def _verified(store: Store, article: Article, sig: np.ndarray, windows: np.ndarray | None = None) -> list[tuple[Article, dict[str, Any]]]:
    """Stored articles that share verified passages with `article` (LSH candidates checked by alignment)."""
    out = []
    for cid, est in minhash.StoreLSH(store).candidates(sig, exclude={article.id}, windows=windows)[:MAX_CANDIDATES]:
        other = store.get_article(cid, head=True)
        if other is None:
            continue
        found = compare(article.text, other.text)
        if found is not None:
            found["jaccard_estimate"] = round(est, 4)
            out.append((other, found))
    return out


def update(store: Store, new_ids: list[str]) -> list[str]:
    """Index new articles, link copies to originals; returns every article id whose copy state changed."""
    lsh = minhash.StoreLSH(store)
    pairs: list[tuple[str, str, dict[str, Any]]] = []
    for aid in new_ids:
        art = store.get_article(aid, head=True)
        if art is None or lsh.has(aid):
            continue
        sig, n, windows = minhash.text_signatures(art.text)
        for other, found in _verified(store, art, sig, windows):
            pairs.append((aid, other.id, found))
        lsh.add(aid, sig, n)     # after the query: an article never matches itself
    if not pairs:
        return []
    with store.transaction():
        for a, b, found in pairs:
            if found["relation"] == "rewrite":
                # A rewrite link points from the later text to the earlier one; copy sets are oriented in `_settle`.
                first = provenance.order([(x, store.get_enrichment(x.id), store.article_state(x.id))
                                          for x in (store.get_article(a, head=True), store.get_article(b, head=True)) if x is not None])[0].id
                if first == a:
                    a, b = b, a
                    found = _flip(found)
            store.add_links([Link(src=a, dst=b, kind="copy", score=found["score"], evidence=found)])
    touched: set[str] = set()
    seen: set[str] = set()
    for a, b, _ in pairs:
        if a in seen:
            continue
        group = _component(store, a)
        seen |= group
        touched |= _settle(store, group)
    return sorted(touched)


def _flip(found: dict[str, Any]) -> dict[str, Any]:
    """The same comparison seen from the other side (spans and coverages swapped)."""
    ev = dict(found)
    ev["passages"] = [{**p, "a": p.get("b"), "b": p.get("a")} for p in found.get("passages", [])]
    ev["coverage_a"], ev["coverage_b"] = found.get("coverage_b"), found.get("coverage_a")
    return ev


def _component(store: Store, start: str) -> set[str]:
    """Every article reachable from `start` through copy links (rewrites do not join copy sets)."""
    group, todo = {start}, deque([start])
    while todo:
        cur = todo.popleft()
        for l in store.links(cur, kind="copy"):
            if l.evidence.get("relation", "copy") != "copy":
                continue
            other = l.dst if l.src == cur else l.src
            if other not in group:
                group.add(other)
                todo.append(other)
    return group


def _settle(store: Store, group: set[str]) -> set[str]:
    """Order one copy set by provenance, orient its links later→earlier, and set duplicate_of; returns the ids that changed."""
    members = []
    for aid in group:
        art = store.get_article(aid, head=True)
        if art is not None:
            members.append((art, store.get_enrichment(aid), store.article_state(aid)))
    ranked = provenance.order(members)
    rank = {d.id: i for i, d in enumerate(ranked)}
    dated = {d.id: d for d in ranked}
    links: dict[tuple[str, str], Link] = {}
    for aid in group:
        for l in store.links(aid, kind="copy"):
            if l.src in group and l.dst in group:
                links[(l.src, l.dst)] = l
    changed: set[str] = set()
    oriented: dict[tuple[str, str], Link] = {}
    with store.transaction():
        for (src, dst), l in links.items():
            if rank.get(src, 0) < rank.get(dst, 0):
                # Wrong way round: the earlier article must be `dst`.
                store.execute("DELETE FROM links WHERE src=? AND dst=? AND kind='copy'", (src, dst))
                ev = _flip(l.evidence)
                src, dst, l = dst, src, Link(src=dst, dst=src, kind="copy", score=l.score, evidence=ev)
                store.add_links([l])
            l.evidence["why_earlier"] = provenance.explain(dated[dst], dated[src])
            store.add_links([l])
            oriented[(src, dst)] = l
        for d in ranked:
            earlier = [(l.dst, l.score or 0.0) for (s, _), l in oriented.items() if s == d.id and l.evidence.get("relation", "copy") == "copy"]
            # The text it copies is the earliest among its closest matches: another page of the same site
            # shares its chrome, and so a looser match, with it (a re-post is linked to the article it repeats).
            best = max((sc for _, sc in earlier), default=0.0)
            dup = min((x for x, sc in earlier if sc >= best - DUP_SLACK), key=lambda x: rank[x]) if earlier else None
            if store.article_state(d.id).get("duplicate_of") != dup:
                store.set_article_state(d.id, duplicate_of=dup)
                changed.add(d.id)
    return changed | group


def find_copies(store: Store, article: Article) -> list[dict[str, Any]]:
    """Stored articles that this (unstored) article copies or is copied by: the original first, then the rest in date order."""
    sig, _, windows = minhash.text_signatures(article.text)
    found = [(o, f) for o, f in _verified(store, article, sig, windows) if f["relation"] == "copy"]
    if not found:
        return []
    members = [(article, None, {})] + [(o, store.get_enrichment(o.id), store.article_state(o.id)) for o, _ in found]
    ranked = provenance.order(members)
    rank = {d.id: i for i, d in enumerate(ranked)}
    dated = {d.id: d for d in ranked}
    out = []
    for other, f in sorted(found, key=lambda x: rank[x[0].id]):
        d = dated[other.id]
        out.append({"id": other.id, "external_id": other.external_id, "outlet": other.outlet, "title": other.title,
                    "url": other.url, "published": iso(other.published), "first_seen": iso(other.first_seen),
                    "trusted_date": iso(d.day),
                    "trusted_date_source": d.source, "earlier_than_this": rank[other.id] < rank[article.id],
                    "is_original": rank[other.id] == 0, "score": f["score"], "shared_words": f["shared_words"],
                    "jaccard_estimate": f.get("jaccard_estimate"), "passages": f["passages"]})
    return out


def original_of(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The original among a `find_copies` answer (None when the judged article is itself the earliest)."""
    for f in found:
        if f.get("is_original"):
            return f
    return None


def roles(store: Store, article_ids: list[str]) -> dict[str, str]:
    """Role of each article within a story: recycled / copy / original / rewrite / report."""
    out = {}
    for aid in article_ids:
        st = store.article_state(aid)
        if (st.get("recycled") or {}).get("is_recycled"):
            out[aid] = "recycled"
            continue
        if st.get("duplicate_of"):
            out[aid] = "copy"
            continue
        links = store.links(aid, kind="copy")
        if any(l.dst == aid and l.evidence.get("relation", "copy") == "copy" for l in links):
            out[aid] = "original"
        elif any(l.src == aid and l.evidence.get("relation") == "rewrite" for l in links):
            out[aid] = "rewrite"
        else:
            out[aid] = "report"
    return out


__all__ = ["update", "find_copies", "original_of", "roles", "compare", "align"]
