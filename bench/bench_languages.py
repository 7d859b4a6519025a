"""Enrichment + story assignment per language group beside today's English-only pipeline, and each model's cost.

usage: python bench/bench_languages.py [--data ../shared/data/semeval8-pairs-dev.jsonl] [--n 60]

One process, the pool off (NEWSTRACE_NLP_PROCESSES=1): for each group (en, fr, ru, and the fallback languages
de/pl/zh/es/it/tr/ar) up to --n distinct articles of the SemEval-2022 Task 8 pairs are
enriched (1) routed by their language (enrich/annotate.py), each model loaded lazily on its first article,
and (2) as every article was before: all through the English spaCy pipeline (language unknown).
Both include the multilingual sentence embedding (USE v3), then story assignment (link/stories.py `assign`)
of the group's articles into a fresh SQLite store, timed apart ("stories art/s").
Prints articles/s and CPU ms per article of both, mentions per article, then each model's load time and
the resident memory (RSS) after it was loaded.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["NEWSTRACE_NLP_PROCESSES"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newstrace.enrich import enrich_articles, models  # noqa: E402
from newstrace.link import stories  # noqa: E402
from newstrace.records import Article, RawDocument  # noqa: E402
from newstrace.store.sqlite import SQLiteStore  # noqa: E402

GROUPS = {"en": ["en"], "fr": ["fr"], "ru": ["ru"], "fallback": ["de", "pl", "zh", "es", "it", "tr", "ar"]}


def rss_mb() -> float:
    """Current resident memory of this process (not the peak)."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(arts: list[Article]):  # type: ignore[no-untyped-def]
    """(enrichments, wall seconds, CPU seconds) of enriching arts in batches of 64, as the pipeline does."""
    t, c = time.perf_counter(), time.process_time()
    out = []
    for i in range(0, len(arts), 64):
        out.extend(enrich_articles(arts[i:i + 64], with_embeddings=True))
    return out, time.perf_counter() - t, time.process_time() - c


def assigned(arts: list[Article], enrichments: list) -> float:  # type: ignore[type-arg]
    """Wall seconds of story assignment of the enriched articles into a fresh store (in batches of 64)."""
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(str(Path(tmp) / "b.db")) as store:
        for a, e in zip(arts, enrichments):   # an article is stored beside the raw bytes it came from
            store.add_raw(RawDocument(id=a.id, origin=a.origin, data=a.text.encode(), media_type="text/plain",
                                      first_seen=datetime.now(timezone.utc)))
            store.add_article(a, e)
        t = time.perf_counter()
        for i in range(0, len(arts), 64):
            stories.assign(store, [a.id for a in arts[i:i + 64]])
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/semeval8-pairs-dev.jsonl"))
    ap.add_argument("--n", type=int, default=60, help="articles per language group")
    args = ap.parse_args()
    texts: dict[str, dict[str, str]] = {}
    for line in open(args.data, encoding="utf-8"):
        r = json.loads(line)
        for k in "12":
            texts.setdefault(r["lang" + k], {}).setdefault(r["id" + k], r["text" + k])
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for g, langs in GROUPS.items():
        rows = [(lang, i, t) for lang in langs for i, t in texts.get(lang, {}).items()]
        # the fallback group takes the languages in turn, so each is represented
        rows.sort(key=lambda x: (list(texts.get(x[0], {})).index(x[1]), langs.index(x[0])))
        groups[g] = rows[:args.n]

    def arts(g: str, routed: bool) -> list[Article]:
        return [Article(id=f"{i}-{routed}", origin=i, title=None, text=t, language=lang if routed else None)
                for lang, i, t in groups[g]]

    print(f"{args.n} articles per group from {Path(args.data).name}; load {os.getloadavg()}; RSS at start "
          f"{rss_mb():.0f} MB\n")
    print(f"{'group':9s} {'langs':22s} {'routed art/s':>12s} {'CPU ms/art':>10s} {'mentions':>8s} {'stories art/s':>13s}   "
          f"{'English-only art/s':>18s} {'CPU ms/art':>10s} {'mentions':>8s} {'stories art/s':>13s}")
    loads: list[tuple[str, float, float]] = []
    seen: set[str] = set()
    for g in GROUPS:
        before = rss_mb()
        res, dt, dc = timed(arts(g, True))
        new = [m for m in models.LOADED if m not in seen]
        for m in new:
            loads.append((m, models.LOADED[m], rss_mb() - before))
            seen.add(m)
        if new:  # the first run paid the load: time the group again with the model in memory
            res, dt, dc = timed(arts(g, True))
        st = assigned(arts(g, True), res)
        old, odt, odc = timed(arts(g, False))
        ost = assigned(arts(g, False), old)
        n = len(res)
        langs = ",".join(sorted({lang for lang, _, _ in groups[g]}))
        print(f"{g:9s} {langs:22s} {n / dt:12.1f} {1000 * dc / n:10.1f} {sum(len(e.mentions) for e in res) / n:8.1f} "
              f"{n / st:13.1f}   {n / odt:18.1f} {1000 * odc / n:10.1f} {sum(len(e.mentions) for e in old) / n:8.1f} "
              f"{n / ost:13.1f}")
    print("\nmodel loaded lazily       load s   RSS added MB (model + its first batch)")
    for name, secs, mb in loads:
        print(f"{name:25s} {secs:7.2f} {mb:12.0f}")
    print(f"\nRSS at the end, every model loaded: {rss_mb():.0f} MB; load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
