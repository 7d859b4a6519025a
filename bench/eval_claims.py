#!/usr/bin/env python3
"""Claim agreement on real articles with gold from ECB+: corroboration precision, seeded conflicts, duplicate rows.

Every ECB+ dev article is enriched (spaCy, no embeddings) and the articles of each gold story are
handed to link.agreement.facts_of, each article its own source (its site, else its id).

- Corroboration precision: for each row called corroborated, every pair of its source claims from
  different sources. A claim is labelled with the ECB+ cross-document coreference chain of the gold
  mention it is: an event by its trigger word (ACTION_* mentions containing it), a quantity by its
  number (any mention containing the number's text), a quote by its speaker (HUMAN_PART_* mentions
  ending in the speaker's last name). Gold mentions carry no offsets, so a claim is labelled only when
  every gold mention of that article matching it lies in one chain. A labelled pair is right when
  both chains are equal. Pairs with an unlabelled side are counted apart (coverage).
- Recall of same-fact pairs: pairs of labelled claims of one gold story, different sources, same
  chain, among the claims the agreement step lists: share that share one row.
- Seeded conflicts: a real quantity sentence of one article, its number changed (×2, or +3 for
  counts under 10), appended to another article of the same story from another source; detected
  when the agreement step marks the original and the changed claim conflicting with each other.
  The same runs count every other conflict they report (on unchanged real sentences).
- Duplicate rows: rows of one story repeating a sentence.

usage: .venv/bin/python bench/eval_claims.py [--cache /tmp/ecb-enr.pkl] [--seeds 200] [--show 10] [--topics 1,3]
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "src"))   # after PYTHONPATH: another checkout can be measured with the same script

from newstrace.enrich import nlp  # noqa: E402
from newstrace.records import Article, Enrichment, RawDocument  # noqa: E402

try:
    from newstrace.link.agreement import facts_of  # noqa: E402
except ImportError:   # an older checkout (for the before figure): the same step through a throwaway store
    def facts_of(arts, enr, sources, recycled=frozenset(), similarity=None):  # type: ignore[no-redef]
        """Story facts through a temporary SQLite store (outlets stand for the given sources)."""
        import tempfile
        from datetime import datetime, timezone
        from newstrace.link.agreement import story_facts
        from newstrace.store import open_store
        store = open_store(str(Path(tempfile.mkdtemp()) / "f.db"))
        for a in arts:
            a.outlet = sources[a.id].split(":", 1)[1]
            store.add_raw(RawDocument(id=a.id, origin=a.origin, data=a.text.encode(), media_type="text/plain",
                                      first_seen=datetime(2020, 1, 1, tzinfo=timezone.utc)))
            store.add_article(a, enr[a.id])
        out = story_facts(store, [a.id for a in arts])
        store.close()
        for c in out["claims"]:
            for s in c["sources"]:
                s.setdefault("independent_source", sources[s["article_id"]])
        return out

DEV = ROOT.parent / "shared" / "data" / "ecbplus-dev.jsonl"
if not DEV.exists():
    DEV = Path("/work/shared/data/ecbplus-dev.jsonl")


def _toks(text: str) -> list[str]:
    return [t.lower() for t in re.findall(r"[A-Za-z0-9][A-Za-z0-9,.$%']*[A-Za-z0-9%]|[A-Za-z0-9]", text)]


def source_of(r: dict[str, Any]) -> str:
    """One source per site (articles of one site count once), else per article."""
    host = urlparse(r.get("url") or "").netloc.lower().removeprefix("www.")
    return f"outlet:{host}" if host else f"article:{r['id']}"


def article_of(r: dict[str, Any], text: str | None = None) -> Article:
    """An ECB+ record as an Article (outlet: its site)."""
    host = urlparse(r.get("url") or "").netloc.lower().removeprefix("www.") or None
    return Article(id=r["id"], origin=r["id"], title=r.get("title"), text=text if text is not None else r["text"],
                   outlet=host, url=r.get("url"))


def enrich(arts: list[Article]) -> list[Enrichment]:
    """Mentions, dates and claims (no embeddings: agreement does not read them)."""
    out = [Enrichment(article_id=a.id) for a in arts]
    nlp.annotate(arts, out)
    return out


def _norm(t: str) -> str:
    return " ".join(_toks(t))


def gold_chain(rec: dict[str, Any], kind: str, says: str | None, sentence: str | None = None) -> str | None:
    """The one cross-document chain a claim of this article matches, else None (unlabelled). With the
    claim's sentence, only gold mentions whose words occur in it are candidates."""
    if not says:
        return None
    if sentence:
        within = _norm(sentence.rstrip(" …"))
        rec = {"gold_mentions": [m for m in rec["gold_mentions"] if _norm(m["text"]) and _norm(m["text"]) in within]}
    if kind == "event":
        cands = [m for m in rec["gold_mentions"] if m["type"].startswith(("ACTION", "NEG_ACTION")) and says.lower() in _toks(m["text"])]
    elif kind == "quantity":
        num = says.lower()
        cands = [m for m in rec["gold_mentions"] if num and num in m["text"].lower()]
    else:
        last = says.split()[-1].lower()
        cands = [m for m in rec["gold_mentions"] if m["type"].startswith("HUMAN_PART") and _toks(m["text"])[-1:] == [last]]
    chains = {m["chain"] for m in cands}
    if len(chains) != 1 or None in chains:
        return None
    return chains.pop()


def label_of(kind: str, rec: dict[str, Any], enr: Enrichment, text: str, row: dict[str, Any],
             says: str | None = None) -> str | None:
    """Gold chain of the claim a source states in a row: its trigger, number or speaker (`says`), else found
    back in its enrichment by sentence."""
    if says and kind == "event":
        return gold_chain(rec, kind, says, text)
    for c in enr.claims:
        if c.kind != kind or c.text.strip()[:200] != text.strip().rstrip(" …")[:200]:
            continue
        if kind == "event":
            if c.fields.get("trigger") not in (row.get("triggers") or []):
                continue
            key = c.fields.get("trigger")
        elif kind == "quantity":
            if c.fields.get("number") is None:
                continue
            key = c.fields.get("number")
        else:
            key = c.fields.get("speaker")
        lab = gold_chain(rec, kind, key, c.text)
        if lab:
            return lab
    return None


def evaluate_rows(stories: dict[str, list[str]], recs: dict[str, dict[str, Any]], enr: dict[str, Enrichment],
                  show: int = 0) -> dict[str, Any]:
    """Corroboration precision (labelled pairs), duplicate rows and recall of gold same-fact pairs."""
    right: Counter = Counter()
    wrong: Counter = Counter()
    unlabelled: Counter = Counter()
    rows_n = dup_rows = 0
    rec_hit: Counter = Counter()
    rec_all: Counter = Counter()
    shown: list[str] = []
    conflicts = 0
    for sid, ids in sorted(stories.items()):
        arts = [article_of(recs[i]) for i in ids]
        facts = facts_of(arts, {i: enr[i] for i in ids}, {i: source_of(recs[i]) for i in ids})
        rows = facts["claims"]
        rows_n += len(rows)
        texts = Counter(r["text"] for r in rows)
        dup_rows += sum(n - 1 for n in texts.values() if n > 1)
        conflicts += sum(1 for r in rows if r["status"] == "conflicting")
        # every listed claim (row facets included) with its gold label
        listed: list[tuple[str, str, str, str | None, int]] = []   # kind, article, source, chain, row
        for k, r in enumerate(rows):
            for s in r["sources"]:
                lab = label_of(r["kind"], recs[s["article_id"]], enr[s["article_id"]], s["text"], r, s.get("says"))
                listed.append((r["kind"], s["article_id"], s["independent_source"], lab, k))
            if r["status"] != "corroborated":
                continue
            srcs = r["sources"]
            for i in range(len(srcs)):
                for j in range(i + 1, len(srcs)):
                    a, b = srcs[i], srcs[j]
                    if a["independent_source"] == b["independent_source"]:
                        continue
                    la = label_of(r["kind"], recs[a["article_id"]], enr[a["article_id"]], a["text"], r, a.get("says"))
                    lb = label_of(r["kind"], recs[b["article_id"]], enr[b["article_id"]], b["text"], r, b.get("says"))
                    if la is None or lb is None:
                        unlabelled[r["kind"]] += 1
                    elif la == lb:
                        right[r["kind"]] += 1
                    else:
                        wrong[r["kind"]] += 1
                        if len(shown) < show:
                            shown.append(f"[{sid} {r['kind']} WRONG] {a['text'][:140]!r} || {b['text'][:140]!r}")
        for x in range(len(listed)):
            for y in range(x + 1, len(listed)):
                kx, ax, sx, cx, rx = listed[x]
                ky, ay, sy, cy, ry = listed[y]
                if kx != ky or sx == sy or cx is None or cx != cy:
                    continue
                rec_all[kx] += 1
                rec_hit[kx] += rx == ry
    tot_r, tot_w = sum(right.values()), sum(wrong.values())
    return {"precision": tot_r / (tot_r + tot_w) if tot_r + tot_w else None, "right": dict(right), "wrong": dict(wrong),
            "unlabelled_pairs": dict(unlabelled), "rows": rows_n, "duplicate_rows": dup_rows,
            "conflicting_rows_unseeded": conflicts,
            "recall_same_fact_pairs": sum(rec_hit.values()) / max(sum(rec_all.values()), 1),
            "recall_by_kind": {k: f"{rec_hit[k]}/{rec_all[k]}" for k in rec_all}, "shown": shown}


_WORDNUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}


def changed_number(number: str, value: float) -> tuple[str, float] | None:
    """The number written differently: doubled (counts of 10 and more) or plus three; None when unchanged."""
    new = value * 2 if value >= 10 else value + 3
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", number)
    if digits:
        raw = digits.group(0)
        base = float(raw.replace(",", ""))
        nb = base * 2 if value >= 10 else base + 3
        txt = f"{int(nb):,}" if "," in raw else (str(int(nb)) if nb == int(nb) else f"{nb:g}")
        return number.replace(raw, txt, 1), new
    w = number.lower().split()[-1] if number.split() else ""
    if w in _WORDNUM and value < 10:
        return re.sub(re.escape(number.split()[-1]) + "$", str(int(new)), number), new
    return None


def seeded_conflicts(stories: dict[str, list[str]], recs: dict[str, dict[str, Any]], enr: dict[str, Enrichment],
                     n: int, seed: int = 7, show: int = 0) -> dict[str, Any]:
    """Recall of conflicts seeded into real sentences (one number changed, the sentence given to another source)."""
    rng = random.Random(seed)
    cands = []
    for sid, ids in sorted(stories.items()):
        for i in ids:
            for c in enr[i].claims:
                if c.kind != "quantity" or not c.fields.get("number") or c.fields.get("vague") or "\n" in c.text:
                    continue
                if c.fields.get("number") not in c.text:
                    continue
                others = [j for j in ids if source_of(recs[j]) != source_of(recs[i])]
                if others and changed_number(c.fields["number"], c.fields["value"]):
                    cands.append((sid, i, c, others))
    rng.shuffle(cands)
    cands = cands[:n]
    found = extracted = other_conflicts = 0
    missed: list[str] = []
    for sid, i, c, others in cands:
        j = rng.choice(others)
        num2, v2 = changed_number(c.fields["number"], c.fields["value"])
        sent2 = c.text.replace(c.fields["number"], num2, 1)
        art_j = article_of(recs[j], recs[j]["text"] + "\n\n" + sent2)
        enr_j = enrich([art_j])[0]
        if any(x.kind == "quantity" and x.fields.get("value") == v2 and sent2.strip() == x.text.strip() for x in enr_j.claims):
            extracted += 1
        ids = stories[sid]
        arts = [art_j if k == j else article_of(recs[k]) for k in ids]
        e = {k: (enr_j if k == j else enr[k]) for k in ids}
        facts = facts_of(arts, e, {k: source_of(recs[k]) for k in ids})
        hit = False
        for r in facts["claims"]:
            entries = [r] + [a for a in r.get("also", []) if a.get("kind") == "quantity"]
            for x in entries:
                for cw in x.get("conflicts_with") or []:
                    mine = r["sources"]
                    if (any(s["article_id"] == i and s["text"].rstrip(" …")[:150] == c.text.strip()[:150] for s in mine)
                            and cw.get("value") == v2 and any(s["article_id"] == j for s in cw["sources"])):
                        hit = True
                    elif not any(s["article_id"] == j for s in cw["sources"]) and not any(s["article_id"] == j for s in mine):
                        other_conflicts += 1
        found += hit
        if not hit and len(missed) < show:
            missed.append(f"[{sid}] {c.fields['number']} -> {num2}: {c.text[:160]!r} ({c.fields.get('counted_class')}, {c.fields.get('verb')})")
    return {"seeded": len(cands), "extracted": extracted, "detected": found,
            "recall": found / len(cands) if cands else None, "other_conflict_rows_in_seeded_runs": other_conflicts // 2,
            "missed": missed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DEV))
    ap.add_argument("--cache", help="pickle of the enrichments: written when absent, read when present")
    ap.add_argument("--topics", help="comma-separated ECB+ topics (default: all)")
    ap.add_argument("--seeds", type=int, default=200, help="how many conflicts to seed")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong pairs and missed conflicts")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    if args.topics:
        want = set(args.topics.split(","))
        rows = [r for r in rows if r["gold_story"].split("_")[0] in want]
    recs = {r["id"]: r for r in rows}
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, "rb") as fh:
            enr = pickle.load(fh)
        enr = {k: v for k, v in enr.items() if k in recs}
    else:
        t0 = time.perf_counter()
        out = enrich([article_of(r) for r in rows])
        enr = {e.article_id: e for e in out}
        print(f"enriched {len(rows)} articles in {time.perf_counter() - t0:.0f} s")
        if args.cache:
            with open(args.cache, "wb") as fh:
                pickle.dump(enr, fh)
    stories: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        stories[r["gold_story"]].append(r["id"])
    t0 = time.perf_counter()
    res = evaluate_rows(stories, recs, enr, args.show)
    print(f"== {len(rows)} articles, {len(stories)} gold stories ({time.perf_counter() - t0:.0f} s)")
    p = res["precision"]
    print(f"corroboration precision (pairs with both sides labelled): {p if p is None else round(p, 3)}   target >= 0.95")
    print(f"   right {res['right']}  wrong {res['wrong']}  unlabelled pairs {res['unlabelled_pairs']}")
    print(f"recall of gold same-fact pairs among listed claims: {res['recall_same_fact_pairs']:.3f} {res['recall_by_kind']}")
    print(f"claim rows {res['rows']}, duplicate rows (a sentence repeated): {res['duplicate_rows']}   target 0")
    print(f"conflicting rows on the unchanged stories: {res['conflicting_rows_unseeded']}")
    for s in res["shown"]:
        print("   x", s)
    if args.seeds:
        c = seeded_conflicts(stories, recs, enr, args.seeds, show=args.show)
        r = c["recall"]
        print(f"seeded conflicts: {c['detected']}/{c['seeded']} detected, recall {r if r is None else round(r, 3)}   target >= 0.90"
              f"  (changed claim extracted in {c['extracted']}; other conflict rows in those runs {c['other_conflict_rows_in_seeded_runs']})")
        for s in c["missed"]:
            print("   missed", s)


if __name__ == "__main__":
    main()
