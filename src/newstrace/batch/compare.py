"""Agreement between two clusterings of the same articles (B-cubed), and the clusterings a store holds."""
from __future__ import annotations

from collections import defaultdict
from typing import Hashable, Mapping

from ..store import Store


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of `pred` against `gold` over the items both label."""
    items = [i for i in pred if i in gold]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "items": 0}
    by_p: dict[Hashable, set[str]] = defaultdict(set)
    by_g: dict[Hashable, set[str]] = defaultdict(set)
    for i in items:
        by_p[pred[i]].add(i)
        by_g[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        cp, cg = by_p[pred[i]], by_g[gold[i]]
        both = len(cp & cg)
        p += both / len(cp)
        r += both / len(cg)
    p, r = p / len(items), r / len(items)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "items": len(items)}


def story_clusters(store: Store) -> dict[str, str]:
    """Article id → story id."""
    return {a.id: store.article_state(a.id).get("story_id") or a.id for a in store.articles()}


def copy_clusters(store: Store) -> dict[str, str]:
    """Article id → its copy group (connected components of copy links and duplicate_of pointers)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ids = [a.id for a in store.articles()]
    for aid in ids:
        find(aid)
        dup = store.article_state(aid).get("duplicate_of")
        if dup:
            parent[find(aid)] = find(dup)
    for l in store.links(kind="copy"):
        parent[find(l.src)] = find(l.dst)
    return {aid: find(aid) for aid in ids}


def compare_with_pipeline(inputs: list[str], workdir: str, master: str = "local[2]", partitions: int | None = None) -> dict:
    """Run the single-machine pipeline and the Spark job on the same inputs; B-cubed agreement of stories and copies."""
    import time
    from pathlib import Path
    from ..ingest import iter_inputs
    from ..pipeline import ingest
    from ..store.sqlite import SQLiteStore
    from .job import run_batch
    from .load import load
    w = Path(workdir)
    w.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    single = SQLiteStore(str(w / "single.db"))
    ingest(iter_inputs(inputs), single)
    t1 = time.perf_counter()
    report = run_batch(inputs, str(w / "batch"), master=master, partitions=partitions)
    t2 = time.perf_counter()
    spark = SQLiteStore(str(w / "spark.db"))
    load(str(w / "batch"), spark)
    try:
        return {"articles": single.article_count(), "spark_articles": spark.article_count(),
                "stories": bcubed(story_clusters(spark), story_clusters(single)),
                "copies": bcubed(copy_clusters(spark), copy_clusters(single)),
                "n_stories": [len(single.stories()), len(spark.stories())],
                "n_copy_links": [len(single.links(kind="copy")), len(spark.links(kind="copy"))],
                "seconds": {"pipeline": round(t1 - t0, 1), "spark": round(t2 - t1, 1)}, "spark_times": report.times}
    finally:
        single.close()
        spark.close()
