#!/usr/bin/env python3
"""Whether the embedding gains from reading past title + first 1,000 characters: pairwise oracles of USE v3 variants.

usage: python bench/eval_embedding_reach.py [--work DIR]

Variants of each article's vector, from the text enrich reads (`Article.head()`, "title\\ntext"):
  head: the first 1,000 characters (what enrich/embed.py encodes); tailN: the body's last N characters;
  chunkmean: the unit mean of the consecutive 1,000-character chunks (at most 4; the first is the head);
  A+B: the unit sum of two unit vectors; "cos A + cos B": the sum of the two products; chunk max: the best product over
  the two articles' chunk pairs; alignment: the mean of each chunk's best product, both ways.
Rated pairs (SemEval-2022 Task 8, clear cases as devscore.py, held out when crc32(pair_id) % 3 == 0, as
tools/learn_story_weights.py): vectors centred on their language's mean from the train split's articles only, the
product of centred unit vectors as the model takes it; best-threshold F1 on all pairs, on the train split, on the
held-out split at the train split's threshold, across and within languages; average precision where both sides are
longer than 1,100 characters. ECB+ (English, full texts, plain cosine as the English logistic takes it): best F1 over
all pairs, train topics and held-out topics at the train threshold (seed 13, as the weights tool), and within topics
(similar events) F1 and average precision, also where both sides are longer than 1,200 characters.

The stores are those of tools/learn_story_weights.py (`--work`, built there if absent); vectors are cached in DIR.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from learn_story_weights import DEFAULT_DATA, DEFAULT_PAIRS, pairs_feed, prepare  # noqa: E402
from newstrace.enrich import embed  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

CHUNK, CAP, TAILS = 1000, 4, (600, 1000)


def encoded(db: Path, cache: Path) -> tuple[list[dict], dict[int, dict[str, np.ndarray]]]:
    """Per article: id, external id, language, length; and its unit vectors by variant key (c0.. chunks, tN tails)."""
    if not cache.with_suffix(".json").exists():
        meta, texts, owner = [], [], []
        with SQLiteStore(str(db)) as store:
            for i, a in enumerate(store.articles()):
                h = a.head()
                full = f"{h.title or ''}\n{h.text or ''}"
                meta.append({"id": a.id, "ext": str(a.external_id), "lang": (h.language or "").split("-")[0].lower(),
                             "len": len(full)})
                if not embed.trained_on(h.language):
                    continue
                for j, c in enumerate(c for c in (full[k:k + CHUNK] for k in range(0, min(len(full), CHUNK * CAP), CHUNK))
                                      if c.strip()):
                    texts.append(c); owner.append((i, f"c{j}"))
                for n in TAILS:
                    texts.append((h.text or full)[-n:]); owner.append((i, f"t{n}"))
        t = time.time()
        np.save(cache.with_suffix(".npy"), np.asarray(embed.encode(texts), dtype=np.float32))
        print(f"encoded {len(texts)} texts of {len(meta)} articles in {time.time() - t:.0f}s", file=sys.stderr)
        cache.with_suffix(".json").write_text(json.dumps({"meta": meta, "owner": owner}))
    d = json.loads(cache.with_suffix(".json").read_text())
    per: dict[int, dict[str, np.ndarray]] = defaultdict(dict)
    for (i, key), v in zip(d["owner"], np.load(cache.with_suffix(".npy")).astype(np.float64)):
        per[i][key] = v / np.linalg.norm(v)
    return d["meta"], per


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x)


def chunks(d: dict[str, np.ndarray]) -> list[np.ndarray]:
    return [d[k] for k in sorted(k for k in d if k.startswith("c"))]


VARIANTS = {
    "head": lambda d: d["c0"], "tail600": lambda d: d["t600"], "tail1000": lambda d: d["t1000"],
    "head+tail600": lambda d: unit(d["c0"] + d["t600"]), "head+tail1000": lambda d: unit(d["c0"] + d["t1000"]),
    "chunkmean": lambda d: unit(sum(chunks(d))), "head+chunkmean": lambda d: unit(d["c0"] + unit(sum(chunks(d)))),
    "2head+chunkmean": lambda d: unit(2 * d["c0"] + unit(sum(chunks(d)))),
}


def best_f1(s: np.ndarray, g: np.ndarray) -> tuple[float, float]:
    """Best F1 over thresholds, and that threshold."""
    o = np.argsort(-s, kind="stable")
    tp, fp = np.cumsum(g[o]), np.cumsum(~g[o])
    f = 2 * tp / (tp + fp + g.sum())
    k = int(np.argmax(f))
    return float(f[k]), float(s[o][k])


def f1_at(s: np.ndarray, g: np.ndarray, t: float) -> float:
    p = s >= t
    tp = (p & g).sum()
    return float(2 * tp / (p.sum() + g.sum())) if tp else 0.0


def ap(g: np.ndarray, s: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score
    return float(average_precision_score(g, s)) if g.any() else float("nan")


def rated(work: Path) -> None:
    feed, rows = pairs_feed(DEFAULT_PAIRS, work)
    meta, per = encoded(prepare(feed, work, "pairs"), work / "embedding-reach-pairs")
    idx = {m["ext"]: i for i, m in enumerate(meta)}
    held_ids = {r[k] for r in rows if r["held"] for k in ("id1", "id2")}
    train_art = [i for i, m in enumerate(meta) if m["ext"] not in held_ids and i in per]
    rows = [r for r in rows if idx.get(r["id1"]) in per and idx.get(r["id2"]) in per]
    pa = [(idx[r["id1"]], idx[r["id2"]]) for r in rows]
    gold = np.array([r["overall"] <= 1.5 for r in rows])
    held = np.array([r["held"] for r in rows])
    cross = np.array([r["lang1"] != r["lang2"] for r in rows])
    long_ = np.array([min(meta[a]["len"], meta[b]["len"]) > 1100 for a, b in pa])
    lens = np.array([m["len"] for m in meta])
    print(f"rated pairs: {len(rows)} clear pairs ({gold.sum()} same story, {cross.sum()} across languages, {held.sum()} "
          f"held out); articles' title + text: median {np.median(lens):.0f} characters, "
          f"{(lens > 1000).mean():.0%} over 1,000, {(lens > 2000).mean():.1%} over 2,000; pairs with both sides over "
          f"1,100: {long_.sum()}, over 1,300: {sum(min(meta[a]['len'], meta[b]['len']) > 1300 for a, b in pa)}")

    def centred(fn):
        vec = {i: fn(per[i]) for i in per}
        sums: dict[str, np.ndarray] = {}
        n: dict[str, int] = defaultdict(int)
        for i in train_art:
            sums[meta[i]["lang"]] = sums.get(meta[i]["lang"], 0.0) + vec[i]
            n[meta[i]["lang"]] += 1
        means = {k: sums[k] / n[k] for k in sums if n[k] >= 30}
        star = np.mean(list(means.values()), axis=0)
        return {i: v - means.get(meta[i]["lang"], star) for i, v in vec.items()}

    def line(name: str, s: np.ndarray) -> None:
        ft, t = best_f1(s[~held], gold[~held])
        print(f"  {name:26s} all {best_f1(s, gold)[0]:.3f}  train {ft:.3f}  held-out at train threshold "
              f"{f1_at(s[held], gold[held], t):.3f}  across {best_f1(s[cross], gold[cross])[0]:.3f}  within "
              f"{best_f1(s[~cross], gold[~cross])[0]:.3f}  AP {ap(gold, s):.3f}  AP both long {ap(gold[long_], s[long_]):.3f}")

    csum: dict[str, np.ndarray] = {}
    cn: dict[str, int] = defaultdict(int)
    for i in train_art:   # chunks centred on the mean chunk of their language (train split)
        for c in chunks(per[i]):
            csum[meta[i]["lang"]] = csum.get(meta[i]["lang"], 0.0) + c
            cn[meta[i]["lang"]] += 1
    cmeans = {k: csum[k] / cn[k] for k in csum if cn[k] >= 30}
    cstar = np.mean(list(cmeans.values()), axis=0)
    cc = {i: [unit(c - cmeans.get(meta[i]["lang"], cstar)) for c in chunks(per[i])] for i in per}
    pc = {i: chunks(per[i]) for i in per}
    cv = {name: centred(fn) for name, fn in VARIANTS.items()}
    pv = {name: {i: fn(per[i]) for i in per} for name, fn in VARIANTS.items()}
    en = np.array([meta[a]["lang"] == meta[b]["lang"] == "en" for a, b in pa])

    def chunk_pairs(plain_en: bool, head: np.ndarray) -> None:
        S = [np.array([[x @ y for y in (pc[b] if plain_en and e else cc[b])] for x in (pc[a] if plain_en and e else cc[a])])
             for (a, b), e in zip(pa, en)]
        line("chunk max", np.array([m.max() for m in S]))
        line("cos head + chunk max", head + np.array([m.max() for m in S]))
        line("alignment", np.array([(m.max(1).mean() + m.max(0).mean()) / 2 for m in S]))

    for plain_en in (False, True):
        # the model takes English-English pairs on the plain cosine (their logistic was learned so on ECB+)
        print("  English-English pairs plain, as the model:" if plain_en else "  every pair centred:")
        prod = {name: np.array([pv[name][a] @ pv[name][b] if plain_en and e else v[a] @ v[b]
                                for (a, b), e in zip(pa, en)]) for name, v in cv.items()}
        for name, s in prod.items():
            line(name, s)
        line("cos head + cos tail600", prod["head"] + prod["tail600"])
        line("cos head + cos chunkmean", prod["head"] + prod["chunkmean"])
        chunk_pairs(plain_en, prod["head"])


def ecb(work: Path) -> None:
    meta, per = encoded(prepare(DEFAULT_DATA, work), work / "embedding-reach-dev")
    gold = {str(json.loads(line)["id"]): json.loads(line)["gold_story"] for line in open(DEFAULT_DATA)}
    ids = [i for i, m in enumerate(meta) if m["ext"] in gold and i in per]
    topic = {i: gold[meta[i]["ext"]].split("_")[0] for i in ids}
    topics = sorted(set(topic.values()), key=lambda t: (len(t), t))
    held = set(random.Random(13).sample(topics, len(topics) // 3))
    pairs = [(a, b) for x, a in enumerate(ids) for b in ids[x + 1:]]
    same = np.array([gold[meta[a]["ext"]] == gold[meta[b]["ext"]] for a, b in pairs])
    within = np.array([topic[a] == topic[b] for a, b in pairs])
    hp = np.array([topic[a] in held and topic[b] in held for a, b in pairs])
    tr = np.array([topic[a] not in held and topic[b] not in held for a, b in pairs])
    long_ = np.array([min(meta[a]["len"], meta[b]["len"]) > 1200 for a, b in pairs])
    print(f"ECB+: {len(ids)} articles ({sum(meta[i]['len'] > 2000 for i in ids)} over 2,000 characters), "
          f"{len(pairs)} pairs ({same.sum()} same story), {within.sum()} within topics")
    for name, fn in VARIANTS.items():
        v = {i: fn(per[i]) for i in ids}
        s = np.array([v[a] @ v[b] for a, b in pairs])
        ft, t = best_f1(s[tr], same[tr])
        print(f"  {name:26s} all {best_f1(s, same)[0]:.3f}  train {ft:.3f}  held-out at train threshold "
              f"{f1_at(s[hp], same[hp], t):.3f}  within topics {best_f1(s[within], same[within])[0]:.3f} "
              f"AP {ap(same[within], s[within]):.3f}  AP both long {ap(same[within & long_], s[within & long_]):.3f}")


def main() -> None:
    ap_ = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap_.add_argument("--work", type=Path, default=Path("/tmp/newstrace-story-weights"))
    args = ap_.parse_args()
    rated(args.work)
    ecb(args.work)


if __name__ == "__main__":
    main()
