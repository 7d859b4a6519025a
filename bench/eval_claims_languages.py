#!/usr/bin/env python3
"""Claims corroborated across languages: the English seed reports (examples/seeds/) against real ru/pl/uk
reports (tests/fixtures/multilingual/drills-2021.jsonl), each foreign report put in one story with the seeds.

For each foreign report: how many claim rows it corroborates with an English seed (a row with both an
English and a foreign source), and those rows' sentences side by side, to be read. Reports of *other*
events (drills of 2020, gold false) are put with the seeds too: whatever they corroborate is wrong.

usage: PYTHONPATH=src .venv/bin/python bench/eval_claims_languages.py [--show 5]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "src"))

from newstrace.ingest import iter_inputs  # noqa: E402
from newstrace.link import agreement  # noqa: E402
from newstrace.pipeline import ingest  # noqa: E402
from newstrace.store import open_store  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "multilingual"


def cross_rows(facts: dict, foreign_id: str) -> list[dict]:
    """Rows with a foreign source and an English one from another outlet."""
    out = []
    for r in facts["claims"]:
        ids = {s["article_id"] for s in r["sources"]}
        if foreign_id in ids and len(ids) > 1 and r["status"] == "corroborated":
            out.append(r)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    gold = json.loads((FIX / "drills-2021.gold.json").read_text())
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "x.db")) as store:
        ingest(iter_inputs([str(ROOT / "examples" / "seeds"), str(FIX / "drills-2021.jsonl")], allow_private=False), store)
        arts = list(store.articles())
        seeds = [a.id for a in arts if a.language == "en"]
        foreign = {a.external_id: a for a in arts if a.language != "en"}
        total = {True: 0, False: 0}
        for ext, a in sorted(foreign.items(), key=lambda kv: (not gold[kv[0]], kv[0])):
            t0 = time.perf_counter()
            facts = agreement.story_facts(store, seeds + [a.id])
            dt = time.perf_counter() - t0
            rows = cross_rows(facts, a.id)
            shallow = sum(c.kind in ("event", "quote") for c in store.get_enrichment(a.id).claims)
            total[gold[ext]] += len(rows)
            print(f"{ext} [{a.language}, {'same event' if gold[ext] else 'OTHER event'}]: {len(rows)} rows corroborated "
                  f"with the seeds ({shallow} shallow claims; story facts {dt:.2f} s)")
            for r in rows[: args.show]:
                for s in r["sources"]:
                    print(f"     {s['outlet'][:18]:18s} {s['text'][:150]!r}")
                print()
        print(f"rows corroborated across languages: same event {total[True]}, other events {total[False]} (wrong)")


if __name__ == "__main__":
    main()
