"""Throughput and memory of the enrich stage (entities, places, quantities, quotes, events), per step.

usage: python bench/bench_enrich.py [--n 400] [--processes 1,2] [--data ../shared/data/ecbplus-dev.jsonl]

Baseline, in the same process and on the same texts: spaCy's own `nlp.pipe` with every component
(one process). Then newstrace's parse (same model + paragraph breaks, n processes), the extraction
modules on the parsed docs, and `enrich_articles(with_embeddings=False)` end to end. Ratios are
against the baseline, so a busy machine moves both sides alike.

Besides wall-clock rates, each step reports CPU seconds per article (this process plus its worker
processes): on a shared, overloaded machine wall time says little, CPU time does. The last line
projects the rate on two idle cores: parsing split over two workers, extraction in the main process.
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


def cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


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
    t, c = time.perf_counter(), cpu()
    list(base.pipe(texts, batch_size=64))
    base_dt = time.perf_counter() - t
    base_rate = len(arts) / base_dt
    n = len(arts)
    print(f"\n{'step':44s} {'articles/s':>10s} {'ratio':>7s} {'CPU ms/art':>10s} {'peak RSS MB':>12s}")
    print(f"{'baseline: spacy nlp.pipe (all comps, 1 proc)':44s} {base_rate:10.1f} {1.0:7.2f} {1000 * (cpu() - c) / n:10.1f} {rss_mb():12.0f}")
    del base

    parse_cpu = 0.0
    for k in [int(x) for x in args.processes.split(",")]:
        t, c = time.perf_counter(), cpu()
        docs = models.parse(texts, n_process=k)
        dt, dc = time.perf_counter() - t, cpu() - c
        parse_cpu = dc if k == 1 else parse_cpu
        print(f"{'newstrace parse, ' + str(k) + ' process(es)':44s} {n / dt:10.1f} {n / dt / base_rate:7.2f} {1000 * dc / n:10.1f} {rss_mb():12.0f}")

    shifts = [nlp.compose(a)[1] for a in arts]
    ments = []
    t, c = time.perf_counter(), cpu()
    for d, sh in zip(docs, shifts):
        ments.append(entities.extract(d, sh))
    dt, dc = time.perf_counter() - t, cpu() - c
    extract_cpu = dc
    print(f"{'  entities + places (on parsed docs)':44s} {n / dt:10.1f} {n / dt / base_rate:7.2f} {1000 * dc / n:10.1f} {rss_mb():12.0f}")
    for name, mod in (("quotes", quotes), ("quantities", quantities), ("events", events)):
        t, c = time.perf_counter(), cpu()
        for d, sh, m in zip(docs, shifts, ments):
            mod.extract(d, m, sh)
        dt, dc = time.perf_counter() - t, cpu() - c
        extract_cpu += dc
        print(f"{'  ' + name + ' (on parsed docs)':44s} {n / dt:10.1f} {n / dt / base_rate:7.2f} {1000 * dc / n:10.1f} {rss_mb():12.0f}")

    from newstrace.enrich import enrich_articles

    for k in [int(x) for x in args.processes.split(",")]:
        os.environ["NEWSTRACE_NLP_PROCESSES"] = str(k)
        t, c = time.perf_counter(), cpu()
        enrich_articles(arts, with_embeddings=False)
        dt, dc = time.perf_counter() - t, cpu() - c
        print(f"{'enrich_articles (no embeddings), ' + str(k) + ' proc':44s} {n / dt:10.1f} {n / dt / base_rate:7.2f} {1000 * dc / n:10.1f} {rss_mb():12.0f}")
    os.environ.pop("NEWSTRACE_NLP_PROCESSES", None)
    _ = nlp_model
    per_art = parse_cpu / 2 + extract_cpu   # parse on two workers, extraction in the main process
    print(f"\nprojected on 2 idle cores (CPU time): {n / per_art:.1f} articles/s "
          f"(parse {1000 * parse_cpu / n:.1f} ms/article over 2 workers, extraction {1000 * extract_cpu / n:.1f} ms/article)")
    print(f"memory: {rss_mb() - m0:.0f} MB above start (model, gazetteer, docs)")


if __name__ == "__main__":
    main()
