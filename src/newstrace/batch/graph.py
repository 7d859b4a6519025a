"""Connected components of an undirected graph held in Spark DataFrames (min-label propagation with pointer jumping)."""
from __future__ import annotations

from typing import Any

MAX_ROUNDS = 64


def connected_components(vertices: Any, edges: Any) -> Any:
    """DataFrame (id, component): every vertex labelled with the smallest id reachable from it.

    `vertices` has a string column `id`; `edges` has string columns `a`, `b` (direction ignored).
    Each round takes the minimum label over neighbours, then jumps labels to their own label
    (label := label(label)), so paths shrink geometrically instead of one hop per round.
    """
    from pyspark.sql import functions as F

    e = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).where(F.col("src") != F.col("dst"))
    # Checkpoints cut the lineage: each round joins the labels with themselves, so an unbroken plan would double per round.
    e = e.union(e.select(F.col("dst").alias("src"), F.col("src").alias("dst"))).distinct().localCheckpoint()
    labels = vertices.select("id").distinct().withColumn("label", F.col("id")).localCheckpoint()
    for round_no in range(1, MAX_ROUNDS + 1):
        via_edges = e.join(labels, e.src == labels.id).select(F.col("dst").alias("id"), F.col("label"))
        best = labels.union(via_edges).groupBy("id").agg(F.min("label").alias("label")).localCheckpoint()
        # Pointer jumping: a vertex whose label points at a vertex with a smaller label takes that one.
        hop = best.alias("x").join(best.alias("y"), F.col("x.label") == F.col("y.id"), "left") \
            .select(F.col("x.id").alias("id"), F.least(F.col("x.label"), F.coalesce(F.col("y.label"), F.col("x.label"))).alias("label"))
        hop = hop.localCheckpoint()
        changed = hop.join(labels.withColumnRenamed("label", "old"), "id").where(F.col("label") != F.col("old")).limit(1).count()
        labels = hop
        if not changed:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
    return labels.withColumnRenamed("label", "component")
