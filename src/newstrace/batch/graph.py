"""Connected components of an undirected graph held in Spark DataFrames (min-label propagation with pointer jumping)."""
from __future__ import annotations

from typing import Any

MAX_ROUNDS = 64


def truncated(df: Any) -> Any:
    """`df` materialised with its plan cut off: a local checkpoint that forgets the plan's size estimate too.

    A checkpoint keeps the estimated size of the plan it replaces, and a join's estimate is the product of
    its sides', so through an iterative loop the estimate's digits double every round: after ~30 rounds the
    planner spent its time and heap (java.lang.OutOfMemoryError at 10,000 articles) multiplying BigIntegers.
    Rebuilt from its rows, the checkpoint gets Spark's default estimate; AQE still plans joins by real sizes.
    """
    cp = df.localCheckpoint()
    spark = cp.sparkSession
    from pyspark.sql import DataFrame
    return DataFrame(spark._jsparkSession.createDataFrame(cp._jdf.rdd(), cp._jdf.schema()), spark)


def connected_components(vertices: Any, edges: Any) -> Any:
    """DataFrame (id, component): every vertex labelled with the smallest id reachable from it.

    `vertices` has a string column `id`; `edges` has string columns `a`, `b` (direction ignored).
    Each round takes the minimum label over neighbours, then jumps labels to their own label
    (label := label(label)), so paths shrink geometrically instead of one hop per round.
    """
    from pyspark.sql import functions as F

    e = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).where(F.col("src") != F.col("dst"))
    # Checkpoints cut the lineage: each round joins the labels with themselves, so an unbroken plan would double per round.
    e = truncated(e.union(e.select(F.col("dst").alias("src"), F.col("src").alias("dst"))).distinct())
    labels = truncated(vertices.select("id").distinct().withColumn("label", F.col("id")))
    for round_no in range(1, MAX_ROUNDS + 1):
        via_edges = e.join(labels, e.src == labels.id).select(F.col("dst").alias("id"), F.col("label"))
        best = truncated(labels.union(via_edges).groupBy("id").agg(F.min("label").alias("label")))
        # Pointer jumping: a vertex whose label points at a vertex with a smaller label takes that one.
        hop = best.alias("x").join(best.alias("y"), F.col("x.label") == F.col("y.id"), "left") \
            .select(F.col("x.id").alias("id"), F.least(F.col("x.label"), F.coalesce(F.col("y.label"), F.col("x.label"))).alias("label"))
        hop = truncated(hop)
        changed = hop.join(labels.withColumnRenamed("label", "old"), "id").where(F.col("label") != F.col("old")).limit(1).count()
        labels = hop
        if not changed:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
    return labels.withColumnRenamed("label", "component")


SPLIT_QUANTILE = 0.1     # share of an oversized component's weakest edges cut per round
MAX_SPLIT_ROUNDS = 60


def bounded_components(vertices: Any, edges: Any, cap: int) -> tuple[Any, dict[str, int]]:
    """Connected components of at most `cap` vertices: an oversized one loses its weakest edges until it splits.

    `edges` has `a`, `b`, a weight `w` (how sure the edge is that both ends belong together, 0..1) and
    optionally an integer `tier`: edges of a higher tier are cut only when no lower-tier edge is left in the
    component (verified copies outrank story similarity, whose chains are what join unrelated events).
    Chains of weak edges (a shared name, one reworded sentence) can join most of a large corpus into one
    component, and one component is one task: each round cuts, inside every component above `cap`, the
    edges below its SPLIT_QUANTILE of (tier, w) (or its weakest level, if that holds the quantile), and
    recomputes components there; the rest is settled. Small steps, because such a graph falls apart
    suddenly: at 50,000 articles, one cut of a quarter of the edges took a component of most of them to pieces of 61.
    Returns the labels and counts: rounds, edges cut (ends now in different components), largest size.
    """
    from pyspark.sql import functions as F

    tier = F.col("tier").cast("double") if "tier" in edges.columns else F.lit(0.0)
    # One sortable key: w is in 0..1, so tier + min(w, 1) orders by tier first, then by weight.
    e = truncated(edges.select("a", "b", (tier + F.least(F.col("w").cast("double"), F.lit(1.0))).alias("w"))
                  .where(F.col("a") != F.col("b")))
    comp = connected_components(vertices, e)
    settled: list[Any] = []
    rounds = 0
    while True:
        sizes = comp.groupBy("component").agg(F.count("*").alias("n"))
        big = truncated(sizes.where(F.col("n") > cap).select("component"))
        if not big.limit(1).count():
            break
        rounds += 1
        if rounds > MAX_SPLIT_ROUNDS:
            raise RuntimeError(f"components still above {cap} vertices after {MAX_SPLIT_ROUNDS} split rounds")
        inside = comp.join(big, "component")
        settled.append(truncated(comp.join(big, "component", "left_anti")))
        within = e.join(inside.select(F.col("id").alias("a"), "component"), "a") \
            .join(inside.select(F.col("id").alias("b"), F.col("component").alias("cb")), "b") \
            .where(F.col("component") == F.col("cb"))
        bar = within.groupBy("component").agg(F.percentile_approx("w", SPLIT_QUANTILE).alias("bar"), F.min("w").alias("low"))
        # Below the quantile, or the weakest level alone when SPLIT_QUANTILE of the edges tie there (equal weights).
        keep = F.when(F.col("bar") > F.col("low"), F.col("w") >= F.col("bar")).otherwise(F.col("w") > F.col("low"))
        e = truncated(within.join(bar, "component").where(keep).select("a", "b", "w"))
        comp = connected_components(inside.select("id"), e)
    for part in settled:
        comp = comp.unionByName(part.select("id", "component"))
    comp = truncated(comp)
    labels = comp.select(F.col("id").alias("x"), F.col("component").alias("cx"))
    cut = edges.join(labels.withColumnRenamed("x", "a").withColumnRenamed("cx", "ca"), "a") \
        .join(labels.withColumnRenamed("x", "b").withColumnRenamed("cx", "cb"), "b") \
        .where(F.col("ca") != F.col("cb")).count()
    largest = comp.groupBy("component").count().agg(F.max("count")).first()[0] or 0
    return comp, {"split_rounds": rounds, "cut_edges": int(cut), "largest_component": int(largest)}
