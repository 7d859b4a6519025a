#!/usr/bin/env python3
"""HTML extraction CPU of two source trees beside trafilatura alone, timed in turns on the 300 development pages.

usage: python bench/ab_extract.py BASE_SRC [BRANCH_SRC] [--data ../shared/data] [--passes 5] [--chunk 20]

Three warmed worker processes (trafilatura.bare_extraction(with_metadata=True) as bench_extract.py runs it, newstrace
ingest+extract from BASE_SRC, and from BRANCH_SRC, default this checkout's src) take turns on chunks of the pages, so
that a shared machine's changing load falls on all three alike (bench_extract.py's stages, a minute apart, spread by
±10 points or more); each prints its CPU seconds for a full pass, and the ratios per pass and their medians.
A source tree is a `src` folder (e.g. `git archive <commit> src | tar -x -C /tmp/base`).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(mode: str, folder: str) -> None:
    """Warm up (models, dateparser's locale data, a few pages), then run the page ranges read on stdin."""
    paths = sorted(str(p) for p in Path(folder).glob("*.html"))
    import trafilatura
    from htmldate.extractors import external_date_parser
    from newstrace.extract.language import detect_language
    from newstrace.extract.text import load_model
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import extract_or_fail
    from newstrace.records import Failure
    external_date_parser("Veröffentlicht am Dienstag", "%Y-%m-%d")
    detect_language("warming up the language model with a sentence long enough")
    load_model()

    def run(ps: list[str]) -> int:
        if mode == "ours":
            return sum(not isinstance(item, Failure) and not isinstance(extract_or_fail(item), Failure)
                       for item in iter_inputs(ps))
        return sum(trafilatura.bare_extraction(Path(p).read_bytes().decode("utf-8", "replace"), with_metadata=True,
                                               include_comments=False) is not None for p in ps)

    run(paths[:10])
    print("ready", flush=True)
    for line in sys.stdin:
        a, b = map(int, line.split())
        c = _cpu()
        n = run(paths[a:b])
        print(f"{_cpu() - c:.4f} {n}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("branch", nargs="?", default=str(ROOT / "src"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--chunk", type=int, default=20)
    a = ap.parse_args()
    dev = Path(a.data) / "extraction-dev"
    folder = tempfile.mkdtemp(prefix="ab-extract-")
    keys = list(json.load(open(dev / "gold.json")))
    for k in keys:   # the pages as bench_extract.py writes them
        html = gzip.decompress((dev / "pages" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        Path(folder, f"{k}.html").write_text(html, encoding="utf-8")
    specs = {"trafilatura": (a.base, "traf"), "base": (a.base, "ours"), "branch": (a.branch, "ours")}
    procs = {k: subprocess.Popen([sys.executable, __file__, "--worker", mode, folder], text=True, cwd=folder,
                                 env=dict(os.environ, PYTHONPATH=src), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for k, (src, mode) in specs.items()}
    for p in procs.values():
        assert p.stdout.readline().strip() == "ready"
    order, tot = list(specs), {k: [] for k in specs}
    for i in range(a.passes):
        t = dict.fromkeys(specs, 0.0)
        for j, start in enumerate(range(0, len(keys), a.chunk)):
            for k in order[j % 3:] + order[:j % 3]:   # who goes first rotates
                procs[k].stdin.write(f"{start} {start + a.chunk}\n")
                procs[k].stdin.flush()
                t[k] += float(procs[k].stdout.readline().split()[0])
        for k in specs:
            tot[k].append(t[k])
        print(f"pass {i + 1}: CPU s trafilatura {t['trafilatura']:.2f} base {t['base']:.2f} branch {t['branch']:.2f}  "
              f"base/trafilatura {t['base'] / t['trafilatura']:.3f}  branch/trafilatura {t['branch'] / t['trafilatura']:.3f}  "
              f"branch/base {t['branch'] / t['base']:.3f}  load {os.getloadavg()[0]:.1f}", flush=True)
    for p in procs.values():
        p.stdin.close()
        p.wait()

    def ratio(x: str, y: str) -> float:
        return statistics.median(u / v for u, v in zip(tot[x], tot[y]))

    print(f"median of {a.passes} passes: base/trafilatura {ratio('base', 'trafilatura'):.3f}  "
          f"branch/trafilatura {ratio('branch', 'trafilatura'):.3f}  branch/base {ratio('branch', 'base'):.3f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], sys.argv[3])
    else:
        main()
