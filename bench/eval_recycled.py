#!/usr/bin/env python3
"""Recycled detection and copy linking on the seeded corpus built from the real ECB+ dev articles.

Builds the corpus (tests/corpus/generate.py), ingests it with the real pipeline into a fresh
SQLite store, and prints recycled precision/recall/F1, the false-positive rate among genuine
articles and the share of copies linked to their original — for the dev topics and for the
held-out topics (every fourth topic, never used for tuning).

usage: .venv/bin/python bench/eval_recycled.py [--seed 7] [--split dev|held-out|both] [--records] [--errors N]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from corpus.generate import build, load_dev, split_topics  # noqa: E402
from corpus.score import score  # noqa: E402


def run(topics: list[str], seed: int, pages: bool, workdir: Path, embeddings: bool) -> dict:
    """Build, ingest and score one split."""
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import ingest
    from newstrace.store import open_store
    corpus = build(seed=seed, topics=topics)
    paths = corpus.write(workdir / "corpus", pages=pages)
    store = open_store(str(workdir / "eval.db"))
    t0 = time.perf_counter()
    if not embeddings:
        import newstrace.enrich as enrich_mod
        import newstrace.pipeline as pipeline_mod
        pipeline_mod.enrich_articles = lambda arts: enrich_mod.enrich_articles(arts, with_embeddings=False)
    report = ingest(iter_inputs([str(p) for p in paths]), store)
    took = time.perf_counter() - t0
    result = score(corpus, store)
    result["ingest_seconds"] = round(took, 1)
    result["quarantined"] = [(f.origin, f.reason) for f in report.failed][:10]
    store.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split", choices=("dev", "held-out", "both"), default="both")
    ap.add_argument("--topics", help="comma-separated topics instead of a split (for quick runs)")
    ap.add_argument("--records", action="store_true", help="copies as JSONL records (chrome kept in the text) instead of .txt pages")
    ap.add_argument("--no-embeddings", dest="embeddings", action="store_false", help="skip sentence embeddings while ingesting (faster; stories may differ)")
    ap.add_argument("--errors", type=int, default=15, help="how many misjudged items to print")
    ap.add_argument("--keep", help="folder to keep the corpus and store in")
    args = ap.parse_args()
    dev, held = split_topics(load_dev())
    splits = {"dev": dev, "held-out": held}
    chosen = ["dev", "held-out"] if args.split == "both" else [args.split]
    if args.topics:
        splits["custom"] = args.topics.split(",")
        chosen = ["custom"]
    for name in chosen:
        work = Path(args.keep) / name if args.keep else Path(tempfile.mkdtemp(prefix=f"nt-eval-{name}-"))
        work.mkdir(parents=True, exist_ok=True)
        r = run(splits[name], args.seed, not args.records, work, args.embeddings)
        rc = r["recycled"]
        print(f"== {name} topics {','.join(splits[name])}: {r['stored']}/{r['items']} items stored, ingest {r['ingest_seconds']} s")
        print(f"   recycled  P={rc['precision']:.3f} R={rc['recall']:.3f} F1={rc['f1']:.3f}  (tp {rc['tp']} fp {rc['fp']} fn {rc['fn']} tn {rc['tn']})   target F1 >= 0.95")
        print(f"   false-positive rate among genuine articles: {r['false_positive_rate']:.4f}   target <= 0.01")
        cl = r["copies_linked"]
        print(f"   copies linked to their original: {cl['ok']}/{cl['total']} = {cl['rate']:.3f}   target >= 0.98")
        print(f"   false copy links across stories: {r['false_copy_links_across_stories']}")
        print(f"   verdicts citing an article outside their story and copies: {r['evidence_outside_story']}   target 0")
        print(f"   accuracy by kind: {json.dumps(r['accuracy_by_kind'])}")
        if r["n_missing"]:
            print(f"   not stored: {r['n_missing']} e.g. {r['missing'][:5]}; quarantined: {r['quarantined'][:3]}")
        for e in r["errors"][:args.errors]:
            print("   x", json.dumps(e, ensure_ascii=False)[:300])


if __name__ == "__main__":
    main()
