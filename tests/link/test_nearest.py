"""Stories found by embedding alone (link/nearest.py): reports that share no word still meet their story."""
from __future__ import annotations

import numpy as np

from newstrace.link import nearest
from newstrace.link.stories import StoryIndex
from newstrace.store import open_store


def _unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def test_nearest_ranks_by_mean_cosine_and_honours_exclude_and_only():
    vecs = nearest.StoryVectors()
    rng = np.random.default_rng(0)
    base = _unit(rng.standard_normal(512))
    # story "a": two members near `base` (sum of two unit vectors), "b": one member a bit further, "c": unrelated
    near = _unit(base + 0.3 * _unit(rng.standard_normal(512)))
    further = _unit(base + 1.0 * _unit(rng.standard_normal(512)))
    vecs.set("a", (base + near) / 2)
    vecs.set("b", further)
    vecs.set("c", _unit(rng.standard_normal(512)))
    assert vecs.nearest(base, 3) == ["a", "b"]          # "c" is below MIN_SCORE: no candidate at all
    assert vecs.nearest(base, 1) == ["a"]
    assert vecs.nearest(base, 3, exclude={"a"}) == ["b"]
    assert vecs.nearest(base, 3, only={"b", "c"}) == ["b"]
    vecs.set("a", None)                                  # a dropped story is never returned
    assert vecs.nearest(base, 3) == ["b"]
    assert vecs.nearest(None, 3) == [] and vecs.nearest(np.ones(384), 3) == []   # no or old-size embedding


def test_vectors_follow_the_store_and_rebuild_after_another_writer(tmp_path):
    """The matrix is kept in step by the index's own writes, and rebuilt when the store's clock moved elsewhere."""
    db = str(tmp_path / "v.db")
    rng = np.random.default_rng(1)
    e1, e2 = _unit(rng.standard_normal(512)), _unit(rng.standard_normal(512))
    with open_store(db) as store:
        from newstrace.link.similarity import Rep
        index = StoryIndex(store)
        index.put_story("s-one", Rep(emb=e1, emb_n=1.0, size=1.0), built_at=0)
        index.flush()
        index.save_clock()
        assert index.vectors.nearest(e1, 5) == ["s-one"]
        # a second writer (another process) adds a story and moves the clock: this process's matrix is stale
        store.execute("INSERT INTO story_index (story_id, size, centroid, emb, touched, built_at) VALUES (?,?,?,?,?,?)",
                      ("s-two", 2, Rep(size=2.0).to_json(), (2 * e2).astype(np.float32).tobytes(), 99, 0))
        store.set_meta("stories.clock", "99")
        again = StoryIndex(store)
        assert again.vectors is not index.vectors
        assert again.vectors.nearest(e2, 5) == ["s-two"]     # read back as the mean: sum / size
        assert StoryIndex(store).vectors is again.vectors    # unchanged clock: the same matrix is reused


def test_earlier_neighbours_look_back_only_within_the_window_and_keep_the_best():
    # The batch job's stand-in for the index's dense retrieval: article i meets only articles ranked before it,
    # at most `window` ranks back, and keeps its k most similar above MIN_SCORE.
    rng = np.random.default_rng(1)
    base = _unit(rng.standard_normal(512))
    rows = [_unit(rng.standard_normal(512)) for _ in range(8)]       # unrelated to base and to each other
    rows[1] = _unit(base + 0.2 * _unit(rng.standard_normal(512)))    # close to base
    rows[4] = _unit(base + 0.6 * _unit(rng.standard_normal(512)))    # less close
    rows[6] = base
    ranks = np.arange(8) * 10                                        # ranks need not be consecutive
    embs = np.stack(rows)
    queries = np.ones(8, dtype=bool)
    found = nearest.earlier_neighbours(ranks, embs, queries, window=80, k=2)
    by_query = {}
    for i, j, s in found:
        by_query.setdefault(i, []).append((j, round(s, 6)))
    # row 6 meets 1 and 4 (its best two), best first; nothing ranked after it, nothing unrelated
    assert [j for j, _ in by_query[6]] == [1, 4]
    assert by_query[6][0][1] > by_query[6][1][1] >= nearest.MIN_SCORE
    assert [j for j, _ in by_query[4]] == [1]                        # 6 comes later: never a partner of 4
    assert 1 not in by_query and 0 not in by_query                   # their predecessors are unrelated
    # a window of 40 ranks: row 6 (rank 60) reaches back to rank 20, so 1 (rank 10) is out of reach
    near = nearest.earlier_neighbours(ranks, embs, queries, window=40, k=2)
    assert [j for i, j, _ in near if i == 6] == [4]
    # only rows marked as queries look back
    only6 = nearest.earlier_neighbours(ranks, embs, np.arange(8) == 6, window=80, k=5)
    assert {i for i, _, _ in only6} == {6}
