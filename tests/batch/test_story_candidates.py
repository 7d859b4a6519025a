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
