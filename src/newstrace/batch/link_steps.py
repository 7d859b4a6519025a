"""The link stage in Spark: joins find which articles belong together, the pipeline's own link code decides.

Spark's part is candidate generation and co-location, never the decisions:
1. copy candidates: LSH banding as a self-join on band keys (text and window probes, link.minhash),
   kept when the copies stage's own verification (link.copies.compare) finds shared passages;
2. story candidates: each article's distinctive terms (link.stories.query_terms: names, entities, words)
   retrieved as the single-machine index does (common terms skipped, the latest articles per term, the
   best-sharing partners kept), and its nearest earlier articles by multilingual embedding (as the index's
   link.nearest finds reports in other languages, which share no words), scored by the story model (link.similarity) under
   corpus-wide document frequencies, kept when the probability could let the stories stage join or
   merge them (a join needs the average link ≥ threshold, so at least one pair ≥ threshold);
3. connected components of both edge sets: articles that may end up linked are in one component; a component
   above the job's `max_component` loses its weakest edges until it splits (graph.bounded_components), because
   one component is one task and chains of weak edges can otherwise join most of an archive;
4. whole components are packed into partitions and each partition runs `newstrace.link.update_links`
   (copies → stories → recycled → story documents) on a scratch in-memory store whose story
   frequencies are seeded with the corpus-wide counts, so tf-idf weights equal a single-machine run's.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import numpy as np

from ..records import Article, Enrichment, RawDocument
from .rows import ARTICLE_COLUMNS, article_from_flat, link_to_row

NEIGHBOURS = 120         # earlier articles an article meets per query term (the index reads 60 stories per term)
TOP_PARTNERS = 24        # best-sharing partners scored per article (the index scores 12 stories per article)
REP_CACHE = 20000        # parsed story representations kept per Python worker
EMB_WINDOW = 20000       # earlier articles an article's embedding is compared with (the index: 50,000 recent stories' means)
EMB_PARTNERS = 12        # nearest earlier articles by embedding kept per article (the index: 6 stories)


# --- per-document features (run inside `process_documents`) -------------------------------------
def document_features(arts: list[Article], enrichments: list[Enrichment]) -> list[dict[str, Any]]:
    """MinHash signature, LSH band keys of the text and of its windows (link.minhash) and story terms of each article."""
    from ..link import minhash
    out = []
    for a, e in zip(arts, enrichments):
        sig, n, windows = minhash.text_signatures(a.text)
        bands = [int(x) for x in minhash.band_keys(sig)[0].tolist()] if minhash.indexable(sig) else []
        probes = [w for w in windows if minhash.indexable(w)]
        # Window probes find a short text contained in a longer one, as the copies stage's own queries do.
        probe_keys = sorted({int(x) for x in minhash.band_keys(np.array(probes)).ravel().tolist()} - set(bands)) if probes else []
        out.append({"sig": sig.astype("<u4").tobytes(), "shingles": int(n), "bands": bands, "probes": probe_keys,
                    "terms": json.dumps(story_terms(a, e), separators=(",", ":"))})
    return out


def story_terms(a: Article, e: Enrichment | None) -> dict[str, float]:
    """The terms the stories stage uses for an article (its enrichment's, else recomputed the same way)."""
    if e is not None and e.terms:
        return e.terms
    from ..enrich.embed import terms_of
    return terms_of(a, e)


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
          StructField("terms", StringType()),
          StructField("unit", IntegerType()), StructField("pos", LongType())]
    return StructType(s)


def links_schema() -> Any:
    """Schema of the `links` dataset."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType
    return StructType([StructField("src", StringType(), False), StructField("dst", StringType(), False),
                       StructField("kind", StringType(), False), StructField("score", DoubleType(), False),
                       StructField("evidence", StringType())])


# --- candidate pairs ------------------------------------------------------------------------------
def copy_edges(arts: Any) -> Any:
    """(a, b, w) pairs that the copies stage's own verification (`copies.compare`) finds copied or rewritten, w its score.

    Candidates: one article's band keys (text or window probes) equal to the other's text band keys,
    the same buckets the copies stage queries, in both directions; like that stage, which verifies at most
    `copies.MAX_CANDIDATES` per article, each article keeps that many partners, those sharing the most buckets
    (at 50,000 synthetic articles verifying every colliding pair ran for more than 30 minutes; 10 s at 2,000).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType
    from ..link.copies import MAX_CANDIDATES
    doc = arts.select("id", F.explode("bands").alias("key"))
    probe = arts.select("id", F.explode(F.concat("bands", "probes")).alias("key"))
    shared = probe.alias("p").join(doc.alias("d"), (F.col("p.key") == F.col("d.key")) & (F.col("p.id") != F.col("d.id"))) \
        .select(F.least("p.id", "d.id").alias("x"), F.greatest("p.id", "d.id").alias("y")) \
        .groupBy("x", "y").agg(F.count("*").alias("s"))
    pairs = best_partners(shared, MAX_CANDIDATES)
    text = arts.select("id", "text")
    both = pairs.join(text.withColumnRenamed("id", "a").withColumnRenamed("text", "ta"), "a") \
        .join(text.withColumnRenamed("id", "b").withColumnRenamed("text", "tb"), "b")

    @F.udf(DoubleType())
    def related(ta, tb):  # (no type hints: Spark would read them as a pandas UDF signature)
        from ..link.copies import compare
        found = compare(ta, tb)
        return None if found is None else float(found["score"])

    return both.select("a", "b", related("ta", "tb").alias("w")).where(F.col("w").isNotNull())


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


def story_candidates(order: Any, reps: Any, dfs: Any, n_docs: int) -> Any:
    """(a, b) id pairs, a < b, that the single-machine story index could look at together.

    Mirrors its retrieval (`StoryIndex.candidates`): an article's query terms (`qterms`), minus those too
    common to tell events apart; per term only the NEIGHBOURS articles before it in ingest order (the index
    reads the most recently touched stories per posting); pairs ranked by the idf of the terms they share,
    each article keeping its best TOP_PARTNERS. `order` has (id, unit, pos), `dfs` (key, df).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from ..link.similarity import PRIOR_DOCS
    from ..link.stories import COMMON_MIN_DOCS, COMMON_SHARE
    keyed = reps.select("id", F.explode("qterms").alias("key")).join(dfs, "key").join(order.select("id", "unit", "pos"), "id")
    if n_docs >= COMMON_MIN_DOCS:
        keyed = keyed.where(F.col("df") <= COMMON_SHARE * n_docs)
    rank = F.row_number().over(Window.partitionBy("key").orderBy("unit", "pos", "id"))
    # w = similarity.idf(df, n_docs), written as a column expression so the JVM computes it
    keyed = keyed.select("id", "key", F.log(F.lit(n_docs + PRIOR_DOCS + 1.0) / (F.col("df") + 0.5)).alias("w"),
                         rank.alias("rn")).withColumn("bucket", F.floor((F.col("rn") - 1) / NEIGHBOURS))
    # The NEIGHBOURS articles before one under a term lie in its bucket or the one before: a join linear in a term's articles.
    later = keyed.select(F.col("id").alias("b"), "key", "w", F.col("rn").alias("rb"),
                         F.explode(F.array(F.col("bucket"), F.col("bucket") - 1)).alias("bucket"))
    earlier = keyed.select(F.col("id").alias("a"), "key", F.col("rn").alias("ra"), "bucket")
    shared = later.join(earlier, ["key", "bucket"]) \
        .where((F.col("ra") < F.col("rb")) & (F.col("ra") >= F.col("rb") - NEIGHBOURS)) \
        .select(F.least("a", "b").alias("x"), F.greatest("a", "b").alias("y"), "w") \
        .groupBy("x", "y").agg(F.sum("w").alias("s"))
    return best_partners(shared, TOP_PARTNERS)


def embedding_candidates(order: Any, reps: Any, window: int = EMB_WINDOW, keep: int = EMB_PARTNERS) -> Any:
    """(a, b) id pairs, a < b: each article with its `keep` nearest articles by embedding among the `window`
    before it in ingest order (link.nearest.earlier_neighbours), cosine at least link.nearest.MIN_SCORE.

    Ranks are cut into buckets of `window`; a bucket's articles are compared with their own bucket and the
    one before, which hold every article within `window` ranks before them. `order` has (id, unit, pos).
    """
    from pyspark.sql.types import StringType, StructField, StructType
    rows = reps.where(reps["emb"].isNotNull()).select("id", "emb").join(order.select("id", "unit", "pos"), "id")
    ranked = rows.rdd.sortBy(lambda r: (r["unit"], r["pos"], r["id"])).zipWithIndex()
    keyed = ranked.flatMap(lambda x: [(x[1] // window, (x[1], x[0]["id"], bytes(x[0]["emb"]), True)),
                                      (x[1] // window + 1, (x[1], x[0]["id"], bytes(x[0]["emb"]), False))])

    def pairs(group: tuple[int, Iterable[tuple[int, str, bytes, bool]]]) -> Iterator[tuple[str, str]]:
        from ..link.nearest import earlier_neighbours
        members = sorted(group[1])
        if not any(m[3] for m in members):
            return
        embs = np.stack([np.frombuffer(m[2], dtype=np.float32) for m in members])
        found = earlier_neighbours(np.array([m[0] for m in members]), embs, np.array([m[3] for m in members]), window, keep)
        for i, j, _ in found:
            a, b = members[i][1], members[j][1]
            yield (a, b) if a < b else (b, a)

    schema = StructType([StructField("a", StringType()), StructField("b", StringType())])
    return reps.sparkSession.createDataFrame(keyed.groupByKey().flatMap(pairs), schema).distinct()


def best_partners(shared: Any, keep: int) -> Any:
    """(a, b) pairs, a < b, of (x, y, s) rows where b is among a's `keep` highest-s partners or a among b's."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    both_ways = shared.select(F.col("x").alias("me"), F.col("y").alias("other"), "s") \
        .union(shared.select(F.col("y").alias("me"), F.col("x").alias("other"), "s"))
    best = both_ways.withColumn("r", F.row_number().over(Window.partitionBy("me").orderBy(F.desc("s"), "other"))) \
        .where(F.col("r") <= keep)
    return best.select(F.least("me", "other").alias("a"), F.greatest("me", "other").alias("b")).distinct()


def story_edges(arts: Any, reps: Any, dfs: Any) -> Any:
    """(a, b, w): story candidate pairs (`story_candidates` by terms, `embedding_candidates` across languages) whose
    story probability w could let the stories stage join or merge them."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType
    pairs = story_candidates(arts, reps, dfs, arts.count()).union(embedding_candidates(arts, reps)).distinct()
    r = reps.select("id", "rep", "emb")
    both = pairs.join(r.select(F.col("id").alias("a"), F.col("rep").alias("ra"), F.col("emb").alias("ea")), "a") \
        .join(r.select(F.col("id").alias("b"), F.col("rep").alias("rb"), F.col("emb").alias("eb")), "b")

    @F.udf(DoubleType())
    def related(a, ra, ea, b, rb, eb):  # (no type hints: Spark would read them as a pandas UDF signature)
        from ..link.similarity import load_model
        m = load_model()
        p = m.score(_parsed_rep(a, ra, ea), _parsed_rep(b, rb, eb))
        return float(p) if p >= min(m.threshold, m.merge_threshold) else None

    return both.select("a", "b", related("a", "ra", "ea", "b", "rb", "eb").alias("w")).where(F.col("w").isNotNull())


_REPS: dict[str, Any] = {}


def _parsed_rep(aid: str, text: str, emb: bytes | None) -> Any:
    """An article's parsed representation, kept per Python worker: pairs after the join arrive grouped by one side."""
    from ..link.similarity import Rep
    rep = _REPS.get(aid)
    if rep is None:
        if len(_REPS) >= REP_CACHE:
            _REPS.clear()
        rep = _REPS[aid] = Rep.from_json(text, emb)
    return rep


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
