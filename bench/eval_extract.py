#!/usr/bin/env python3
"""Extraction quality on the 300 development pages, beside htmldate and trafilatura alone in the same run.

usage: python bench/eval_extract.py [--data ../shared/data] [--modes html,text] [--show dates,authors,outlets,titles,time]

Scores are printed for all pages and for two fixed splits by a hash of the page key: `tune` (about two
thirds, where defects were looked at) and `held` (the rest, never looked at page by page). Measures:
- body: snippet recall (`with` found), chrome rejection (`without` absent), their F1 — as devscore.py;
- title exact and date exact (the claimed date's day as written, against the gold day);
- htmldate alone (`find_date(original_date=True, extensive_search=True)`, and its default settings), and
  trafilatura alone (`bare_extraction(with_metadata=True)`) body F1 and date, on the same pages;
- time of day: on pages whose own metadata gives a publication time (JSON-LD datePublished, else a
  published-time meta tag; a stamp at exactly midnight is a date, not a time), the share whose extracted timestamp is that instant with that UTC offset
  (also on those of them whose claimed day is that stamp's day, as written or in the claimed offset: the others
  were dated by another signal, the printed date or the URL's, a date decision);
- revision over publication: pages whose claimed day is a modification stamp's day, later than a publication stamp's
  and stated by none (a revision chosen over the publication: the defect issue 23 names; should be 0);
- author precision: names output on pages with a gold author that are among the gold names;
- one outlet per site: among the 20 commonest domains, how many have one name per site (newstrace's site_key: the
  domain, or a blog's host on a shared platform) across their pages;
- outlet precision: outlets whose name spells the site of the article's URL (the extracted URL, else the gold
  one): letters of the name within a label of the host or the reverse, or its initials; also once the name is
  written as a domain must be (umlauts and ß transliterated, "&" as "and"/"n"; initials of its capitalised words
  without a legal-form suffix, or a one-word name in capitals, as a hyphen-separated part of a label: `_spelled_out`),
  and once words are joined and shortened as domains do (digits parting words like hyphens: correio24horas,
  IT4Kids; a one-word name of 5+ letters beginning or ending a label: lernpfadprismen; one to three first letters
  of each word in order: ksta for "Kölner Stadt-Anzeiger": `_compounded`); the figures without these rules are
  printed beside; the rest are listed.
- date misses out of reach: those whose gold day is the page's modification day (a revision, which newstrace does
  not claim) and those whose gold day the page writes nowhere, read loosely (`written_days`: text, markup, scripts,
  URL, both day orders, two-digit years): together they bound the date figure from above.
Listings (--show) name tune pages only: held pages are never looked at one by one. A date miss whose gold day is
the page's modification day is marked so (newstrace keeps the publication: a revision does not re-date a page), and
one whose gold day the page writes nowhere.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

norm = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()  # noqa: E731  (devscore.py's normalisation)
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
# a stamp at exactly midnight is how many sites write a date without its time (newstrace.extract.dates.parse_timestamp)
_MIDNIGHT = re.compile(r"\d{4}-\d\d-\d\dT00:00(?::00(?:\.0+)?)?(?:Z|[+-]|$)")


def split_of(key: str) -> str:
    """'held' for about a third of the pages (fixed by a hash of the key), else 'tune'."""
    return "held" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 3 == 0 else "tune"


def page_text(html: str) -> str:
    """The devscore plain-text dump of a page (what copying a page out of a browser gives)."""
    import lxml.html
    from newstrace.extract.html import _page_lines
    root = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    return "\n".join(_page_lines(root))


def meta_time(html: str) -> list[str]:
    """The publication times the page's own metadata states (ISO texts with a time of day), the first one first."""
    from trafilatura.utils import load_html
    from newstrace.extract.html import read_signals
    tree = load_html(html)
    if tree is None:
        return []
    sig = read_signals(tree)
    return [v.strip() for v in (sig.ld.get("datePublished"), sig.meta.get("article:published_time"),
                                sig.meta.get("og:published_time"), sig.meta.get("datepublished"))
            if v and _TIME.match(v.strip()) and not _MIDNIGHT.match(v.strip())]


def tune_only(gold: dict) -> list[str]:
    """The tune pages, for listings: held pages are never looked at one by one."""
    return [k for k in gold if split_of(k) == "tune"]


def modified_days(html: str) -> set[str]:
    """The days (ISO) of the page's modification stamps (dateModified, modified-time meta tags)."""
    return stamp_days(html)[1]


def stamp_days(html: str) -> tuple[set[str], set[str]]:
    """The days (ISO) of the page's publication stamps and of its modification stamps."""
    from trafilatura.utils import load_html
    from newstrace.extract.dates import parse_timestamp
    from newstrace.extract.html import read_signals
    tree = load_html(html)
    if tree is None:
        return set(), set()
    sig = read_signals(tree)
    days = lambda values: {g[0].date().isoformat() for g in map(parse_timestamp, values) if g is not None}  # noqa: E731
    return days([v for _, v, _ in sig.published]), days(sig.modified)


# where a page writes dates: between tags, inside attribute values and script strings
_CHUNK = re.compile(r'[<>"\n]')
_LOOSE_ISO = re.compile(r"((?:19|20)\d\d)-([01]?\d)-([0-3]?\d)(?!\d)")


def written_days(html: str, url: str) -> set[str]:
    """Every day (ISO) the page writes somewhere, read loosely: dates in its text, markup and scripts (day-first
    and month-first, two-digit years too, "2022-5-6" stamps) and in its URL. A gold day outside this set is one
    no reading of the page can give (a date the annotators took from elsewhere)."""
    import html as html_lib
    from newstrace.extract.dates import find_dates, find_short_year_dates
    text = html_lib.unescape(html)
    days = set()
    for m in _LOOSE_ISO.finditer(text):
        try:
            days.add(datetime(int(m.group(1)), int(m.group(2)), int(m.group(3))).date().isoformat())
        except ValueError:
            pass
    for chunk in [*_CHUNK.split(text), url]:
        for us in (False, True):
            days.update(d.date().isoformat() for _, d in find_dates(chunk, us_order=us) + find_short_year_dates(chunk, us_order=us))
    return days


def revision_dated(html: str, ours: str | None) -> bool:
    """The claimed day is a modification stamp's day, later than a publication stamp's and stated by none: a
    revision chosen over the publication (the defect issue 23 names)."""
    day = str(ours or "")[:10]
    pubs, mods = stamp_days(html)
    return bool(day and pubs and day in mods and day not in pubs and min(pubs) < day)


def _dt(text: str) -> datetime | None:
    try:
        # "2022-05-05T22:12:00 UTC" (a zone name after the time) is UTC too
        d = datetime.fromisoformat(re.sub(r"\s*(?:UTC|GMT)$", "+00:00", text.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo is not None else d.replace(tzinfo=timezone.utc)


def same_minute(ours: str | None, stamps: list[str], strict: bool = True) -> bool:
    """Our timestamp is the first stamp's instant to the minute, with the UTC offset of one of the page's stamps
    (strict), or with any offset where that stamp is in UTC (the page's local offset read from its printed time)."""
    a = _dt(ours) if ours else None
    theirs = [d for d in (_dt(s) for s in stamps) if d is not None]
    if a is None or not theirs:
        return False
    if a.replace(second=0, microsecond=0) != theirs[0].replace(second=0, microsecond=0):
        return False
    return a.utcoffset() in {d.utcoffset() for d in theirs} or (not strict and not theirs[0].utcoffset())


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if c.isalnum())


def author_names(s) -> list[str]:
    """An author field (text, or a list of names) split into names."""
    if isinstance(s, list):
        s = "; ".join(map(str, s))
    parts = re.split(r"\s*(?:;|,|\band\b|&|\bund\b|\bet\b|\by\b|/)\s*", s or "")
    return [p for p in (_fold(x) for x in parts) if p]


def author_ok(name: str, gold: str) -> bool:
    """A folded name is right when it is one of the gold names or one contains the other (middle initials)."""
    golds = author_names(gold)
    return any(name == g or (len(name) >= 6 and (name in g or g in name)) for g in golds)


# what a domain cannot hold, written the way site owners write it in one (German umlauts and ß)
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
# legal-form suffixes, which no acronym of the name includes ("Deutscher Turner-Bund e.V." is DTB)
_LEGAL_FORM = re.compile(r"\s*\b(?:e\.\s?V\.?|GmbH|gGmbH|AG|Inc\.?|Ltd\.?|LLC)(?=\s|$)")


def _spelled_out(name: str, url: str) -> bool:
    """The name spells the URL's site once written as a domain must be (this bench's own rule, independent of
    newstrace's code): umlauts and ß transliterated, "&" as "and" or "n" ("Große Fragen" → grossefragen,
    "Villagers & Heroes Forums" ⊃ villagersandheroes, "Jobs & Hire" → jobsnhire), its letters then being a host
    label, containing it, or at least half of it; or the initials of its capitalised words (hyphenated words
    counting each part, a legal-form suffix and lower-case function words left out: "Deutscher Turner-Bund e.V."
    → dtb, "Deutsche Hebammen Zeitschrift" → dhz), or the name itself when it is one word in capitals ("LN"),
    being a host label or a hyphen-separated part of one (dhz-online, ln-online)."""
    from newstrace.extract.outlet import registrable_domain
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    dom = registrable_domain(url) or ""
    raw = [p for p in host.split(".")[:-1] if p not in ("www", "com")] + [dom.split(".")[0]]
    labels = {_fold(p) for p in raw if _fold(p)}
    parts = labels | {_fold(q) for p in raw for q in p.split("-") if len(_fold(q)) >= 2}
    t = re.sub(r"^the\s+", "", name.strip(), flags=re.I).translate(_TRANSLIT)
    for v in {_fold(t.replace("&", " and ")), _fold(t.replace("&", "n"))}:
        if v and any(v == l or l in v or (len(v) >= 3 and v in l and len(v) >= 0.5 * len(l)) for l in labels):
            return True
    words = re.findall(r"[^\W\d_]+", _LEGAL_FORM.sub("", t))
    initials = "".join(w[0] for w in words if w[0].isupper()).lower()
    if len(words) >= 2 and len(initials) >= 2 and initials in parts:
        return True
    return len(words) == 1 and words[0].isupper() and _fold(words[0]) in parts


# words that join the words of a name or a domain, not a name's own ("it-for-kids")
_JOINING = {"the", "for", "and", "von", "und", "der", "die", "das", "les", "des", "del", "per", "of"}


def _compounded(name: str, url: str) -> bool:
    """The name spells the URL's site as domains join and shorten words (this bench's rule, independent of
    newstrace's code): digits part words like hyphens do ("correio24horas" is correio + horas, "IT4Kids" is IT +
    Kids), so a word of the name that is a word of a host label counts; a one-word name of five letters or more
    that begins or ends a label names it (a compound: "PRISMEN" ends lernpfadprismen); or a label is the first
    letters of each of the name's words in order, one to three of each ("Kölner Stadt-Anzeiger" → k+st+a = ksta,
    as "Frankfurter Allgemeine Zeitung" gives faz)."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    labels = {_fold(p) for p in host.split(".")[:-1] if p not in ("www", "com")} - {""}
    parts = {_fold(q) for p in host.split(".")[:-1] for q in re.split(r"[-\d]+", p) if len(_fold(q)) >= 3} - _JOINING
    t = re.sub(r"^the\s+", "", name.strip(), flags=re.I).translate(_TRANSLIT)
    words = [_fold(w) for w in re.findall(r"[^\W\d_]+", _LEGAL_FORM.sub("", t))]
    if any(len(w) >= 3 and w not in _JOINING and w in parts for w in words):
        return True
    whole = _fold(t)
    if len(words) == 1 and len(whole) >= 5 and any(l != whole and (l.startswith(whole) or l.endswith(whole)) for l in labels):
        return True
    content = [w for w in words if w and w not in _JOINING]

    def prefixes(label: str, ws: list[str]) -> bool:
        if not ws:
            return not label
        return any(label.startswith(ws[0][:k]) and prefixes(label[k:], ws[1:]) for k in range(1, min(3, len(ws[0])) + 1))
    return len(content) >= 2 and any(len(l) >= 3 and prefixes(l, content) for l in labels)


def outlet_ok(name: str, url: str, spelled_out: bool = True, compounded: bool = True) -> bool:
    """The outlet name spells the URL's site (newstrace.extract.outlet.spells: its letters are the registrable
    domain's label or a subdomain's, contain it, or are its initials), or an acronym in it is such a label, or
    (unless spelled_out is False) it spells the site once written as a domain must be (_spelled_out), or (unless
    compounded is False) as domains join and shorten words (_compounded)."""
    from newstrace.extract.outlet import registrable_domain, spells
    if spells(name, url):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    dom = registrable_domain(url) or ""
    labels = {_fold(p) for p in host.split(".")[:-1]} | {_fold(p) for p in re.split(r"[-.]", dom.split(".")[0]) if len(p) >= 3}
    if any(len(w) >= 3 and _fold(w) in labels for w in re.findall(r"\w+", name)):
        return True
    return spelled_out and (_spelled_out(name, url) or (compounded and _compounded(name, url)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--modes", default="html,text")
    ap.add_argument("--show", default="", help="comma list: dates, authors, outlets, titles, time, body (listed: tune pages only)")
    a = ap.parse_args()
    show = set(filter(None, a.show.split(",")))
    dev = Path(a.data) / "extraction-dev"
    gold = json.load(open(dev / "gold.json"))
    pages = {k: gzip.decompress((dev / "pages" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace") for k in gold}

    from newstrace.extract import extract_document
    from newstrace.extract.outlet import registrable_domain, site_key
    from newstrace.records import RawDocument, content_id
    seen = datetime(2030, 1, 1, tzinfo=timezone.utc)

    def ours(k: str, mode: str) -> dict:
        data = (pages[k] if mode == "html" else page_text(pages[k])).encode("utf-8")
        raw = RawDocument(id=content_id(data), origin=f"{k}.{mode}", data=data,
                          media_type="text/html" if mode == "html" else "text/plain", first_seen=seen)
        try:
            return extract_document(raw).to_json()
        except ValueError:
            return {}

    def body_counts(k: str, text: str | None) -> tuple[int, int, int, int]:
        t, g = norm(text), gold[k]
        return (sum(norm(s) in t for s in g["with"]), len(g["with"]),
                sum(norm(s) not in t for s in g["without"]), len(g["without"]))

    def report(label: str, rows: dict[str, dict]) -> None:
        for part in ("all", "tune", "held"):
            keys = [k for k in gold if part == "all" or split_of(k) == part]
            c = [sum(x) for x in zip(*(rows[k]["body"] for k in keys))]
            r, p = c[0] / c[1], c[2] / c[3]
            line = f"  {label:22s} {part:5s} n={len(keys):3d}  recall {r:.3f}  rejection {p:.3f}  F1 {2 * p * r / (p + r):.3f}"
            if "title" in rows[keys[0]]:
                line += f"  title {sum(rows[k]['title'] for k in keys) / len(keys):.3f}"
            line += f"  date {sum(rows[k]['date'] for k in keys) / len(keys):.3f}"
            print(line)

    domains = Counter(registrable_domain(g["url"]) for g in gold.values())
    for mode in [m for m in a.modes.split(",") if m]:
        print(f"== {mode} ==")
        res = {k: ours(k, mode) for k in gold}
        rows = {k: {"body": body_counts(k, o.get("text")), "title": norm(o.get("title")) == norm(gold[k]["title"]),
                    "date": str(o.get("published") or "")[:10] == gold[k]["date"]} for k, o in res.items()}
        report("newstrace", rows)
        if mode == "html":
            import trafilatura
            from htmldate import find_date
            hd, hd_default, tr = {}, {}, {}
            for k, html in pages.items():
                try:
                    hd[k] = {"body": (0, 1, 0, 1), "date": find_date(html, original_date=True, extensive_search=True) == gold[k]["date"]}
                except Exception:  # noqa: BLE001  (htmldate's own failures count as misses)
                    hd[k] = {"body": (0, 1, 0, 1), "date": False}
                try:
                    hd_default[k] = {"body": (0, 1, 0, 1), "date": find_date(html) == gold[k]["date"]}
                except Exception:  # noqa: BLE001
                    hd_default[k] = {"body": (0, 1, 0, 1), "date": False}
                d = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
                d = d.as_dict() if hasattr(d, "as_dict") else (d or {})
                tr[k] = {"body": body_counts(k, d.get("text")), "title": norm(d.get("title")) == norm(gold[k]["title"]),
                         "date": str(d.get("date") or "")[:10] == gold[k]["date"]}
            for part in ("all", "tune", "held"):
                keys = [k for k in gold if part == "all" or split_of(k) == part]
                print(f"  {'htmldate alone':22s} {part:5s} n={len(keys):3d}  date {sum(hd[k]['date'] for k in keys) / len(keys):.3f}"
                      f"  (default settings: {sum(hd_default[k]['date'] for k in keys) / len(keys):.3f})")
            report("trafilatura alone", tr)
            # time of day
            timed = {k: t for k in gold if (t := meta_time(pages[k]))}
            for part in ("all", "tune", "held"):
                keys = [k for k in timed if part == "all" or split_of(k) == part]
                ok = [k for k in keys if same_minute(res[k].get("published"), timed[k])]
                ok2 = [k for k in keys if same_minute(res[k].get("published"), timed[k], strict=False)]
                # pages whose claimed day is not the stamp's day (as written, or in the local offset printed by
                # the headline) were dated from another signal on purpose: a date decision, not a time of day one
                own = [k for k in keys if _dt(timed[k][0]) is not None and str(res[k].get("published") or "")[:10] in
                       {timed[k][0][:10], str(_dt(timed[k][0]).astimezone(_dt(res[k]["published"]).tzinfo).date())
                        if res[k].get("published") and _dt(res[k]["published"]) else ""}]
                print(f"  time of day            {part:5s} pages whose metadata has a time: {len(keys):3d}  "
                      f"matched to the minute with offset: {len(ok) / max(1, len(keys)):.3f}"
                      f"  (a UTC stamp given the page's local offset counted too: {len(ok2) / max(1, len(keys)):.3f};"
                      f" on the {len(own)} dated by that stamp's day: {sum(k in ok for k in own) / max(1, len(own)):.3f})")
            if "time" in show:
                for k in [k for k in timed if split_of(k) == "tune"]:
                    if not same_minute(res[k].get("published"), timed[k]):
                        print(f"    TIME {k} meta={timed[k]} ours={res[k].get('published')} ({res[k].get('published_source')})")
            prec = Counter(o.get("published_precision") for o in res.values())
            print(f"  published_precision: {dict(prec)}")
            # misses whose gold day is the page's modification day: a revision, which newstrace does not claim
            gold_rev = [k for k in gold if str(res[k].get("published") or "")[:10] != gold[k]["date"]
                        and gold[k]["date"] in modified_days(pages[k])]
            print(f"  date misses whose gold day is the page's modification day: "
                  f"{len(gold_rev)} (tune {sum(split_of(k) == 'tune' for k in gold_rev)}, held {sum(split_of(k) == 'held' for k in gold_rev)})")
            # misses no reading of the page can mend: the gold day is written nowhere in it (text, markup, scripts, URL)
            unwritten = [k for k in gold if str(res[k].get("published") or "")[:10] != gold[k]["date"]
                         and gold[k]["date"] not in written_days(pages[k], gold[k]["url"])]
            print(f"  date misses whose gold day the page writes nowhere (text, markup, scripts, URL): "
                  f"{len(unwritten)} (tune {sum(split_of(k) == 'tune' for k in unwritten)}, held {sum(split_of(k) == 'held' for k in unwritten)})")
            revised = [k for k in gold if revision_dated(pages[k], res[k].get("published"))]
            print(f"  revision over publication: pages dated by a modification day after their publication stamp: "
                  f"{len(revised)} (tune {sum(split_of(k) == 'tune' for k in revised)}, held {sum(split_of(k) == 'held' for k in revised)})")
        # authors
        for part in ("all", "tune", "held"):
            keys = [k for k in gold if (part == "all" or split_of(k) == part) and gold[k].get("author")]
            names = [(k, n) for k in keys for n in author_names(res[k].get("author"))]
            good = [x for x in names if author_ok(x[1], gold[x[0]]["author"])]
            pages_with = sum(bool(res[k].get("author")) for k in keys)
            print(f"  authors                {part:5s} gold-authored pages {len(keys):3d}, with an author {pages_with:3d};"
                  f" name precision {len(good) / max(1, len(names)):.3f} ({len(good)}/{len(names)})")
        if "authors" in show:
            for k in tune_only(gold):
                if gold[k].get("author") and any(not author_ok(n, gold[k]["author"]) for n in author_names(res[k].get("author"))):
                    print(f"    AUTHOR {k} [{split_of(k)}] gold={gold[k]['author']!r} ours={res[k].get('author')!r}")
        # outlets
        for part in ("all", "tune", "held"):
            keys = [k for k in gold if (part == "all" or split_of(k) == part) and res[k].get("outlet")]
            ok = [k for k in keys if outlet_ok(res[k]["outlet"], res[k].get("url") or gold[k]["url"])]
            ok1 = [k for k in keys if outlet_ok(res[k]["outlet"], res[k].get("url") or gold[k]["url"], compounded=False)]
            ok0 = [k for k in keys if outlet_ok(res[k]["outlet"], res[k].get("url") or gold[k]["url"], spelled_out=False)]
            print(f"  outlets                {part:5s} pages with an outlet {len(keys):3d}; precision {len(ok) / max(1, len(keys)):.3f}"
                  f"  (without the joined-words rule: {len(ok1) / max(1, len(keys)):.3f}; without it and the transliteration"
                  f" and acronym rule: {len(ok0) / max(1, len(keys)):.3f})")
        # one outlet per site: among the 20 commonest domains, the names each site (a domain, or a host of a shared
        # platform such as a wordpress.com blog: newstrace.extract.outlet.site_key) was given across its pages
        common = [d for d, _ in domains.most_common(20)]
        given: dict[str, dict[str, set]] = {d: {} for d in common}
        for k, g in gold.items():
            url, o = res[k].get("url") or g["url"], res[k].get("outlet")
            if o and registrable_domain(url) in given:
                given[registrable_domain(url)].setdefault(site_key(url, o), set()).add(o)
        twice = {d: sorted(n for names in sites.values() for n in names) for d, sites in given.items()
                 if any(len(names) > 1 for names in sites.values())}
        print(f"  outlet per site        20 commonest domains named once each: {len(common) - len(twice)}/{len(common)}"
              + (f"; more than one name: {twice}" if twice else ""))
        if "outlets" in show:
            for k in tune_only(gold):
                o = res[k].get("outlet")
                if o and not outlet_ok(o, res[k].get("url") or gold[k]["url"]):
                    print(f"    OUTLET {k} [{split_of(k)}] url={res[k].get('url') or gold[k]['url']} ours={o!r}")
        if "dates" in show:
            for k in tune_only(gold):
                if str(res[k].get("published") or "")[:10] != gold[k]["date"]:
                    # a gold day that is only the page's modification day (a revision: newstrace keeps the publication)
                    revised = " [gold = the page's modification day]" if gold[k]["date"] in modified_days(pages[k]) else (
                        " [gold day written nowhere in the page]" if gold[k]["date"] not in written_days(pages[k], gold[k]["url"]) else "")
                    print(f"    DATE {k} [{split_of(k)}] gold={gold[k]['date']} ours={res[k].get('published')} ({res[k].get('published_source')}){revised}")
        if "body" in show:
            # tune pages only: held pages are never looked at one by one
            for k in gold:
                if split_of(k) != "tune":
                    continue
                t = norm(res[k].get("text"))
                for s in gold[k]["with"]:
                    if norm(s) not in t:
                        print(f"    BODY MISS {k} {s!r}")
                for s in gold[k]["without"]:
                    if norm(s) in t:
                        print(f"    BODY KEPT {k} {s!r}")
        if "titles" in show:
            for k in tune_only(gold):
                if norm(res[k].get("title")) != norm(gold[k]["title"]):
                    print(f"    TITLE {k} [{split_of(k)}] gold={gold[k]['title']!r} ours={res[k].get('title')!r}")
    print("20 commonest outlet domains of the dev pages:", ", ".join(f"{d} ({n})" for d, n in domains.most_common(20)))


if __name__ == "__main__":
    main()
