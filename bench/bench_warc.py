"""WARC ingest throughput (records/s) and memory beside FastWARC's (and warcio's) own iteration, in one process.

Builds a synthetic WARC.gz from the 300 real dev pages (../shared/data/extraction-dev/pages/*.html.gz),
each written `--copies` times under distinct URIs and WARC dates, then times:

  fastwarc-iterate   FastWARC ArchiveIterator over response records, HTTP parsed, payload read (the baseline)
  warcio-iterate     warcio ArchiveIterator, same work (a second reference)
  newstrace-read     ingest.warc.iter_warc: records → RawDocument (digest check, HTML/status filter, decode check)
  newstrace-read-nv  the same without the payload-digest check
  newstrace-store    iter_warc + SQLiteStore.add_raw (what `ingest` does before extraction)
  newstrace-full     the whole pipeline (extract, enrich, link) on the first --full records (0 to skip)

Each stage is timed on its own pass; memory is a second pass under tracemalloc (peak Python
allocations), plus the process's max RSS at the end. Run:

    .venv/bin/python bench/bench_warc.py [--copies 10] [--full 0]
"""
from __future__ import annotations

import argparse
import gc
import gzip
import io
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "extraction-dev"


def build_warc(path: Path, copies: int) -> int:
    """Write the dev pages `copies` times as response records; returns the number of response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    gold = json.loads((DATA / "gold.json").read_text())
    pages = sorted((DATA / "pages").glob("*.html.gz"))
    if not pages:
        sys.exit(f"no pages under {DATA / 'pages'}")
    n = 0
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for c in range(copies):
            for p in pages:
                body = gzip.decompress(p.read_bytes())
                url = ((gold.get(p.name.split(".")[0], {}).get("url") or f"https://example.org/{p.name}") + (f"#copy={c}" if c else "")).replace(" ", "%20")
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                                        protocol="HTTP/1.1")
                date = (start + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
                w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                    warc_headers_dict={"WARC-Date": date}))
                n += 1
    return n


def fastwarc_iterate(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType
    n = 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=True):
            rec.reader.read()
            n += 1
    return n


def warcio_iterate(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator
    n = 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                rec.content_stream().read()
                n += 1
    return n


def newstrace_read(verify: bool) -> Callable[[Path], int]:
    def run(path: Path) -> int:
        from newstrace.ingest.warc import iter_warc
        from newstrace.records import RawDocument
        return sum(1 for d in iter_warc(path, verify=verify) if isinstance(d, RawDocument))
    return run


def newstrace_store(path: Path) -> int:
    from newstrace.ingest.warc import iter_warc
    from newstrace.records import RawDocument
    from newstrace.store.sqlite import SQLiteStore
    with tempfile.TemporaryDirectory() as d:
        store = SQLiteStore(str(Path(d) / "b.db"))
        n = 0
        with store.transaction():
            for doc in iter_warc(path):
                if isinstance(doc, RawDocument):
                    store.add_raw(doc)
                    n += 1
        store.close()
    return n


def newstrace_full(limit: int) -> Callable[[Path], int]:
    def run(path: Path) -> int:
        from itertools import islice
        from newstrace.ingest.warc import iter_warc
        from newstrace.pipeline import ingest
        from newstrace.store.sqlite import SQLiteStore
        with tempfile.TemporaryDirectory() as d:
            store = SQLiteStore(str(Path(d) / "f.db"))
            report = ingest(islice(iter_warc(path), limit), store)
            store.close()
        return len(report.added) + len(report.failed)
    return run


def measure(name: str, fn: Callable[[Path], int], path: Path, with_memory: bool = True) -> dict:
    gc.collect()
    t0 = time.perf_counter()
    n = fn(path)
    secs = time.perf_counter() - t0
    peak = None
    if with_memory:
        gc.collect()
        tracemalloc.start()
        fn(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"stage": name, "records": n, "seconds": secs, "rate": n / secs if secs else float("inf"), "peak_py_mb": peak and peak / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=10, help="times each of the 300 pages is written (default 10)")
    ap.add_argument("--full", type=int, default=0, help="also run the whole pipeline on this many records (slow; default 0)")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes per stage; the best is reported (default 3)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bench.warc.gz"
        t0 = time.perf_counter()
        n = build_warc(path, args.copies)
        print(f"synthetic WARC: {n} response records, {path.stat().st_size / 2**20:.1f} MB gzip, built in {time.perf_counter() - t0:.1f} s",
              flush=True)
        stages = [("fastwarc-iterate", fastwarc_iterate), ("warcio-iterate", warcio_iterate),
                  ("newstrace-read", newstrace_read(True)), ("newstrace-read-nv", newstrace_read(False)),
                  ("newstrace-store", newstrace_store)]
        results = []
        for name, fn in stages:
            runs = [measure(name, fn, path, with_memory=(i == 0)) for i in range(args.repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            best["peak_py_mb"] = runs[0]["peak_py_mb"]
            results.append(best)
        if args.full:
            results.append(measure(f"newstrace-full({args.full})", newstrace_full(args.full), path, with_memory=False))
        base = results[0]["rate"]
        print(f"{'stage':<22}{'records':>9}{'seconds':>10}{'records/s':>12}{'vs fastwarc':>13}{'peak py MB':>12}")
        for r in results:
            mem = f"{r['peak_py_mb']:.1f}" if r["peak_py_mb"] is not None else "-"
            print(f"{r['stage']:<22}{r['records']:>9}{r['seconds']:>10.3f}{r['rate']:>12.0f}{r['rate'] / base:>13.3f}{mem:>12}")
        print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
