#!/usr/bin/env python3
"""Per-page error analysis of `devscore.py extraction text|html`: which gold snippets each page misses or keeps.

usage: text_body_errors.py [--mode text|html] [--exe PATH] [--devscore ../shared/tools/devscore.py] [--out FILE]

Writes the dev pages as devscore does (its own page_text and pages()), runs `EXE extract DIR --json`, scores with
devscore's own norm, prints the pooled snippet recall, chrome rejection and F1 (the figures devscore prints), then
lists the pages by what they cost that F1 (a missed `with` snippet weighs dF1/drecall / all `with` snippets, a kept
`without` snippet dF1/drejection / all `without` snippets), worst first, each with its missed and kept snippets, and
the `with` snippets that the text dump does not hold at all (no text extractor can find them).
EXE defaults to this checkout's code: `python -m newstrace` with src/ on PYTHONPATH.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=("text", "html"), default="text")
    ap.add_argument("--exe", default=None)
    ap.add_argument("--devscore", default=str(ROOT.parent / "shared" / "tools" / "devscore.py"))
    ap.add_argument("--out", default=None, help="write the per-page list here instead of stdout")
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("devscore", a.devscore)
    ds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ds)
    d = tempfile.mkdtemp(prefix="texterr-")
    gold, dumps = {}, {}
    for k, g, html in ds.pages():
        gold[k] = g
        if a.mode == "html":
            Path(d, k + ".html").write_text(html)
        else:
            dumps[k] = ds.page_text(html)
            Path(d, k + ".txt").write_text(dumps[k])
    if a.exe:
        cmd, env = [a.exe], None
    else:
        cmd = [sys.executable, "-m", "newstrace"]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), HF_HUB_OFFLINE="1")
    res = subprocess.run(cmd + ["extract", d, "--json"], capture_output=True, text=True, env=env)
    pred = {}
    for line in res.stdout.splitlines():
        try:
            o = json.loads(line)
        except ValueError:
            continue
        pred[os.path.basename(str(o.get("origin", ""))).split(".")[0]] = o
    W = sum(len(g["with"]) for g in gold.values())
    WO = sum(len(g["without"]) for g in gold.values())
    rows, hit, ok = [], 0, 0
    for k, g in gold.items():
        text = ds.norm(pred.get(k, {}).get("text"))
        miss = [s for s in g["with"] if ds.norm(s) not in text]
        kept = [s for s in g["without"] if ds.norm(s) in text]
        absent = {s for s in miss if dumps and ds.norm(s) not in ds.norm(dumps[k])}
        hit += len(g["with"]) - len(miss)
        ok += len(g["without"]) - len(kept)
        rows.append((k, miss, kept, absent))
    r, p = hit / W, ok / WO
    print(f"{a.mode}: recall {r:.4f}  rejection {p:.4f}  F1 {2 * p * r / (p + r):.4f}  ({W} with, {WO} without snippets)")
    dr, dp = 2 * p * p / (p + r) ** 2, 2 * r * r / (p + r) ** 2
    cost = lambda row: dr * len(row[1]) / W + dp * len(row[2]) / WO  # noqa: E731
    out = open(a.out, "w") if a.out else sys.stdout
    for k, miss, kept, absent in sorted(rows, key=lambda row: -cost(row)):
        if not miss and not kept:
            continue
        out.write(f"== {k} cost {cost((k, miss, kept)):.4f} missed {len(miss)} kept {len(kept)}\n")
        for s in miss:
            out.write(f"  MISS{' (not in the dump)' if s in absent else ''} {s[:150]!r}\n")
        for s in kept:
            out.write(f"  KEPT {s[:150]!r}\n")


if __name__ == "__main__":
    main()
