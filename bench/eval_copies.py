#!/usr/bin/env python3
"""Syndicated re-posts in other pages' chrome, built from the real extraction-dev pages: share linked to their original.

Each original is a real page of ../shared/data/extraction-dev, ingested as a JSONL record holding its
HTML, under its gold date. Its re-post is another real page (the host, from another site) whose
main-text element (the one holding the host's gold `with` snippets) is replaced by the original's
extracted title and paragraphs, dated the same day or the next one: a record holding that HTML, or
holding the whole page as plain text (menus, footer and all, as a careless scraper keeps it). Originals of
every length are used, short ones included (under 120 words: "short"). A re-post counts as linked when
its `duplicate_of` is its original.

usage: .venv/bin/python bench/eval_copies.py [--n 150] [--seed 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "src"))   # after PYTHONPATH: another checkout can be measured with the same script

DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
if not DATA.exists():
    DATA = Path("/work/shared/data/extraction-dev")
BLOCK = set("address article aside blockquote br dd div dl dt fieldset figcaption figure footer form "
            "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr td th ul title".split())
SKIP = set("script style noscript template svg iframe head object canvas".split())
SHORT = 120


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip().lower()


def page_text(root: Any) -> str:
    """The whole page as plain text, as copied out of a browser (the dump of ../shared/tools/devscore.py)."""
    out: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP:
            out.append(el.tail or "")
            return
        if tag in BLOCK:
            out.append("\n")
        out.append(el.text or "")
        for c in el:
            walk(c)
        if tag in BLOCK:
            out.append("\n")
        out.append(el.tail or "")
    walk(root)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", x).strip() for x in "".join(out).split("\n")]
    return "\n".join(x for x in lines if x)


def load() -> list[tuple[str, dict[str, Any], str]]:
    """(key, gold, html) of every page."""
    gold = json.load(open(DATA / "gold.json", encoding="utf-8"))
    return [(k, g, gzip.decompress((DATA / "pages" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace"))
            for k, g in gold.items()]


def main_element(root: Any, snippets: list[str]) -> Any | None:
    """The smallest element holding the most of the page's gold main-text snippets."""
    want = [norm(s) for s in snippets if s.strip()]
    best, best_n, best_len = None, 0, 0
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP:
            continue
        t = norm(el.text_content())
        n = sum(s in t for s in want)
        if n > best_n or (n == best_n and n and len(t) < best_len):
            best, best_n, best_len = el, n, len(t)
    return best if best_n >= max(1, len(want) - 1) else None


def repost_html(host_html: str, host_gold: dict[str, Any], paragraphs: list[str], title: str | None, day: date) -> str | None:
    """The host page with its main text replaced by the original's paragraphs and its date set to `day`."""
    import lxml.html
    root = lxml.html.fromstring(host_html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    el = main_element(root, host_gold.get("with") or [])
    if el is None or el.tag in ("html", "body"):
        return None
    for c in list(el):
        el.remove(c)
    el.text = None
    if title:
        h = lxml.html.Element("h2")
        h.text = title
        el.append(h)
    for p in paragraphs:
        x = lxml.html.Element("p")
        x.text = p
        el.append(x)
    # The host's own date signals go: the re-post's day is the one put in below.
    for m in root.xpath("//meta"):
        key = " ".join(str(m.get(a) or "") for a in ("name", "property", "itemprop", "http-equiv")).lower()
        if re.search(r"date|time|published|modified|url", key):
            m.getparent().remove(m)
    for x in root.xpath("//time | //script[@type='application/ld+json'] | //link[@rel='canonical']"):
        if x.getparent() is not None:
            x.getparent().remove(x)
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    meta = lxml.html.Element("meta")
    meta.set("property", "article:published_time")
    meta.set("content", f"{day.isoformat()}T09:00:00+00:00")
    head.append(meta)
    return lxml.html.tostring(root, encoding="unicode")


def build(n: int, seed: int, folder: Path) -> list[dict[str, Any]]:
    """Write originals and re-posts under folder/originals and folder/reposts; returns the gold pairs."""
    import lxml.html
    from newstrace.extract import extract_document
    from newstrace.pipeline import raw_from_text
    rng = random.Random(seed)
    pages = load()
    arts = {}
    for k, g, html in pages:
        try:
            a = extract_document(raw_from_text(html, f"{k}.html", media_type="text/html"))
        except Exception:
            continue
        words = len(a.text.split())
        if words >= 20 and g.get("date"):
            arts[k] = (a, g, html)
    keys = sorted(arts)
    rng.shuffle(keys)
    shorts = [k for k in keys if len(arts[k][0].text.split()) < SHORT]
    chosen = (shorts[: n // 3] + [k for k in keys if k not in shorts])[:n]
    folder.mkdir(parents=True, exist_ok=True)
    pairs: list[dict[str, Any]] = []
    originals: list[dict[str, Any]] = []
    reposts: list[dict[str, Any]] = []
    hosts = [k for k in keys]
    for i, k in enumerate(chosen):
        a, g, html = arts[k]
        site = urlparse(g["url"]).netloc
        y, m, d = (int(x) for x in g["date"][:10].split("-"))
        day = date(y, m, d) + timedelta(days=rng.choice([0, 1]))
        paragraphs = [p for p in a.text.split("\n\n") if p.strip()]
        for _ in range(20):
            h = rng.choice(hosts)
            hg = arts[h][1]
            if h == k or urlparse(hg["url"]).netloc == site:
                continue
            out = repost_html(arts[h][2], hg, paragraphs, a.title, day)
            if out is not None:
                break
        else:
            continue
        form = "html" if i % 2 == 0 else "text"
        name = f"r-{k}-{h}"
        originals.append({"id": f"o-{k}", "html": html, "outlet": site, "url": g["url"], "published": f"{g['date'][:10]}T08:00:00+00:00"})
        rec = {"id": name, "outlet": urlparse(hg["url"]).netloc, "published": f"{day.isoformat()}T09:00:00+00:00"}
        if form == "html":
            rec["html"] = out
        else:
            root = lxml.html.fromstring(out.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
            rec["text"] = page_text(root)   # kept whole, chrome and all, as a careless scraper stores it
        reposts.append(rec)
        pairs.append({"original": f"o-{k}", "repost": name, "form": form, "host": h,
                      "words": len(a.text.split()), "short": len(a.text.split()) < SHORT})
    for name, recs in (("originals", originals), ("reposts", reposts)):
        with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--keep", help="folder to keep the corpus and store in")
    ap.add_argument("--errors", type=int, default=10)
    args = ap.parse_args()
    from newstrace.ingest import iter_inputs
    from newstrace.pipeline import ingest
    from newstrace.store import open_store
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nt-copies-"))
    work.mkdir(parents=True, exist_ok=True)
    pairs = build(args.n, args.seed, work)
    store = open_store(str(work / "copies.db"))
    t0 = time.perf_counter()
    ingest(iter_inputs([str(work / "originals.jsonl")]), store)
    ingest(iter_inputs([str(work / "reposts.jsonl")]), store)
    took = time.perf_counter() - t0
    by_name = {a.external_id: a for a in store.articles()}
    ok = 0
    by: dict[str, list[int]] = {}
    errors = []
    for p in pairs:
        o, r = by_name.get(p["original"]), by_name.get(p["repost"])
        st = store.article_state(r.id) if r is not None else {}
        linked = o is not None and r is not None and st.get("duplicate_of") == o.id
        ok += linked
        for key in (p["form"], "short" if p["short"] else "long"):
            by.setdefault(key, [0, 0])
            by[key][0] += linked
            by[key][1] += 1
        if not linked:
            reverse = o is not None and r is not None and (store.article_state(o.id) or {}).get("duplicate_of") == r.id
            errors.append({**p, "stored": (o is not None, r is not None), "duplicate_of": st.get("duplicate_of"), "reversed": reverse,
                           "repost_words": len(r.text.split()) if r else None,
                           "repost_published": str(r.published)[:10] if r else None,
                           "original_published": str(o.published)[:10] if o else None})
    wrong_links = sum(1 for p in pairs if by_name.get(p["repost"]) is not None
                      and (store.article_state(by_name[p["repost"]].id) or {}).get("duplicate_of") not in (None, getattr(by_name.get(p["original"]), "id", None)))
    originals_linked = sum(1 for p in pairs if by_name.get(p["original"]) is not None
                           and (store.article_state(by_name[p["original"]].id) or {}).get("duplicate_of"))
    print(f"== {len(pairs)} re-posts of real extraction-dev pages in other pages' chrome (seed {args.seed}), ingest {took:.0f} s")
    print(f"   linked to their original: {ok}/{len(pairs)} = {ok / max(len(pairs), 1):.3f}   target >= 0.98")
    print(f"   re-posts linked to another page than their original: {wrong_links}; originals marked as copies: {originals_linked}")
    print("   by kind: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by.items())))
    for e in errors[:args.errors]:
        print("   x", json.dumps(e))
    store.close()


if __name__ == "__main__":
    main()
