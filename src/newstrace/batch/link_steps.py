"""The link stage in Spark: joins find which articles belong together, the pipeline's own link code decides.

Spark's part is candidate generation and co-location, never the decisions:
1. copy candidates: LSH banding as a self-join on band keys (text and window probes, link.minhash),
   kept when the copies stage's own verification (link.copies.compare) finds shared passages;
2. story candidates: blocking on each article's distinctive terms (link.stories.query_terms: names,
   entities, words; oversized blocks split by time), scored by the story model (link.similarity) under
   corpus-wide document frequencies, kept when the probability could let the stories stage join or
   merge them (a join needs the average link ≥ threshold, so at least one pair ≥ threshold);
3. connected components of both edge sets: articles that may end up linked are in one component;
4. whole components are packed into partitions and each partition runs `newstrace.link.update_links`
   (copies → stories → recycled → story documents) on a scratch in-memory store whose story
   frequencies are seeded with the corpus-wide counts, so tf-idf weights equal a single-machine run's.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any, Iterable, Iterator

import numpy as np

from ..records import Article, Enrichment, RawDocument
from .rows import ARTICLE_COLUMNS, article_from_flat, link_to_row

MAX_BLOCK = 2000         # blocks bigger than this are split by time window
TIME_WINDOW = 14         # days: the split window for oversized blocks (pairs within it always meet)
EPOCH = date(1970, 1, 1)


# --- per-document features (run inside `process_documents`) -------------------------------------
def document_features(arts: list[Article], enrichments: list[Enrichment]) -> list[dict[str, Any]]:
    """MinHash signature, LSH band keys of the text and of its windows (link.minhash), story terms and day of each article."""
    from ..link import minhash
    out = []
    for a, e in zip(arts, enrichments):
        sig, n, windows = minhash.text_signatures(a.text)
        bands = [int(x) for x in minhash.band_keys(sig)[0].tolist()] if minhash.indexable(sig) else []
        probes = [w for w in windows if minhash.indexable(w)]
        # Window probes find a short text contained in a longer one, as the copies stage's own queries do.
        probe_keys = sorted({int(x) for x in minhash.band_keys(np.array(probes)).ravel().tolist()} - set(bands)) if probes else []
        out.append({"sig": sig.astype("<u4").tobytes(), "shingles": int(n), "bands": bands, "probes": probe_keys,
                    "terms": json.dumps(story_terms(a, e), separators=(",", ":")), "day": _day(a)})
    return out


def story_terms(a: Article, e: Enrichment | None) -> dict[str, float]:
    """The terms the stories stage uses for an article (its enrichment's, else recomputed the same way)."""
    if e is not None and e.terms:
        return e.terms
    from ..enrich.embed import terms_of
    return terms_of(a, e)


def _day(a: Article) -> int | None:
    when = a.published or a.first_seen
    return (when.date() - EPOCH).days if isinstance(when, datetime) else None


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
          StructField("bands", ArrayType(LongType())), StructField("probes", ArrayType(LongType())),
          StructField("terms", StringType()), StructField("day", IntegerType()),
          StructField("unit", IntegerType()), StructField("pos", LongType())]
    return StructType(s)


def links_schema() -> Any:
    """Schema of the `links` dataset."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType
    return StructType([StructField("src", StringType(), False), StructField("dst", StringType(), False),
                       StructField("kind", StringType(), False), StructField("score", DoubleType(), False),
                       StructField("evidence", StringType())])


# --- candidate pairs ------------------------------------------------------------------------------
def candidate_pairs(keyed: Any, max_block: int | None = None) -> Any:
    """Distinct (a, b) id pairs, a < b, sharing a `key` in a DataFrame of (id, key[, day]) rows: a Spark self-join.

    Blocks larger than `max_block` are split into time windows: each article joins the keys of its window
    and the next, so every pair within the window still meets once.
    """
    from pyspark.sql import functions as F
    ex = keyed
    if max_block and "day" in keyed.columns:
        sizes = keyed.groupBy("key").count()
        ex = keyed.join(sizes, "key")
        win = F.floor(F.coalesce(F.col("day"), F.lit(0)) / TIME_WINDOW).cast("long")
        small = ex.where(F.col("count") <= max_block).select("id", "key")
        big = ex.where(F.col("count") > max_block)
        split = big.select("id", F.explode(F.array(
            F.concat_ws("#", F.col("key"), win.cast("string")),
            F.concat_ws("#", F.col("key"), (win - 1).cast("string")))).alias("key")).where(F.col("key").isNotNull())
        # An article keys into its window and the previous one: pairs closer than the window always share one.
        ex = small.union(split)
    else:
        ex = keyed.select("id", "key")
    l, r = ex.alias("l"), ex.alias("r")
    return l.join(r, (F.col("l.key") == F.col("r.key")) & (F.col("l.id") < F.col("r.id"))) \
        .select(F.col("l.id").alias("a"), F.col("r.id").alias("b")).distinct()


def copy_edges(arts: Any) -> Any:
    """(a, b) pairs that the copies stage's own verification (`copies.compare`) finds copied or rewritten.

    Candidates: one article's band keys (text or window probes) equal to the other's text band keys,
    the same buckets the copies stage queries, in both directions.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import BooleanType
    doc = arts.select("id", F.explode("bands").alias("key"))
    probe = arts.select("id", F.explode(F.concat("bands", "probes")).alias("key"))
    pairs = probe.alias("p").join(doc.alias("d"), (F.col("p.key") == F.col("d.key")) & (F.col("p.id") != F.col("d.id"))) \
        .select(F.least("p.id", "d.id").alias("a"), F.greatest("p.id", "d.id").alias("b")).distinct()
    text = arts.select("id", "text")
    both = pairs.join(text.withColumnRenamed("id", "a").withColumnRenamed("text", "ta"), "a") \
        .join(text.withColumnRenamed("id", "b").withColumnRenamed("text", "tb"), "b")

    @F.udf(BooleanType())
    def related(ta, tb):  # (no type hints: Spark would read them as a pandas UDF signature)
        from ..link.copies import compare
        return compare(ta, tb) is not None

    return both.where(related("ta", "tb")).select("a", "b")


def story_reps(arts: Any) -> tuple[Any, Any]:
    """Per article its story representation under corpus-wide document frequencies, and the frequencies (term, df)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, MapType, StringType, StructField, StructType, BinaryType, IntegerType
    keys = arts.select("id", F.explode(F.map_keys(F.from_json("terms", MapType(StringType(), StringType())))).alias("key"))
    df = keys.groupBy("key").agg(F.count("*").cast("int").alias("df")).cache()
    per = keys.join(df, "key").groupBy("id").agg(F.map_from_entries(F.collect_list(F.struct("key", "df"))).alias("dfs"))
    n_docs = arts.count()
    rows = arts.select("id", "published", "enrichment", "terms").join(per, "id", "left")
    schema = StructType([StructField("id", StringType()), StructField("rep", StringType()), StructField("emb", BinaryType()),
                         StructField("qterms", ArrayType(StringType())), StructField("dfs", MapType(StringType(), IntegerType()))])

    def build(part: Iterable[Any]) -> Iterator[tuple]:
        from ..link.similarity import represent
        from ..link.stories import query_terms
        from ..store.codec import parse_dt
        for r in part:
            terms = json.loads(r["terms"])
            emb = json.loads(r["enrichment"]).get("embedding") if r["enrichment"] else None
            dfs = dict(r["dfs"] or {})
            rep = represent(terms, emb, parse_dt(r["published"]), dfs, n_docs)
            yield (r["id"], rep.to_json(), rep.emb_bytes(), query_terms(rep), dfs)

    return arts.sparkSession.createDataFrame(rows.rdd.mapPartitions(build), schema), df


def story_edges(arts: Any, reps: Any) -> Any:
    """(a, b) pairs sharing a distinctive term (blocking) whose story probability could join or merge them."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import BooleanType
    keyed = reps.select("id", F.explode("qterms").alias("key")).join(arts.select("id", "day"), "id")
    pairs = candidate_pairs(keyed, MAX_BLOCK)
    r = reps.select("id", "rep", "emb")
    both = pairs.join(r.select(F.col("id").alias("a"), F.col("rep").alias("ra"), F.col("emb").alias("ea")), "a") \
        .join(r.select(F.col("id").alias("b"), F.col("rep").alias("rb"), F.col("emb").alias("eb")), "b")

    @F.udf(BooleanType())
    def related(ra, ea, rb, eb):  # (no type hints: Spark would read them as a pandas UDF signature)
        from ..link.similarity import Rep, load_model
        m = load_model()
        return m.score(Rep.from_json(ra, ea), Rep.from_json(rb, eb)) >= min(m.threshold, m.merge_threshold)

    return both.where(related("ra", "ea", "rb", "eb")).select("a", "b")


# --- the link stage per group of components ---------------------------------------------------------
def link_components(arts: Any, components: Any, reps: Any, partitions: int) -> Any:
    """Run the pipeline's link stage over whole components packed into partitions; rows of kind article|link|story."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType
    n_docs = arts.count()
    rows = arts.select(*ARTICLE_COLUMNS, "enrichment", "terms", "unit", "pos").join(components, "id").join(reps.select("id", "dfs"), "id")
    keyed = rows.rdd.map(lambda r: (r["component"], r.asDict())).partitionBy(partitions)
    schema = StructType([StructField("kind", StringType()), StructField("id", StringType()), StructField("story_id", StringType()),
                         StructField("duplicate_of", StringType()), StructField("recycled", StringType()),
                         StructField("data", StringType())])
    return arts.sparkSession.createDataFrame(keyed.mapPartitions(lambda part: _link_partition(part, n_docs)), schema)


def _link_partition(part: Iterable[tuple[str, dict[str, Any]]], n_docs: int) -> Iterator[dict[str, Any]]:
    """`update_links` on a scratch store holding this partition's components, with corpus-wide story frequencies."""
    from ..link import update_links
    from ..store.codec import dumps
    from ..store.sqlite import SQLiteStore
    # In ingest order, as the pipeline stores and links them (copy probing and story joins depend on order).
    members = sorted((m for _, m in part), key=lambda m: (m["unit"], m["pos"], m["id"]))
    if not members:
        return
    store = SQLiteStore(":memory:")
    try:
        ids = []
        with store.transaction():
            for m in members:
                a, e = article_from_flat(m)
                # the scratch store's articles need a raw row (foreign key); the bytes themselves are not needed here
                store.add_raw(RawDocument(id=a.id, origin=a.origin, data=b"", media_type=a.media_type or "text/plain",
                                          first_seen=a.first_seen or datetime(1970, 1, 1, tzinfo=timezone.utc),
                                          first_seen_source=a.first_seen_source or "batch"))
                store.add_article(a, e)
                ids.append(a.id)
            seed_story_frequencies(store, members, n_docs)
        update_links(store, ids)
        for aid in ids:
            st = store.article_state(aid)
            yield {"kind": "article", "id": aid, "story_id": st.get("story_id"), "duplicate_of": st.get("duplicate_of"),
                   "recycled": dumps(st["recycled"]) if st.get("recycled") is not None else None, "data": None}
        for l in store.links():
            yield {"kind": "link", "id": l.src, "story_id": None, "duplicate_of": None, "recycled": None, "data": dumps(link_to_row(l))}
        for s in store.stories():
            yield {"kind": "story", "id": s["id"], "story_id": s["id"], "duplicate_of": None, "recycled": None, "data": dumps(s)}
        for table, row in index_rows(store):
            yield {"kind": "index", "id": table, "story_id": None, "duplicate_of": None, "recycled": None, "data": row}
    finally:
        store.close()


def seed_story_frequencies(store: Any, members: list[dict[str, Any]], n_docs: int) -> None:
    """Pre-load the stories stage's document frequencies with the corpus-wide counts minus this partition's own.

    The stories stage counts the documents it is given (these members) on top of what is stored, so
    after it does, its frequencies equal the whole corpus's: the same tf-idf as one single-machine run.
    """
    own: dict[str, int] = {}
    total: dict[str, int] = {}
    for m in members:
        for k in json.loads(m["terms"]):
            own[k] = own.get(k, 0) + 1
        total.update(m.get("dfs") or {})
    rows = [(k, int(total.get(k, c)) - c) for k, c in own.items() if int(total.get(k, c)) - c > 0]
    for k, v in rows:
        store.execute("INSERT INTO story_df (term, df) VALUES (?, ?)", (k, v))
    store.set_meta("stories.n_docs", str(n_docs - len(members)))


# Tables whose content the batch outputs carry as records; every other table is a stage's index (MinHash buckets,
# story sums and postings, frequencies...) and is exported row by row so that `load` leaves a store that later
# `ingest` runs extend incrementally.
RECORD_TABLES = {"raw_documents", "quarantine", "articles", "enrichments", "links", "stories", "schema_migrations"}


def index_rows(store: Any) -> Iterator[tuple[str, str]]:
    """(table, row as JSON) of every stage index table in a scratch SQLite store, plus its meta rows."""
    import base64
    tables = [r[0] for r in store.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()]
    for t in tables:
        if t in RECORD_TABLES or t.startswith(("sqlite_", "articles_fts")):
            continue
        for r in store.execute(f'SELECT * FROM "{t}"').fetchall():
            row = {k: ({"$b64": base64.b64encode(bytes(v)).decode()} if isinstance(v, (bytes, memoryview)) else v)
                   for k, v in dict(r).items()}
            yield t, json.dumps(row, separators=(",", ":"))
