"""Recall of participants, places and times, and cross-document event linking, on ECB+ gold mentions.

usage: python bench/eval_mentions.py [../shared/data/ecbplus-dev.jsonl] [--limit N]

Gold mentions carry text and type but no offsets, so matching is by head word, one-to-one inside an
article: a gold mention is found when a predicted mention of a compatible type contains its last
capitalised word (names) or its last content word (dates), each prediction used once.
"Named" mentions are those with a capitalised word other than a determiner or pronoun
(HUMAN_PART_*, LOC_*); for TIME_DATE every mention except bare deictic adverbs ("now", "then").
Events: gold ACTION_* mentions with a cross-document chain are mapped to the event claim whose
trigger word they contain; pairs of such mentions in different articles of one gold story are
linked in gold when they share a chain, and by newstrace when their events fall in the same
story-level event (link.agreement.cluster_events). Pairwise P/R/F1 over those pairs.
Precision of entities is checked by hand in tests/fixtures/facts/ (gold here covers only topic sentences).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))

from hand_checked import COARSE, checked_sample  # noqa: E402  (tests/enrich/hand_checked.py)
from newstrace.enrich import nlp  # noqa: E402
from newstrace.link.agreement import cluster_events  # noqa: E402
from newstrace.records import Article, Enrichment  # noqa: E402

COMPATIBLE = {
    "HUMAN_PART_PER": {"PERSON"},
    "HUMAN_PART_ORG": {"ORG", "NORP", "GPE", "FAC"},
    "LOC_GEO": {"GPE", "LOC", "FAC"},
    "LOC_FAC": {"FAC", "ORG", "GPE", "LOC"},
    "TIME_DATE": {"DATE", "TIME"},
}
_FUNCTION = {"the", "a", "an", "he", "she", "it", "they", "his", "her", "their", "its", "this", "that", "i", "we",
             "on", "in", "at", "of", "for", "by", "last", "early", "late", "since", "from", "to", "until"}
_DEICTIC = {"now", "then", "currently", "recently", "soon", "later", "earlier", "previously", "once", "ago"}


def _toks(text: str) -> list[str]:
    return [re.sub(r"'s?$", "", t) for t in re.findall(r"[A-Za-z0-9']+", text.replace("’", "'")) if t not in ("'", "'s")]


def named(m: dict, text: str) -> bool:
    """Whether a gold mention is a name (or, for times, not a bare deictic adverb).

    A capitalised word counts as a name unless the article also writes it in lower case
    ("Police" opening a sentence, "police" elsewhere)."""
    toks = _toks(m["text"])
    if m["type"] == "TIME_DATE":
        return bool(toks) and not (len(toks) == 1 and toks[0].lower() in _DEICTIC)
    return any(t[:1].isupper() and t.lower() not in _FUNCTION
               and not re.search(r"\b" + re.escape(t.lower()) + r"\b", text) for t in toks)


def head(m_text: str, gold_type: str) -> str | None:
    toks = _toks(m_text)
    if gold_type != "TIME_DATE":
        caps = [t for t in toks if t[:1].isupper() and t.lower() not in _FUNCTION]
        toks = caps or toks
    else:
        toks = [t for t in toks if t.lower() not in _FUNCTION] or toks
    return toks[-1].lower().strip("'") if toks else None


def hand_checked_precision() -> None:
    """Precision per coarse type on the 40 hand-checked articles (tests/fixtures/facts/): the gold above
    covers only topic sentences, so it cannot say what else the extractor claims."""
    fixture, enr = checked_sample()
    right: Counter = Counter()
    said: Counter = Counter()
    for aid, e in enr.items():
        ok = {tuple(x) for x in fixture[aid]["correct"]}
        for key in {(m.canonical, COARSE[m.type]) for m in e.mentions if m.type in COARSE}:
            said[key[1]] += 1
            right[key[1]] += key in ok   # judged wrong or never judged: counted against precision
    print(f"\nhand-checked precision ({len(enr)} articles, distinct (name, type) per article)")
    for t in ("person", "organisation", "group", "place"):
        if said[t]:
            print(f"  {t:15s} n={said[t]:5d}  P={right[t] / said[t]:.3f}")
    print(f"  {'all':15s} n={sum(said.values()):5d}  P={sum(right.values()) / sum(said.values()):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/data/ecbplus-dev.jsonl"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cache", help="pickle of the enrichments: written when absent, read when present (for iterating on linking)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.path, encoding="utf-8")]
    if args.limit:
        rows = rows[:args.limit]
    arts = [Article(id=r["id"], origin=r["id"], title=r.get("title"), text=r["text"]) for r in rows]
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, "rb") as fh:
            out = pickle.load(fh)
        print(f"read {len(out)} enrichments from {args.cache}")
    else:
        out = [Enrichment(article_id=a.id) for a in arts]
        t0 = time.perf_counter()
        nlp.annotate(arts, out)
        dt = time.perf_counter() - t0
        print(f"annotated {len(arts)} articles in {dt:.1f}s ({len(arts) / dt:.1f} articles/s)")
        if args.cache:
            with open(args.cache, "wb") as fh:
                pickle.dump(out, fh)

    found: Counter = Counter()
    total: Counter = Counter()
    found_any: Counter = Counter()
    misses: dict[str, Counter] = defaultdict(Counter)
    mistyped: dict[str, Counter] = defaultdict(Counter)
    for r, e in zip(rows, out):
        for gtype, ok_types in COMPATIBLE.items():
            gold = [m for m in r["gold_mentions"] if m["type"] == gtype and named(m, (r.get("title") or "") + "\n" + r["text"])]
            if not gold:
                continue
            pred_typed: Counter = Counter()
            pred_any: Counter = Counter()
            type_of: dict[str, str] = {}
            for pm in e.mentions:
                hs = {t.lower().strip("'") for t in _toks(pm.text)}
                for h in hs:
                    pred_any[h] += 1
                    type_of.setdefault(h, pm.type)
                    if pm.type in ok_types:
                        pred_typed[h] += 1
            for m in gold:
                h = head(m["text"], gtype)
                total[gtype] += 1
                if h and pred_typed[h] > 0:
                    pred_typed[h] -= 1
                    found[gtype] += 1
                else:
                    misses[gtype][m["text"]] += 1
                    if h and pred_any[h] > 0:
                        mistyped[gtype][type_of.get(h, "?")] += 1
                if h and pred_any[h] > 0:
                    pred_any[h] -= 1
                    found_any[gtype] += 1
    print("\nnamed mentions found (recall; type-compatible / any type)")
    for g in COMPATIBLE:
        if total[g]:
            print(f"  {g:15s} n={total[g]:5d}  R={found[g] / total[g]:.3f}  R_any_type={found_any[g] / total[g]:.3f}"
                  f"   e.g. missed: {', '.join(t for t, _ in misses[g].most_common(6))}; typed as {dict(mistyped[g].most_common(3))}")

    hand_checked_precision()

    # --- event linking -----------------------------------------------------------
    by_story: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_story[r["gold_story"]].append(i)
    tp = fp = fn = 0
    mapped = gold_n = 0
    for story, idx in by_story.items():
        claims = []
        owner = []
        for i in idx:
            for c in out[i].claims:
                if c.kind == "event":
                    claims.append(c)
                    owner.append(i)
        clusters = cluster_events(claims)
        cluster_of = {ci: k for k, members in enumerate(clusters) for ci in members}
        items = []  # (article index, chain, predicted cluster or None)
        for i in idx:
            avail: dict[str, list[int]] = defaultdict(list)
            for ci, c in enumerate(claims):
                if owner[ci] == i:
                    avail[c.fields.get("trigger", "").lower()].append(ci)
            for m in rows[i]["gold_mentions"]:
                if not m["type"].startswith(("ACTION", "NEG_ACTION")) or not m.get("chain"):
                    continue
                gold_n += 1
                ci = None
                for w in _toks(m["text"]):
                    if avail.get(w.lower()):
                        ci = avail[w.lower()].pop(0)
                        break
                if ci is not None:
                    mapped += 1
                items.append((i, m["chain"], cluster_of.get(ci) if ci is not None else None))
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                (ia, ca, pa), (ib, cb, pb) = items[a], items[b]
                if ia == ib:
                    continue
                g = ca == cb
                p = pa is not None and pa == pb
                tp += g and p
                fp += (not g) and p
                fn += g and not p
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn) if tp + fn else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    print(f"\nevent mentions with a gold chain: {gold_n}, mapped to a newstrace event: {mapped} ({mapped / max(gold_n, 1):.3f})")
    print(f"cross-document event linking (pairwise, within gold stories): P={P:.3f} R={R:.3f} F1={F:.3f}  (tp={tp} fp={fp} fn={fn})")


if __name__ == "__main__":
    main()
