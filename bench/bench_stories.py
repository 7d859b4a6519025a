#!/usr/bin/env python3
"""Story assignment as the store grows to 100k articles (synthetic, seeded), beside batch average-link.

What it measures (one process, SQLite in a temp dir):
  * streaming: articles/s of `stories.assign` (the link stage after enrichment, batches of --batch like
    `ingest`), and per-article assignment latency (p50/p99 of single-article `assign` calls) at each
    checkpoint of store size; memory (peak RSS) and store size on disk.
  * baseline, same run: batch average-link clustering (scipy, the classic method: all pairs) over the
    first --baseline articles with the same learned similarity, its time and B-cubed F1 against the
    synthetic truth, beside the streaming result on the same articles; printed as ratios.

The corpus: events of a few hundred kinds; articles of one kind share topic vocabulary; each event has
its own names, place, numbers, date and a direction in embedding space; articles of one event sample
from those, with noise. Enrichment is synthetic (terms from the real `terms_of`, 384-dim embeddings
drawn around the event's direction), so the figures are the link stage's own.

usage: bench_stories.py [--n 100000] [--batch 500] [--checkpoints 1000,10000,50000,100000] [--baseline 2000] [--seed 7]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newstrace.batch.compare import bcubed  # noqa: E402
from newstrace.enrich.embed import terms_of  # noqa: E402
from newstrace.link import stories  # noqa: E402
from newstrace.link.similarity import add, empty, features, load_model, represent  # noqa: E402
from newstrace.records import Article, Enrichment, RawDocument, content_id  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

DIM = 384
SYL = "ka lo mi ra sen tu vi dor an bel cor fin gal har is jon kel lum nor pav quin rus sto tam ul ven wes yor zan".split()
T0 = datetime(2015, 1, 1, tzinfo=timezone.utc)


def word(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.choice(SYL) for _ in range(n))


class Corpus:
    """Seeded synthetic events and their articles."""

    def __init__(self, seed: int, kinds: int = 300):
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.kinds = [{"vocab": [word(self.rng, 3) for _ in range(40)], "dir": self.np.normal(size=DIM)} for _ in range(kinds)]
        self.events: list[dict] = []

    def new_event(self) -> dict:
        r = self.rng
        k = r.randrange(len(self.kinds))
        names = [word(r).capitalize() + " " + word(r).capitalize() for _ in range(3)]
        place = word(r, 3).capitalize()
        same_kind = [e for e in self.events[-500:] if e["kind"] == k]
        if same_kind and r.random() < 0.5:   # hard negatives: another event of the same kind, same place or same person
            prev = r.choice(same_kind)
            if r.random() < 0.5:
                place = prev["place"]
            else:
                names[0] = prev["names"][0]
        ev = {"id": len(self.events), "kind": k, "names": names,
              "place": place, "numbers": [str(r.randint(2, 5000)) for _ in range(3)],
              "day": T0 + timedelta(days=r.randrange(3650)), "vocab": r.sample(self.kinds[k]["vocab"], 15),
              "dir": self.kinds[k]["dir"] + 1.2 * self.np.normal(size=DIM)}
        self.events.append(ev)
        return ev

    def article(self, ev: dict, i: int) -> tuple[Article, Enrichment, RawDocument]:
        r = self.rng
        sents = []
        for _ in range(r.randint(5, 10)):
            ws = r.sample(ev["vocab"], 5) + [word(r, 3) for _ in range(3)]
            name = r.choice(ev["names"])
            sents.append(f"The {ws[0]} {ws[1]} in {ev['place']} {ws[2]} {r.choice(ev['numbers'])} {ws[3]}, said {name} of the "
                         f"{ws[4]} {ws[5]} {ws[6]} {ws[7]}.")
        title = f"{ev['place']} {ev['vocab'][0]} {ev['vocab'][1]} {r.choice(ev['numbers'])} {ev['vocab'][2]} {ev['vocab'][3]}"
        text = " ".join(sents)
        data = f"{i}\n{title}\n{text}".encode()
        rid = content_id(data)
        pub = ev["day"] + timedelta(hours=r.randrange(72))
        raw = RawDocument(id=rid, origin=f"synthetic#{i}", data=data, media_type="text/plain", first_seen=pub)
        a = Article(id=rid, origin=raw.origin, title=title, text=text, paragraphs=[text], published=pub, first_seen=pub,
                    external_id=str(i), outlet=f"Outlet {r.randrange(50)}")
        v = ev["dir"] + 2.0 * self.np.normal(size=DIM)
        e = Enrichment(article_id=rid, terms=terms_of(a), embedding=[round(float(x), 4) for x in v / np.linalg.norm(v)])
        return a, e, raw

    def stream(self, n: int):
        """n articles: events arrive over time, each reported 1-20 times, interleaved with other events."""
        live: list[tuple[dict, int]] = []
        i = 0
        while i < n:
            if not live or self.rng.random() < 0.25:
                live.append((self.new_event(), self.rng.randint(1, 20)))
            j = self.rng.randrange(len(live))
            ev, left = live[j]
            yield ev["id"], self.article(ev, i)
            i += 1
            if left <= 1:
                live.pop(j)
            else:
                live[j] = (ev, left - 1)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_average_link(arts: list[tuple[Article, Enrichment]], model) -> tuple[dict, float]:
    """All-pairs average-link (scipy) with the same learned similarity; returns clusters and seconds."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    t = time.perf_counter()
    df: dict[str, int] = defaultdict(int)
    for _, e in arts:
        for k in e.terms:
            df[k] += 1
    reps = [represent(e.terms, e.embedding, a.published, df, len(arts)) for a, e in arts]
    n = len(reps)
    D = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            D[i, j] = D[j, i] = 1.0 - model.score(reps[i], reps[j])
    Z = linkage(squareform(D, checks=False), "average")
    lab = fcluster(Z, 1.0 - model.threshold, "distance")
    return {a.id: int(l) for (a, _), l in zip(arts, lab)}, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--checkpoints", default="1000,10000,50000,100000")
    ap.add_argument("--latency-samples", type=int, default=200)
    ap.add_argument("--baseline", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", default=None, help="store path (default: a temp file, removed afterwards)")
    args = ap.parse_args()
    checkpoints = sorted(int(x) for x in args.checkpoints.split(",") if int(x) <= args.n)
    model = load_model()
    tmp = tempfile.TemporaryDirectory(prefix="bench-stories-")
    db = args.db or os.path.join(tmp.name, "bench.db")
    store = SQLiteStore(db)
    corpus = Corpus(args.seed)
    gold: dict[str, int] = {}
    first: list[tuple[Article, Enrichment]] = []
    pending: list[str] = []
    done = 0
    assign_s = gen_s = store_s = assign_cpu = store_cpu = 0.0
    win = [0, 0.0, 0.0, 0.0]   # articles, wall s (store + assign), assign wall s, CPU s (store + assign) since the last checkpoint
    print(f"stories bench: n={args.n} batch={args.batch} seed={args.seed} join threshold={model.threshold:.2f}")
    print("window = the articles since the previous checkpoint (throughput there shows whether the cost grows with the store);\n"
          "e2e = storing the enriched article + story assignment; cpu = process CPU time (user+sys), not waiting for a shared core")
    print(f"{'articles':>9} {'win e2e/s':>9} {'win asg/s':>9} {'win cpu/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
          f"{'cpu p50':>7} {'cpu p99':>7} {'stories':>8} {'RSS MB':>7} {'db MB':>6} {'load':>5}")
    stream = corpus.stream(args.n)
    while done < args.n:
        t = time.perf_counter()
        batch = []
        for _ in range(min(args.batch, args.n - done)):
            ev, (a, e, raw) = next(stream)
            gold[a.id] = ev
            batch.append((a, e, raw))
            if len(first) < args.baseline:
                first.append((a, e))
        gen_s += time.perf_counter() - t
        # hold back a few articles before each checkpoint to time single-article assignments
        nxt = next((c for c in checkpoints if c > done), None)
        t, c = time.perf_counter(), time.process_time()
        with store.transaction():
            for a, e, raw in batch:
                store.add_raw(raw)
                store.add_article(a, e)
        store_s += time.perf_counter() - t
        store_cpu += time.process_time() - c
        win[1] += time.perf_counter() - t
        win[3] += time.process_time() - c
        ids = [a.id for a, _, _ in batch]
        single = []
        if nxt is not None and done + len(ids) >= nxt:
            k = min(args.latency_samples, len(ids))
            ids, single = ids[:-k], ids[-k:]
        t, c = time.perf_counter(), time.process_time()
        if ids:
            stories.assign(store, ids)
        assign_s += time.perf_counter() - t
        assign_cpu += time.process_time() - c
        win[1] += time.perf_counter() - t
        win[2] += time.perf_counter() - t
        win[3] += time.process_time() - c
        lat, cpu = [], []
        for aid in single:
            t1, c1 = time.perf_counter(), time.process_time()
            stories.assign(store, [aid])
            lat.append((time.perf_counter() - t1) * 1000)
            cpu.append((time.process_time() - c1) * 1000)   # CPU time: the work itself, without waiting for a shared core
        assign_s += sum(lat) / 1000
        assign_cpu += sum(cpu) / 1000
        win[0] += len(batch)
        win[1] += sum(lat) / 1000
        win[2] += sum(lat) / 1000
        win[3] += sum(cpu) / 1000
        done += len(batch)
        if single:
            n_st = store.execute("SELECT count(*) FROM story_index").fetchone()[0]
            lat.sort()
            print(f"{done:>9} {win[0] / win[1]:>9.0f} {win[0] / win[2]:>9.0f} {win[0] / win[3]:>9.0f} "
                  f"{np.percentile(lat, 50):>7.1f} {np.percentile(lat, 99):>7.1f} {lat[-1]:>7.1f} {np.percentile(cpu, 50):>7.1f} "
                  f"{np.percentile(cpu, 99):>7.1f} {n_st:>8} {rss_mb():>7.0f} {os.path.getsize(db) / 1e6:>6.0f} "
                  f"{os.getloadavg()[0]:>5.1f}", flush=True)
            win = [0, 0.0, 0.0, 0.0]
    print(f"time: generate {gen_s:.0f}s, store articles {store_s:.0f}s wall / {store_cpu:.0f}s CPU ({done / store_s:.0f}/s), "
          f"assign {assign_s:.0f}s wall / {assign_cpu:.0f}s CPU ({done / assign_s:.0f}/s); end to end after enrichment "
          f"{done / (store_s + assign_s):.0f} articles/s wall, {done / (store_cpu + assign_cpu):.0f} articles/s of CPU time")
    truth = {a.id: gold[a.id] for a, _ in first}
    stream_pred = {a.id: store.article_state(a.id)["story_id"] for a, _ in first}
    print(f"streaming over {done} articles: B-cubed F1 vs truth {bcubed({k: store.article_state(k)['story_id'] for k in gold}, gold)['f1']:.3f}")
    store.close()
    # baseline on a size all-pairs clustering can handle, in the same process
    base_pred, base_s = baseline_average_link(first, model)
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        s2 = SQLiteStore(os.path.join(d, "b.db"))
        with s2.transaction():
            for a, e in first:
                s2.add_raw(RawDocument(id=a.id, origin=a.origin, data=a.id.encode(), media_type="text/plain", first_seen=a.first_seen))
                s2.add_article(a, e)
        t = time.perf_counter()
        for i in range(0, len(first), args.batch):
            stories.assign(s2, [a.id for a, _ in first[i:i + args.batch]])
        stream_small_s = time.perf_counter() - t
        small_pred = {a.id: s2.article_state(a.id)["story_id"] for a, _ in first}
        s2.close()
    n = len(first)
    print(f"baseline on the first {n} articles: batch average-link {base_s:.1f}s ({n / base_s:.0f} art/s), "
          f"B-cubed F1 {bcubed(base_pred, truth)['f1']:.3f}; streaming on the same {n}: {stream_small_s:.1f}s "
          f"({n / stream_small_s:.0f} art/s), B-cubed F1 {bcubed(small_pred, truth)['f1']:.3f}; "
          f"speed ratio streaming/baseline {base_s / stream_small_s:.1f}x; agreement streaming vs baseline "
          f"{bcubed(small_pred, base_pred)['f1']:.3f}; (in the full run: {bcubed(stream_pred, truth)['f1']:.3f})")
    print(f"peak RSS {rss_mb():.0f} MB")
    tmp.cleanup()


if __name__ == "__main__":
    main()
