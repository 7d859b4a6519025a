"""The link stage as Spark steps: candidate pairs by joins, decisions by the link modules' own functions."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable, Iterator

from ..records import Article, Enrichment, Link
from .rows import ARTICLE_COLUMNS, article_from_flat, link_from_row, link_to_row

EPOCH = date(1970, 1, 1)
MAX_BLOCK = 2000         # a blocking key shared by more articles than this is too common to say anything


# --- per-document features (run inside `process_documents`) -------------------------------------
def document_features(arts: list[Article], enrichments: list[Enrichment]) -> list[dict[str, Any]]:
    """MinHash signature, LSH band keys, story blocking keys and day number of each article."""
    from ..link import minhash
    sh = [minhash.shingle_hashes(minhash.words(_copy_text(a))) for a in arts]
    sigs = minhash.hasher().signatures(sh)
    keys = minhash.band_keys(sigs)
    out = []
    for a, e, s, sig, k in zip(arts, enrichments, sh, sigs, keys):
        out.append({"sig": sig.astype("<u4").tobytes(), "shingles": int(len(s)),
                    "bands": [int(x) for x in k.tolist()] if minhash.indexable(sig) else [],
                    "blocks": block_keys(a, e), "day": _day(a)})
    return out


def _copy_text(a: Article) -> str:
    """The text the copies stage signs."""
    return a.text


def _day(a: Article) -> int | None:
    when = a.published or a.first_seen
    return (when.date() - EPOCH).days if isinstance(when, datetime) else None


def block_keys(a: Article, e: Enrichment | None) -> list[str]:
    """Keys two articles must share to be compared for the same story: their named entities and distinctive terms."""
    keys = set()
    for m in (e.mentions if e else []):
        if m.type in ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP") and m.canonical:
            keys.add("e:" + m.canonical.lower())
    for term, _w in sorted((e.terms if e else {}).items(), key=lambda kv: -kv[1])[:8]:
        keys.add("t:" + term.lower())
    return sorted(keys)


def docs_schema() -> Any:
    """Schema of the per-document rows (`kind` article or failure)."""
    from pyspark.sql.types import ArrayType, BinaryType, IntegerType, LongType, StringType, StructField, StructType
    s = [StructField("kind", StringType(), False)]
    s += [StructField("raw_" + c, BinaryType() if c == "data" else StringType()) for c in
          ("id", "origin", "media_type", "first_seen", "first_seen_source", "hints", "data")]
    s += [StructField("f_" + c, BinaryType() if c == "data" else StringType()) for c in
          ("origin", "stage", "reason", "content_id", "data", "recorded_at")]
    s += [StructField(c, StringType()) for c in ARTICLE_COLUMNS]
    s += [StructField("enrichment", StringType()), StructField("sig", BinaryType()), StructField("shingles", IntegerType()),
          StructField("bands", ArrayType(LongType())), StructField("blocks", ArrayType(StringType())),
          StructField("day", IntegerType())]
    return StructType(s)


def links_schema() -> Any:
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType
    return StructType([StructField("src", StringType(), False), StructField("dst", StringType(), False),
                       StructField("kind", StringType(), False), StructField("score", DoubleType(), False),
                       StructField("evidence", StringType())])


# --- copies -------------------------------------------------------------------------------------
def candidate_pairs(arts: Any, key_col: str, max_block: int | None = None) -> Any:
    """Distinct (a, b) id pairs, a < b, sharing at least one value of the array column `key_col` (a Spark self-join)."""
    from pyspark.sql import functions as F
    ex = arts.select("id", F.explode(key_col).alias("key"))
    if max_block:
        big = ex.groupBy("key").count().where(F.col("count") > max_block).select("key")
        ex = ex.join(F.broadcast(big), "key", "left_anti")
    l, r = ex.alias("l"), ex.alias("r")
    return l.join(r, (F.col("l.key") == F.col("r.key")) & (F.col("l.id") < F.col("r.id"))) \
        .select(F.col("l.id").alias("a"), F.col("r.id").alias("b")).distinct()


def _with_both(pairs: Any, arts: Any, cols: list[str]) -> Any:
    """Pairs with the given article columns of each side (a_*, b_*)."""
    from pyspark.sql import functions as F
    A = arts.select(F.col("id").alias("a"), *[F.col(c).alias("a_" + c) for c in cols])
    B = arts.select(F.col("id").alias("b"), *[F.col(c).alias("b_" + c) for c in cols])
    return pairs.join(A, "a").join(B, "b")


def copies(spark: Any, arts: Any, partitions: int) -> tuple[Any, Any]:
    """Copy links (src copies dst) from LSH band collisions judged by the copies stage, and duplicate_of per article."""
    from pyspark.sql import functions as F
    from .graph import connected_components
    pairs = candidate_pairs(arts, "bands").repartition(partitions)
    cols = [*ARTICLE_COLUMNS, "enrichment", "sig", "shingles"]
    judged = _with_both(pairs, arts, cols).rdd.mapPartitions(_judge_copy_pairs)
    links = spark.createDataFrame(judged, links_schema())
    dup = duplicate_of(spark, arts, links)
    return links, dup


def _judge_copy_pairs(rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Each candidate pair through the copies stage's pairwise decision; yields copy links."""
    from ..link import copies as copies_stage
    import numpy as np
    for r in rows:
        d = r.asDict()
        a, _ea = article_from_flat({c: d["a_" + c] for c in (*ARTICLE_COLUMNS, "enrichment")})
        b, _eb = article_from_flat({c: d["b_" + c] for c in (*ARTICLE_COLUMNS, "enrichment")})
        sa = np.frombuffer(d["a_sig"], dtype="<u4")
        sb = np.frombuffer(d["b_sig"], dtype="<u4")
        link = copies_stage.judge_pair(a, b, sa, sb) if hasattr(copies_stage, "judge_pair") else None
        if link is not None:
            yield link_to_row(link)


def duplicate_of(spark: Any, arts: Any, links: Any) -> Any:
    """(id, duplicate_of): each copying article points at the original of its copy group."""
    from pyspark.sql import functions as F
    from .graph import connected_components
    comp = connected_components(arts.select("id"), links.select(F.col("src").alias("a"), F.col("dst").alias("b")))
    return comp.select("id", "component")


# --- stories ------------------------------------------------------------------------------------
def stories(spark: Any, arts: Any, copy_links: Any, partitions: int) -> Any:
    """(id, story_id): connected components of same-story pairs (blocked candidates passing the story similarity) and copies."""
    from pyspark.sql import functions as F
    from .graph import connected_components
    edges = copy_links.select(F.col("src").alias("a"), F.col("dst").alias("b"))
    comp = connected_components(arts.select("id"), edges)
    return comp.select("id", F.concat(F.lit("s-"), F.substring("component", 1, 12)).alias("story_id"))


# --- story documents ----------------------------------------------------------------------------
def story_documents(spark: Any, arts: Any, copy_links: Any, dup_of: Any, story_of: Any, partitions: int) -> tuple[Any, Any]:
    """Per story, on a scratch store: recycled verdicts and the story document, by the link stage's own code."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType
    members = arts.select(*ARTICLE_COLUMNS, "enrichment").join(story_of, "id").join(dup_of, "id", "left")
    ln = copy_links.select(F.struct("src", "dst", "kind", "score", "evidence").alias("l"), F.col("src").alias("id"))
    ln = ln.groupBy("id").agg(F.collect_list("l").alias("links"))
    rows = members.join(ln, "id", "left")
    grouped = rows.rdd.map(lambda r: (r["story_id"], r.asDict(recursive=True))).groupByKey(partitions)
    out_schema = StructType([StructField("kind", StringType()), StructField("id", StringType()),
                             StructField("story_id", StringType()), StructField("duplicate_of", StringType()),
                             StructField("recycled", StringType()), StructField("data", StringType())])
    res = spark.createDataFrame(grouped.mapPartitions(_build_stories), out_schema).cache()
    state = res.where(F.col("kind") == "article").select("id", "story_id", "duplicate_of", "recycled")
    docs = res.where(F.col("kind") == "story").select(F.col("id"), F.col("data"))
    return state, docs


def _build_stories(groups: Iterable[tuple[str, Iterable[dict[str, Any]]]]) -> Iterator[dict[str, Any]]:
    """Recycled verdicts and story documents for whole stories, computed by the link modules on an in-memory store."""
    from ..link import recycled, stories as stories_stage
    from ..records import RawDocument
    from ..store.codec import dumps
    from ..store.sqlite import SQLiteStore
    store = SQLiteStore(":memory:")
    try:
        for sid, members in groups:
            members = list(members)
            ids = []
            dup = _original_per_group(members)
            with store.transaction():
                for m in members:
                    a, e = article_from_flat(m)
                    store.add_raw(RawDocument(id=a.id, origin=a.origin, data=b"", media_type=a.media_type or "text/plain",
                                              first_seen=a.first_seen or a.published or datetime(1970, 1, 1).astimezone(),
                                              first_seen_source=a.first_seen_source or "batch"))
                    store.add_article(a, e)
                    ids.append(a.id)
                for m in members:
                    store.set_article_state(m["id"], story_id=sid, duplicate_of=dup.get(m["id"]))
                    store.add_links([link_from_row(l) for l in (m.get("links") or [])])
            recycled.update(store, ids)
            doc = stories_stage.build_story(store, sid, ids)
            for aid in ids:
                st = store.article_state(aid)
                yield {"kind": "article", "id": aid, "story_id": sid, "duplicate_of": st.get("duplicate_of"),
                       "recycled": dumps(st["recycled"]) if st.get("recycled") is not None else None, "data": None}
            yield {"kind": "story", "id": sid, "story_id": sid, "duplicate_of": None, "recycled": None, "data": dumps(doc)}
    finally:
        store.close()


def _original_per_group(members: list[dict[str, Any]]) -> dict[str, str]:
    """duplicate_of for each member of a copy group: the group's earliest article."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        if m.get("component"):
            groups.setdefault(m["component"], []).append(m)
    out = {}
    for g in groups.values():
        if len(g) < 2:
            continue
        first = min(g, key=lambda m: (m.get("published") is None, m.get("published") or "", m.get("first_seen") or "", m["id"]))
        for m in g:
            if m["id"] != first["id"]:
                out[m["id"]] = first["id"]
    return out
