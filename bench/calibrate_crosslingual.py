#!/usr/bin/env python3
"""USE v3 cosine of sentences across languages: where translations and unrelated sentences lie, and the
lexical similarity's values the claims thresholds were set on (for link/agreement.py's calibration).

- unrelated: every sentence pair of cross-lingual SemEval-2022 Task 8 dev pairs the raters called
  different stories (overall >= 3.5);
- same story: for each sentence of a cross-lingual pair called the same story (overall <= 1.5), its
  best match in the other article (a mix of translations, paraphrases and unrelated sentences);
- monolingual anchor: English same-story pairs, the cosine of sentence pairs by their lexical
  similarity (content-word Dice: the scale PARAPHRASE / SAME_CONTEXT / SAME_EVENT are on);
- the drills: every sentence of the ru/pl/uk reports of the seed event against the English seeds, the
  best matches printed for reading, and the calibrated score of each.

usage: PYTHONPATH=src .venv/bin/python bench/calibrate_crosslingual.py [--data ../shared/data/semeval8-pairs-dev.jsonl]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "src"))

from newstrace.enrich.embed import encode  # noqa: E402
from newstrace.link.agreement import calibrated_cosine, lexical_similarity  # noqa: E402

DEV = Path("/work/shared/data/semeval8-pairs-dev.jsonl")
_SPLIT = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if len(s.split()) >= 5 and len(s) < 400]


def vectors(texts: list[str]) -> dict[str, np.ndarray]:
    uniq = sorted(set(texts))
    return dict(zip(uniq, np.array(encode(uniq), dtype=np.float32)))


def pct(xs: list[float] | np.ndarray, ps=(50, 90, 99, 99.9)) -> str:
    xs = np.asarray(xs)
    return f"n={len(xs)} " + " ".join(f"p{p}={np.percentile(xs, p):.3f}" for p in ps) + f" max={xs.max():.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEV))
    ap.add_argument("--show", type=int, default=12)
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    cross = [r for r in rows if r["lang1"] != r["lang2"]]
    mono = [r for r in rows if r["lang1"] == r["lang2"] == "en" and r["overall"] <= 1.5]
    sents = {r["pair_id"]: (sentences(r["text1"]), sentences(r["text2"])) for r in cross + mono}
    vec = vectors([s for a, b in sents.values() for s in a + b])

    def cos(a: list[str], b: list[str]) -> np.ndarray:
        return np.array([vec[s] for s in a]) @ np.array([vec[s] for s in b]).T

    unrelated, best, best_pairs = [], [], []
    for r in cross:
        a, b = sents[r["pair_id"]]
        if not a or not b:
            continue
        m = cos(a, b)
        if r["overall"] >= 3.5:
            unrelated.extend(m.ravel().tolist())
        elif r["overall"] <= 1.5:
            best.extend(m.max(axis=1).tolist())
            i, j = np.unravel_index(m.argmax(), m.shape)
            best_pairs.append((float(m[i, j]), r["lang1"], r["lang2"], a[i], b[j]))
    print(f"cross-lingual pairs: {sum(r['overall'] >= 3.5 for r in cross)} different stories, {sum(r['overall'] <= 1.5 for r in cross)} same story")
    print("unrelated sentence pairs (different stories):  ", pct(unrelated))
    print("best match per sentence (same story):          ", pct(best, (10, 50, 90, 99)))
    lex_bins: dict[str, list[float]] = {"<0.1": [], "0.1-0.3": [], "0.3-0.5": [], "0.5-0.8": [], ">=0.8": []}
    for r in mono:
        a, b = sents[r["pair_id"]]
        if not a or not b:
            continue
        m = cos(a, b)
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                lx = lexical_similarity(x, y)
                k = "<0.1" if lx < 0.1 else "0.1-0.3" if lx < 0.3 else "0.3-0.5" if lx < 0.5 else "0.5-0.8" if lx < 0.8 else ">=0.8"
                lex_bins[k].append(float(m[i, j]))
    print("English same-story sentence pairs, cosine by lexical similarity:")
    for k, xs in lex_bins.items():
        if xs:
            print(f"   lexical {k:8s} cosine", pct(xs, (10, 50, 90)))
    print(f"top cross-lingual best matches of same-story pairs (cosine → calibrated):")
    for c, l1, l2, a, b in sorted(best_pairs, reverse=True)[: args.show]:
        print(f"   {c:.3f} → {calibrated_cosine(c):.2f} [{l1}-{l2}] {a[:110]!r}\n{'':21s}{b[:110]!r}")
    # the drills: foreign reports of the seed event vs the English seeds
    fix = [json.loads(line) for line in open(ROOT / "tests/fixtures/multilingual/drills-2021.jsonl", encoding="utf-8")]
    gold = json.loads((ROOT / "tests/fixtures/multilingual/drills-2021.gold.json").read_text())
    en = [s for p in sorted((ROOT / "examples/seeds").glob("*.txt")) for s in sentences(p.read_text(encoding="utf-8"))]
    vec.update(vectors(en + [s for r in fix for s in sentences(r["text"])]))
    for same in (True, False):
        print(f"drills ({'same event' if same else 'other events'}) sentence vs English seed sentences, best matches:")
        for r in fix:
            if gold[r["id"]] != same:
                continue
            fs = sentences(r["text"])
            m = cos(fs, en)
            for i in np.argsort(-m.max(axis=1))[:3]:
                j = int(m[i].argmax())
                print(f"   {m[i, j]:.3f} → {calibrated_cosine(float(m[i, j])):.2f} [{r['id'][:2]}] {fs[i][:100]!r}\n{'':21s}{en[j][:100]!r}")


if __name__ == "__main__":
    main()
