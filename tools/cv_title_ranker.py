#!/usr/bin/env python3
"""Compare versions of the text-dump headline ranker (extract/title.py) by repeated cross-validation on the dev pages.

usage: cv_title_ranker.py [--rows PATH] [--fresh] [--salts 4] [--l2 3] [--drop FEATURE,...] [--trees]

train_text_extractor.py --cv refits the whole text extraction on each fifth of the pages once: its title figure moves
by a point or two with the fold assignment alone, the size of most feature changes. This tool reads each page's
(headline candidate, article block) rows once, with the shipped line model (cached in --rows; --fresh after changing
title.py), then refits only the listwise headline ranker on every fold of `--salts` different 5-fold splits (the page
key's hash salted) and counts the held-out pages whose pick, after _clean_echo as pick_layout does it, is the gold
title: 4 salts give 1,196 held-out readings (the dev page with an empty dump left out), a point is ~12 of them. --drop zeroes feature columns (a leave-one-out);
--trees adds gradient-boosted trees (pointwise) alone and averaged with the linear ranker. Rows and labels are
train_text_extractor.train_title's: the positive pairs are the gold title over the block holding most gold snippets.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import numpy as np  # noqa: E402

import train_text_extractor as T  # noqa: E402
from newstrace.extract import text as textmod  # noqa: E402
from newstrace.extract.linefeatures import line_features  # noqa: E402
from newstrace.extract.markup import split_lines  # noqa: E402
from newstrace.extract.title import JOINT_FEATURES, _clean_echo, body_blocks, joint_rows  # noqa: E402


def page_rows(data: Path, devscore: Path, cache: Path) -> list[tuple]:
    """(key, gold, lines, pairs, X, ys) of every dev page, as train_title prepares them with the shipped line model."""
    model = textmod.load_model()
    out = []
    for k, g, dump, _ in T.load_pages(data, devscore, cache):
        lines = split_lines(dump)
        if not lines:   # an empty dump (one dev page): nothing to rank
            continue
        feats = line_features(lines)
        probs = textmod.body_probabilities(lines, feats)
        url, trailer = textmod._trailer_urls(lines)
        body, anchor = textmod.locate_body(lines, feats, probs, model["switch"], trailer)
        pairs, X = joint_rows(lines, feats, probs, anchor, url, body)
        gold = T.norm(g["title"])
        art, most = None, 0
        blocks = body_blocks(lines, feats, body)
        for b, (st, _, _) in enumerate(blocks):
            end = blocks[b + 1][0] if b + 1 < len(blocks) else len(lines)
            text = T.norm(" ".join(l.text for l in lines[st:end]))
            hits = sum(T.norm(x) in text for x in g["with"])
            if hits > most:
                art, most = st, hits
        hit = [T.norm(lines[h].text) == gold for h, _ in pairs]
        ys = [ok and st == art for ok, (_, st) in zip(hit, pairs)]
        out.append((k, g, lines, pairs, X, ys if any(ys) else hit))
    return out


def exact(page: tuple, scores: np.ndarray) -> bool:
    k, g, lines, pairs, X, ys = page
    h, start = pairs[int(np.argmax(scores))]
    score = {c: float(x) for (c, s), x in zip(pairs, scores) if s == start}
    h = _clean_echo(lines, sorted(score), h, start, score)
    return T.norm(lines[h].text) == T.norm(g["title"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--devscore", default=str(ROOT.parent / "shared" / "tools" / "devscore.py"))
    ap.add_argument("--cache", default="/tmp/newstrace-textdev.pkl", help="train_text_extractor's page cache")
    ap.add_argument("--rows", default="/tmp/newstrace-titlerows.pkl")
    ap.add_argument("--fresh", action="store_true", help="recompute the rows (after a change of title.py)")
    ap.add_argument("--salts", type=int, default=4)
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--drop", default="", help="feature columns set to 0, comma-separated")
    ap.add_argument("--trees", action="store_true")
    a = ap.parse_args()
    rows = Path(a.rows)
    if rows.exists() and not a.fresh:
        pages = pickle.loads(rows.read_bytes())
        if any(p[4].shape[1] != len(JOINT_FEATURES) for p in pages):
            sys.exit("the rows were read with other features: run with --fresh")
    else:
        pages = page_rows(Path(a.data), Path(a.devscore), Path(a.cache))
        rows.write_bytes(pickle.dumps(pages))
    drop = [JOINT_FEATURES.index(f) for f in filter(None, a.drop.split(","))]

    def mat(X: np.ndarray) -> np.ndarray:
        X = X.copy()
        X[:, drop] = 0.0
        return X
    hits = {"linear": 0, "trees": 0, "averaged": 0}
    n = 0
    for salt in range(a.salts):
        for fold in range(5):
            def held(key: str) -> bool:
                return int(hashlib.sha1((key + (f"#{salt}" if salt else "")).encode()).hexdigest(), 16) % 5 == fold
            train = [p for p in pages if not held(p[0]) and len(p[3]) and any(p[5])]
            lm = T._fit_ranker(JOINT_FEATURES, [(mat(p[4]), p[5]) for p in train], a.l2)
            if a.trees:
                from sklearn.ensemble import HistGradientBoostingClassifier
                gb = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=16, min_samples_leaf=20,
                                                    l2_regularization=1.0, random_state=0)
                gb.fit(np.vstack([mat(p[4]) for p in train]), np.concatenate([p[5] for p in train]))
            for p in pages:
                if not held(p[0]):
                    continue
                n += 1
                if not p[3]:
                    continue
                X = mat(p[4])
                sl = ((X - np.asarray(lm["mean"])) / np.asarray(lm["scale"])) @ np.asarray(lm["coef"])
                hits["linear"] += exact(p, sl)
                if a.trees:
                    sg = gb.decision_function(X)
                    hits["trees"] += exact(p, sg)
                    hits["averaged"] += exact(p, (sl - sl.mean()) / (sl.std() + 1e-9) + (sg - sg.mean()) / (sg.std() + 1e-9))
    shown = ("linear", "trees", "averaged") if a.trees else ("linear",)
    print(f"{n} held-out page readings ({a.salts} salted 5-fold splits): exact title " +
          "  ".join(f"{k} {hits[k] / n:.3f}" for k in shown))


if __name__ == "__main__":
    main()
