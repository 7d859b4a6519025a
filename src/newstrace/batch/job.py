"""The Spark batch job: the pipeline's own stage functions over partitions; Spark finds what to compare.

Flow: inputs (via newstrace.ingest) → raw documents, deduplicated by content hash, in ingest order →
per partition extract → enrich → MinHash (`process_documents`, the one override point) → copy
candidates by an LSH band self-join, verified by the copies stage → story candidates retrieved on
distinctive terms as the story index does, scored by the story model → connected components → per group of components the
pipeline's `link.update_links` on a scratch store (see link_steps.py) → Parquet: raw, articles,
links, stories, failures, index. `newstrace load DIR` brings that into any store.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..records import Failure, RawDocument
from . import link_steps
from .rows import article_to_flat, failure_to_row, raw_to_row

BATCH_SIZE = 64          # documents per enrich call (models run once per batch, as in the pipeline)
# Articles one link task takes at most. The link stage's cost per article grows with the size of one call
# (in-batch story re-checks, recycled rounds: 36 ms/article at 2,000, 79 at 50,000), and at 50,000 synthetic
# articles chains of weak edges joined ~45,000 into one component: one task doing all the work alone.
MAX_COMPONENT = 2000
ARTICLES_PER_SHUFFLE_PARTITION = 1000   # the band and term joins grow with the corpus, not with the cores


@dataclass
class JobReport:
    """What one batch run produced, and how long each step took (seconds)."""

    out: str
    counts: dict[str, int] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)   # each step's (start, end), time.perf_counter()

    def summary(self) -> str:
        c = self.counts
        return (f"{c.get('articles', 0)} article(s), {c.get('copy_links', 0)} copy link(s), {c.get('stories', 0)} story(ies), "
                f"{c.get('failures', 0)} quarantined → {self.out}")


def _chunks(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def expand_inputs(specs: list[str]) -> list[str]:
    """Input units to spread over tasks: each file of a folder on its own (same selection as `ingest`), URLs as given."""
    from ..ingest.files import folder_inputs
    out: list[str] = []
    for spec in specs:
        p = Path(spec)
        if "://" in spec or not p.is_dir():
            out.append(spec)
            continue
        out.extend(str(f) for f in folder_inputs(p))
    return out


def read_unit(spec: str, allow_private: bool = False) -> Iterator[RawDocument | Failure]:
    """Raw documents and failures of one input unit (runs on the executors), via the ingest stage."""
    from ..ingest import iter_inputs
    yield from iter_inputs([spec], allow_private=allow_private)


class BatchJob:
    """A Spark job over news inputs. Subclasses override `process_documents` (per-document work) only."""

    name = "newstrace-batch"

    def __init__(self, spark: Any, out: str, partitions: int | None = None, allow_private: bool = False,
                 max_component: int = MAX_COMPONENT):
        self.spark = spark
        self.out = out
        self.partitions = partitions or max(2, spark.sparkContext.defaultParallelism * 2)
        self.allow_private = allow_private
        self.max_component = max_component
        # Spark's default of 200 shuffle partitions is meant for clusters: small local runs would spend their time scheduling.
        spark.conf.set("spark.sql.shuffle.partitions", str(self.partitions))

    # --- the override point ----------------------------------------------------------------
    def process_documents(self, items: Iterable[RawDocument]) -> Iterator[dict[str, Any]]:
        """Per-document work on one partition: extract → enrich → MinHash; yields `docs` rows (kind article|failure)."""
        from ..enrich import enrich_articles
        from ..pipeline import extract_or_fail
        for chunk in _chunks(items, BATCH_SIZE):
            arts, raws = [], []
            for raw in chunk:
                result = extract_or_fail(raw)
                if isinstance(result, Failure):
                    yield {"kind": "failure", **_prefixed("raw_", raw_to_row(raw)), **_prefixed("f_", failure_to_row(result))}
                else:
                    arts.append(result)
                    raws.append(raw)
            if not arts:
                continue
            enrichments = enrich_articles(arts)
            features = link_steps.document_features(arts, enrichments)
            for raw, a, e, feat in zip(raws, arts, enrichments, features):
                yield {"kind": "article", **_prefixed("raw_", raw_to_row(raw)), **article_to_flat(a, e), **feat}

    # --- the fixed flow --------------------------------------------------------------------------
    def run(self, inputs: list[str]) -> JobReport:
        """Run the whole job over `inputs` and write the Parquet outputs under `self.out`."""
        from pyspark.sql import functions as F
        from .graph import bounded_components

        report = JobReport(out=self.out)
        t = _Timer(report.times, report.spans)
        out = Path(self.out)
        if out.exists():
            shutil.rmtree(out)
        sc = self.spark.sparkContext
        units = expand_inputs(inputs)
        allow_private = self.allow_private

        with t("read+extract+enrich+minhash"):
            # Each document keeps its ingest order (input unit, position): the link stage's results may depend on it.
            items = sc.parallelize(list(enumerate(units)), max(1, len(units))) \
                .flatMap(lambda iu: ((iu[0], pos, x) for pos, x in enumerate(read_unit(iu[1], allow_private))))
            failed_inputs = items.filter(lambda t: isinstance(t[2], Failure)) \
                .map(lambda t: {"kind": "failure", **_prefixed("f_", failure_to_row(t[2]))})
            # Same bytes twice (re-ingest, mirrored inputs) → one document: the first in input order, as `ingest` keeps.
            raws = items.filter(lambda t: isinstance(t[2], RawDocument)).map(lambda t: (t[2].id, t)) \
                .reduceByKey(lambda a, b: a if a[:2] <= b[:2] else b, self.partitions).values()
            cls, state = type(self), {k: v for k, v in self.__dict__.items() if k != "spark"}  # the session stays on the driver
            docs_rdd = raws.mapPartitions(lambda part: _with_order(_on_executor(cls, state), part)).union(failed_inputs)
            docs = self.spark.createDataFrame(docs_rdd, link_steps.docs_schema())
            # The expensive per-document work is written once and read back: later steps never recompute it.
            docs.write.parquet(str(out / "_docs"))
            docs = self.spark.read.parquet(str(out / "_docs"))

        raw_cols = [c for c in docs.columns if c.startswith("raw_")]
        docs.where(F.col("raw_id").isNotNull()).select(*[F.col(c).alias(c[4:]) for c in raw_cols]).write.parquet(str(out / "raw"))
        f_cols = [c for c in docs.columns if c.startswith("f_")]
        docs.where(F.col("kind") == "failure").select(*[F.col(c).alias(c[2:]) for c in f_cols]).write.parquet(str(out / "failures"))
        arts = docs.where(F.col("kind") == "article").drop(*raw_cols, *f_cols, "kind").cache()
        n_articles = arts.count()
        # Spilling joins at 50,000 articles with 4 shuffle partitions: more, smaller ones as the corpus grows.
        self.spark.conf.set("spark.sql.shuffle.partitions",
                            str(max(self.partitions, -(-n_articles // ARTICLES_PER_SHUFFLE_PARTITION))))

        with t("copy candidates (LSH band join)"):
            cedges = link_steps.copy_edges(arts).cache()
            report.counts["copy_candidates"] = cedges.count()
        with t("story candidates (blocking + similarity)"):
            reps, story_df = link_steps.story_reps(arts)
            reps = reps.cache()
            sedges = link_steps.story_edges(arts, reps, story_df).cache()
            report.counts["story_candidates"] = sedges.count()
        with t("connected components"):
            # Verified copies (tier 1) are cut only after every story-similarity edge (tier 0) of their component.
            edges = cedges.withColumn("tier", F.lit(1)).unionByName(sedges.withColumn("tier", F.lit(0)))
            comp, split = bounded_components(arts.select("id"), edges, self.max_component)
            comp = comp.cache()
            report.counts["components"] = comp.select("component").distinct().count()
            report.counts.update(split)
        with t("link stage per component group"):
            # One partition is one `update_links` call: about max_component articles each, as one component is at most.
            res = link_steps.link_components(arts, comp, reps, max(self.partitions, -(-n_articles // self.max_component)))
            res.write.parquet(str(out / "_linked"))
            res = self.spark.read.parquet(str(out / "_linked"))
        with t("write articles, links, stories"):
            state = res.where(F.col("kind") == "article").select("id", "story_id", "duplicate_of", "recycled")
            arts.drop("terms", "bands", "probes").join(state, "id", "left").write.parquet(str(out / "articles"))
            res.where(F.col("kind") == "link").select(F.from_json("data", link_steps.links_schema()).alias("l")) \
                .select("l.*").write.parquet(str(out / "links"))
            res.where(F.col("kind") == "story").select("id", "data").write.parquet(str(out / "stories"))
            res.where(F.col("kind") == "index").select(F.col("id").alias("table"), "data").write.parquet(str(out / "index"))
        for tmp in ("_docs", "_linked"):
            shutil.rmtree(out / tmp, ignore_errors=True)
        for name in ("raw", "articles", "links", "stories", "failures", "index"):
            report.counts[name] = self.spark.read.parquet(str(out / name)).count()
        report.counts["copy_links"] = self.spark.read.parquet(str(out / "links")).where(F.col("kind") == "copy").count()
        (out / "_SUCCESS").write_text(f"{time.time()}\n")
        return report


def _with_order(job: "BatchJob", part: Iterable[tuple[int, int, RawDocument]]) -> Iterator[dict[str, Any]]:
    """`process_documents` over one partition, each row tagged with its document's ingest order."""
    order: dict[str, tuple[int, int]] = {}

    def raws() -> Iterator[RawDocument]:
        for unit, pos, raw in part:
            order[raw.id] = (unit, pos)
            yield raw

    for row in job.process_documents(raws()):
        row["unit"], row["pos"] = order.get(row.get("raw_id"), (None, None))
        yield row


def _on_executor(cls: type, state: dict[str, Any]) -> "BatchJob":
    """The job object rebuilt on an executor without its Spark session (which cannot leave the driver)."""
    job = cls.__new__(cls)
    job.__dict__.update(state, spark=None)
    return job


def _prefixed(prefix: str, row: dict[str, Any]) -> dict[str, Any]:
    return {prefix + k: v for k, v in row.items()}


class _Timer:
    """Times named steps into a dict (wall-clock seconds), and their spans (so a profiler can attribute CPU to steps)."""

    def __init__(self, into: dict[str, float], spans: dict[str, tuple[float, float]] | None = None):
        self.into = into
        self.spans = spans if spans is not None else {}

    def __call__(self, name: str) -> "_Timer":
        self.name = name
        return self

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        end = time.perf_counter()
        self.into[self.name] = round(end - self.t0, 3)
        self.spans[self.name] = (self.t0, end)


def run_batch(inputs: list[str], out: str, master: str | None = None, partitions: int | None = None,
              job_class: Callable[..., BatchJob] = BatchJob, allow_private: bool = False,
              max_component: int = MAX_COMPONENT) -> JobReport:
    """Start (or join) a Spark session, run the job, stop the session if this call started it."""
    from .session import spark_session
    from pyspark.sql import SparkSession
    existed = SparkSession.getActiveSession() is not None
    spark = spark_session(master, shuffle_partitions=partitions)
    try:
        return job_class(spark, out, partitions=partitions, allow_private=allow_private, max_component=max_component).run(inputs)
    finally:
        if not existed:
            spark.stop()
