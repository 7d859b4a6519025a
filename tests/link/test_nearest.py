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
