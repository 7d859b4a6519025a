#!/usr/bin/env python3
"""Ingest+extract throughput on the 300 development pages, as HTML and as plain-text dumps, beside trafilatura alone.

usage: python bench/bench_extract.py [--data ../shared/data] [--workers 2] [--repeat 2]

Every stage reads the files from disk, so ingest (read, hash, decode) is part of each figure; the
trafilatura baseline reads the same HTML files and runs `trafilatura.bare_extraction(..., with_metadata=True)`
(its own metadata pass includes htmldate). Stages run in a fresh pool of `--workers` processes, alternating
with the baseline, best of `--repeat` runs, because the machine may be shared. Peak memory is the largest
resident set of any worker (plus the parent's).
"""
from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _ours(paths: list[str]) -> tuple[int, int, float]:
    """Ingest + extract with newstrace; returns (articles, worker peak RSS in KiB, CPU seconds)."""
    c = _cpu()
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import extract_or_fail
    from newstrace.records import Failure
    n = 0
    for item in iter_inputs(paths):
        if not isinstance(item, Failure) and not isinstance(extract_or_fail(item), Failure):
            n += 1
    return n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _cpu() - c


def _trafilatura(paths: list[str]) -> tuple[int, int, float]:
    """The baseline: trafilatura alone (with its metadata and htmldate) on the same files."""
    c = _cpu()
    import trafilatura
    n = 0
    for p in paths:
        html = Path(p).read_bytes().decode("utf-8", "replace")
        if trafilatura.bare_extraction(html, with_metadata=True, include_comments=False) is not None:
            n += 1
    return n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _cpu() - c


def _warm(_: int) -> int:
    """Import and load models once per worker, outside the timed part (a long-running worker does this once):
    everything the timed stages import, ingest and the pipeline included (~0.1 s of CPU per process), and dateparser's
    locale data, which htmldate loads on its first free-text date (1.6 s of CPU: paid or not by each worker as the
    pages fall, it swung either stage's figure by up to a tenth)."""
    import trafilatura  # noqa: F401
    from htmldate.extractors import external_date_parser
    external_date_parser("Veröffentlicht am Dienstag", "%Y-%m-%d")
    from newstrace.ingest import iter_inputs  # noqa: F401
    from newstrace.pipeline import extract_or_fail  # noqa: F401
    from newstrace.records import Failure  # noqa: F401
    from newstrace.extract.language import detect_language
    from newstrace.extract.text import load_model
    from newstrace.extract.linefeatures import line_features
    from newstrace.extract.markup import split_lines
    from newstrace.extract.dates import find_dates
    detect_language("warming up the language model with a sentence long enough")
    load_model()
    line_features(split_lines("warm"))
    find_dates("12 November 2021")
    return 0


def run(fn, paths: list[str], workers: int) -> tuple[float, int, int, float]:
    """(wall seconds, documents done, peak worker RSS KiB, worker CPU seconds) for one stage in a fresh pool."""
    chunks = [paths[i::workers * 4] for i in range(workers * 4)]
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_warm, range(workers * 2))
        t = time.perf_counter()
        res = pool.map(fn, chunks, chunksize=1)
        dt = time.perf_counter() - t
    return dt, sum(r[0] for r in res), max(r[1] for r in res), sum(r[2] for r in res)


def page_text(html: str) -> str:
    """The devscore plain-text dump of a page (what copying a page out of a browser gives)."""
    import lxml.html
    from newstrace.extract.html import _page_lines
    root = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    return "\n".join(_page_lines(root))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--stages", default="html,text", help="html, text or both (the baseline always runs)")
    a = ap.parse_args()
    dev = Path(a.data) / "extraction-dev"
    gold = json.load(open(dev / "gold.json"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    (tmp / "html").mkdir()
    (tmp / "text").mkdir()
    html_paths, text_paths = [], []
    for k in gold:
        html = gzip.decompress((dev / "pages" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        hp, tp = tmp / "html" / f"{k}.html", tmp / "text" / f"{k}.txt"
        hp.write_text(html, encoding="utf-8")
        tp.write_text(page_text(html), encoding="utf-8")
        html_paths.append(str(hp))
        text_paths.append(str(tp))
    _warm(0)  # models load once in the parent; forked workers inherit them, as a long-running service would have them
    print(f"{len(html_paths)} pages; {a.workers} worker process(es); best of {a.repeat}; load average {os.getloadavg()[0]:.1f}")
    best: dict[str, tuple[float, int, int, float]] = {}
    for _ in range(a.repeat):
        stages = [("trafilatura alone (html)", _trafilatura, html_paths)]
        stages += [("newstrace html", _ours, html_paths)] if "html" in a.stages else []
        stages += [("newstrace text", _ours, text_paths)] if "text" in a.stages else []
        for name, fn, paths in stages:
            r = run(fn, paths, a.workers)
            if name not in best or r[3] < best[name][3]:
                best[name] = r
    # CPU seconds are the fair measure on a shared machine; wall-clock figures are printed beside them
    base, base_wall = best["trafilatura alone (html)"][3], best["trafilatura alone (html)"][0]
    print(f"{'stage':26s} {'docs':>5s} {'wall s':>7s} {'docs/s':>7s} {'CPU s':>7s} {'docs/s on 2 idle cores':>23s} "
          f"{'CPU vs trafilatura':>19s} {'peak RSS MiB':>13s}")
    for name, (dt, n, rss, cpu) in best.items():
        print(f"{name:26s} {n:5d} {dt:7.2f} {n / dt:7.1f} {cpu:7.2f} {n / cpu * a.workers:23.1f} {cpu / base:18.2f}x {rss / 1024:13.0f}")
    if "newstrace html" in best:
        html_over = best["newstrace html"][3] / base - 1
        print(f"html: newstrace adds {html_over * 100:+.1f}% CPU over trafilatura alone "
              f"({(best['newstrace html'][0] / base_wall - 1) * 100:+.1f}% wall) (target <= +10%)")
    if "newstrace text" in best:
        text_rate = best["newstrace text"][1] / best["newstrace text"][3] * a.workers
        print(f"text: {text_rate:.0f} documents/s on {a.workers} idle cores from CPU time, "
              f"{best['newstrace text'][1] / best['newstrace text'][0]:.0f}/s wall-clock here (target >= 500)")
    print(f"parent peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
