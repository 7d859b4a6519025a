#!/usr/bin/env python3
"""Learn the story-similarity weights and thresholds on the ECB+ dev set, with a held-out split of topics.

Procedure (reproducible: fixed seed, deterministic clustering):
  1. Ingest ../shared/data/ecbplus-dev.jsonl into a scratch SQLite store with the real extract and
     enrich stages but no linking (`--work DIR` keeps it between runs; `gold_story` is read only here).
  2. Split the topics (the number before "_" in gold_story) with --seed into train (2/3) and held-out (1/3).
  3. Pairs: every pair within a train topic plus every cross-topic pair that shares words (cos_w > 0.05:
     what candidate retrieval would bring up). Features: link/similarity.py `features` on article
     representations with document frequencies over the whole set (as one ingest batch computes them).
  4. Fit an L2 logistic regression (scikit-learn, class-balanced) on the train pairs.
  5. Pick the join threshold and split threshold by running the real streaming `stories.assign` on the
     train topics' articles only and maximising B-cubed F1 over a small grid.
  6. Report B-cubed F1 of that model on the held-out topics (never seen in steps 4-5).
  7. Refit on all dev topics with the same procedure and write newstrace/data/story_weights.json
     (with the figures of steps 5-6 recorded in it) unless --dry-run.

usage: learn_story_weights.py [--data PATH] [--work DIR] [--seed N] [--dry-run]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from newstrace.link import similarity, stories  # noqa: E402
from newstrace.link.similarity import FEATURES, Model, features, represent  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ecbplus-dev.jsonl"
JOIN_GRID = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.96]
SPLIT_FACTORS = [0.0, 0.5]


def prepare(data: Path, work: Path) -> Path:
    """A store holding every dev article with its enrichment, nothing linked (built once)."""
    db = work / "dev-unlinked.db"
    if db.exists():
        return db
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import ingest
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / "dev-unlinked.tmp.db"
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    t = time.time()
    with SQLiteStore(str(tmp)) as store:
        rep = ingest(iter_inputs([str(data)], allow_private=False), store, link=False)
    print(f"prepared {len(rep.added)} articles in {time.time() - t:.0f}s", file=sys.stderr)
    tmp.rename(db)
    return db


def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 of a clustering over the keys of gold."""
    gc, pc = defaultdict(set), defaultdict(set)
    for k in gold:
        gc[gold[k]].add(k)
        pc[pred.get(k, "none-" + k)].add(k)
    p = sum(len(gc[gold[k]] & pc[pred.get(k, "none-" + k)]) / len(pc[pred.get(k, "none-" + k)]) for k in gold) / len(gold)
    r = sum(len(gc[gold[k]] & pc[pred.get(k, "none-" + k)]) / len(gc[gold[k]]) for k in gold) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(db: Path, data: Path):
    """Article ids, gold stories and topics, and article representations over the whole set."""
    gold_by_ext = {}
    for line in open(data):
        r = json.loads(line)
        gold_by_ext[str(r["id"])] = r["gold_story"]
    with SQLiteStore(str(db)) as store:
        arts = list(store.articles())
        enr = {a.id: store.get_enrichment(a.id) for a in arts}
    arts = [a for a in arts if str(a.external_id) in gold_by_ext]
    gold = {a.id: gold_by_ext[str(a.external_id)] for a in arts}
    df: dict[str, int] = defaultdict(int)
    for a in arts:
        for k in enr[a.id].terms:
            df[k] += 1
    reps = {a.id: represent(enr[a.id].terms, enr[a.id].embedding, a.published, df, len(arts)) for a in arts}
    return arts, gold, reps


def pair_data(ids: list[str], gold: dict[str, str], reps) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and same-story labels for the training pairs among `ids`."""
    topic = {i: gold[i].split("_")[0] for i in ids}
    X, y = [], []
    for x in range(len(ids)):
        for z in range(x + 1, len(ids)):
            a, b = ids[x], ids[z]
            f = features(reps[a], reps[b])
            if topic[a] == topic[b] or f[FEATURES.index("cos_w")] > 0.05:
                X.append(f)
                y.append(gold[a] == gold[b])
    return np.array(X), np.array(y)


def fit(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Class-balanced L2 logistic regression on standardised-free features (they are all in [0, 1])."""
    from sklearn.linear_model import LogisticRegression
    lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000).fit(X, y)
    return lr.coef_[0], float(lr.intercept_[0])


def cluster(db: Path, work: Path, ids: list[str], model: Model | None, batch: int = 0) -> dict[str, str]:
    """Story of each article after the real streaming assignment of `ids` (in batches of `batch`, 0: one batch)
    into a copy of the unlinked store."""
    run = work / "run.db"
    for p in (run, Path(str(run) + "-wal"), Path(str(run) + "-shm")):
        p.unlink(missing_ok=True)
    shutil.copy(db, run)
    with SQLiteStore(str(run)) as store:
        step = batch or len(ids)
        for i in range(0, len(ids), step):
            stories.assign(store, ids[i:i + step], model=model)
        return {i: store.article_state(i).get("story_id") for i in ids}


def order_check(db: Path, work: Path, ids: list[str], gold, batch: int, seed: int) -> None:
    """Stream the articles in two shuffled orders, `batch` at a time: agreement of the two clusterings, and F1 of each."""
    runs = []
    for k in (1, 2):
        order = list(ids)
        random.Random(seed * 100 + k).shuffle(order)
        runs.append(cluster(db, work, order, similarity.load_model(), batch))
    f = [b_cubed(r, gold)[2] for r in runs]
    print(f"order check (shipped weights, batches of {batch}): B3 agreement between two orders "
          f"{b_cubed(runs[0], runs[1])[2]:.4f}; B3 F1 {f[0]:.4f} / {f[1]:.4f}")


def choose(db: Path, work: Path, ids: list[str], gold: dict[str, str], w: np.ndarray, b: float) -> tuple[Model, float]:
    """Join and split thresholds maximising B-cubed F1 of the streaming assignment on `ids`."""
    best = None
    for t in JOIN_GRID:
        for sf in SPLIT_FACTORS:
            m = Model(weights=tuple(w), bias=b, threshold=t, merge_threshold=t, split_threshold=t * sf)
            f1 = b_cubed(cluster(db, work, ids, m), {i: gold[i] for i in ids})[2]
            print(f"  join {t:.2f} split {t * sf:.2f}: B3 F1 {f1:.4f}", file=sys.stderr)
            if best is None or f1 > best[1] + 1e-9:
                best = (m, f1)
    return best


def learn(db: Path, work: Path, ids: list[str], gold, reps) -> tuple[Model, float]:
    """Weights from pairs, then thresholds from the streaming clustering, both on `ids` only."""
    X, y = pair_data(ids, gold, reps)
    w, b = fit(X, y)
    print(f"  {len(y)} pairs ({int(y.sum())} same-story); weights " +
          ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, w)) + f"; bias {b:.2f}", file=sys.stderr)
    return choose(db, work, ids, gold, w, b)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--work", type=Path, default=Path("/tmp/newstrace-story-weights"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dry-run", action="store_true", help="report the held-out figure, do not write weights")
    ap.add_argument("--order-check", type=int, default=0, metavar="BATCH",
                    help="only check order independence of the shipped weights, streaming BATCH articles at a time")
    args = ap.parse_args()
    db = prepare(args.data, args.work)
    arts, gold, reps = load(db, args.data)
    if args.order_check:
        order_check(db, args.work, [a.id for a in arts], gold, args.order_check, args.seed)
        return
    topics = sorted({g.split("_")[0] for g in gold.values()}, key=lambda t: (len(t), t))
    rng = random.Random(args.seed)
    held = set(rng.sample(topics, len(topics) // 3))
    train_ids = [a.id for a in arts if gold[a.id].split("_")[0] not in held]
    test_ids = [a.id for a in arts if gold[a.id].split("_")[0] in held]
    print(f"{len(arts)} articles, {len(topics)} topics; held-out topics: {sorted(held, key=int)}", file=sys.stderr)

    print("train split:", file=sys.stderr)
    m_split, f1_train = learn(db, args.work, train_ids, gold, reps)
    p, r, f1_held = b_cubed(cluster(db, args.work, test_ids, m_split), {i: gold[i] for i in test_ids})
    print(f"train-split model: train B3 F1 {f1_train:.4f}; HELD-OUT topics B3 P {p:.3f} R {r:.3f} F1 {f1_held:.4f} "
          f"(join {m_split.threshold:.2f}, split {m_split.split_threshold:.2f})")

    print("all dev topics:", file=sys.stderr)
    all_ids = [a.id for a in arts]
    m_all, f1_all = learn(db, args.work, all_ids, gold, reps)
    print(f"all-topics model: dev B3 F1 {f1_all:.4f} (join {m_all.threshold:.2f}, split {m_all.split_threshold:.2f})")
    if not args.dry_run:
        out = {**m_all.to_json(), "learned": {
            "procedure": "tools/learn_story_weights.py", "seed": args.seed, "held_out_topics": sorted(held, key=int),
            "train_split_b3_f1": round(f1_train, 4), "held_out_b3_f1": round(f1_held, 4), "dev_b3_f1": round(f1_all, 4)}}
        similarity.WEIGHTS_PATH.parent.mkdir(parents=True, exist_ok=True)
        similarity.WEIGHTS_PATH.write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {similarity.WEIGHTS_PATH}")


if __name__ == "__main__":
    main()
