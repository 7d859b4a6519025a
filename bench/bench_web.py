"""Load check of the web API: 20 concurrent clients for 30 s on loopback against a store of 10k articles.

usage: python bench/bench_web.py [--articles 10000] [--clients 20] [--seconds 30] [--html-seconds 10] [--rebuild]

The store is synthetic and seeded (same store every run), written through the Store API into
bench/out/web-<n>.db. A real `newstrace serve` subprocess serves it; the load generator is a lean
asyncio HTTP/1.1 keep-alive client in this process (so little CPU goes to the client). It reports
requests/s and latency percentiles for the stories list and one story, and the server's memory.

Baseline, in this process on the same store: the story list computed by the reference rules
(Store.story_page in store/base.py: read every story document per request) against the indexed
SQLite query the server uses; printed as single-request service times and their ratio.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace.records import Article, Claim, Enrichment, Mention, RawDocument, content_id  # noqa: E402
from newstrace.store import Store, open_store  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
PLACES = [("Hrodna", 53.68, 23.83, "BY"), ("Warsaw", 52.23, 21.01, "PL"), ("Minsk", 53.9, 27.57, "BY"),
          ("Vilnius", 54.69, 25.28, "LT"), ("Kyiv", 50.45, 30.52, "UA"), ("Riga", 56.95, 24.11, "LV"),
          ("Berlin", 52.52, 13.4, "DE"), ("Paris", 48.86, 2.35, "FR"), ("Madrid", 40.42, -3.7, "ES")]
PEOPLE = ["Alexander Lukashenko", "Viktor Khrenin", "Antony Blinken", "Jens Stoltenberg", "Mateusz Morawiecki"]
WORDS = ("troops border drills migrants crisis minister said government army forces exercise report "
         "sanctions talks summit bridge fire flood election court police protest strike port harbour").split()


def build(db: str, n: int, seed: int = 42) -> None:
    """A seeded synthetic store of n articles in stories of 1–12 articles, through the Store API."""
    rng = random.Random(seed)
    store = open_store(db)
    made = 0
    story_no = 0
    t0 = time.perf_counter()
    while made < n:
        size = min(n - made, max(1, int(rng.paretovariate(1.6))) if rng.random() < 0.9 else rng.randint(5, 12))
        sid = f"s-{story_no:05d}"
        story_no += 1
        day0 = rng.randint(0, 1400)
        place = rng.sample(PLACES, rng.randint(1, 3))
        people = rng.sample(PEOPLE, rng.randint(0, 3))
        rows = []
        with store.transaction():
            for k in range(size):
                day = day0 + rng.randint(0, 6)
                published = f"{2021 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + (day % 31) % 28:02d}T{rng.randint(0, 23):02d}:00:00+00:00"
                outlet = rng.choice(OUTLETS)
                title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
                text = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 60))) + "." for _ in range(6))
                data = f"{sid}|{k}|{title}|{text}".encode()
                aid = content_id(data)
                from datetime import datetime
                when = datetime.fromisoformat(published)
                store.add_raw(RawDocument(id=aid, origin=f"bench:{aid}", data=data, media_type="text/plain", first_seen=when))
                store.add_article(Article(id=aid, origin=f"bench:{aid}", title=title, text=text, paragraphs=text.split("\n\n"),
                                          outlet=outlet, published=when, published_source="bench"),
                                  Enrichment(article_id=aid, mentions=[Mention(text=p[0], type="GPE", canonical=p[0]) for p in place],
                                             claims=[Claim(kind="quantity", text="some 15,000 troops", fields={"value": 15000})]))
                role = "original" if k == 0 else rng.choice(["copy", "rewrite", "report", "report", "recycled"])
                rec = {"is_recycled": role == "recycled", "claimed": published[:10],
                       "evidence_date": "2020-01-01" if role == "recycled" else None, "reason": "bench", "evidence": []}
                store.set_article_state(aid, story_id=sid, recycled=rec)
                rows.append({"id": aid, "external_id": None, "outlet": outlet, "title": title, "published": published, "role": role})
            rows.sort(key=lambda r: r["published"])
            store.put_story(sid, {
                "id": sid, "headline": rows[0]["title"],
                "first_reported": {"article_id": rows[0]["id"], "outlet": rows[0]["outlet"], "published": rows[0]["published"]},
                "period": {"start": rows[0]["published"], "end": rows[-1]["published"]},
                "outlets": sorted({r["outlet"] for r in rows}), "articles": rows,
                "entities": [{"name": p, "type": "PERSON", "aliases": [p.split()[-1]]} for p in people],
                "places": [{"name": p[0], "lat": p[1], "lon": p[2], "country": p[3]} for p in place],
                "claims": [{"kind": "quantity", "text": f"{rng.randint(1, 30) * 500} troops", "status": rng.choice(["corroborated", "single-source", "conflicting"]),
                            "value": 15000, "sources": [{"outlet": r["outlet"], "article_id": r["id"], "sentence": "some troops"} for r in rows[:4]]}
                           for _ in range(rng.randint(0, 4))]})
        made += size
    print(f"built {db}: {made} articles, {story_no} stories in {time.perf_counter() - t0:.1f} s")
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive GET; returns the status (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def load(port: int, paths, clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections requesting paths() in a loop for `seconds`; latencies in ms."""
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < stop:
            t = time.perf_counter()
            status = await _get(reader, writer, paths())
            lat.append((time.perf_counter() - t) * 1000)
            errors += status != 200
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]  # noqa: E731
    return {"requests": len(lat), "rps": len(lat) / wall, "p50": q(0.5), "p90": q(0.9), "p99": q(0.99),
            "max": lat[-1], "mean": statistics.fmean(lat), "errors": errors}


def server_memory(pid: int) -> str:
    status = Path(f"/proc/{pid}/status").read_text()
    get = lambda k: int(next(line.split()[1] for line in status.splitlines() if line.startswith(k))) / 1024  # noqa: E731
    return f"server RSS {get('VmRSS:'):.0f} MB (peak {get('VmHWM:'):.0f} MB)"


def service_times(db: str, story_ids: list[str]) -> None:
    """Single-request service time of the indexed list vs the reference rules (every document read), same process."""
    store = SQLiteStore(db)

    def timed(fn, reps: int) -> float:
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - t) / reps * 1000

    indexed = timed(lambda: store.story_page(limit=20), 50)
    reference = timed(lambda: Store.story_page(store, limit=20), 3)
    one = timed(lambda: store.get_story(random.choice(story_ids)), 200)
    print(f"\nbaseline (same process, one request at a time, page of 20 largest stories):")
    print(f"  reference rules, every story document read: {reference:8.2f} ms")
    print(f"  indexed query (what the server runs):       {indexed:8.2f} ms   ratio {reference / indexed:6.1f}x faster")
    print(f"  one story document by id:                   {one:8.2f} ms")
    print(f"  bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--html-seconds", type=float, default=10, help="also load the HTML pages this long (0: skip)")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--no-cache", action="store_true", help="serve with the page cache off (every list request queries the store)")
    args = ap.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    db = str(out / f"web-{args.articles}.db")
    if args.rebuild or not Path(db).exists():
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        build(db, args.articles)
    s = SQLiteStore(db)
    story_ids = [r[0] for r in s.execute("SELECT id FROM stories").fetchall()]
    n_articles = s.article_count()
    s.close()
    print(f"store: {n_articles} articles, {len(story_ids)} stories; {args.clients} clients × {args.seconds:.0f} s per endpoint")
    service_times(db, story_ids)

    port = free_port()
    env = {**os.environ, "NEWSTRACE_NO_WARMUP": "1", **({"NEWSTRACE_PAGE_CACHE": "0"} if args.no_cache else {})}
    print(f"page cache: {'off' if args.no_cache else 'on (keyed by the store data version)'}")
    proc = subprocess.Popen([sys.executable, "-m", "newstrace", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(1)
        pages = max(1, len(story_ids) // 20)
        scenarios = [
            ("GET /api/stories (largest first, page 1)", lambda: "/api/stories?limit=20", args.seconds),
            ("GET /api/stories (newest, random page)", lambda: f"/api/stories?limit=20&sort=newest&offset={20 * rng.randrange(pages)}", args.seconds),
            ("GET /api/stories/{id} (random story)", lambda: f"/api/stories/{rng.choice(story_ids)}", args.seconds),
        ]
        if args.html_seconds:
            scenarios += [("GET / (stories page, HTML)", lambda: "/", args.html_seconds),
                          ("GET /stories/{id} (story page, HTML)", lambda: f"/stories/{rng.choice(story_ids)}", args.html_seconds)]
        asyncio.run(load(port, scenarios[0][1], args.clients, 2))  # warm caches and the thread pool
        print(f"\n{'endpoint':44s} {'req/s':>8s} {'p50 ms':>8s} {'p90 ms':>8s} {'p99 ms':>8s} {'max ms':>8s} {'errors':>7s}")
        for name, paths, secs in scenarios:
            r = asyncio.run(load(port, paths, args.clients, secs))
            print(f"{name:44s} {r['rps']:8.0f} {r['p50']:8.1f} {r['p90']:8.1f} {r['p99']:8.1f} {r['max']:8.1f} {r['errors']:7d}"
                  f"   ({r['requests']} requests in {secs:.0f} s)")
        print(server_memory(proc.pid))
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} (2 cores shared with other work)")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
