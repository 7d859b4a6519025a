"""Story assignment (issue 4): streaming clustering that keeps different events apart.

Each new article is compared with a few candidate stories only — found through an inverted index
of distinctive terms (story_postings, capped per term, most recently touched first; terms in more
than COMMON_SHARE of a large store are not looked up) — by average-link similarity
(link/similarity.py) against each story's summed representation (story_index). It joins the best
story above the learned threshold, or starts one. Work per article is bounded by the candidate
count, not the store size.

After a batch, repair keeps the result close to batch average-link clustering and to what another
ingest order would give: the batch's articles are re-checked against the stories formed in the batch
(kept in memory), members that fit their story poorly are re-assigned (split), and stories whose
average link reaches the merge threshold are merged. A story that only gained articles is checked
for merges only against the stories those articles scored above the threshold (average link is
linear in the members, so no other merge can have become possible); one that lost or swapped members
gets a full candidate search. Story sums are written once per call (`StoryIndex.flush`). Document
frequencies for tf-idf are kept incrementally in story_df (+ meta `stories.n_docs`).

Tables (migration 20): story_df, story_reps (per-article representation + story id),
story_index (per-story sum), story_postings (term -> stories).
"""
from __future__ import annotations

import hashlib
import math
import re
import weakref
from collections import OrderedDict
from collections import Counter
from datetime import date, datetime
from itertools import islice
from typing import Any, Iterable

import numpy as np

from ..enrich.embed import terms_of
from ..records import Article, iso
from ..store import Store
from . import agreement, copies, nearest
from .similarity import Model, Rep, add, empty, idf, load_model, represent, trim

CANDIDATES = 12          # stories scored per article
POSTING_LIMIT = 60       # most recently touched stories read per query term (names, being rare, still reach old ones)
CACHE_STORIES = 20000    # parsed story sums kept per open store (least recently used dropped)
CACHE_MEMBERS = 50000    # parsed member representations kept per open store for read-only use
QUERY_TERMS = {"w": 8, "c": 5, "e": 5, "l": 3, "x": 5}   # distinctive terms per article used for retrieval and postings
DENSE_CANDIDATES = 6     # stories retrieved by the embedding alone (link/nearest.py), beside the CANDIDATES found by terms
SPLIT_CHECK_MAX = 300    # stories larger than this only check their newest members for a split
REBUILD_GROWTH = 2.0     # rebuild a story's sum when the corpus has grown this much since (idf drift)
COMMON_SHARE = 0.05      # a term in more than this share of a large store's articles does not tell events apart:
COMMON_MIN_DOCS = 1000   # it is not looked up for candidates (its capped posting list would be noise)

# Parsed story sums per open store, checked against story_index.touched before use: a story's sum is
# decoded once, not once per article that considers it.
_SUMS: "weakref.WeakKeyDictionary[Store, _LRU]" = weakref.WeakKeyDictionary()
# Parsed member representations per open store, keyed by article and checked against the stored text: the
# recycled check reads every member of a dozen stories for each article, mostly the same ones.
_MEMBERS: "weakref.WeakKeyDictionary[Store, _LRU]" = weakref.WeakKeyDictionary()


class _LRU(OrderedDict):
    """A bounded mapping that forgets the least recently used entries."""

    def __init__(self, limit: int = CACHE_STORIES):
        super().__init__()
        self.limit = limit

    def get(self, key, default=None):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


def _rows(store: Store, head: str, rows: list[tuple], tail: str = "", chunk: int = 200) -> None:
    """One multi-row statement per `chunk` rows (`head` VALUES (...),(...) `tail`): a statement per row costs more than the row."""
    if not rows:
        return
    slot = "(" + ",".join("?" * len(rows[0])) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        store.execute(f"{head} VALUES {','.join([slot] * len(part))} {tail}", [x for r in part for x in r])


def _in(store: Store, sql: str, keys: list, before: tuple = (), chunk: int = 500) -> list:
    """Rows of `sql` (whose last placeholder list is written `({})`) for every key, `chunk` keys per query."""
    out = []
    for i in range(0, len(keys), chunk):
        part = keys[i:i + chunk]
        out += store.execute(sql.format(",".join("?" * len(part))), [*before, *part]).fetchall()
    return out


class StoryIndex:
    """The story index kept in the store, with per-call caches."""

    def __init__(self, store: Store, model: Model | None = None):
        self.store = store
        self.model = model or load_model()
        self.n_docs = int(store.get_meta("stories.n_docs") or 0)
        self.clock = int(store.get_meta("stories.clock") or 0)
        self._df: dict[str, int] = {}
        self._stories: dict[str, Rep | None] = {}
        self._built_at: dict[str, int] = {}
        self._dirty: dict[str, int | None] = {}               # story -> touch mark to write (None: delete)
        # term -> {story: members with it} for the stories placed into in this call, the most recently placed last
        # (the in-batch re-check reads the latest POSTING_LIMIT per term, as the stored postings are read)
        self._local: dict[str, dict[str, int]] = {}
        self._local_terms: dict[str, set[str]] = {}            # story -> its terms in `_local`
        self._placed: dict[str, tuple[str, Rep]] = {}         # article -> (story, representation) placed in this call
        self._hints: dict[str, set[str]] = {}                 # story that only gained articles -> stories they linked to
        self._full: set[str] = set()                          # stories whose merge check needs a candidate search
        self.last: dict[str, float] = {}                      # scores of the last `best` call's candidates
        self._cache = _SUMS.setdefault(store, _LRU())
        self.vectors = nearest.vectors(store, self.clock)

    # --- document frequencies ---------------------------------------------
    def df(self, keys: Iterable[str]) -> dict[str, int]:
        """Document frequency of each key (cached for the call)."""
        missing = sorted({k for k in keys if k not in self._df})
        if missing:
            found = {r[0]: int(r[1]) for r in _in(self.store, "SELECT term, df FROM story_df WHERE term IN ({})", missing)}
            for k in missing:
                self._df[k] = found.get(k, 0)
        return self._df

    def count_documents(self, term_sets: list[Iterable[str]]) -> None:
        """Add documents to the frequencies (one call per batch: one upsert per distinct term)."""
        c: Counter[str] = Counter()
        for ts in term_sets:
            c.update(set(ts))
        self.df(c.keys())
        _rows(self.store, "INSERT INTO story_df (term, df)", sorted(c.items()),
              "ON CONFLICT (term) DO UPDATE SET df = story_df.df + excluded.df")
        for k, n in c.items():
            self._df[k] = self._df.get(k, 0) + n
        self.n_docs += len(term_sets)
        self.store.set_meta("stories.n_docs", str(self.n_docs))

    def represent(self, article: Article, terms: dict[str, float], embedding: list[float] | None,
                  published: datetime | None = None) -> Rep:
        """An article's representation under the current frequencies (at `published` instead of its claimed date if given)."""
        return represent(terms, embedding, published or article.published, self.df(terms.keys()), self.n_docs)

    # --- stories -----------------------------------------------------------
    def story(self, sid: str) -> Rep | None:
        """A story's summed representation."""
        if sid not in self._stories:
            self.load_stories([sid])
        return self._stories[sid]

    def load_stories(self, sids: list[str]) -> None:
        """Bring story sums into this call's view: cached parses when still current, else one query for the rest."""
        sids = [s for s in dict.fromkeys(sids) if s not in self._stories]
        if not sids:
            return
        marks = {r[0]: (int(r[1]), int(r[2])) for r in
                 _in(self.store, "SELECT story_id, touched, built_at FROM story_index WHERE story_id IN ({})", sids)}
        stale = []
        for sid in sids:
            if sid not in marks:
                self._stories[sid] = None
                continue
            touched, built = marks[sid]
            self._built_at[sid] = built
            hit = self._cache.get(sid)
            if hit is not None and hit[0] == touched:
                self._stories[sid] = hit[1]
            else:
                stale.append(sid)
        for r in _in(self.store, "SELECT story_id, centroid, emb, touched FROM story_index WHERE story_id IN ({})", stale,
                     chunk=200):
            rep = Rep.from_json(r[1], r[2])
            self._stories[r[0]] = rep
            self._cache[r[0]] = (int(r[3]), rep)

    def put_story(self, sid: str, rep: Rep, built_at: int | None = None) -> None:
        """Set a story's sum; written to the store once per call by `flush` (a story often changes many times in a batch)."""
        self.clock += 1
        self._built_at[sid] = built_at if built_at is not None else self._built_at.get(sid, self.n_docs)
        self._stories[sid] = rep
        self._dirty[sid] = self.clock
        self._cache.pop(sid, None)
        self.vectors.set(sid, rep.mean_emb())

    def drop_story(self, sid: str) -> None:
        """Forget an empty story."""
        self.store.execute("DELETE FROM story_postings WHERE story_id=?", (sid,))
        self._stories[sid] = None
        self._dirty[sid] = None
        self._cache.pop(sid, None)
        self.vectors.set(sid, None)
        self.forget_local(sid)

    def forget_local(self, sid: str) -> None:
        """Drop a story from this call's own postings."""
        for k in self._local_terms.pop(sid, ()):
            self._local.get(k, {}).pop(sid, None)

    def flush(self) -> None:
        """Write the sums of the stories changed in this call (trimmed), and delete the emptied ones."""
        gone = [sid for sid, t in self._dirty.items() if t is None]
        for i in range(0, len(gone), 500):
            part = gone[i:i + 500]
            self.store.execute(f"DELETE FROM story_index WHERE story_id IN ({','.join('?' * len(part))})", part)
        rows = []
        for sid, touched in sorted((k, t) for k, t in self._dirty.items() if t is not None):
            rep = trim(self._stories[sid])
            rows.append((sid, int(round(rep.size)), rep.to_json(), rep.emb_bytes(), touched, self._built_at[sid]))
            self._cache[sid] = (touched, rep)
        _rows(self.store, "INSERT INTO story_index (story_id, size, centroid, emb, touched, built_at)", rows,
              "ON CONFLICT (story_id) DO UPDATE SET size=excluded.size, centroid=excluded.centroid, emb=excluded.emb, "
              "touched=excluded.touched, built_at=excluded.built_at", chunk=20)
        self._dirty.clear()

    def member_reps(self, sid: str) -> dict[str, Rep]:
        """Representation of every member of a story (indexed by story)."""
        rows = self.store.execute("SELECT article_id, rep, emb FROM story_reps WHERE story_id=? ORDER BY article_id", (sid,)).fetchall()
        return {r[0]: Rep.from_json(r[1], r[2]) for r in rows}

    def member_reps_shared(self, sid: str) -> dict[str, Rep]:
        """`member_reps`, parsed once per stored text and shared between calls: the caller must not modify them."""
        cache = _MEMBERS.setdefault(self.store, _LRU(CACHE_MEMBERS))
        out: dict[str, Rep] = {}
        for aid, text, emb in self.store.execute(
                "SELECT article_id, rep, emb FROM story_reps WHERE story_id=? ORDER BY article_id", (sid,)).fetchall():
            emb = bytes(emb) if emb is not None else None   # PostgreSQL may hand back a memoryview
            hit = cache.get(aid)
            if hit is not None and hit[0] == text and hit[1] == emb:
                out[aid] = hit[2]
            else:
                out[aid] = Rep.from_json(text, emb)
                cache[aid] = (text, emb, out[aid])
        return out

    def rep_of(self, aid: str) -> tuple[str, Rep] | None:
        """(story id, representation) of one indexed article."""
        if aid in self._placed:
            return self._placed[aid]
        r = self.store.execute("SELECT story_id, rep, emb FROM story_reps WHERE article_id=?", (aid,)).fetchone()
        return (r[0], Rep.from_json(r[1], r[2])) if r else None

    # --- membership ------------------------------------------------------------
    def place(self, aid: str, sid: str, rep: Rep, old: str | None = None) -> None:
        """Make article `aid` a member of story `sid` (moving it from `old` if given)."""
        self.clock += 1
        self.store.execute(
            "INSERT INTO story_reps (article_id, story_id, rep, emb) VALUES (?,?,?,?) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id=excluded.story_id, rep=excluded.rep, emb=excluded.emb",
            (aid, sid, rep.to_json(), rep.emb_bytes()))
        self.store.set_article_state(aid, story_id=sid)
        self._placed[aid] = (sid, rep)
        if old is not None:
            self._postings(old, rep, -1)
        self._postings(sid, rep, +1)

    def _postings(self, sid: str, rep: Rep, sign: int) -> None:
        keys = query_terms(rep)
        for k in keys:   # this call's own postings, kept in memory for the in-batch re-check
            by_story = self._local.setdefault(k, {})
            if sign > 0:   # re-inserted last: touched now (removals leave the order, as `touched` in the store)
                by_story[sid] = by_story.pop(sid, 0) + 1
                self._local_terms.setdefault(sid, set()).add(k)
            elif by_story.get(sid, 0) > 1:
                by_story[sid] -= 1
            else:
                by_story.pop(sid, None)
        if sign > 0:
            _rows(self.store, "INSERT INTO story_postings (term, story_id, n, touched)", [(k, sid, 1, self.clock) for k in keys],
                  "ON CONFLICT (term, story_id) DO UPDATE SET n = story_postings.n + 1, touched = excluded.touched")
        elif keys:
            self.store.execute(f"UPDATE story_postings SET n = n - 1 WHERE story_id=? AND term IN ({','.join('?' * len(keys))})",
                               [sid, *keys])
            self.store.execute("DELETE FROM story_postings WHERE story_id=? AND n <= 0", (sid,))

    def candidates(self, rep: Rep, exclude: set[str] = frozenset(), limit: int = CANDIDATES, local: bool = False) -> list[str]:
        """Stories sharing the most (idf-weighted) distinctive terms with `rep` (`local`: only stories changed in this call)."""
        keys = query_terms(rep)
        df = self.df(keys)
        score: Counter[str] = Counter()
        common = COMMON_SHARE * self.n_docs if self.n_docs >= COMMON_MIN_DOCS else float("inf")
        for key in keys:
            if df.get(key, 0) > common:
                continue
            w = idf(df.get(key, 0), self.n_docs)
            if local:
                # the latest POSTING_LIMIT, as for the store: unbounded, a batch of 50,000 made this quadratic
                rows = list(islice(reversed(self._local.get(key, {}).items()), POSTING_LIMIT))
            else:
                rows = self.store.execute("SELECT story_id, n FROM story_postings WHERE term=? ORDER BY touched DESC LIMIT ?",
                                          (key, POSTING_LIMIT)).fetchall()
            for r in rows:
                if r[0] not in exclude:
                    score[r[0]] += w * (1.0 + math.log(r[1]))
        out = [sid for sid, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
        seen = set(out)
        near = self.vectors.nearest(rep.mean_emb(), DENSE_CANDIDATES + len(out), exclude,
                                    only=set(self._local_terms) if local else None)
        out += [sid for sid in near if sid not in seen][:DENSE_CANDIDATES]
        return out

    def best(self, rep: Rep, exclude: set[str] = frozenset(), extra: Iterable[str] = (), local: bool = False) -> tuple[str | None, float]:
        """The candidate story with the highest average-link probability."""
        return self.best_of(rep, [*extra, *self.candidates(rep, exclude, local=local)], exclude)

    def best_of(self, rep: Rep, cands: Iterable[str], exclude: set[str] = frozenset()) -> tuple[str | None, float]:
        """The story among `cands` with the highest average-link probability (every score kept in `last`)."""
        best_sid, best_p = None, -1.0
        cands = list(dict.fromkeys(cands))
        self.load_stories(cands)
        self.last = {}
        for sid in cands:
            if sid in exclude:
                continue
            srep = self.story(sid)
            if srep is None or srep.size <= 0:
                continue
            p = self.last[sid] = self.model.score(rep, srep)
            if p > best_p or (p == best_p and best_sid is not None and sid < best_sid):
                best_sid, best_p = sid, p
        return best_sid, best_p

    def save_clock(self) -> None:
        """Persist the touch clock."""
        self.store.set_meta("stories.clock", str(self.clock))
        self.vectors.clock = self.clock


def query_terms(rep: Rep) -> list[str]:
    """The distinctive terms (namespaced keys) of a representation, heaviest first per namespace."""
    out = []
    for ns, k in QUERY_TERMS.items():
        v = rep.vecs.get(ns)
        if v:
            out += [f"{ns}:{t}" for t, _ in sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
    return out


def new_story_id(aid: str) -> str:
    """Story id from the article that started it."""
    return "s-" + hashlib.sha1(aid.encode()).hexdigest()[:12]


def _order(store: Store, ids: list[str]) -> list[tuple[str, Article]]:
    """New articles in a fixed order (claimed date, then id), so input order does not matter within a batch."""
    arts = [(a, store.get_article(a, head=True)) for a in dict.fromkeys(ids)]
    arts = [(i, a) for i, a in arts if a is not None]
    return sorted(arts, key=lambda x: (x[1].published is None, x[1].published.isoformat() if x[1].published else "", x[0]))


def content_terms(article: Article, enrichment: Any) -> dict[str, float]:
    """The article's story-model terms minus every date resolved against its claimed date.

    "On Friday" or "last week" resolve to days near the claimed date, so they would pull a re-post
    toward reports near its false date: the very thing in question. Dates that fix their own year stay.
    """
    from dataclasses import replace
    from ..enrich.dates import is_explicit
    own = replace(enrichment, dates=[m for m in enrichment.dates if is_explicit(m)]) if enrichment is not None else None
    return terms_of(article, own)


def _placed_terms(store: Store, article: Article) -> tuple[dict[str, float], list[float] | None, datetime | None]:
    """Terms, embedding and the date a story places an article at: a flagged re-post's events' date and its
    `content_terms` (see `relocate`), else its own terms and claimed date."""
    v = store.article_state(article.id).get("recycled") or {}
    if v.get("is_recycled") and v.get("evidence_date"):
        e = store.get_enrichment(article.id)
        return content_terms(article, e), (e.embedding if e else None), datetime.fromisoformat(v["evidence_date"][:10])
    return (*_terms_and_embedding(store, article), article.published)


def _terms_and_embedding(store: Store, article: Article) -> tuple[dict[str, float], list[float] | None]:
    e = store.get_enrichment(article.id)
    if e is not None and e.terms:
        return e.terms, e.embedding
    # enrichment without terms (e.g. stored by an older version): terms are cheap to recompute
    return terms_of(article, e), (e.embedding if e else None)


def assign(store: Store, new_ids: list[str], model: Model | None = None) -> set[str]:
    """Put each new article in a story (existing or new); returns the ids of stories that changed."""
    index = StoryIndex(store, model)
    changed: set[str] = set()
    try:
        with store.transaction():
            changed = _assign(store, index, new_ids)
    except BaseException:
        _SUMS.pop(store, None)   # sums cached during a rolled-back call may carry touch marks the store never got
        nearest.forget(store)
        raise
    return changed


def _assign(store: Store, index: StoryIndex, new_ids: list[str]) -> set[str]:
    """`assign` inside its transaction."""
    changed: set[str] = set()
    known = {r[0] for r in _in(store, "SELECT article_id FROM story_reps WHERE article_id IN ({})", list(dict.fromkeys(new_ids)))}
    todo = [(aid, a) for aid, a in _order(store, new_ids) if aid not in known]
    if not todo:
        return changed
    data = {aid: _terms_and_embedding(store, a) for aid, a in todo}
    # frequencies first for the whole batch, so the batch's own words are weighed the same whatever the order
    index.count_documents([data[aid][0].keys() for aid, _ in todo])
    reps = {aid: index.represent(a, *data[aid]) for aid, a in todo}
    for aid, _ in todo:
        changed |= _assign_one(store, index, aid, reps[aid])
    # one article that started its own story was just scored against every candidate: nothing to merge
    settled = {s for s in changed if (index.story(s) or empty()).size <= 1} if len(todo) == 1 else set()
    if len(todo) > 1:
        # an article placed early in the batch may fit better in a story that only formed later in it
        for _ in range(2):
            moved = _refine(store, index, [aid for aid, _ in todo], local=True)
            changed |= moved
            if not moved:
                break
    changed |= repair(store, index, sorted(changed), settled)
    index.flush()
    index.save_clock()
    return changed


def _assign_one(store: Store, index: StoryIndex, aid: str, rep: Rep, exclude: set[str] = frozenset(),
                old: str | None = None) -> set[str]:
    """Join the best story above threshold, else start one."""
    extra = []
    dup = store.article_state(aid).get("duplicate_of")
    if dup:  # a copy reports what its original reports
        found = index.rep_of(dup)
        if found and found[0] not in exclude:
            extra.append(found[0])
    sid, p = index.best(rep, exclude, extra)
    if extra and (sid is None or p < index.model.threshold):
        sid, p = extra[0], 1.0
    # Average link is linear in the members (before the logistic): once the article is in, the story can reach
    # the merge threshold with another story only if the article itself does. Those were just scored.
    hints = {t for t, q in index.last.items() if q >= index.model.merge_threshold}
    if sid is None or p < index.model.threshold:
        sid = new_story_id(aid)
        while index.story(sid) is not None:   # a story id freed by a split may still be taken
            sid = new_story_id(sid)
        index.put_story(sid, rep, built_at=index.n_docs)
    else:
        index.put_story(sid, add(index.story(sid), rep))
    index.place(aid, sid, rep, old)
    index._hints.setdefault(sid, set()).update(hints - {sid})
    if old:
        index._full.add(old)
    return {sid} | ({old} if old else set())


def repair(store: Store, index: StoryIndex, story_ids: list[str], settled: set[str] = frozenset()) -> set[str]:
    """Split poorly fitting members out of the given stories, then merge stories that belong together."""
    changed: set[str] = set()
    rebuilt: set[str] = set()
    for sid in story_ids:
        rebuilt |= _refresh_sum(store, index, sid)
    changed |= rebuilt
    for sid in story_ids:
        if sid in rebuilt:   # members placed under the old frequencies are judged again under the new ones
            members = sorted(index.member_reps(sid))
            changed |= _refine(store, index, members, only_weak=len(members) > SPLIT_CHECK_MAX)
        else:
            changed |= _split(store, index, sid)
    queue = sorted(s for s in changed | set(story_ids) if index.story(s) is not None and s not in settled)
    seen = 0
    while queue and seen < 10 * (len(story_ids) + 10):
        seen += 1
        sid = queue.pop(0)
        srep = index.story(sid)
        if srep is None or srep.size <= 0:
            continue
        if sid in index._hints and sid not in index._full:   # it only gained articles: their links name the candidates
            other, p = index.best_of(srep, sorted(index._hints[sid]), exclude={sid})
        else:
            other, p = index.best(srep, exclude={sid})
        if other is None or p < index.model.merge_threshold:
            continue
        keep, gone = _merge(store, index, sid, other)
        changed |= {keep, gone}
        index._full.add(keep)
        queue.append(keep)
    return changed


def _refresh_sum(store: Store, index: StoryIndex, sid: str) -> set[str]:
    """Recompute a story's member representations when the corpus has grown a lot since (idf drift)."""
    srep = index.story(sid)
    if srep is None or index.n_docs < REBUILD_GROWTH * max(index._built_at.get(sid, 0), 1):
        return set()
    total = empty()
    for aid in store.article_ids_in_story(sid):
        a = store.get_article(aid, head=True)
        if a is None:
            continue
        terms, emb, day = _placed_terms(store, a)
        rep = index.represent(a, terms, emb, published=day)
        store.execute("UPDATE story_reps SET rep=?, emb=? WHERE article_id=?", (rep.to_json(), rep.emb_bytes(), aid))
        total = add(total, rep)
    store.execute("DELETE FROM story_postings WHERE story_id=?", (sid,))
    index.forget_local(sid)
    for rep in index.member_reps(sid).values():
        index._postings(sid, rep, +1)
    index.put_story(sid, total, built_at=index.n_docs)
    index._full.add(sid)
    return {sid}


def _split(store: Store, index: StoryIndex, sid: str) -> set[str]:
    """Re-assign members whose average link to the rest of their story is below the split threshold."""
    srep = index.story(sid)
    if srep is None or srep.size < 3:
        return set()
    size = int(round(srep.size))
    if size & (size - 1) and size % 16:   # checked at sizes 3, 4, 8, 16, 32, 48...: amortised O(1) per article
        return set()
    members = index.member_reps(sid)
    if len(members) > SPLIT_CHECK_MAX:
        return set()
    return _refine(store, index, list(members), only_weak=True)


def _refine(store: Store, index: StoryIndex, aids: list[str], only_weak: bool = False, local: bool = False) -> set[str]:
    """Move each article to another story when it links to it better than to the rest of its own
    (and above the join threshold), or out on its own when it falls below the split threshold.
    `local`: look only among the stories placed into in this call (the in-batch re-check: every other
    story's sum is what the article was already compared with)."""
    changed: set[str] = set()
    m = index.model
    for aid in aids:
        found = index.rep_of(aid)
        if found is None:
            continue
        sid, rep = found
        own = index.story(sid)
        if own is None:
            continue
        rest = add(own, rep, -1.0)
        p_own = m.score(rep, rest) if rest.size > 0.5 else -1.0
        if only_weak and p_own >= m.threshold:
            continue   # fits its story: not worth a candidate search (keeps the periodic member check cheap)
        other, p_other = index.best(rep, exclude={sid}, local=local)
        if other is not None and p_other >= m.threshold and p_other > p_own + 0.02:
            target = other
        elif rest.size > 0.5 and p_own < m.split_threshold:
            target = None
        else:
            continue
        changed |= _move(index, aid, rep, sid, rest, target)
    return changed


def _move(index: StoryIndex, aid: str, rep: Rep, sid: str, rest: Rep, target: str | None) -> set[str]:
    """Move article `aid` (as `rep`) from story `sid` (leaving `rest`) to `target`, or to a story of its own."""
    if rest.size > 0.5:
        index.put_story(sid, rest)
    else:
        index.drop_story(sid)
    if target is None:
        target = new_story_id(aid)
        while index.story(target) is not None:
            target = new_story_id(target)
        index.put_story(target, rep, built_at=index.n_docs)
    else:
        index.put_story(target, add(index.story(target), rep))
    index.place(aid, target, rep, old=sid)
    index._full |= {sid, target}
    return {sid, target}


def relocate(store: Store, aid: str, day: date, terms: dict[str, float], embedding: list[float] | None,
             target: str | None = None) -> tuple[set[str], str | None]:
    """Re-place a re-post at its events' `day` instead of its claimed date; returns (stories changed, its story).

    The date prior keeps a report claimed years after its event out of that event's story at first. Once the
    recycled check has dated its events, the article is judged as of that day on `terms` (its `content_terms`: a
    re-post's words without the dates its text resolved against the false claim):
    - with `target`, a story whose members report the same event with near-certainty (the caller found them), it
      moves there unless another story fits it better, and then there if that one reaches the join threshold
      (the event's reports may sit in two stories). Average link to a long-running story can stay below the join
      threshold for a single report, which is why the members' match, not the average, admits it to `target`;
    - without, and only when it is alone in its story (company there placed it, not the date), it joins the best
      story that reaches the join threshold.
    The stored representation then carries that day, so later refinements judge it the same way.
    """
    index = StoryIndex(store)
    found = index.rep_of(aid)
    a = store.get_article(aid, head=True)
    if found is None or a is None or found[0] == target or (target is not None and index.story(target) is None):
        return set(), None
    sid, _ = found
    own = index.story(sid)
    if own is None or (target is None and own.size > 1.5):
        return set(), None
    rep = index.represent(a, terms, embedding, published=datetime.combine(day, datetime.min.time()))
    best, p = index.best(rep, exclude={sid}, extra=[target] if target else ())
    if best is None or (best != target and p < index.model.threshold):
        return set(), None
    with store.transaction():
        changed = _move(index, aid, rep, sid, add(own, found[1], -1.0), best)
        index.flush()
        index.save_clock()
    return changed, best


def _merge(store: Store, index: StoryIndex, a: str, b: str) -> tuple[str, str]:
    """Merge the smaller story into the larger; returns (kept, removed)."""
    ra, rb = index.story(a), index.story(b)
    keep, gone = (a, b) if (ra.size, b) > (rb.size, a) else (b, a)
    for aid, rep in index.member_reps(gone).items():
        index.place(aid, keep, rep, old=gone)
    index.put_story(keep, add(index.story(keep), index.story(gone)))
    index.drop_story(gone)
    return keep, gone


def members(store: Store, story_id: str) -> list[str]:
    """Article ids of one story."""
    return store.article_ids_in_story(story_id)


def refresh(store: Store, story_ids: list[str]) -> None:
    """Rewrite the documents of the given stories from their current members."""
    members_of = {sid: store.article_ids_in_story(sid) for sid in story_ids}
    agreement.prefetch_vectors(store, [ids for ids in members_of.values() if len(ids) > 1])
    for sid in story_ids:
        ids = members_of[sid]
        if ids:
            store.put_story(sid, build_story(store, sid, ids))
        else:
            store.delete_story(sid)


_ALPHA_WORD = re.compile(r"\b[^\W\d_]{2,}\b")


def _headline_like(title: str | None) -> bool:
    """A title that reads as a headline, not a date/time line that an extractor took for one."""
    return bool(title) and len(_ALPHA_WORD.findall(title)) >= 4


def representative(store: Store, arts: list[Article]) -> Article:
    """The member whose embedding is closest to the story's mean (a headline-like title preferred)."""
    pool = [a for a in arts if _headline_like(a.title)] or [a for a in arts if a.title] or arts
    if len(pool) <= 2:
        return pool[0]
    vecs = {}
    for a in pool:
        e = store.get_enrichment(a.id)
        if e is not None and e.embedding:
            vecs[a.id] = np.asarray(e.embedding, dtype=np.float64)
    if not vecs:
        return pool[0]
    mean = np.mean(list(vecs.values()), axis=0)
    return max(pool, key=lambda a: (float(np.dot(vecs[a.id], mean)) if a.id in vecs else -2.0, a.id))


_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]")
HEADLINE_CHARS = 120


def _first_sentence(text: str) -> str:
    """The text up to its first sentence end: not after an initial, "U.S." or a short capitalised abbreviation ("Lt.", "Dr.")."""
    for m in _SENTENCE_END.finditer(text):
        if m.group() in "。！？":
            return text[:m.end()]
        word = re.search(r"([^\W\d_]*)$", text[:m.start()]).group(1)
        if len(word) >= 2 and not (word[:1].isupper() and len(word) <= 3):
            return text[:m.end()]
    return text


def headline_of(article: Article) -> str | None:
    """The article's title, else the first sentence of its text cut at a word under HEADLINE_CHARS (an untitled
    record still names its story)."""
    if article.title:
        return article.title
    # only the opening is read: a story document is rebuilt often, and a text can be megabytes long
    text = " ".join((article.text or "")[:8 * HEADLINE_CHARS].split())[:HEADLINE_CHARS + 1]
    if not text:
        return None
    lead = _first_sentence(text)
    if len(lead) <= HEADLINE_CHARS:
        return lead
    cut = lead[:HEADLINE_CHARS].rsplit(" ", 1)[0] if " " in lead[:HEADLINE_CHARS] else lead[:HEADLINE_CHARS]
    return cut.rstrip(",;:–—- ") + "…"


def build_story(store: Store, story_id: str, article_ids: list[str]) -> dict[str, Any]:
    """The story document DESIGN.md fixes, from its member articles."""
    arts = [store.get_article(a, head=True) for a in article_ids]
    arts = sorted((a for a in arts if a is not None),
                  key=lambda a: (a.published is None, a.published or 0, a.first_seen is None, a.first_seen or 0, a.id))
    role = copies.roles(store, [a.id for a in arts])
    # a recycled article's claimed date is false by definition: it neither opens the story nor stretches its period
    trusted = [a for a in arts if role.get(a.id) != "recycled"] or arts
    dated = [a for a in trusted if a.published]
    if dated:
        basis, first, dates = "published", dated[0], [a.published for a in dated]
    else:
        # No member says when it was published (JSONL without dates, text without a dateline): when newstrace
        # first saw each is the best time there is, and the story says so rather than "first reported ?".
        seen = sorted((a for a in trusted if a.first_seen), key=lambda a: (a.first_seen, a.id))
        basis = "first-seen" if seen else None
        first, dates = (seen or trusted)[0], [a.first_seen for a in seen]
    facts = agreement.story_facts(store, [a.id for a in arts])
    head = representative(store, arts)
    by_lang: dict[str, list[Article]] = {}
    for a in arts:
        if a.language:
            by_lang.setdefault(a.language, []).append(a)
    # most reports first; a reader picks a headline in their language (`stories --lang`), else the story's
    languages = sorted(by_lang, key=lambda k: (-len(by_lang[k]), k))
    headlines = {k: headline_of(representative(store, by_lang[k])) for k in languages}
    reported = {"article_id": first.id, "outlet": first.outlet, "published": iso(first.published), "basis": basis}
    if basis == "published":
        reported["source"] = first.published_source
    elif basis == "first-seen":
        reported["seen"] = iso(first.first_seen)
    return {"id": story_id, "headline": headline_of(head), "headline_from": "title" if head.title else "text",
            "languages": languages, "headlines": {k: v for k, v in headlines.items() if v},
            "first_reported": reported,
            "period": {"start": iso(min(dates)) if dates else None, "end": iso(max(dates)) if dates else None, "basis": basis},
            "outlets": sorted({a.outlet for a in arts if a.outlet}),
            "articles": [{"id": a.id, "external_id": a.external_id, "outlet": a.outlet, "title": a.title,
                          "published": iso(a.published), "language": a.language, "role": role.get(a.id, "report")} for a in arts],
            **facts}
