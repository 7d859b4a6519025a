#!/usr/bin/env python3
"""Near-duplicate indexing and querying: newstrace's numpy MinHash + LSH beside datasketch's MinHashLSH.

Same input text, same parameters (126 permutations, 63 bands x 2 rows, 5-word shingles), one process
per (engine, size) so memory is measured cleanly. Synthetic articles: Zipf-distributed words, 200-600
words each; planted near-duplicates (a source doc with part of it replaced, trimmed or wrapped)
give the queries. Recall is against exact Jaccard: for every query, every indexed doc whose exact
shingle Jaccard reaches --jaccard must be among the candidates (checked by brute force over all
indexed docs at the smallest size; at larger sizes the planted sources are the only docs above
0.05, which the smallest size verifies and prints).

Prints per size: docs/s indexing, ms per query (median and p95), recall, peak RSS growth and the
index's own bytes, and newstrace/datasketch ratios. Also the persisted SQLite index (StoreLSH)
at the sizes given with --store-sizes.

usage: .venv/bin/python bench/bench_minhash.py [--sizes 10000,100000,1000000] [--datasketch-max 100000]
                                             [--store-sizes 10000] [--queries 200] [--keep-store DIR]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

VOCAB = 50_000
CHUNK = 5_000


def _vocab() -> np.ndarray:
    rng = np.random.default_rng(1)
    syll = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "an", "el", "or", "us", "it"]
    words = set()
    while len(words) < VOCAB:
        words.add("".join(rng.choice(syll, rng.integers(1, 5))) + rng.choice(["", "s", "ed", "ing"]))
    return np.array(sorted(words))


def docs(start: int, n: int, vocab: np.ndarray) -> list[str]:
    """Synthetic articles start..start+n (deterministic per index, so any process can regenerate them)."""
    out = []
    for i in range(start, start + n):
        rng = np.random.default_rng(1000 + i)
        length = int(rng.integers(200, 600))
        ids = np.minimum(rng.zipf(1.15, length), VOCAB) - 1
        ids = (ids * 7919 + i % 13) % VOCAB   # spread frequent ranks over the vocabulary
        out.append(" ".join(vocab[ids].tolist()))
    return out


def queries(n_docs: int, n: int, vocab: np.ndarray) -> list[tuple[int, str]]:
    """Near-duplicates of indexed docs: a share of words replaced, the end trimmed, or wrapped in other text."""
    rng = np.random.default_rng(7)
    out = []
    for q in range(n):
        src = int(rng.integers(0, n_docs))
        words = docs(src, 1, vocab)[0].split()
        kind = q % 3
        if kind == 0:      # edits: replace a share of words
            k = int(len(words) * rng.uniform(0.02, 0.12))
            for pos in rng.integers(0, len(words), k):
                words[pos] = str(vocab[rng.integers(0, VOCAB)])
        elif kind == 1:    # trimmed
            words = words[:int(len(words) * rng.uniform(0.5, 0.9))]
        else:              # wrapped in chrome
            chrome = docs(10**9 + q, 1, vocab)[0].split()[:int(rng.integers(30, 150))]
            words = chrome[:len(chrome) // 2] + words + chrome[len(chrome) // 2:]
        out.append((src, " ".join(words)))
    return out


def shingle_set(text: str) -> np.ndarray:
    from newstrace.link import minhash
    return minhash.shingle_hashes(minhash.words(text))


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter) if len(a) + len(b) else 0.0


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _index_chunks(n: int, vocab: np.ndarray, h, add_chunk) -> tuple[float, float]:
    """Sign n synthetic docs chunk by chunk and hand each chunk to add_chunk(start, sets, sigs); (wall s, CPU s)."""
    from newstrace.link import minhash
    t_index = t_cpu = 0.0
    for start in range(0, n, CHUNK):
        texts = docs(start, min(CHUNK, n - start), vocab)   # generating the corpus is not timed
        t0, c0 = time.perf_counter(), time.process_time()
        sets = [minhash.shingle_hashes(minhash.words(t)) for t in texts]
        add_chunk(start, sets, h.signatures(sets))
        t_index += time.perf_counter() - t0
        t_cpu += time.process_time() - c0
    return t_index, t_cpu


def run_newstrace(n: int, qs: list[tuple[int, str]], vocab: np.ndarray) -> dict:
    from newstrace.link import minhash
    h = minhash.hasher()
    idx = minhash.MemoryLSH()
    base = _rss_mb()
    t_index, t_cpu = _index_chunks(n, vocab, h,
                                   lambda start, sets, sigs: idx.add(minhash.band_keys(sigs), first_doc=start))
    t0, c0 = time.perf_counter(), time.process_time()
    idx._flush()
    t_index += time.perf_counter() - t0
    t_cpu += time.process_time() - c0
    grown = _rss_mb() - base
    lat, cpu, found = [], [], []
    for src, text in qs:
        t0, c0 = time.perf_counter(), time.process_time()
        sig = h.signature(minhash.shingle_hashes(minhash.words(text)))
        cands = idx.query(minhash.band_keys(sig)[0])
        lat.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        found.append(set(cands.tolist()))
    return {"index_s": t_index, "index_cpu_s": t_cpu, "lat": lat, "cpu": cpu, "found": found, "rss_mb": grown,
            "index_mb": idx.nbytes() / 2**20}


def run_datasketch(n: int, qs: list[tuple[int, str]], vocab: np.ndarray) -> dict:
    from datasketch import MinHash, MinHashLSH
    from newstrace.link import minhash
    lsh = MinHashLSH(num_perm=minhash.NUM_PERM, params=(minhash.BANDS, minhash.ROWS))
    k = minhash.SHINGLE

    def shingles(text: str) -> list[bytes]:
        w = minhash.words(text)
        return [" ".join(w[i:i + k]).encode() for i in range(len(w) - k + 1)]

    base = _rss_mb()
    t_index = t_cpu = 0.0
    for start in range(0, n, CHUNK):
        texts = docs(start, min(CHUNK, n - start), vocab)
        t0, c0 = time.perf_counter(), time.process_time()
        ms = MinHash.bulk([shingles(t) for t in texts], num_perm=minhash.NUM_PERM)
        with lsh.insertion_session() as s:
            for j, m in enumerate(ms):
                s.insert(start + j, m, check_duplication=False)
        t_index += time.perf_counter() - t0
        t_cpu += time.process_time() - c0
    grown = _rss_mb() - base
    lat, found = [], []
    proto = MinHash(num_perm=minhash.NUM_PERM)
    perms, scheme = proto.permutations, proto.scheme
    cpu = []
    for src, text in qs:
        t0, c0 = time.perf_counter(), time.process_time()
        m = MinHash(num_perm=minhash.NUM_PERM, permutations=perms, scheme=scheme)
        m.update_batch(shingles(text))
        cands = lsh.query(m)
        lat.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        found.append(set(cands))
    return {"index_s": t_index, "index_cpu_s": t_cpu, "lat": lat, "cpu": cpu, "found": found, "rss_mb": grown, "index_mb": None}


def query_store(lsh, qs: list[tuple[int, str]]) -> tuple[list[float], list[float], list[set[int]]]:
    """Wall and CPU seconds per query against a StoreLSH, and the ids each found."""
    from newstrace.link import minhash
    lat, cpu, found = [], [], []
    for _, text in qs:
        t0, c0 = time.perf_counter(), time.process_time()
        sig, _, windows = minhash.text_signatures(text)   # what `ingest` and `check` run: whole text plus windows
        cands = lsh.candidates(sig, windows=windows)
        lat.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        found.append({int(c) for c, _ in cands})
    return lat, cpu, found


def run_store(n: int, qs: list[tuple[int, str]], vocab: np.ndarray) -> dict:
    """The persisted index in a fresh SQLite store (what `ingest` uses)."""
    from newstrace.link import minhash
    from newstrace.store import open_store
    keep = os.environ.get("NT_BENCH_KEEP_STORE")   # set by --keep-store: the index stays for bench/query_stored_lsh.py
    folder = os.path.join(keep, str(n)) if keep else tempfile.mkdtemp(prefix="nt-bench-")
    os.makedirs(folder, exist_ok=True)
    if os.path.exists(os.path.join(folder, "b.db")):
        raise SystemExit(f"{folder}/b.db exists: give --keep-store an empty folder")
    store = open_store(os.path.join(folder, "b.db"))
    lsh = minhash.StoreLSH(store)
    base = _rss_mb()

    def add_chunk(start: int, sets: list, sigs) -> None:
        with store.transaction():
            for j, sig in enumerate(sigs):
                lsh.add(str(start + j), sig, len(sets[j]))

    t_index, t_cpu = _index_chunks(n, vocab, minhash.hasher(), add_chunk)
    grown = _rss_mb() - base
    lat, cpu, found = query_store(lsh, qs)
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in ("b.db", "b.db-wal")
               if os.path.exists(os.path.join(folder, f))) / 2**20   # rows still in the write-ahead log count too
    store.close()
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)   # 1.9 GB at 1M articles
    return {"index_s": t_index, "index_cpu_s": t_cpu, "lat": lat, "cpu": cpu, "found": found, "rss_mb": grown, "index_mb": size}


ENGINES = {"newstrace": run_newstrace, "datasketch": run_datasketch, "newstrace-sqlite": run_store}


def _child(engine: str, n: int, n_queries: int, conn) -> None:
    vocab = _vocab()
    qs = queries(n, n_queries, vocab)
    r = ENGINES[engine](n, qs, vocab)
    r["found"] = [sorted(f) for f in r["found"]]
    r["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send(r)
    conn.close()


def measure(engine: str, n: int, n_queries: int) -> dict:
    """Run one engine at one size in its own process."""
    ctx = mp.get_context("spawn")
    a, b = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(engine, n, n_queries, b))
    p.start()
    r = a.recv()
    p.join()
    return r


def truth(n: int, n_queries: int, threshold: float, brute: bool) -> tuple[list[set[int]], float]:
    """Per query the indexed docs with exact Jaccard >= threshold; and the largest Jaccard seen with a non-source doc."""
    vocab = _vocab()
    qs = queries(n, n_queries, vocab)
    qsets = [shingle_set(t) for _, t in qs]
    out = [set() for _ in qs]
    worst_other = 0.0
    if brute:
        for start in range(0, n, CHUNK):
            texts = docs(start, min(CHUNK, n - start), vocab)
            dsets = [shingle_set(t) for t in texts]
            for qi, qset in enumerate(qsets):
                for j, d in enumerate(dsets):
                    jac = exact_jaccard(qset, d)
                    if jac >= threshold:
                        out[qi].add(start + j)
                    if start + j != qs[qi][0]:
                        worst_other = max(worst_other, jac)
    else:
        for qi, (src, _) in enumerate(qs):
            if exact_jaccard(qsets[qi], shingle_set(docs(src, 1, vocab)[0])) >= threshold:
                out[qi].add(src)
    return out, worst_other


def _pct(sorted_values: list[float], q: float) -> float:
    """The q-quantile of already sorted values (nearest rank)."""
    return sorted_values[min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1))))]


def recall(found: list[list[int]], want: list[set[int]]) -> float:
    hits = total = 0
    for f, w in zip(found, want):
        fs = set(f)
        hits += len(w & fs)
        total += len(w)
    return hits / total if total else 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--datasketch-max", type=int, default=100_000, help="largest size datasketch is run at")
    ap.add_argument("--store-sizes", default="10000", help="sizes for the persisted SQLite index ('' for none)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--keep-store", help="keep the SQLite index built at each store size in DIR/<size>/b.db")
    ap.add_argument("--jaccard", type=float, default=0.5, help="recall is measured over pairs at or above this exact Jaccard")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    if args.keep_store:
        os.environ["NT_BENCH_KEEP_STORE"] = os.path.abspath(args.keep_store)   # read by the spawned engine processes
    sizes = [int(x) for x in args.sizes.split(",") if x]
    store_sizes = {int(x) for x in args.store_sizes.split(",") if x}
    from newstrace.link import minhash
    print(f"params: {minhash.NUM_PERM} permutations, {minhash.BANDS} bands x {minhash.ROWS} rows, {minhash.SHINGLE}-word shingles; "
          f"{args.queries} queries; recall over pairs with exact Jaccard >= {args.jaccard}")
    results = []
    for i, n in enumerate(sizes):
        want, worst = truth(n, args.queries, args.jaccard, brute=(i == 0))
        if i == 0:
            print(f"[{n}] brute-force exact Jaccard: {sum(map(len, want))} true pairs; largest Jaccard of a query with a "
                  f"doc other than its source: {worst:.3f}")
        row = {"n": n}
        for engine in ("newstrace", "datasketch", "newstrace-sqlite"):
            if engine == "datasketch" and n > args.datasketch_max:
                continue
            if engine == "newstrace-sqlite" and n not in store_sizes:
                continue
            r = measure(engine, n, args.queries)
            lat, cpu = sorted(r["lat"]), sorted(r["cpu"])
            row[engine] = {"docs_per_s": n / r["index_s"], "docs_per_cpu_s": n / max(r["index_cpu_s"], 1e-9),
                           "query_ms_median": 1000 * statistics.median(lat),
                           "query_ms_p95": 1000 * _pct(lat, 0.95), "query_ms_p99": 1000 * _pct(lat, 0.99),
                           "query_cpu_ms_median": 1000 * statistics.median(cpu), "query_cpu_ms_p95": 1000 * _pct(cpu, 0.95),
                           "query_cpu_ms_p99": 1000 * _pct(cpu, 0.99), "load_avg": os.getloadavg()[0],
                           "recall": recall(r["found"], want),
                           "candidates_per_query": statistics.mean(len(f) for f in r["found"]),
                           "rss_growth_mb": r["rss_mb"], "peak_rss_mb": r["peak_rss_mb"], "index_mb": r["index_mb"]}
            e = row[engine]
            print(f"[{n:>8}] {engine:<17} index {e['docs_per_s']:>9.0f} docs/s ({e['docs_per_cpu_s']:.0f}/CPU-s) | query median "
                  f"{e['query_ms_median']:.2f} ms p95 {e['query_ms_p95']:.2f} p99 {e['query_ms_p99']:.2f} ms wall, CPU "
                  f"{e['query_cpu_ms_median']:.2f}/{e['query_cpu_ms_p95']:.2f}/{e['query_cpu_ms_p99']:.2f} ms | load {e['load_avg']:.1f} | recall {e['recall']:.3f} | {e['candidates_per_query']:.1f} cand/query | "
                  f"RSS +{e['rss_growth_mb']:.0f} MB (peak {e['peak_rss_mb']:.0f} MB)"
                  + (f" | index {e['index_mb']:.0f} MB" if e["index_mb"] is not None else ""), flush=True)
        if "datasketch" in row:
            a, b = row["newstrace"], row["datasketch"]
            print(f"[{n:>8}] ratio newstrace/datasketch: indexing {a['docs_per_s'] / b['docs_per_s']:.2f}x wall, "
                  f"{a['docs_per_cpu_s'] / b['docs_per_cpu_s']:.2f}x CPU, "
                  f"query speed {b['query_ms_median'] / a['query_ms_median']:.2f}x, memory {a['rss_growth_mb'] / max(b['rss_growth_mb'], 1e-9):.2f}x, "
                  f"recall {a['recall']:.3f} vs {b['recall']:.3f}", flush=True)
        results.append(row)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"memory growth newstrace {a['n']}->{b['n']}: RSS x{b['newstrace']['rss_growth_mb'] / max(a['newstrace']['rss_growth_mb'], 1e-9):.1f}, "
              f"index bytes x{b['newstrace']['index_mb'] / a['newstrace']['index_mb']:.1f} for x{b['n'] / a['n']:.0f} docs")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
