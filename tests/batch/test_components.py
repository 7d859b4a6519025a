"""Spark's components (batch/graph.py): what the link stage co-locates, bounded so that no task links a whole archive."""
from __future__ import annotations

import pytest

from newstrace.batch.graph import bounded_components, connected_components

pytestmark = [pytest.mark.spark]


def groups(comp) -> list[set[str]]:
    by: dict[str, set[str]] = {}
    for r in comp.collect():
        by.setdefault(r["component"], set()).add(r["id"])
    return sorted(by.values(), key=lambda g: (-len(g), min(g)))


def clique(names: list[str], w: float) -> list[tuple[str, str, float]]:
    return [(a, b, w) for i, a in enumerate(names) for b in names[i + 1:]]


def test_components_follow_paths_and_keep_lone_articles(spark):
    verts = spark.createDataFrame([(f"v{i:02d}",) for i in range(10)], "id string")
    # a path 0-1-...-6 given out of order (needs several label rounds), a pair 7-8, 9 alone
    edges = spark.createDataFrame([("v05", "v06"), ("v00", "v01"), ("v03", "v04"), ("v02", "v03"), ("v01", "v02"),
                                   ("v04", "v05"), ("v08", "v07")], "a string, b string")
    comp = connected_components(verts, edges)
    assert groups(comp) == [{f"v{i:02d}" for i in range(7)}, {"v07", "v08"}, {"v09"}]
    assert {r["id"]: r["component"] for r in comp.collect()}["v06"] == "v00"   # labelled by the smallest id


def test_an_oversized_component_splits_at_its_weak_edges_and_small_ones_stay_whole(spark):
    left, right = [f"l{i}" for i in range(6)], [f"r{i}" for i in range(6)]
    weak = [("l0", "r0", 0.2), ("l3", "r5", 0.25)]          # one shared name, one reworded sentence
    small = [("s0", "s1", 0.1), ("s1", "s2", 0.1)]           # weak too, but its component is under the cap
    rows = clique(left, 0.9) + clique(right, 0.8) + weak + small
    verts = spark.createDataFrame([(v,) for v in left + right + ["s0", "s1", "s2", "x"]], "id string")
    edges = spark.createDataFrame(rows, "a string, b string, w double")

    comp, counts = bounded_components(verts, edges, cap=8)
    assert groups(comp) == [set(left), set(right), {"s0", "s1", "s2"}, {"x"}]
    assert counts["cut_edges"] == len(weak) and counts["largest_component"] == 6 and counts["split_rounds"] >= 1

    # with room for all, nothing is cut: the same components as without a bound
    whole, counts = bounded_components(verts, edges, cap=100)
    assert groups(whole) == groups(connected_components(verts, edges))
    assert counts == {"split_rounds": 0, "cut_edges": 0, "largest_component": 12}


def test_a_chain_of_equal_edges_still_ends_under_the_cap(spark):
    names = [f"c{i:02d}" for i in range(40)]
    verts = spark.createDataFrame([(v,) for v in names], "id string")
    edges = spark.createDataFrame([(a, b, 0.5) for a, b in zip(names, names[1:])], "a string, b string, w double")
    comp, counts = bounded_components(verts, edges, cap=10)
    got = groups(comp)
    assert max(len(g) for g in got) <= 10 and counts["largest_component"] <= 10
    assert set().union(*got) == set(names)                    # every article still has exactly one component
    assert sum(len(g) for g in got) == len(names)


def test_copy_edges_outrank_story_edges_when_a_component_must_split(spark):
    # Two copy chains (tier 1, weak scores: rewrites) joined by story-similarity edges (tier 0) far stronger
    # by weight: the split must cut the story edges, not the copies, as the copies are the surer evidence.
    left, right = [f"a{i}" for i in range(5)], [f"b{i}" for i in range(5)]
    copies = [(x, y, 0.3, 1) for part in (left, right) for x, y in zip(part, part[1:])]
    stories = [(x, y, 0.95, 0) for x in left[:2] for y in right[:2]]
    verts = spark.createDataFrame([(v,) for v in left + right], "id string")
    edges = spark.createDataFrame(copies + stories, "a string, b string, w double, tier int")
    comp, counts = bounded_components(verts, edges, cap=6)
    assert groups(comp) == [set(left), set(right)]
    assert counts["cut_edges"] == len(stories)
    # without tiers the same weights cut the weak copy chains instead
    flat, _ = bounded_components(verts, edges.drop("tier"), cap=6)
    assert groups(flat) != [set(left), set(right)]


def test_many_split_rounds_keep_the_planner_estimate_bounded(spark):
    # A chain with distinct weights and a small cap takes many rounds of cutting a tenth. Each round's
    # checkpoints used to carry their plan's size estimate, doubling its digits per join round, until the
    # planner ran out of heap (10,000 articles); the estimate must stay a plain number however many rounds.
    import random
    rng = random.Random(5)
    names = [f"p{i:02d}" for i in range(48)]
    verts = spark.createDataFrame([(v,) for v in names], "id string")
    edges = spark.createDataFrame([(a, b, rng.random()) for a, b in zip(names, names[1:])], "a string, b string, w double")
    comp, counts = bounded_components(verts, edges, cap=3)
    assert counts["split_rounds"] >= 5 and counts["largest_component"] <= 3
    assert sum(len(g) for g in groups(comp)) == len(names)
    estimate = comp._jdf.queryExecution().optimizedPlan().stats().sizeInBytes()
    assert len(str(estimate)) <= 20                           # at most Spark's default, Long.MaxValue
