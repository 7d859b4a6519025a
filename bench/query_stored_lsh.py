#!/usr/bin/env python3
"""Query latency against a stored LSH index kept by `bench_minhash.py --keep-store DIR`, from a fresh process.

Runs bench_minhash's queries for that size twice: the first round starts with SQLite's cache empty
(a store just opened), the second is warm (a store being served). Prints median/p95/p99 wall and
CPU milliseconds and how often the planted source article is among the candidates.

usage: .venv/bin/python bench/query_stored_lsh.py DIR/1000000/b.db [--n 1000000] [--queries 500]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_minhash  # noqa: E402


def _ms(values: list[float], q: float) -> float:
    return 1000 * bench_minhash._pct(values, q)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--n", type=int, default=1_000_000, help="how many articles the index holds (picks the queries)")
    ap.add_argument("--queries", type=int, default=500)
    args = ap.parse_args()
    from newstrace.link import minhash
    from newstrace.store import open_store
    qs = bench_minhash.queries(args.n, args.queries, bench_minhash._vocab())
    store = open_store(args.db)
    lsh = minhash.StoreLSH(store)
    for name in ("cold (just opened)", "warm"):
        lat, cpu, ids = bench_minhash.query_store(lsh, qs)
        found = sum(src in f for (src, _), f in zip(qs, ids))
        lat.sort(), cpu.sort()
        print(f"{name}: {len(qs)} queries, wall median/p95/p99 {_ms(lat, .5):.2f}/{_ms(lat, .95):.2f}/{_ms(lat, .99):.2f} ms, "
              f"CPU {_ms(cpu, .5):.2f}/{_ms(cpu, .95):.2f}/{_ms(cpu, .99):.2f} ms, source found {found}/{len(qs)}, "
              f"load {os.getloadavg()[0]:.1f}")
    store.close()


if __name__ == "__main__":
    main()
