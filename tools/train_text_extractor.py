#!/usr/bin/env python3
"""Train the plain-text line model (src/newstrace/extract/textmodel.json) from the development pages.

usage: train_text_extractor.py [--data ../shared/data] [--devscore ../shared/tools/devscore.py] [--out PATH]

Labels: each line of a page's plain-text dump is article text when trafilatura's extraction of the
same HTML page contains it; the gold `with`/`without` snippets override. Pages are split by a hash
of their key into train (4/5) and held-out (1/5); the model is fitted on train only, the Viterbi
switch cost and a bias shift are tuned on train, and both splits are reported with the devscore
metric (snippet recall, chrome rejection, F1).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import os
import pickle
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from newstrace.extract import text as textmod  # noqa: E402
from newstrace.extract.linefeatures import FEATURE_NAMES, line_features  # noqa: E402
from newstrace.extract.markup import split_lines  # noqa: E402

norm = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()  # noqa: E731


def held_out(key: str) -> bool:
    """One page in five, chosen by a hash of its key (the pages come from different sites)."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 5 == 0


def load_pages(data: Path, devscore: Path, cache: Path):
    """(key, gold, dump text, trafilatura text) for every dev page; cached because trafilatura is slow."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    import trafilatura
    spec = importlib.util.spec_from_file_location("devscore", devscore)
    ds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ds)
    gold = json.load(open(data / "extraction-dev" / "gold.json"))
    out = []
    for k, g in gold.items():
        html = gzip.decompress((data / "extraction-dev" / "pages" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        out.append((k, g, ds.page_text(html), trafilatura.extract(html, include_comments=False) or ""))
    cache.write_bytes(pickle.dumps(out))
    return out


def labels(lines, gold, traf: str) -> list[int]:
    tn = norm(traf)
    tlines = {norm(l) for l in traf.split("\n") if l.strip()}
    ys = []
    for line in lines:
        nl = norm(line.text)
        y = 1 if (len(nl) >= 30 and nl in tn) or nl in tlines else 0
        if any(norm(s) in nl for s in gold["without"]):
            y = 0
        if any(norm(s) in nl for s in gold["with"]):
            y = 1
        ys.append(y)
    return ys


def score(pages, bodies) -> tuple[float, float, float]:
    """devscore's snippet metric over (gold, body text) pairs."""
    wh = wa = wo = woa = 0
    for (_, g, *_), text in zip(pages, bodies):
        t = norm(text)
        wa += len(g["with"]); wh += sum(norm(s) in t for s in g["with"])
        woa += len(g["without"]); wo += sum(norm(s) not in t for s in g["without"])
    r, p = wh / wa, wo / woa
    return r, p, 2 * p * r / (p + r)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--devscore", default=str(ROOT.parent / "shared" / "tools" / "devscore.py"))
    ap.add_argument("--out", default=str(ROOT / "src" / "newstrace" / "extract" / "textmodel.json"))
    ap.add_argument("--cache", default="/tmp/newstrace-textdev.pkl")
    a = ap.parse_args()
    pages = load_pages(Path(a.data), Path(a.devscore), Path(a.cache))
    docs = []
    for k, g, dump, traf in pages:
        lines = split_lines(dump)
        docs.append((k, g, lines, line_features(lines), labels(lines, g, traf)))
    train = [d for d in docs if not held_out(d[0])]
    test = [d for d in docs if held_out(d[0])]
    X = np.array([f for d in train for f in d[3]])
    y = np.array([v for d in train for v in d[4]])
    mean, scale = X.mean(0), X.std(0)
    scale = np.maximum(scale, 0.1)  # rare binary features must not blow up when they do occur
    mean[0], scale[0] = 0.0, 1.0
    clf = LogisticRegression(C=0.5, max_iter=5000)
    clf.fit((X - mean) / scale, y)
    print(f"lines: train {len(y)} (body {y.mean():.2f}); pages train {len(train)} held-out {len(test)}")
    print(f"line accuracy train {clf.score((X - mean) / scale, y):.3f}")

    def bodies(ds, switch, shift):
        out = []
        for k, g, lines, feats, _ in ds:
            if not lines:
                out.append("")
                continue
            Z = (np.array(feats) - mean) / scale
            z = Z @ clf.coef_[0] + clf.intercept_[0] + shift
            probs = list(1 / (1 + np.exp(-np.clip(z, -30, 30))))
            mask = textmod.smooth(probs, switch)
            out.append("\n".join(l.text for l, m in zip(lines, mask) if m))
        return out

    best = None
    for switch in (0.0, 0.5, 1.0, 2.0, 3.0, 4.0):
        for shift in (-1.0, -0.5, 0.0, 0.5, 1.0):
            r, p, f = score(train, bodies(train, switch, shift))
            if best is None or f > best[0]:
                best = (f, switch, shift, r, p)
    f, switch, shift, r, p = best
    print(f"train   (switch {switch}, shift {shift}): recall {r:.3f} rejection {p:.3f} F1 {f:.3f}")
    r, p, f = score(test, bodies(test, switch, shift))
    print(f"held-out: recall {r:.3f} rejection {p:.3f} F1 {f:.3f}")
    model = {"features": FEATURE_NAMES, "mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale],
             "coef": [round(float(v), 6) for v in clf.coef_[0]], "intercept": round(float(clf.intercept_[0] + shift), 6),
             "switch": switch, "trained_on": "trafilatura extraction-dev pages (Apache-2.0), 4/5 split by key hash"}
    Path(a.out).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    for name, c in sorted(zip(FEATURE_NAMES, clf.coef_[0]), key=lambda t: -abs(t[1]))[:15]:
        print(f"  {name:16s} {c:+.2f}")


if __name__ == "__main__":
    main()
