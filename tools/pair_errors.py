#!/usr/bin/env python3
"""List every rated pair the shipped story model decides wrongly after clustering the whole pool (error analysis).

The rated pairs' articles are clustered as tools/learn_story_weights.py does (its `--work` store, built on first use),
then each false merge (FM: different stories, one story) and split (SPLIT: one story, two) is printed as a JSON line:
languages, held-out split or not, rating, text lengths, the pair's own log-odds beside the join threshold's, the sizes of
the two stories, the days with a month name (extract/dates.py `day_months`), the numbers of each side, the non-zero
features and the openings of both texts.

usage: pair_errors.py [--work DIR] [--weights FILE]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learn_story_weights import DEFAULT_PAIRS, ROOT, PairSet, cluster  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
from newstrace.enrich.embed import _numbers  # noqa: E402
from newstrace.extract.dates import day_months  # noqa: E402
from newstrace.link import similarity  # noqa: E402
from newstrace.link.similarity import FEATURES, features  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newstrace-story-weights"))
    ap.add_argument("--weights", help="story weights to judge (default: the shipped ones)")
    args = ap.parse_args()
    ps = PairSet(DEFAULT_PAIRS, args.work)
    model = similarity.load_model(args.weights)
    story = cluster(ps.db, args.work, ps.ids, model)
    size = Counter(story.values())
    tp = fp = fn = 0
    out = []
    for r in ps.rows:
        a, b = ps.ext.get(r["id1"]), ps.ext.get(r["id2"])
        if a is None or b is None:
            continue
        same, gold = story[a] is not None and story[a] == story[b], r["overall"] <= 1.5
        tp += same and gold; fp += same and not gold; fn += gold and not same
        if same == gold:
            continue
        f = features(ps.reps[a], ps.reps[b])
        t1, t2 = r["text1"], r["text2"]
        out.append({"kind": "FM" if same else "SPLIT", "pair": r["pair_id"], "held": r["held"],
                    "langs": f"{r['lang1']}-{r['lang2']}", "overall": round(r["overall"], 2), "chars": [len(t1), len(t2)],
                    "logit": round(model.logit(f), 2), "sizes": [size[story[a]], size[story[b]]],
                    "days": [sorted(day_months(t1)), sorted(day_months(t2))],
                    "numbers": [sorted(set(_numbers(t1)))[:15], sorted(set(_numbers(t2)))[:15]],
                    "features": {k: round(float(v), 2) for k, v in zip(FEATURES, f) if v},
                    "text1": t1[:200].replace("\n", " | "), "text2": t2[:200].replace("\n", " | ")})
    p, rc = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(f"pairs P {p:.3f} R {rc:.3f} F1 {2 * p * rc / max(p + rc, 1e-9):.4f}; {fp} false merges, {fn} splits; "
          f"join threshold log-odds {math.log(model.threshold / (1 - model.threshold)):.2f}")
    for o in sorted(out, key=lambda o: (o["kind"], o["langs"], -o["logit"])):
        print(json.dumps(o, ensure_ascii=False))


if __name__ == "__main__":
    main()
