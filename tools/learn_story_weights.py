#!/usr/bin/env python3
"""Learn the story-similarity weights and thresholds on two dev sets, each with a held-out split of its own.

The two sets pull in different directions, which is the point: ECB+ (English) holds pairs of *similar* events
that must stay apart (two earthquakes, two rehab stays); the SemEval-2022 pairs (ten languages, cross-lingual
pairs) hold same-story reports that share few or no words. Weights are fitted on both at once (each set
weighing the same), thresholds chosen on the sum of both sets' train-split scores.

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
  SemEval pairs (--pairs): rated pairs with overall <= 1.5 are same-story, >= 3.5 different (the middle is left
  out of every score, as devscore.py does; with --middle soft|hard it also teaches the cross and other-language
  logistics, measured and not shipped); a pair is held out when crc32(pair_id) % 3 == 0 (--fold: 1 or 2). Extra negatives: for each article,
  its 3 nearest other articles by embedding from other pairs (different stories in this set, and the hardest
  ones). Thresholds are scored by pair F1 after clustering every article of the set into one store.
  7. Refit on all dev topics with the same procedure and write newstrace/data/story_weights.json
     (with the figures of steps 5-6 recorded in it) unless --dry-run.

usage: learn_story_weights.py [--data PATH] [--pairs PATH] [--work DIR] [--seed N] [--dry-run] [--keep-same FILE] [--only train|all]
"""
from __future__ import annotations

import argparse
import json
import math
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
from newstrace.link.similarity import FEATURES, Model, cross_share, features, other_share, represent  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ecbplus-dev.jsonl"
DEFAULT_PAIRS = ROOT.parent / "shared" / "data" / "semeval8-pairs-dev.jsonl"
JOIN_GRID = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75]
RATED_WEIGHT = 3.0
ECB_WEIGHT = 3.0        # ECB+ pairs' weight beside the nearest-negative set's 1 (issue 22 grid: 1, 3, 6, 10)
CROSS_OFFSETS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]
# The cross offset is the best pairwise F1 (`PairSet.pairwise`) among those whose clustering keeps cross-lingual recall
# at this floor (issue 22's figure); the best F1 alone when none does. Offsets were first chosen by the pairs' F1 after
# clustering: on one pool of 1,564 articles that figure jumps by ±0.005 between neighbouring offsets, and it chose the
# most permissive cross offset, which formed 12 stories of unrelated reports in fundus's open pool of 258 pages.
CROSS_RECALL_FLOOR = 0.85
# Within a language, features about languages and name keys across scripts only restate the words and names, and
# with them the held-out ECB+ topics fell from 0.934 to 0.916 (same pairs F1); stronger regularisation (C 0.1)
# generalises better there too (issue 22 grid: ECB+ weight 3, C 0.1 and these dropped).
# pub_both ("both carry a date") is no evidence of one event: learned on ECB+, where few records are dated and
# those mostly of one event, it added +1.5 to every pair of dated news and merged similar events years apart.
SAME_DROPPED = ["cos_x", "both_x", "cos_g", "both_g", "emb_cross", "pub_both", "en_pairs"]
SAME_C = 0.1
# --keep-same FILE keeps the within-language logistic and join threshold of FILE and learns only the cross-language
# one. The shipped weights keep those learned on ECB+ alone (2026-11-23, held-out topics 0.943): refitted jointly
# with the SemEval pairs in one language they raised pairs F1 (held-out 0.849) but merged similar events years
# apart (tests/link/test_recycled_story.py; the 2020 and 2021 drills of tests/fixtures/multilingual).
CROSS_FEATURES = ["emb", "cos_x", "cos_n", "cos_y", "both_x", "both_n", "cos_c", "cos_w"]
# Pairs in one language other than English (rated pairs in nine languages and their nearest negatives) get a logistic
# of their own with --other: ECB+ is English only, and its weights lean on an entity model the other languages lack.
OTHER_FEATURES = ["emb", "cos_w", "cos_l", "cos_c", "cos_n", "cos_y", "cos_e", "cos_d", "both_c", "both_n", "both_e"]
OTHER_C = 1.0
# The middle-rated pairs (1.5 < overall < 3.5: 458 of the 1,283, left out of the scores as devscore.py does) can also
# teach the cross and other-language logistics (--middle): "soft", a pair rated o is a same-story row weighing
# (4 - o) / 3 and a different row weighing the rest; "hard", <= 2.0 same and >= 3.0 different. Not shipped: soft gained
# on the held-out third 0 (0.865 -> 0.887) and lost on thirds 1 and 2 (0.879 -> 0.869, 0.865 -> 0.859; docs/stories.md).
MIDDLE = ""   # "" (left out, shipped), "soft" or "hard"
HELD_FOLD = 0   # a pair is held out when crc32(pair_id) % 3 == HELD_FOLD (--fold: the other two thirds as checks)
OTHER_OFFSETS = [-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]


def rated_rows(pairs: Path, keep) -> list[dict]:
    """The rated pairs whose overall rating `keep` accepts, each marked held out (crc32(pair_id) % 3 == HELD_FOLD)."""
    import zlib
    rows = [r for r in map(json.loads, open(pairs)) if keep(r["overall"])]
    for r in rows:
        r["held"] = zlib.crc32(str(r["pair_id"]).encode()) % 3 == HELD_FOLD
    return rows


def write_articles(rows: list[dict], feed: Path, seen: set) -> None:
    """Every article of `rows` not in `seen` as a JSONL record, its title line split off as devscore.py does."""
    with open(feed, "w") as f:
        for r in rows:
            for k, t in ((r["id1"], r["text1"]), (r["id2"], r["text2"])):
                if k not in seen:
                    seen.add(k)
                    first, nl, rest = t.strip().partition("\n")
                    title, body = ((first.strip(), rest.strip()) if nl and 10 <= len(first) <= 200 and rest.strip()
                                   else (None, t.strip()))
                    f.write(json.dumps({"id": k, "title": title, "text": body}, ensure_ascii=False) + "\n")


def pairs_feed(pairs: Path, work: Path) -> tuple[Path, list[dict]]:
    """The rated pairs (clear cases only) and a JSONL of their articles, title line split off as devscore.py does."""
    rows = rated_rows(pairs, lambda overall: overall <= 1.5 or overall >= 3.5)
    work.mkdir(parents=True, exist_ok=True)
    feed = work / "pairs.jsonl"
    write_articles(rows, feed, set())
    return feed, rows


def prepare(data: Path, work: Path, name: str = "dev") -> Path:
    """A store holding every dev article with its enrichment, nothing linked (built once)."""
    db = work / f"{name}-unlinked.db"
    if db.exists():
        return db
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import ingest
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / f"{name}-unlinked.tmp.db"
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


def load(db: Path, data: Path | None = None):
    """Article ids, gold stories (ECB+; empty without `data`), and article representations over the whole set.

    Terms are recomputed from the stored articles (cheap), so a change to enrich/embed.py needs no re-ingest."""
    from newstrace.enrich.embed import terms_of
    gold_by_ext = {}
    for line in open(data) if data else ():
        r = json.loads(line)
        gold_by_ext[str(r["id"])] = r["gold_story"]
    with SQLiteStore(str(db)) as store:
        arts = list(store.articles())
        enr = {a.id: store.get_enrichment(a.id) for a in arts}
    if data:
        arts = [a for a in arts if str(a.external_id) in gold_by_ext]
    gold = {a.id: gold_by_ext[str(a.external_id)] for a in arts if str(a.external_id) in gold_by_ext}
    terms = {a.id: terms_of(a, enr[a.id]) for a in arts}
    df: dict[str, int] = defaultdict(int)
    for a in arts:
        for k in terms[a.id]:
            df[k] += 1
    reps = {a.id: represent(terms[a.id], enr[a.id].embedding, a.published, df, len(arts)) for a in arts}
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


def pairs_data(rows: list[dict], ext: dict[str, str], reps, held: bool,
               nearest: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels of the rated pairs of one split or (`nearest`) of each article's nearest unrated
    others, as negatives: the pool holds many topic neighbours that no rater compared."""
    rows = [r for r in rows if r["held"] == held and r["id1"] in ext and r["id2"] in ext]
    X, y = [], []
    if not nearest:
        for r in rows:
            X.append(features(reps[ext[r["id1"]]], reps[ext[r["id2"]]]))
            y.append(r["overall"] <= 1.5)
        return np.array(X), np.array(y)
    ids = sorted({ext[r[k]] for r in rows for k in ("id1", "id2")})
    partner: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        partner[ext[r["id1"]]].add(ext[r["id2"]])
        partner[ext[r["id2"]]].add(ext[r["id1"]])
    have = [i for i in ids if reps[i].emb is not None]
    if have:
        E = np.array([reps[i].emb for i in have])
        sims = E @ E.T
        for x, a in enumerate(have):
            for z in np.argsort(-sims[x])[:6]:
                b = have[z]
                if b != a and b not in partner[a] and sims[x, z] < 0.8:   # nearer: maybe one event under two pairs
                    X.append(features(reps[a], reps[b]))
                    y.append(False)
    return np.array(X), np.array(y)


def middle_data(pset, held):
    """Middle-rated pairs of one split: soft (each pair a same row weighing t = (4 - overall) / 3 and a different row
    weighing 1 - t) or hard (<= 2.0 same, >= 3.0 different)."""
    X, y, rw = [], [], []
    for r in pset.mid_rows:
        if r["held"] != held:
            continue
        f = features(pset.mid_reps[pset.mid_ext[r["id1"]]], pset.mid_reps[pset.mid_ext[r["id2"]]])
        o = r["overall"]
        if MIDDLE == "hard":
            if o <= 2.0 or o >= 3.0:
                X.append(f); y.append(o <= 2.0); rw.append(1.0)
        else:
            t = min(1.0, max(0.0, (4.0 - o) / 3.0))
            X += [f, f]; y += [True, False]; rw += [t, 1 - t]
    return np.array(X).reshape(-1, len(FEATURES)), np.array(y, dtype=bool), np.array(rw)


def fit(X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, c: float = 1.0) -> tuple[np.ndarray, float]:
    """Class-balanced L2 logistic regression (inverse strength c) on standardised-free features (all in [0, 1])."""
    from sklearn.linear_model import LogisticRegression
    if weight is None:
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(X, y)
    else:
        lr = LogisticRegression(C=c, max_iter=5000).fit(X, y, sample_weight=weight)
    return lr.coef_[0], float(lr.intercept_[0])


def balanced(parts: list[tuple[np.ndarray, np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack several sets' pairs so that each set weighs as given, each class within it half of that."""
    Xs, ys, ws = [], [], []
    for X, y, weight, rw in parts:
        for label in (True, False):
            n = int((y == label).sum())
            if n:
                r_ = rw[y == label]
                Xs.append(X[y == label]); ys.append(y[y == label]); ws.append(weight * r_ / r_.sum())
    w = np.concatenate(ws)
    return np.vstack(Xs), np.concatenate(ys), w * len(w) / w.sum()


def pair_f1(story: dict[str, str | None], rows: list[dict], ext: dict[str, str]) -> tuple[float, float, float, float]:
    """P, R, F1 of same-story decisions over rated pairs, and recall over the cross-lingual ones (as devscore.py)."""
    tp = fp = fn = ctp = cfn = 0
    for r in rows:
        a, b = story.get(ext.get(r["id1"], "")), story.get(ext.get(r["id2"], ""))
        same, gold = a is not None and a == b, r["overall"] <= 1.5
        tp += same and gold; fp += same and not gold; fn += gold and not same
        if r["lang1"] != r["lang2"]:
            ctp += same and gold; cfn += gold and not same
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    return p, rc, (2 * p * rc / (p + rc) if p + rc else 0.0), (ctp / (ctp + cfn) if ctp + cfn else 0.0)


def cluster(db: Path, work: Path, ids: list[str], model: Model | None, batch: int = 0) -> dict[str, str]:
    """Story of each article after the real streaming assignment of `ids` (in batches of `batch`, 0: one batch)
    into a copy of the unlinked store."""
    run = work / "run.db"
    for p in (run, Path(str(run) + "-wal"), Path(str(run) + "-shm")):
        p.unlink(missing_ok=True)
    shutil.copy(db, run)
    with SQLiteStore(str(run)) as store:
        # terms are recomputed from the article (as `load` does for the weights), not read from a store prepared
        # by an older enrich/embed.py: a stale copy (no language term) once halved the measured cross-lingual recall
        store.execute("UPDATE enrichments SET data = json_remove(data, '$.terms')")
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


class PairSet:
    """The SemEval pairs' unlinked store, rows, external id -> article id, and representations."""

    def __init__(self, pairs: Path, work: Path, middle: bool = False):
        feed, self.rows = pairs_feed(pairs, work)
        self.db = prepare(feed, work, "pairs")
        arts, _, self.reps = load(self.db)
        self.ext = {str(a.external_id): a.id for a in arts}
        self.ids = [a.id for a in arts]
        self.mid_rows: list[dict] = []
        if middle and MIDDLE:   # only learning needs them (855 more articles to ingest on first use)
            self.load_middle(pairs, work)

    def load_middle(self, pairs, work):
        """Middle-rated pairs (1.5 < overall < 3.5) and representations of their articles (df over both pools)."""
        from newstrace.enrich.embed import terms_of
        rows = rated_rows(pairs, lambda overall: 1.5 < overall < 3.5)
        feed = work / "middle.jsonl"
        if not feed.exists():
            write_articles(rows, feed, set(self.ext))
        mdb = prepare(feed, work, "middle")
        allarts, allterms, allenr = [], {}, {}
        for db in (self.db, mdb):
            with SQLiteStore(str(db)) as store:
                arts = list(store.articles())
                for a in arts:
                    e = store.get_enrichment(a.id)
                    allenr[a.id] = e
                    allterms[a.id] = terms_of(a, e)
                allarts += [(a, db == mdb) for a in arts]
        df = defaultdict(int)
        for a, _ in allarts:
            for k in allterms[a.id]:
                df[k] += 1
        self.mid_ext = dict(self.ext)
        self.mid_reps = dict(self.reps)
        for a, is_mid in allarts:
            if is_mid:
                self.mid_ext[str(a.external_id)] = a.id
                self.mid_reps[a.id] = represent(allterms[a.id], allenr[a.id].embedding, a.published, df, len(allarts))
        self.mid_rows = [r for r in rows if r["id1"] in self.mid_ext and r["id2"] in self.mid_ext]
        print(f"middle pairs: {len(self.mid_rows)}", file=sys.stderr)

    def pairwise(self, model: Model, held: bool | None) -> float:
        """F1 of the model's own decisions (probability at least its threshold) on the rated pairs of one split (None:
        both), each pair scored alone: no clustering, so it moves smoothly with an offset."""
        tp = fp = fn = 0
        for r in self.rows:
            if (held is None or r["held"] == held) and r["id1"] in self.ext and r["id2"] in self.ext:
                same = model.score(self.reps[self.ext[r["id1"]]], self.reps[self.ext[r["id2"]]]) >= model.threshold
                gold = r["overall"] <= 1.5
                tp += same and gold; fp += same and not gold; fn += gold and not same
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def score(self, work: Path, model: Model, held: bool | None) -> tuple[float, float, float, float]:
        """Pair P, R, F1, cross-lingual recall of one split (None: both) after clustering every article of the set."""
        story = cluster(self.db, work, self.ids, model)
        return pair_f1(story, [r for r in self.rows if held is None or r["held"] == held], self.ext)


def cross(X: np.ndarray) -> np.ndarray:
    """Which feature rows are pairs across languages (more than half of their member pairs)."""
    return np.array([cross_share(f) > 0.5 for f in X], dtype=bool) if len(X) else np.zeros(0, dtype=bool)


def other(X: np.ndarray) -> np.ndarray:
    """Which feature rows are pairs in one language other than English (more than half of their member pairs)."""
    return np.array([other_share(f) > 0.5 for f in X], dtype=bool) if len(X) else np.zeros(0, dtype=bool)


def learn(db: Path, work: Path, ids: list[str], gold, reps, pset: PairSet | None, held: bool | None,
          keep_same: str | None = None, with_other: bool = False) -> tuple[Model, float]:
    """Weights from pairs of both sets, then thresholds from the streaming clustering, on one split (None: all).

    Two logistics: one on the pairs within a language (ECB+ and the rated pairs in one language), one on the
    pairs across languages (rated cross-lingual pairs and nearest-embedding negatives across languages), over
    CROSS_FEATURES only: ~60 cross-lingual same-story pairs do not support 22 weights."""
    X_, y_ = pair_data(ids, gold, reps)
    parts = [(X_, y_, ECB_WEIGHT, np.ones(len(y_)))]
    if pset is not None:
        for h in ((False,) if held is False else (False, True)):
            # rated pairs weigh RATED_WEIGHT (pairwise held-out F1 0.867 at 1, 0.868 at 3; tried 1, 2, 3, 5)
            X_, y_ = pairs_data(pset.rows, pset.ext, pset.reps, h)
            rw = np.ones(len(y_))
            if MIDDLE:
                Xm, ym, rm = middle_data(pset, h)
                if len(ym):
                    X_, y_, rw = np.vstack([X_, Xm]), np.concatenate([y_, ym]), np.concatenate([rw, rm])
            parts.append((X_, y_, RATED_WEIGHT, rw))
            X_, y_ = pairs_data(pset.rows, pset.ext, pset.reps, h, nearest=True)
            parts.append((X_, y_, 1.0, np.ones(len(y_))))
    same_parts, cross_parts, other_parts = [], [], []
    for X, y, wt, rw in parts:
        c = cross(X)
        o = other(X) & ~c if with_other else np.zeros(len(X), dtype=bool)
        s_ = ~c & ~o
        if s_.any():
            same_parts.append((X[s_], y[s_], wt, rw[s_]))
        if o.any():
            other_parts.append((X[o], y[o], wt, rw[o]))
        if c.any():
            cross_parts.append((X[c], y[c], wt, rw[c]))
    kept = None
    if keep_same is not None:
        kept = Model.from_json(json.loads(Path(keep_same).read_text()))
        w, b = np.array(kept.weights), kept.bias
        X, y = np.zeros((0, len(FEATURES))), np.zeros(0)
    else:
        X, y, wt = balanced(same_parts)
        keep = ~np.isin(FEATURES, SAME_DROPPED)
        w0, b = fit(X[:, keep], y, wt, c=SAME_C)
        w = np.zeros(len(FEATURES))
        w[keep] = w0
    print(f"  {len(y)} pairs in one language ({int(y.sum())} same-story); weights " +
          ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, w)) + f"; bias {b:.2f}", file=sys.stderr)
    cw, cb = None, 0.0
    if cross_parts:
        mask = np.isin(FEATURES, CROSS_FEATURES)
        X, y, wt = balanced([(Xc[:, mask], yc, wc, rc) for Xc, yc, wc, rc in cross_parts])
        w0, cb = fit(X, y, wt)
        cw = np.zeros(len(FEATURES))
        cw[mask] = w0
        print(f"  {len(y)} pairs across languages ({int(y.sum())} same-story); weights " +
              ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, cw) if v) + f"; bias {cb:.2f}", file=sys.stderr)

    ow, ob = None, 0.0
    if other_parts:
        mask = np.isin(FEATURES, OTHER_FEATURES)
        X, y, wt = balanced([(Xo[:, mask], yo, wo, ro) for Xo, yo, wo, ro in other_parts])
        w0, ob = fit(X, y, wt, c=OTHER_C)
        ow = np.zeros(len(FEATURES))
        ow[mask] = w0
        print(f"  {len(y)} pairs in one language other than English ({int(y.sum())} same-story); weights " +
              ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, ow) if v) + f"; bias {ob:.2f}", file=sys.stderr)
    other_delta = [0.0]

    def model(t: float, delta: float = 0.0) -> Model:
        return Model(weights=tuple(w), bias=b, threshold=t, merge_threshold=t, split_threshold=0.0,
                     cross_weights=None if cw is None else tuple(cw), cross_bias=cb + delta,
                     other_weights=None if ow is None else tuple(ow), other_bias=ob + other_delta[0])

    gold_ids = {i: gold[i] for i in ids}
    if kept is not None:
        # the kept logistic's own threshold; the cross logistic is put on the same scale (its 0.5 at the threshold)
        t = kept.threshold
        cb += math.log(t / (1.0 - t))
        ob += math.log(t / (1.0 - t))
        f_ecb = b_cubed(cluster(db, work, ids, model(t)), gold_ids)[2]
        print(f"  kept join {t:.2f}: ECB+ B3 F1 {f_ecb:.4f}", file=sys.stderr)
    best = None
    for t in (JOIN_GRID if kept is None else ()):
        m = model(t)
        f_ecb = b_cubed(cluster(db, work, ids, m), gold_ids)[2]
        f_pairs = pset.score(work, m, held=held)[2] if pset is not None else 0.0
        print(f"  join {t:.2f}: ECB+ B3 F1 {f_ecb:.4f}  pairs F1 {f_pairs:.4f}", file=sys.stderr)
        key = f_pairs + f_ecb   # both sets weigh the same (a floor on ECB+ first chose thresholds by noise)
        if best is None or key > best[0]:
            best = (key, t, f_ecb)
    if best is not None:
        t, f_ecb = best[1], best[2]
    if pset is None or cw is None:
        return model(t), f_ecb
    if ow is not None and pset is not None:
        # the other-language logistic's own offset, on the rated pairs' own decisions (ECB+ is English), cross offset at 0
        scored = []
        for d in OTHER_OFFSETS:
            other_delta[0] = d
            pw = pset.pairwise(model(t), held=held)
            print(f"  join {t:.2f}, other offset {d:+.2f}: pairwise F1 {pw:.4f}", file=sys.stderr)
            scored.append((pw, -abs(d), d))
        other_delta[0] = max(scored)[2]
    # the cross-language logistic's own offset, on the pairs alone (ECB+ is one language)
    scored = []
    for delta in CROSS_OFFSETS:
        pp, pr, pf, cr = pset.score(work, model(t, delta), held=held)
        pw = pset.pairwise(model(t, delta), held=held)
        print(f"  join {t:.2f}, cross offset {delta:+.2f}: pairwise F1 {pw:.4f}; after clustering pairs P {pp:.3f} "
              f"R {pr:.3f} F1 {pf:.4f} cross R {cr:.3f}", file=sys.stderr)
        scored.append((cr >= CROSS_RECALL_FLOOR, pw, -abs(delta), delta))
    delta = max(scored)[3]
    return model(t, delta), f_ecb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="SemEval-2022 rated pairs ('' to leave out)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/newstrace-story-weights"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dry-run", action="store_true", help="report the held-out figure, do not write weights")
    ap.add_argument("--keep-same", metavar="FILE", help="keep FILE's within-language weights and threshold; learn the rest")
    ap.add_argument("--other", action="store_true", help="learn a logistic of its own for pairs in one language other than English")
    ap.add_argument("--only", choices=["train", "all"], help="run only the train-split half (reports held-out figures) "
                    "or only the all-data half (writes weights): the halves can run in two processes")
    ap.add_argument("--means", type=Path, help="the language means to centre embeddings with (default: the shipped "
                    "data/embedding_means.json; tools/learn_embedding_means.py --train-only writes those of the train split)")
    ap.add_argument("--order-check", type=int, default=0, metavar="BATCH",
                    help="only check order independence of the shipped weights, streaming BATCH articles at a time")
    ap.add_argument("--fold", type=int, choices=[0, 1, 2], default=0, help="hold out the rated pairs with crc32(pair_id) "
                    "%% 3 == FOLD (0 is the documented split; 1 and 2 check a change on other thirds)")
    ap.add_argument("--middle", choices=["soft", "hard", "none"], default="none",
                    help="whether and how the middle-rated pairs teach the logistics (none: the shipped way)")
    args = ap.parse_args()
    global HELD_FOLD, MIDDLE
    HELD_FOLD, MIDDLE = args.fold, ("" if args.middle == "none" else args.middle)
    if args.means:
        from newstrace.enrich import embed
        embed.MEANS_PATH = args.means
        embed.language_means.cache_clear()
    db = prepare(args.data, args.work)
    arts, gold, reps = load(db, args.data)
    if args.order_check:
        order_check(db, args.work, [a.id for a in arts], gold, args.order_check, args.seed)
        return
    pset = PairSet(args.pairs, args.work, middle=True) if str(args.pairs) not in ("", ".") else None
    topics = sorted({g.split("_")[0] for g in gold.values()}, key=lambda t: (len(t), t))
    rng = random.Random(args.seed)
    held = set(rng.sample(topics, len(topics) // 3))
    train_ids = [a.id for a in arts if gold[a.id].split("_")[0] not in held]
    test_ids = [a.id for a in arts if gold[a.id].split("_")[0] in held]
    print(f"{len(arts)} articles, {len(topics)} topics; held-out topics: {sorted(held, key=int)}", file=sys.stderr)

    figures: dict[str, float] = {}
    if args.only != "all":   # with --only all the split's figures are left out of the written file
        print("train split:", file=sys.stderr)
        m_split, f1_train = learn(db, args.work, train_ids, gold, reps, pset, held=False, keep_same=args.keep_same,
                                   with_other=args.other)
        p, r, f1_held = b_cubed(cluster(db, args.work, test_ids, m_split), {i: gold[i] for i in test_ids})
        print(f"train-split model: train B3 F1 {f1_train:.4f}; HELD-OUT topics B3 P {p:.3f} R {r:.3f} F1 {f1_held:.4f} "
              f"(join {m_split.threshold:.2f}, cross bias {m_split.cross_bias:.2f}, other bias {m_split.other_bias:.2f})")
        figures.update(train_split_b3_f1=round(f1_train, 4), held_out_b3_f1=round(f1_held, 4))
        if pset is not None:
            for h in (False, True):
                pp, pr, pf, cr = pset.score(args.work, m_split, held=h)
                name = "held_out" if h else "train_split"
                print(f"train-split model: {name.upper()} pairs P {pp:.3f} R {pr:.3f} F1 {pf:.4f} cross-lingual R {cr:.3f}")
                figures[f"{name}_pairs_f1"] = round(pf, 4)
                figures[f"{name}_pairs_cross_recall"] = round(cr, 4)

    if args.only == "train":
        return
    print("all dev topics and pairs:", file=sys.stderr)
    all_ids = [a.id for a in arts]
    m_all, f1_all = learn(db, args.work, all_ids, gold, reps, pset, held=None, keep_same=args.keep_same,
                             with_other=args.other)
    print(f"all-data model: dev B3 F1 {f1_all:.4f} (join {m_all.threshold:.2f})")
    if not args.dry_run:
        out = {**m_all.to_json(), "learned": {
            "procedure": "tools/learn_story_weights.py", "seed": args.seed, "held_out_topics": sorted(held, key=int),
            "held_out_pairs": f"crc32(pair_id) % 3 == {HELD_FOLD}", **figures, "dev_b3_f1": round(f1_all, 4)}}
        similarity.WEIGHTS_PATH.parent.mkdir(parents=True, exist_ok=True)
        similarity.WEIGHTS_PATH.write_text(json.dumps(out, indent=1) + "\n")
        print(f"wrote {similarity.WEIGHTS_PATH}")


if __name__ == "__main__":
    main()
