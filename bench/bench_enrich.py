"""Throughput and memory of the enrich stage (entities, places, quantities, quotes, events), per step.

usage: python bench/bench_enrich.py [--n 400] [--processes 1,2] [--data ../shared/data/ecbplus-dev.jsonl]

Baseline, in the same process and on the same texts: spaCy's own `nlp.pipe` with every component
(one process). Then newstrace's parse (same model + paragraph breaks, n processes), the extraction
modules on the parsed docs, and `enrich_articles(with_embeddings=False)` end to end. Ratios are
against the baseline, so a busy machine moves both sides alike.
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

from newstrace.enrich import entities, events, models, nlp, quantities, quotes  # noqa: E402
from newstrace.records import Article  # noqa: E402


def rss_mb() -> float:
    """Peak resident memory of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/ecbplus-dev.jsonl"))
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--processes", default="1,2")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")][:args.n]
    arts = [Article(id=r["id"], origin=r["id"], title=r.get("title"), text=r["text"]) for r in rows]
    texts = [nlp.compose(a)[0] for a in arts]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(arts)} articles, {words / len(arts):.0f} words each on average, {os.cpu_count()} cpus")
    m0 = rss_mb()
    nlp_model = models.spacy_model()
    import spacy  # noqa: F401

    base = spacy.load(models.SPACY_MODEL)
    list(base.pipe(texts[:20]))  # warm up
    t = time.perf_counter()
    list(base.pipe(texts, batch_size=64))
    base_dt = time.perf_counter() - t
    base_rate = len(arts) / base_dt
    print(f"\n{'step':42s} {'articles/s':>10s} {'ratio':>7s} {'peak RSS MB':>12s}")
    print(f"{'baseline: spacy nlp.pipe (all comps, 1 proc)':42s} {base_rate:10.1f} {1.0:7.2f} {rss_mb():12.0f}")
    del base

    for n in [int(x) for x in args.processes.split(",")]:
        t = time.perf_counter()
        docs = models.parse(texts, n_process=n)
        dt = time.perf_counter() - t
        print(f"{'newstrace parse, ' + str(n) + ' process(es)':42s} {len(arts) / dt:10.1f} {len(arts) / dt / base_rate:7.2f} {rss_mb():12.0f}")

    shifts = [nlp.compose(a)[1] for a in arts]
    ments = []
    t = time.perf_counter()
    for d, s in zip(docs, shifts):
        ments.append(entities.extract(d, s))
    dt = time.perf_counter() - t
    print(f"{'  entities + places (on parsed docs)':42s} {len(arts) / dt:10.1f} {len(arts) / dt / base_rate:7.2f} {rss_mb():12.0f}")
    for name, mod in (("quotes", quotes), ("quantities", quantities), ("events", events)):
        t = time.perf_counter()
        for d, s, m in zip(docs, shifts, ments):
            mod.extract(d, m, s)
        dt = time.perf_counter() - t
        print(f"{'  ' + name + ' (on parsed docs)':42s} {len(arts) / dt:10.1f} {len(arts) / dt / base_rate:7.2f} {rss_mb():12.0f}")

    from newstrace.enrich import enrich_articles

    for n in [int(x) for x in args.processes.split(",")]:
        os.environ["NEWSTRACE_NLP_PROCESSES"] = str(n)
        t = time.perf_counter()
        enrich_articles(arts, with_embeddings=False)
        dt = time.perf_counter() - t
        print(f"{'enrich_articles (no embeddings), ' + str(n) + ' proc':42s} {len(arts) / dt:10.1f} {len(arts) / dt / base_rate:7.2f} {rss_mb():12.0f}")
    os.environ.pop("NEWSTRACE_NLP_PROCESSES", None)
    _ = nlp_model
    print(f"\nmemory: {rss_mb() - m0:.0f} MB above start (model, gazetteer, docs)")


if __name__ == "__main__":
    main()
