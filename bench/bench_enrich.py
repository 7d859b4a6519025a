"""Throughput and memory of the enrich stage (entities, places, quantities, quotes, events, dates), per step.

usage: python bench/bench_enrich.py [--n 300] [--data ../shared/data/ecbplus-dev.jsonl] [--embeddings]

All in one process, on the same texts, so a busy machine moves every row alike:
- baseline: spaCy's `nlp.pipe` with the model exactly as shipped (BLIS products, AttributeRuler), one process;
- newstrace parse: the same model with numpy's BLAS and the array-based tag table (enrich/models.py), one process;
- the extraction modules on the parsed docs, one by one;
- `enrich_articles(with_embeddings=False)` end to end (parse + extraction + dates), in this process (1 worker)
  and on the worker pool (2 workers, enrich/workers.py), pool started before timing;
- with --embeddings, also `enrich_articles()` with the MiniLM embedding on the pool.

Each row gives wall-clock articles/s, its ratio to the baseline, CPU ms per article (this process plus
the pool's workers, which report their own CPU time) and peak RSS. CPU time is what an overloaded shared
machine still measures honestly: the last lines project the rate on two idle cores as 2 / (CPU per
article) and print the load average seen during the run.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newstrace.enrich import entities, events, models, nlp, quantities, quotes, workers  # noqa: E402
from newstrace.records import Article  # noqa: E402


def cpu() -> float:
    """CPU seconds used so far by this process, its finished children and the live pool workers."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime + workers.worker_cpu_seconds


def rss_mb() -> float:
    """Peak resident memory of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Table:
    """Rows of one run, as ratios to the first (baseline) row."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.base: float | None = None
        self.loads: list[float] = []
        print(f"\n{'step':50s} {'articles/s':>10s} {'ratio':>7s} {'CPU ms/art':>10s} {'peak RSS MB':>12s}")

    def row(self, name: str, dt: float, dc: float) -> float:
        rate = self.n / dt
        self.base = self.base or rate
        self.loads.append(os.getloadavg()[0])
        print(f"{name:50s} {rate:10.1f} {rate / self.base:7.2f} {1000 * dc / self.n:10.1f} {rss_mb():12.0f}")
        return 1000 * dc / self.n


def timed(fn):  # type: ignore[no-untyped-def]
    """(result, wall seconds, CPU seconds) of fn()."""
    t, c = time.perf_counter(), cpu()
    res = fn()
    return res, time.perf_counter() - t, cpu() - c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/ecbplus-dev.jsonl"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--embeddings", action="store_true", help="also time enrich_articles with the MiniLM embedding")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")][:args.n]
    arts = [Article(id=r["id"], origin=r["id"], title=r.get("title"), text=r["text"]) for r in rows]
    texts = [nlp.compose(a)[0] for a in arts]
    shifts = [nlp.compose(a)[1] for a in arts]
    words = sum(len(t.split()) for t in texts)
    n = len(arts)
    print(f"{n} articles, {words / n:.0f} words each on average, {os.cpu_count()} cpus, load {os.getloadavg()}")
    m0 = rss_mb()
    from threadpoolctl import threadpool_limits

    stock = models.spacy_model(fast=False)
    fast = models.spacy_model()
    for m in (stock, fast):
        list(m.pipe(texts[:30]))  # warm up (lemmatizer cache, allocations)
    tab = Table(n)
    with threadpool_limits(1, user_api="blas"):
        _, dt, dc = timed(lambda: list(stock.pipe(texts, batch_size=64)))
        tab.row("baseline: spaCy nlp.pipe as shipped, 1 proc", dt, dc)
        docs, dt, dc = timed(lambda: models.parse(texts))
        parse_ms = tab.row("newstrace parse (numpy BLAS, tag table), 1 proc", dt, dc)
        ments, dt, dc = timed(lambda: [entities.extract(d, sh) for d, sh in zip(docs, shifts)])
        extract_ms = tab.row("  entities + places (on parsed docs)", dt, dc)
        for name, mod in (("quotes", quotes), ("quantities", quantities), ("events", events)):
            _, dt, dc = timed(lambda: [mod.extract(d, m, sh)
                                       for d, sh, m in zip(docs, shifts, ments)])
            extract_ms += tab.row(f"  {name} (on parsed docs)", dt, dc)
    del docs

    from newstrace.enrich import dates, enrich_articles
    from newstrace.records import Enrichment

    outs = [Enrichment(article_id=a.id) for a in arts]
    _, dt, dc = timed(lambda: dates.resolve(arts, outs))
    dates_ms = tab.row("  dates (regex + resolution)", dt, dc)

    os.environ["NEWSTRACE_NLP_PROCESSES"] = "1"
    _, dt, dc = timed(lambda: enrich_articles(arts, with_embeddings=False))
    one_ms = tab.row("enrich_articles (no embeddings), in process", dt, dc)
    os.environ["NEWSTRACE_NLP_PROCESSES"] = "2"
    enrich_articles(arts[:64], with_embeddings=False)  # start the pool outside the timing
    _, dt, dc = timed(lambda: enrich_articles(arts, with_embeddings=False))
    two_ms = tab.row("enrich_articles (no embeddings), 2 workers", dt, dc)
    two_rate = n / dt
    emb_ms = None
    if args.embeddings:
        enrich_articles(arts[:8])  # load MiniLM outside the timing
        _, dt, dc = timed(lambda: enrich_articles(arts))
        emb_ms = tab.row("enrich_articles (with embeddings), 2 workers", dt, dc)
    os.environ.pop("NEWSTRACE_NLP_PROCESSES", None)
    workers.shutdown()

    print(f"\nCPU per article: parse {parse_ms:.1f} ms + extraction {extract_ms:.1f} ms + dates {dates_ms:.1f} ms; "
          f"enrich_articles {one_ms:.1f} ms in process, {two_ms:.1f} ms on 2 workers")
    print(f"projected on 2 idle cores (2 / CPU per article, no embeddings): {2000 / two_ms:.1f} articles/s "
          f"(in-process CPU: {2000 / one_ms:.1f}); measured wall on 2 workers: {two_rate:.1f} articles/s")
    if emb_ms:
        print(f"projected on 2 idle cores with embeddings: {2000 / emb_ms:.1f} articles/s")
    print(f"load average during the run: {min(tab.loads):.1f}–{max(tab.loads):.1f} (2 cores; wall rates are only "
          f"meaningful near load 0)")
    print(f"memory: {rss_mb() - m0:.0f} MB above start (two models, gazetteer, docs)")


if __name__ == "__main__":
    main()
