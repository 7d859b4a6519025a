#!/usr/bin/env python3
"""Learn each language's mean USE v3 embedding from the dev texts: newstrace/data/embedding_means.json.

USE v3 gives every text of one language a common component of its own. Subtracting the language's mean before
the cosine (enrich/embed.py `centre`) takes it out: unrelated reports in one language score lower and reports of one
story in two languages score nearer one another.

Procedure (deterministic):
  1. The articles of the SemEval-2022 rated pairs (title line split off as devscore.py does) and of ECB+ are
     ingested with the real extract and enrich stages into scratch stores (shared with tools/learn_story_weights.py
     through --work).
  2. Each article's embedding, at unit length, is added to its detected language's sum. With --train-only, the
     articles of held-out pairs (crc32(pair_id) % 3 == 0, as learn_story_weights.py holds them out) are left out,
     so that the held-out figure of the weights tool sees no held-out text in the means either.
  3. A language with at least MIN_TEXTS articles gets its mean; "*" is the mean of those means (each language
     weighing the same), for the other languages USE v3 was trained on and for text of unknown language.

usage: learn_embedding_means.py [--work DIR] [--train-only] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from learn_story_weights import DEFAULT_DATA, DEFAULT_PAIRS, pairs_feed, prepare  # noqa: E402
from newstrace.enrich import embed  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

MIN_TEXTS = 30   # fewer texts give a mean that is mostly those texts' own topics


def language_sums(db: Path, skip: set[str] = frozenset()) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Sum of unit embeddings and article count per detected language, articles with external id in `skip` left out."""
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = defaultdict(int)
    with SQLiteStore(str(db)) as store:
        for a in store.articles():
            e = store.get_enrichment(a.id)
            if e is None or e.embedding is None or not a.language or str(a.external_id) in skip:
                continue
            v = np.asarray(e.embedding, dtype=np.float64)
            v /= np.linalg.norm(v) or 1.0
            lang = a.language.split("-")[0].lower()
            sums[lang] = sums.get(lang, 0.0) + v
            counts[lang] += 1
    return sums, counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newstrace-story-weights"))
    ap.add_argument("--train-only", action="store_true", help="leave out the texts of held-out rated pairs")
    ap.add_argument("--out", type=Path, default=embed.MEANS_PATH)
    ap.add_argument("--fold", type=int, choices=[0, 1, 2], default=0, help="the held-out third, as learn_story_weights.py --fold")
    args = ap.parse_args()
    import learn_story_weights
    learn_story_weights.HELD_FOLD = args.fold
    feed, rows = pairs_feed(DEFAULT_PAIRS, args.work)
    held = {r[k] for r in rows if r["held"] for k in ("id1", "id2")} if args.train_only else set()
    total: dict[str, np.ndarray] = {}
    counts: dict[str, int] = defaultdict(int)
    for db, skip in ((prepare(DEFAULT_DATA, args.work), set()), (prepare(feed, args.work, "pairs"), held)):
        s, c = language_sums(db, skip)
        for lang, v in s.items():
            total[lang] = total.get(lang, 0.0) + v
            counts[lang] += c[lang]
    means = {lang: total[lang] / counts[lang] for lang in sorted(total) if counts[lang] >= MIN_TEXTS}
    means["*"] = np.mean([means[k] for k in sorted(means)], axis=0)
    out = {"procedure": "tools/learn_embedding_means.py" + (" --train-only" if args.train_only else ""),
           "texts": {k: counts[k] for k in sorted(counts)}, "min_texts": MIN_TEXTS,
           "means": {k: [round(float(x), 6) for x in v] for k, v in means.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {args.out}: means of {', '.join(k for k in means if k != '*')} and '*' "
          f"(texts per language: {dict(sorted(counts.items()))})")


if __name__ == "__main__":
    main()
