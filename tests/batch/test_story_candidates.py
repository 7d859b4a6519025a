"""Spark's story candidates are retrieved as the single-machine story index retrieves them (batch/link_steps.py)."""
from __future__ import annotations

import pytest

from newstrace.batch import link_steps

pytestmark = [pytest.mark.spark]


def candidates(spark, terms: list[list[str]]) -> set[tuple[int, int]]:
    """Candidate pairs (as ingest positions) for articles 0..n-1 with the given query terms."""
    from collections import Counter
    df = Counter(t for ts in terms for t in set(ts))
    order = spark.createDataFrame([(f"a{i:05d}", 0, i) for i in range(len(terms))], "id string, unit int, pos long")
    reps = spark.createDataFrame([(f"a{i:05d}", ts) for i, ts in enumerate(terms)], "id string, qterms array<string>")
    dfs = spark.createDataFrame(list(df.items()), "key string, df int")
    rows = link_steps.story_candidates(order, reps, dfs, len(terms)).collect()
    return {(int(r["a"][1:]), int(r["b"][1:])) for r in rows}


def test_a_rare_name_pairs_reports_far_apart_and_a_common_word_pairs_nobody(spark):
    # 1,200 articles: all share one word (in every article, so too common to tell events apart), pairs of
    # neighbours share a story word, and two reports 1,000 positions apart share a rare name.
    terms = [["w:said", f"w:story{i // 2}"] for i in range(1200)]
    terms[100].append("c:zora quinn")
    terms[1100].append("c:zora quinn")
    pairs = candidates(spark, terms)
    assert (100, 1100) in pairs
    assert {(i, i + 1) for i in range(0, 1200, 2)} <= pairs
    # nothing else: the common word alone never makes a candidate
    assert pairs == {(i, i + 1) for i in range(0, 1200, 2)} | {(100, 1100)}


def test_each_article_meets_only_its_recent_predecessors_under_a_term_and_keeps_its_best_partners(spark):
    n = 400   # below the 1,000 articles from which common terms are skipped: one term shared by all
    terms = [["w:topic"] for _ in range(n)]
    terms[10].append("c:farid okafor")
    terms[390].append("c:farid okafor")
    pairs = candidates(spark, terms)
    near = [(a, b) for a, b in pairs if (a, b) != (10, 390)]
    assert (10, 390) in pairs            # the shared name outweighs the topic word: the best partner of both
    assert all(0 < b - a <= link_steps.NEIGHBOURS for a, b in near)
    # each article keeps its best TOP_PARTNERS (it may be chosen by more), and nobody is left without one
    assert len(pairs) <= n * link_steps.TOP_PARTNERS
    assert all(any(i in p for p in pairs) for i in range(n))
    # ties go to the earliest: the last article's partners are the 24 earliest of its 120 predecessors
    assert {a for a, b in near if b == n - 1} == set(range(n - 1 - link_steps.NEIGHBOURS, n - 1 - link_steps.NEIGHBOURS + link_steps.TOP_PARTNERS))


def test_reports_sharing_no_word_meet_by_embedding_within_the_window(spark):
    # Reports of one event in two languages share no term; the job pairs them by embedding, as the index's
    # dense retrieval does, but only within EMB_WINDOW articles of each other in ingest order.
    import numpy as np
    rng = np.random.default_rng(3)
    vecs = [rng.standard_normal(512) for _ in range(30)]
    vecs[25] = vecs[2] + 0.1 * rng.standard_normal(512)     # the same event, 23 positions later
    vecs[29] = vecs[0] + 0.1 * rng.standard_normal(512)     # the same event, 29 positions later: beyond a window of 25
    embs = [(v / np.linalg.norm(v)).astype(np.float32).tobytes() for v in vecs]
    # two input units, positions restarting in each: ingest order is unit, then position
    order = spark.createDataFrame([(f"a{i:05d}", i // 15, i % 15) for i in range(30)], "id string, unit int, pos long")
    reps = spark.createDataFrame([(f"a{i:05d}", bytearray(e)) for i, e in enumerate(embs)] + [("a99999", None)],
                                 "id string, emb binary")
    rows = link_steps.embedding_candidates(order, reps, window=25, keep=3).collect()
    pairs = {(int(r["a"][1:]), int(r["b"][1:])) for r in rows}
    assert (2, 25) in pairs
    assert (0, 29) not in pairs
    # random 512-dim vectors are near-orthogonal (cosine ~0.04), far below MIN_SCORE: no other pair
    assert pairs == {(2, 25)}
