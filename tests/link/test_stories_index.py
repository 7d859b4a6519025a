"""The story index as stored: sums written once per call match their members, bridging articles merge stories,
a failed call leaves nothing half-done, on SQLite and PostgreSQL."""
from __future__ import annotations

import math

import numpy as np
import pytest

from newstrace.link import stories
from newstrace.link.similarity import FEATURES, Model, Rep
from stored import stored_article  # tests/link/stored.py

# A model that looks only at the embedding: P >= 0.5 exactly when the average cosine is >= 0.5, so the
# geometry below decides joins and merges, not the learned weights.
EMB_ONLY = Model(weights=tuple(10.0 if f == "emb" else 0.0 for f in FEATURES), bias=-5.0,
                 threshold=0.5, merge_threshold=0.5, split_threshold=0.0)


def _article(store, n: int, vec: list[float], day: int = 1) -> str:
    return stored_article(store, f"Storm floods the coast near Harbourton, report {n}",
                          f"A storm flooded the Harbourton coast on Monday, officials said. Report number {n} of the storm.",
                          vec, day)


def _at(degrees: float) -> list[float]:
    r = math.radians(degrees)
    return [math.cos(r), math.sin(r), 0.0]


def _story_of(store, ids):
    return [store.article_state(i)["story_id"] for i in ids]


def _check_index(store) -> None:
    """Every stored story sum has exactly its members' size and embedding sum; no sum without members."""
    sums = {r[0]: Rep.from_json(r[1], r[2]) for r in store.execute("SELECT story_id, centroid, emb FROM story_index").fetchall()}
    members: dict[str, list[Rep]] = {}
    for aid, sid, rep, emb in store.execute("SELECT article_id, story_id, rep, emb FROM story_reps").fetchall():
        assert store.article_state(aid)["story_id"] == sid
        members.setdefault(sid, []).append(Rep.from_json(rep, emb))
    assert sums.keys() == members.keys()
    for sid, reps in members.items():
        assert sums[sid].size == pytest.approx(len(reps))
        assert np.allclose(sums[sid].emb, np.sum([r.emb for r in reps], axis=0), atol=1e-4)


@pytest.mark.parametrize("spread, merged", [(35.0, True), (40.0, False)])
def test_an_article_bridging_two_stories_merges_them_only_when_their_average_link_reaches_the_threshold(tmp_path, spread, merged):
    from newstrace.store import open_store
    with open_store(str(tmp_path / "b.db")) as store:
        left = [_article(store, i, _at(spread)) for i in range(2)]
        right = [_article(store, 10 + i, _at(-spread)) for i in range(2)]
        stories.assign(store, left, model=EMB_ONLY)
        stories.assign(store, right, model=EMB_ONLY)
        # cos(2 * spread) < 0.5: two stories
        assert len(set(_story_of(store, left))) == 1 and len(set(_story_of(store, right))) == 1
        assert _story_of(store, left)[0] != _story_of(store, right)[0]
        bridge = _article(store, 99, _at(0.0))
        stories.assign(store, [bridge], model=EMB_ONLY)
        # with the bridge in one side, the average link of the two sides is (4 cos 2s + 2 cos s) / 6:
        # 0.501 at 35 degrees (merge), 0.371 at 40 (apart)
        n = len(set(_story_of(store, left + right + [bridge])))
        assert n == (1 if merged else 2)
        _check_index(store)


@pytest.mark.postgres
def test_stored_sums_match_their_members_after_batches_moves_and_merges(any_store):
    rng = np.random.default_rng(3)
    centres = [rng.normal(size=8) for _ in range(3)]
    ids = []
    for k in range(18):
        v = centres[k % 3] + 0.6 * rng.normal(size=8)
        ids.append(_article(any_store, k, [float(x) for x in v / np.linalg.norm(v)], day=1 + k % 3))
    for i in range(0, len(ids), 5):   # several calls: sums are carried over between calls through the store
        stories.assign(any_store, ids[i:i + 5], model=EMB_ONLY)
    _check_index(any_store)
    assert len(set(_story_of(any_store, ids))) <= 6


@pytest.mark.postgres
def test_shared_member_reps_follow_the_stored_text_when_it_changes(any_store):
    ids = [_article(any_store, k, _at(5 * k)) for k in range(4)]
    stories.assign(any_store, ids, model=EMB_ONLY)
    sid = _story_of(any_store, ids)[0]
    index = stories.StoryIndex(any_store, model=EMB_ONLY)

    def same(a: Rep, b: Rep) -> bool:
        return a.to_json() == b.to_json() and np.array_equal(a.emb, b.emb)

    first = index.member_reps_shared(sid)
    fresh = index.member_reps(sid)
    assert sorted(first) == sorted(fresh) and all(same(first[a], fresh[a]) for a in fresh)
    assert all(index.member_reps_shared(sid)[a] is first[a] for a in first)   # parsed once, then shared
    aid = sorted(first)[0]
    changed = Rep(vecs={"w": {"storm": 1.0}}, has={"w": 1.0}, emb=np.array([0.0, 1.0, 0.0]), emb_n=1.0, pub_sum=5.0, pub_n=1.0)
    any_store.execute("UPDATE story_reps SET rep=?, emb=? WHERE article_id=?", (changed.to_json(), changed.emb_bytes(), aid))
    after = stories.StoryIndex(any_store, model=EMB_ONLY).member_reps_shared(sid)
    assert same(after[aid], changed) and not same(after[aid], first[aid])


class _Boom(Exception):
    pass


def test_a_failing_call_leaves_the_index_as_it_was_and_the_next_call_completes(tmp_path, monkeypatch):
    from newstrace.store import open_store
    with open_store(str(tmp_path / "f.db")) as store:
        first = [_article(store, i, _at(5.0 * i)) for i in range(3)]
        stories.assign(store, first, model=EMB_ONLY)
        before = store.execute("SELECT story_id, size, touched FROM story_index ORDER BY story_id").fetchall()
        more = [_article(store, 20 + i, _at(3.0 * i)) for i in range(3)]
        real = stories.StoryIndex.flush

        def failing_flush(self):
            real(self)
            raise _Boom()   # after the sums were written and cached: the transaction must take all of it back

        monkeypatch.setattr(stories.StoryIndex, "flush", failing_flush)
        with pytest.raises(_Boom):
            stories.assign(store, more, model=EMB_ONLY)
        monkeypatch.setattr(stories.StoryIndex, "flush", real)
        assert store.execute("SELECT story_id, size, touched FROM story_index ORDER BY story_id").fetchall() == before
        assert all(store.article_state(a)["story_id"] is None for a in more)
        stories.assign(store, more, model=EMB_ONLY)
        assert len(set(_story_of(store, first + more))) == 1
        _check_index(store)


def test_the_in_batch_recheck_reads_the_latest_stories_per_term_as_the_stored_postings_are_read(tmp_path):
    """One call placing thousands of articles must not scan every story of a term (it made a 50,000-article
    ingest quadratic): like the stored postings, the call's own are read latest first, POSTING_LIMIT of them."""
    from newstrace.store.sqlite import SQLiteStore
    store = SQLiteStore(str(tmp_path / "s.db"))
    try:
        index = stories.StoryIndex(store, EMB_ONLY)
        rep = Rep(vecs={"w": {"harbourton": 1.0}})
        placed = [f"s-{i:03d}" for i in range(3 * stories.POSTING_LIMIT)]
        for sid in placed:
            index._postings(sid, rep, +1)
        index._postings(placed[0], rep, +1)          # touched again: now the latest
        index._postings(placed[-1], rep, -1)         # its last member left: gone from the postings
        index._postings(placed[-2], rep, +1)         # a second member (touched)...
        index._postings(placed[-2], rep, -1)         # ...that left again: the story stays, where the touch put it
        found = set(index.candidates(rep, local=True, limit=10 ** 6))
        latest = {placed[0], *placed[-stories.POSTING_LIMIT:-1]}   # s-000, then s-120 … s-178
        assert len(latest) == stories.POSTING_LIMIT
        assert found == latest
        index.forget_local(placed[0])                 # a dropped story is no candidate
        assert placed[0] not in index.candidates(rep, local=True, limit=10 ** 6)
    finally:
        store.close()
