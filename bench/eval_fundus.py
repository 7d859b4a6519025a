#!/usr/bin/env python3
"""Extraction on real pages nobody here tuned to: fundus's parser test pages, beside trafilatura and htmldate.

usage: python bench/eval_fundus.py --repo PATH [--show titles,dates,time,authors,outlets,language,body] [--limit N]

PATH is a clone (or bare git directory) of https://github.com/flairNLP/fundus. Its
`tests/resources/parser/test_data/<country>/` holds, per publisher, real article pages (`*.html.gz`, the URL
and crawl time in `meta.info`) and the values fundus's hand-written parser for that publisher extracts from
them (`<Publisher>.json`: title, authors, publishing_date with its time and offset, body paragraphs); the
publishers' names and languages are in `src/fundus/publishers/<country>/__init__.py`. About 250 pages of
about 200 publishers in 40 countries: none of them was looked at while newstrace was built, so the figures
say how the extraction carries to sites it has not seen. Each page is given to newstrace with its URL, as a
fetch would. Measures:
- title exact (whitespace and case folded), as devscore.py;
- date: the day of the publication date as the gold writes it (in its own offset); time: the same instant to
  the minute, on pages whose gold has a time of day (not midnight) and a UTC offset (fundus often writes the
  instant in UTC where the page gives a local offset, so offsets are not compared);
- dated by a revision: pages whose claimed day is a modification stamp's day after a publication stamp's (should be 0);
- authors: precision and recall of names (case folded) against fundus's authors, on pages that have some;
- body: recall of fundus's paragraphs (a paragraph counts when its first 200 folded characters are found in
  the body) and precision of ours (our paragraphs of 40+ characters found in fundus's text), their F1;
- outlet: the name is fundus's name for the publisher (letters and digits transliterated and folded; either
  contains the other);
- language: the publisher's language (fundus gives one per publisher: DW's German pages count as English).
Not a test: pages change with the fundus checkout (the commit is printed).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DATA = "tests/resources/parser/test_data"
norm = lambda s: re.sub(r"\s+", " ", unicodedata.normalize("NFC", s or "")).strip().lower()  # noqa: E731


def letters(s: str | None) -> str:
    """Letters and digits, transliterated and case folded ("Público" and "Publico" alike)."""
    from anyascii import anyascii
    return re.sub(r"[\W_]+", "", anyascii(unicodedata.normalize("NFKC", s or "")).casefold())


def git(repo: str, *args: str, binary: bool = False):
    out = subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True).stdout
    return out if binary else out.decode("utf-8")


def publishers(repo: str) -> dict[tuple[str, str], dict]:
    """(country, class attribute) -> {name, language} from fundus's publisher tables."""
    out: dict[tuple[str, str], dict] = {}
    for path in git(repo, "ls-tree", "--name-only", "HEAD", "src/fundus/publishers/").split():
        cc = path.rsplit("/", 1)[-1]
        try:
            src = git(repo, "show", f"HEAD:{path}/__init__.py")
        except subprocess.CalledProcessError:
            continue
        default = re.search(r'default_language\s*=\s*"([a-z]+)"', src)
        for m in re.finditer(r"\n    (\w+) = Publisher\((.*?)\n    \)", src, re.S):
            name = re.search(r'name="([^"]+)"', m.group(2))
            lang = re.search(r'languages?\s*=\s*\{?\s*"([a-z]+)"', m.group(2))
            out[(cc, m.group(1))] = {"name": name.group(1) if name else m.group(1),
                                     "language": lang.group(1) if lang else (default.group(1) if default else None)}
    return out


def cases(repo: str) -> list[dict]:
    """Every page with its gold: the n-th page of a publisher (by crawl date) takes the n-th parser version."""
    pubs = publishers(repo)
    files = git(repo, "ls-tree", "-r", "--name-only", "HEAD", DATA).split("\n")
    out = []
    for meta_path in [f for f in files if f.endswith("/meta.info")]:
        cc = meta_path.split("/")[-2]
        meta = json.loads(git(repo, "show", f"HEAD:{meta_path}"))
        by_pub: dict[str, list[str]] = {}
        for page in meta:
            by_pub.setdefault(re.sub(r"_\d{4}_\d\d_\d\d\.html\.gz$", "", page), []).append(page)
        for pub, pages in by_pub.items():
            try:
                gold = json.loads(git(repo, "show", f"HEAD:{DATA}/{cc}/{pub}.json"))
            except (subprocess.CalledProcessError, json.JSONDecodeError):
                continue
            versions = sorted(gold)
            if len(versions) != len(pages):
                continue   # which version belongs to which page would be a guess
            for page, version in zip(sorted(pages), versions):
                html = gzip.decompress(git(repo, "show", f"HEAD:{DATA}/{cc}/{page}", binary=True))
                info = pubs.get((cc, pub), {})
                out.append({"key": f"{cc}/{page[:-8]}", "url": meta[page]["url"], "html": html, "gold": gold[version],
                            "name": info.get("name"), "language": info.get("language")})
    return out


def page_text(html: bytes) -> str:
    """The plain-text dump of a page (every block element on its own line), as devscore.py makes it."""
    import lxml.html
    from newstrace.extract.html import _page_lines
    root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    return "\n".join(_page_lines(root))


def gold_paragraphs(g: dict) -> list[str]:
    body = g.get("body") or {}
    paras = list(body.get("summary") or [])
    for s in body.get("sections") or []:
        paras += list(s.get("headline") or []) + list(s.get("paragraphs") or [])
    return [p for p in paras if p.strip()]


def body_counts(text: str | None, g: dict) -> tuple[int, int, int, int]:
    t, gp = norm(text), [norm(p) for p in gold_paragraphs(g)]
    gt = " ".join(gp)
    ours = [norm(p) for p in re.split(r"\n+", text or "") if len(p.strip()) >= 40]
    return sum(p[:200] in t for p in gp), len(gp), sum(p[:200] in gt for p in ours), len(ours)


def parse_instant(s: str | None) -> datetime | None:
    if not s:
        return None
    try:
        d = datetime.fromisoformat(str(s).replace("Z", "+00:00"))
    except ValueError:
        return None
    return d


def same_day(ours: str | None, gold: datetime) -> bool:
    return bool(ours) and str(ours)[:10] == gold.date().isoformat()


def has_time(d: datetime) -> bool:
    return (d.hour, d.minute, d.second) != (0, 0, 0)


def same_minute(ours: str | None, gold: datetime) -> tuple[bool, bool]:
    """(the same instant to the minute, and also the same UTC offset)."""
    o = parse_instant(ours)
    if o is None or o.tzinfo is None or gold.tzinfo is None:
        return False, False
    same = abs((o - gold).total_seconds()) < 60
    return same, same and o.utcoffset() == gold.utcoffset()


def names(xs) -> set[str]:
    return {norm(x) for x in xs or [] if x and x.strip()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True, help="a clone or bare git directory of flairNLP/fundus")
    ap.add_argument("--show", default="")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--text", action="store_true", help="also each page's plain-text dump (devscore.py's page_text), "
                    "extracted without its URL, as 'newstrace text'")
    a = ap.parse_args()
    show = set(filter(None, a.show.split(",")))
    rows = cases(a.repo)[: a.limit or None]
    print(f"fundus {git(a.repo, 'rev-parse', '--short', 'HEAD').strip()}: {len(rows)} pages, "
          f"{len({r['key'].rsplit('_', 3)[0] for r in rows})} publishers, {len({r['key'].split('/')[0] for r in rows})} countries")

    import trafilatura
    from htmldate import find_date
    from newstrace.extract import extract_document
    from newstrace.records import RawDocument, content_id
    sys.path.insert(0, str(ROOT / "bench"))
    from eval_extract import revision_dated
    seen = datetime(2030, 1, 1, tzinfo=timezone.utc)

    tally: dict[str, dict[str, list]] = {"newstrace": {}, "newstrace text": {}, "trafilatura": {}, "htmldate": {}}

    def add(system: str, measure: str, value) -> None:
        tally[system].setdefault(measure, []).append(value)

    for r in rows:
        g = r["gold"]
        gdate = parse_instant(g.get("publishing_date"))
        html = r["html"].decode("utf-8", "replace")
        raw = RawDocument(id=content_id(r["html"]), origin=r["url"], data=r["html"], media_type="text/html",
                          first_seen=seen, hints={"url": r["url"]})
        try:
            o = extract_document(raw).to_json()
        except ValueError as e:
            o = {"error": str(e)}
        d = trafilatura.bare_extraction(html, url=r["url"], with_metadata=True, include_comments=False)
        d = d.as_dict() if hasattr(d, "as_dict") else (d or {})
        try:
            hd = find_date(html, url=r["url"], original_date=True, extensive_search=True)
        except Exception:  # noqa: BLE001  (htmldate's own failures count as misses)
            hd = None
        key = r["key"]
        if a.text:
            dump = page_text(r["html"]).encode("utf-8")
            try:
                t = extract_document(RawDocument(id=content_id(dump), origin=key + ".txt", data=dump,
                                                 media_type="text/plain", first_seen=seen)).to_json()
            except ValueError:
                t = {}
            if g.get("title"):
                add("newstrace text", "title", norm(t.get("title")) == norm(g["title"]))
            if gdate is not None:
                add("newstrace text", "date", same_day(t.get("published"), gdate))
            if names(g.get("authors")):
                tn = names(re.split(r";\s*", t.get("author") or ""))
                add("newstrace text", "author_p", (len(tn & names(g.get("authors"))), len(tn)))
                add("newstrace text", "author_r", (len(tn & names(g.get("authors"))), len(names(g.get("authors")))))
            if gold_paragraphs(g):
                add("newstrace text", "body", body_counts(t.get("text"), g))
        if g.get("title"):
            ok = norm(o.get("title")) == norm(g["title"])
            add("newstrace", "title", ok); add("trafilatura", "title", norm(d.get("title")) == norm(g["title"]))
            if not ok and "titles" in show:
                print(f"    TITLE {key}\n      gold={g['title']!r}\n      ours={o.get('title')!r}")
        if gdate is not None:
            ok = same_day(o.get("published"), gdate)
            add("newstrace", "date", ok)
            # the claimed day a modification stamp's, after the publication stamp (eval_extract.revision_dated)
            add("newstrace", "revision_over_publication", int(revision_dated(html, o.get("published"))))
            add("trafilatura", "date", same_day(d.get("date"), gdate)); add("htmldate", "date", same_day(hd, gdate))
            if not ok and "dates" in show:
                print(f"    DATE {key} gold={gdate.isoformat()} ours={o.get('published')} ({o.get('published_source')}) htmldate={hd}")
            if has_time(gdate) and gdate.tzinfo is not None:
                inst, _ = same_minute(o.get("published"), gdate)
                add("newstrace", "time", inst)
                if not inst and "time" in show:
                    print(f"    TIME {key} gold={gdate.isoformat()} ours={o.get('published')} ({o.get('published_source')})")
        gold_names = names(g.get("authors"))
        if gold_names:
            ours_names = names(re.split(r";\s*", o.get("author") or ""))
            add("newstrace", "author_p", (len(ours_names & gold_names), len(ours_names)))
            add("newstrace", "author_r", (len(ours_names & gold_names), len(gold_names)))
            tn = names(re.split(r";\s*", d.get("author") or ""))
            add("trafilatura", "author_p", (len(tn & gold_names), len(tn)))
            add("trafilatura", "author_r", (len(tn & gold_names), len(gold_names)))
            if ours_names - gold_names and "authors" in show:
                print(f"    AUTHORS {key} gold={sorted(gold_names)} ours={sorted(ours_names)}")
        if gold_paragraphs(g):
            add("newstrace", "body", body_counts(o.get("text"), g))
            add("trafilatura", "body", body_counts(d.get("text"), g))
            if "body" in show:
                c = body_counts(o.get("text"), g)
                if c[0] < c[1] or c[2] < c[3]:
                    print(f"    BODY {key} paragraphs found {c[0]}/{c[1]}, ours in gold {c[2]}/{c[3]}")
        if r["name"]:
            for system, name in (("newstrace", o.get("outlet")), ("trafilatura", d.get("sitename"))):
                x, y = letters(name), letters(r["name"])
                add(system, "outlet", bool(x) and (x in y or y in x))
            x, y = letters(o.get("outlet")), letters(r["name"])
            if not (x and (x in y or y in x)) and "outlets" in show:
                print(f"    OUTLET {key} fundus={r['name']!r} ours={o.get('outlet')!r}")
        if r["language"]:
            add("newstrace", "language", o.get("language") == r["language"])
            if o.get("language") != r["language"] and "language" in show:
                print(f"    LANGUAGE {key} publisher={r['language']} ours={o.get('language')}")

    def share(xs: list) -> str:
        return f"{sum(xs) / len(xs):.3f} (n={len(xs)})" if xs else "-"

    def ratio(xs: list) -> str:
        a, b = sum(x[0] for x in xs), sum(x[1] for x in xs)
        return f"{a / b:.3f} ({a}/{b})" if b else "-"

    for system, m in tally.items():
        if not m:
            continue
        parts = [f"{k} {share(m[k])}" for k in ("title", "date", "time", "outlet", "language") if k in m]
        parts += [f"{k} {ratio(m[k])}" for k in ("author_p", "author_r") if k in m]
        if "body" in m:
            c = [sum(x) for x in zip(*m["body"])]
            rec, prec = c[0] / c[1], c[2] / max(1, c[3])
            parts.append(f"body recall {rec:.3f} precision {prec:.3f} F1 {2 * rec * prec / max(1e-9, rec + prec):.3f}")
        if "revision_over_publication" in m:
            parts.append(f"dated by a revision over a publication stamp: {sum(m['revision_over_publication'])} pages")
        print(f"  {system:12s} " + "  ".join(parts))


if __name__ == "__main__":
    main()
