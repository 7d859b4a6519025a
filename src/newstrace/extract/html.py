"""HTML pages: trafilatura for the main text, combined with the page's own signals for title, date and outlet.

Signals read from the parsed tree before trafilatura cleans it: the visible headline (h1/h2) checked
against og:title / JSON-LD headline / <title>, site names (og:site_name, JSON-LD publisher), the
date printed next to the headline, JSON-LD and meta dates, the canonical URL and a URL date.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache, cached_property
from typing import Callable

from lxml import etree

from ..records import Article
from . import chrome, layout, lean_trafilatura
from .byline import clean_authors, is_placeholder, site_keys
from .dates import UPDATED, date_from_url, date_line, find_dates, month_from_url, parse_timestamp, short_year_date_line
from .embedded import embedded_paragraphs, jsonld_documents
from .outlet import outlet_name, registrable_domain
from .language import detect_language
from .options import ExtractOptions

_WS = re.compile(r"\s+")
_TOKENS = re.compile(r"\w+", re.U)
# separators between a headline and a site name in <title>/og:title ("Headline | Site", "Site - Headline")
_SEP = re.compile(r"\s+[|\-–—·•»]{1,2}\s+|\s*\|\s*|\s*::\s*")
_BLOCK = set("address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
             "header hr li main nav ol p pre section table tr td th ul title".split())
_TEXT_TAGS = chrome.TEXT_TAGS   # elements whose text is visible
_SKIP = set("script style noscript template svg iframe head object canvas select button".split())


def _clean(s: str | None) -> str:
    return _WS.sub(" ", s or "").replace("\u00ad", "").strip()


def _norm(s: str | None) -> str:
    return _clean(s).lower()


def _toks(s: str | None) -> set[str]:
    return set(_TOKENS.findall(_norm(s)))


@dataclass
class PageSignals:
    """Metadata candidates read from the raw tree."""

    meta: dict[str, str] = field(default_factory=dict)
    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    h2: list[str] = field(default_factory=list)
    ld: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    own_url: str | None = None    # an endpoint of the CMS that serves the page (pingback, EditURI): the serving site
    lang: str | None = None
    lang_tag: str = ""
    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    published: list[tuple[str, str, bool]] = field(default_factory=list)   # (source, value, strong): publication stamps
    modified: list[str] = field(default_factory=list)   # the page's modification stamps (never a publication claim)
    times: list[str] = field(default_factory=list)      # datetime of the first <time> elements not marked as an update
    tree: object = field(default=None, repr=False, compare=False)   # the parsed page (trafilatura works on its own copy)
    names: chrome.Names | None = field(default=None, repr=False, compare=False)  # its chrome.Names (classes, elements naming comments)

    @cached_property
    def byline_lines(self) -> list[str]:
        """The lines outside the page's comments (where a byline may be), found when first asked for."""
        if self.tree is None:
            return self.lines
        return _outside_comments(self.names if self.names is not None else chrome.Names(self.tree), self.lines)


def _jsonld(tree, out: dict[str, str]) -> None:
    """headline, datePublished, author and publisher name of the first article-like JSON-LD object."""
    for data in jsonld_documents(tree):
        stack = [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
                continue
            if not isinstance(obj, dict):
                continue
            # the article may sit in a graph, or inside the page object as its main entity
            for key in ("@graph", "mainEntity"):
                if isinstance(obj.get(key), (list, dict)):
                    stack.extend(obj[key] if isinstance(obj[key], list) else [obj[key]])
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report", "WebPage", "NewsArticle")) for k in kinds):
                # a WebPage's date is the page's, which may be newer than the article's: an article object's wins
                article = not any(k == "WebPage" for k in kinds)
                for key in ("datePublished", "dateCreated"):
                    if isinstance(obj.get(key), str) and article and out.get(key + "@page"):
                        out.pop(key, None)
                        out.pop(key + "@page")
                if isinstance(obj.get("dateModified"), str) and "dateModified" not in out:
                    out["dateModified"] = obj["dateModified"]
                for key in ("headline", "datePublished", "dateCreated"):
                    if isinstance(obj.get(key), str) and key not in out:
                        out[key] = obj[key]
                        if key != "headline" and not article:
                            out[key + "@page"] = "1"
                people = obj.get("author")
                people = people if isinstance(people, list) else [people]
                names = [p.get("name") if isinstance(p, dict) else p for p in people]
                names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
                if names and "authors" not in out:
                    out["authors"] = "\n".join(names)
                for key in ("author", "publisher"):
                    v = obj.get(key)
                    v = v[0] if isinstance(v, list) and v else v
                    name = v.get("name") if isinstance(v, dict) else (v if isinstance(v, str) else None)
                    if isinstance(name, str) and name.strip() and key not in out:
                        out[key] = name.strip()
        if "headline" in out and "datePublished" in out:
            return


# meta tags that state when the article was published (not modified): the specific ones, then generic dates
_PUB_META = ("article:published_time", "datepublished", "og:published_time", "og:article:published_time",
             "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "citation_publication_date")
_WEAK_META = ("publish-date", "publishdate", "pubdate", "dcterms.created", "dc.date.created", "date", "dc.date")


# the elements marked as the publication time (itemprop found through the attributes: cheaper than testing every element)
_PUBLISHED_ELEMENTS = etree.XPath('//time[@itemprop="datePublished" or @pubdate][@datetime]'
                                  '|//@itemprop[. = "datePublished"]/parent::*[@content]')


def _published_stamps(tree, sig: PageSignals) -> list[tuple[str, str, bool]]:
    """The page's own publication stamps, strongest first, as (source, value, strong): JSON-LD datePublished,
    the specific meta tags, the first element marked as the publication time outside the comments, then generic date
    meta tags."""
    out = [("json-ld", sig.ld["datePublished"], True)] if sig.ld.get("datePublished") else []
    out += [("meta", sig.meta[k], True) for k in _PUB_META if sig.meta.get(k)]
    @cache
    def page_text() -> int:   # counted once, only when an element sits under something naming comments
        body = tree.find(".//body")
        return sum(len(t.strip()) for t in (body if body is not None else tree).itertext(*_TEXT_TAGS))

    # only the first outside the comments: a comment's <time pubdate> is when the comment was posted (WordPress
    # themes mark each so), and later ones are often teasers' times
    for el in _PUBLISHED_ELEMENTS(tree):
        if _in_comments(el, page_text):
            continue
        v = el.get("datetime") or el.get("content")
        if v and v.strip():
            out.append(("time", v.strip(), True))
        break
    out += [("meta", sig.meta[k], False) for k in _WEAK_META if sig.meta.get(k)]
    if not out and sig.ld.get("dateCreated"):
        out.append(("json-ld", sig.ld["dateCreated"], True))
    return out


# meta tags and properties that state when the page was last changed
_MOD_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "dc.date.modified",
             "last-modified", "modified")
_UPDATE_MARK = re.compile(r"updat|modif|\bedit", re.I)


def _modified_stamps(tree, sig: PageSignals) -> list[str]:
    """The page's modification stamps (JSON-LD dateModified, modified-time meta tags, itemprop dateModified)."""
    out = [sig.ld["dateModified"]] if sig.ld.get("dateModified") else []
    out += [sig.meta[k] for k in _MOD_META if sig.meta.get(k)]
    return out


def _time_elements(tree) -> list[str]:
    """The datetime of the first few <time> elements, leaving out those marked as an update ('updated' class)."""
    out = []
    for el in [el for el in tree.iter("time") if el.get("datetime") is not None][:6]:
        v = el.get("datetime").strip()
        if v and not _UPDATE_MARK.search(" ".join(filter(None, (el.get("class"), el.get("itemprop"))))):
            out.append(v)
    return out


def _in_comments(el, page_text: Callable[[], int]) -> bool:
    """Whether the element is printed inside the page's comments: an ancestor whose class or id names comments
    and that holds less than half the page's text (`page_text()`: a wrapper "has-comments" around the article is
    no comment)."""
    for anc in el.iterancestors():
        if anc.tag == "body":
            break
        if "comment" in f"{anc.get('class') or ''} {anc.get('id') or ''}".lower():
            if 2 * sum(len(t.strip()) for t in anc.itertext(*_TEXT_TAGS)) < page_text():
                return True
    return False


def _outside_comments(names: chrome.Names, lines: list[str]) -> list[str]:
    """The page's lines without those printed inside its comments (elements whose class or id names comments: a
    reader's name there is no byline). An element naming comments that holds half the page's text or more (a
    wrapper "has-comments") is no comment."""
    regions = names.commented
    if not regions:
        return lines
    total = sum(len(l) for l in lines)
    kept: set = set()
    inside: Counter[str] = Counter()
    for el in regions:
        if any(a in kept for a in el.iterancestors()):
            continue
        text = [" ".join(t.split()) for t in el.itertext(*_TEXT_TAGS) if t and not t.isspace()]
        if 2 * sum(len(t) for t in text) >= total:
            continue
        kept.add(el)
        inside.update(text)
    # the last occurrences of the comments' lines are theirs: comments follow the article, whose own dateline or
    # byline may read the same ("12. März 2021", a name)
    out = []
    for line in reversed(lines):
        if inside[line] > 0:
            inside[line] -= 1
        else:
            out.append(line)
    return out[::-1]


def _page_lines(root) -> list[str]:
    """The visible text of a page, one line per block element (what a browser's copy would give; used by the bench)."""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            out.append(el.tail or "")
            return
        if tag in _BLOCK:
            out.append("\n")
        out.append(el.text or "")
        for child in el:
            walk(child)
        if tag in _BLOCK:
            out.append("\n")
        out.append(el.tail or "")

    body = root.find("body")
    walk(body if body is not None else root)
    return [l for l in (_WS.sub(" ", x).strip() for x in "".join(out).split("\n")) if l]


# The "mark of the web" Chrome, Edge and Internet Explorer write at the top of a page saved to disk
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s<>\"]+?)\s*-->", re.I)


def saved_from(html: str) -> str | None:
    """The address a browser saved the page from, as its note at the top of the file says; None without one. The
    page's own canonical URL comes first (a saved copy of a syndicated article names its original there)."""
    m = _SAVED_FROM.search(html, 0, 4096)
    return m.group(1) if m else None


def read_signals(tree) -> PageSignals:
    """Collect metadata candidates from a parsed page (before trafilatura prunes it)."""
    sig = PageSignals(tree=tree, names=chrome.Names(tree))
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and key not in sig.meta:
            sig.meta[key] = _clean(content)
    t = tree.find(".//title")
    sig.title_tag = _clean(t.text_content()) if t is not None else None
    sig.h1 = [x for x in (_clean(h.text_content()) for h in tree.iter("h1")) if x and len(x) <= 300]
    sig.h2 = [x for x in (_clean(h.text_content()) for h in tree.iter("h2")) if x and len(x) <= 300][:12]
    for link in tree.iter("link"):
        rel, href = (link.get("rel") or "").lower(), link.get("href") or ""
        if rel == "canonical" and href.startswith("http") and sig.canonical is None:
            sig.canonical = href
        elif rel in ("pingback", "edituri") and href.startswith("http") and sig.own_url is None:
            sig.own_url = href
    sig.captions = [x for x in (_clean(c.text_content()) for c in tree.iter("figcaption")) if x]
    sig.lang_tag = (tree.get("lang") or "").strip().lower()
    sig.lang = sig.lang_tag.split("-")[0] or None
    _jsonld(tree, sig.ld)
    sig.published = _published_stamps(tree, sig)
    sig.modified = _modified_stamps(tree, sig)
    sig.times = _time_elements(tree)
    # text nodes in document order (an XPath pass in C, much cheaper than walking the tree in Python);
    # enough to find the dateline next to the headline and to list what was left out
    body = tree.find("body")
    # (most text nodes are whitespace between tags: isspace() drops them before the split and join)
    sig.lines = [" ".join(t.split()) for t in (body if body is not None else tree).itertext(*_TEXT_TAGS)
                 if t and not t.isspace()]
    return sig


def _site_names(sig: PageSignals, sitename: str | None, url: str | None) -> set[str]:
    names = {_norm(x) for x in (sig.meta.get("og:site_name"), sig.meta.get("application-name"), sig.ld.get("publisher"), sitename) if x}
    if url:
        host = url.split("://", 1)[-1].split("/", 1)[0].lower()
        names.add(host)
        names.add(host.removeprefix("www."))
    return {n for n in names if n}


_WORDY = re.compile(r"[^\W_]")


def strip_site(title: str | None, sites: set[str]) -> str | None:
    """A <title>/og:title without the site name glued to it ("Headline | Site" → "Headline")."""
    if not title:
        return title
    # pieces without a letter or digit are ornaments (".:: Site ::. Headline"), never the headline
    parts = [p for p in _SEP.split(title) if _WORDY.search(p)]
    if len(parts) <= 1:
        return title
    # a "site name" that is this whole title (trafilatura's guess from a page whose every title is the site's) would
    # make every piece of it a site piece
    whole = _norm(title)
    sites = {x for x in sites if x != whole}

    def is_site(p: str) -> bool:
        n = _norm(p)
        squash = re.sub(r"[^\w]", "", n)
        return any(n == s or (squash and squash in re.sub(r"[^\w]", "", s)) or (len(s) > 3 and s in n and len(n) <= len(s) + 4) for s in sites)

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) == 1:
        return _trim_edges(parts[0].strip())
    if "|" in title:  # "Section | Headline | Site": the headline is the longest piece
        return _trim_edges(max(parts, key=len).strip())
    # otherwise the separators may belong to the headline itself: cut only what was recognised as the site
    first, last = title.find(parts[0]), title.rfind(parts[-1])
    return title[first:last + len(parts[-1])].strip() if first >= 0 and last >= 0 else title


_EDGE = re.compile(r"^[^\w\"'„“«‚‘(]+|[^\w\"'“”»’)?!.…]+$|(?<=\w) »$")   # separators and ornaments at a title's ends


def _trim_edges(title: str) -> str:
    """A title without separators and ornaments at its ends (" » ☆☆☆☆☆" takes two passes)."""
    for _ in range(3):
        cut = _EDGE.sub("", title)
        if cut == title:
            break
        title = cut
    return title


_GOES_ON = re.compile(r"\s+[\w\"'„“«‚‘(]")   # a phrase continuing after a space
_CHROME_START = re.compile(r"\s*[^\w\s\"'„“«‚‘(]")   # what follows a headline in a <title>: a separator, not words


def _names_site(text: str, sites: set[str]) -> bool:
    """Whether a title's tail is the site's name: it ends with one of its names, or its domain's main label as a word."""
    t = re.sub(r"\W+$", "", _norm(text))
    labels = {x.removeprefix("www.").split(".")[0] for x in sites if "." in x}
    return any(len(x) >= 3 and t.endswith(x) for x in sites) or \
        any(len(x) >= 4 and re.search(rf"(?<!\w){re.escape(x)}$", t) for x in labels)


def _without_glued_suffix(declared: list[str], sites: set[str]) -> list[str]:
    """Each declared title, cut to another declared title it starts with when the rest is the site's name glued
    on by a separator ("Headline-Section｜Site" beside a meta headline "Headline")."""
    out = []
    for d in declared:
        for e in declared:
            rest = d[len(e):]
            if len(e) < len(d) and d.startswith(e) and len(rest) <= 40 and _CHROME_START.match(rest) and _names_site(rest, sites):
                d = e
                break
        out.append(d)
    return out


def pick_html_title(sig: PageSignals, traf_title: str | None, sites: set[str]) -> tuple[str | None, str]:
    """The visible headline when it agrees with the declared one, else the declared title without the site name."""
    declared = [strip_site(x, sites) for x in (sig.meta.get("og:title"), sig.ld.get("headline"), traf_title,
                                                 sig.meta.get("twitter:title"), sig.title_tag, sig.meta.get("headline")) if x]
    declared = _without_glued_suffix([d for d in declared if d and _WORDY.search(d)], sites)
    forms = [(d, _norm(d), _toks(d)) for d in declared]   # each normalised once, not once per heading
    # the first piece of a declared "Headline | Site" whose site name is the longer piece (strip_site keeps the
    # longest piece): a heading that is that piece is the headline
    raw = (sig.meta.get("og:title"), traf_title, sig.title_tag)
    firsts = {p[0].strip() for p in (_SEP.split(x) for x in raw if x and "|" in x) if len(p) > 1 and p[0].strip()}
    forms += [(f, _norm(f), _toks(f)) for f in firsts - set(declared)]
    best, best_score = None, 0.0
    for prio, heads in ((0.1, sig.h1), (0.0, sig.h2)):
        for i, h in enumerate(heads):
            th = _toks(h)
            nh = _norm(h)
            if not th or nh in sites:
                continue
            for d, nd, td in forms:
                if nd and nd in nh and len(nd) >= 0.4 * len(nh):
                    start = nh.find(nd)
                    rest = nh[start + len(nd):]
                    score = 1.5 + prio
                    if start == 0 and _GOES_ON.match(rest) and not nd.endswith((".", "!", "?", "…")):
                        cand = h   # the declared title stops mid-phrase where the heading goes on: cut to a length
                    else:
                        # the heading carries a kicker or a section label around the declared headline
                        cand = _clean(h)[start:start + len(nd)] if _clean(h).lower() == nh else d
                elif nh and nd.startswith(nh) and _CHROME_START.match(nd[len(nh):]) and len(nd) - len(nh) <= 60 \
                        and _names_site(nd[len(nh):], sites):
                    # the declared title is the heading with the site's name glued on
                    cand, score = h, 1.5 + prio
                else:
                    score = (len(th & td) / len(th | td) if td else 0.0) + prio - 0.02 * i
                    cand = h
                if score > best_score:
                    best, best_score = cand, score
    if best is not None and best_score >= 0.5:
        # a heading flattened from its parts ("Kicker Headline" from a kicker in its own span) beside a declared
        # title with the same words and the punctuation between them: the declared one reads as printed
        wb, nb = _TOKENS.findall(_norm(best)), _trim_edges(_norm(best))
        for d, nd, td in forms:
            if _TOKENS.findall(nd) == wb and len(_trim_edges(nd)) > len(nb) and nb in (_norm(h) for h in sig.h1 + sig.h2):
                return _trim_edges(d), "h1"
        return best, "h1"
    if declared:
        return declared[0], "meta"
    if len(sig.h1) == 1:
        return sig.h1[0], "h1"
    return None, "none"


# the day of a newspaper's print edition ("Ausgabe vom 26.04.2024"), which a daily prints by an article it put online
# the evening before: the day, not the publication's
_EDITION = re.compile(r"\b(?:ausgabe|edition|édition|edición|edizione|editie|uitgave|utgave|wydanie|vydání|выпуск)\b", re.I)


def _not_publication(line: str) -> bool:
    """Whether a printed date line is an update notice or a print edition's day, not the publication's."""
    return bool(UPDATED.search(line) or _EDITION.search(line))


def visible_date(sig: PageSignals, title: str | None, us: bool) -> tuple[datetime, str] | None:
    """(date, line) of the date printed nearest the headline in the page text (within a few lines), or None."""
    near = printed_dates(sig, title, us)
    return near[0] if near else None


def printed_dates(sig: PageSignals, title: str | None, us: bool) -> list[tuple[datetime, str]]:
    """The dates printed around the headline (within a few lines), as (date, line), nearest first: those around
    the occurrence of the headline that has a date nearest to it, outside the comments (a comments' heading quotes
    the headline: "6 Kommentare zu “…”", with a comment's date under it). When none is, the first dateline up to 30
    lines under the headline, if a publication or modification stamp of the page states its day."""
    if not title or not sig.lines:
        return []
    lines = sig.byline_lines
    nt = _norm(title)
    if not nt:
        return []
    # page lines are already whitespace-collapsed: lower() is all the normalising they need; a headline set
    # with its kicker in one heading element arrives as two lines, so a long part of the title counts too
    longest, shortest_part = 2 * len(title) + 2, max(16, 0.4 * len(nt))
    idx = []   # the first three lines that show the headline
    for i, l in enumerate(lines):
        if len(l) < longest:
            low = l.lower()
            if (nt in low and (len(nt) > 15 or low == nt)) or (len(l) >= shortest_part and low in nt):
                idx.append(i)
                if len(idx) == 3:
                    break
    if not idx:
        return []
    best = None
    for t in idx:
        near = [(i, when) for i in range(max(0, t - 6), min(len(lines), t + 12))
                if (when := date_line(lines[i], us_order=us) or short_year_date_line(lines[i], us)) is not None]
        # the headline repeated in a list of dated entries (recent posts, an archive): each neighbouring
        # date belongs to another entry, so this occurrence dates nothing (a dateline, an update notice
        # and a comment's date give at most two or three days, not a run of them)
        if len({w.date() for _, w in near}) > 3:
            continue
        ranked = sorted((abs(i - t) + (0.5 if i < t else 0), i, when) for i, when in near)
        if ranked and (best is None or ranked[0][0] < best[0][0]):
            best = ranked
    if best is None:
        # nothing dated around the headline: the first dateline further down, past a standfirst, a photo and its
        # credit, share buttons and the byline (recipe and magazine layouts print the date after all these),
        # when the page's own stamps (publication or modification) state that day
        for t in idx:
            further = [(i, when) for i in range(t + 12, min(len(lines), t + 30))
                       if (when := date_line(lines[i], us_order=us)) is not None]
            if further and len({w.date() for _, w in further}) <= 3 and further[0][1].date() in _stamp_days(sig):
                best = [(further[0][0] - t, further[0][0], further[0][1])]
                break
    return [(when, lines[i]) for _, i, when in best] if best else []


def _stamp_days(sig: PageSignals) -> set:
    """The days of the page's publication and modification stamps."""
    got = (parse_timestamp(v) for v in [v for _, v, _ in sig.published] + sig.modified if not _NO_DAY.match(v))
    return {g[0].date() for g in got if g is not None}


_WRITTEN_BY = re.compile(r"^\s*(?:written by|verfasst von|geschrieben von|écrit par|escrito por|scritto da|"
                         r"geschreven door|skrevet af|skriven av|napisane przez|autor|author)\s*:?\s*$", re.I)
# a byline line: a label and a name ("Autor: Die Redaktion", "By Staff")
_BYLINE_LABEL = re.compile(r"^(?:autor(?:in)?|author|by|von|text|texte|par|por|di)\s*:?\s+(.{2,40})$", re.I)


def newsroom_byline(sig: PageSignals, title: str | None) -> bool:
    """The page prints a byline naming its newsroom, not a person, just under the headline ("Autor: Die Redaktion"):
    the person its structured data names is then the account that published the post, not the byline."""
    nt = _norm(title)
    if not nt or not any(_newsroom_label(l) for l in sig.lines):
        return False   # (the lines outside comments are some of the page's lines: without a label line, none is found)
    lines = sig.byline_lines
    heads = [i for i, l in enumerate(lines) if len(l) < 2 * len(nt) + 2 and nt in l.lower()]
    for t in heads[:3]:
        if any(_newsroom_label(l) for l in lines[t + 1:t + 6]):
            return True
    return False


def _newsroom_label(line: str) -> bool:
    """Whether the line is a byline label naming no person ("Autor: Die Redaktion")."""
    m = _BYLINE_LABEL.match(line)
    return bool(m and is_placeholder(m.group(1)))


_CLOCK = re.compile(r"(?<![\d:.])([012]?\d)[:.h]([0-5]\d)(?![\d])(?:\s*([ap])\.?\s?m\b\.?)?", re.I)


_OFFSET_MINUTES = {timedelta(0), timedelta(minutes=30), timedelta(minutes=45)}


def _local_offset(stamp: datetime, shown_day: datetime, line: str) -> timedelta | None:
    """The UTC offset that turns a UTC stamp into the clock time printed beside the headline, if they fit."""
    m = _CLOCK.search(line)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2))
    if m.group(3):
        if hour > 12:
            return None
        hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
    if hour > 23:
        return None
    local = datetime(shown_day.year, shown_day.month, shown_day.day, hour, minute)
    diff = local - stamp.astimezone(timezone.utc).replace(tzinfo=None, second=0, microsecond=0)
    # offsets in use run from -12:00 to +14:00, in whole hours, halves or three quarters
    if -timedelta(hours=12) <= diff <= timedelta(hours=14) and (abs(diff) % timedelta(hours=1)) in _OFFSET_MINUTES:
        return diff
    return None


# a stamp written day-first or month-first in digits ("10/05/2022 05:22 pm"), whose order a parser has to guess
_NUMERIC_DAY = re.compile(r"^\s*\d{1,2}[./-]\d{1,2}[./-]\d{4}")
# a stamp without a day ("2017", "2017/01", "January 2017"): the parser would invent one (the 1st, this month)
_NO_DAY = re.compile(r"^\s*(?:(?:19|20)\d\d(?:[-/.](?:0?[1-9]|1[0-2]))?|[^\W\d_]{3,}\.?,?\s+(?:19|20)\d\d)\s*$")
_YEAR_MONTH = re.compile(r"^\s*((?:19|20)\d\d)[-/.](0?[1-9]|1[0-2])\s*$")
# a time of day in a stamp (with or without its offset)
_STAMP_CLOCK = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3]):[0-5]\d")


# a dateline opening the article's first paragraph, as press releases and wire reports write it: a place (a name
# ending with a comma or a parenthesis, or in capitals) or nothing, the date ending with its year, then a separator
# and the first sentence ("Karlsruhe, (12.11.2021). Traditionell …", "BERLIN, 12. November 2021 – Die …")
_LEAD_PLACE = re.compile(r"^(?:[A-ZÀ-ÞĀ-Ž][^\d,()\n]{1,40}?(?:,\s*\(?|\s*\()\s*|[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž /.-]{2,30}\s+|)$")
_LEAD_AFTER = re.compile(r"^[^\n]{0,25}?(?:19|20)\d\d\s*\)?\s*(?:\.|:|[–—-]{1,2}|/[^/]{2,30}/\s*--?)\s*[\"„“«A-ZÀ-ÞĀ-Ž]")


def lead_dateline(paragraphs: list[str], us: bool) -> datetime | None:
    """The date of the dateline opening the article's first paragraph, or None."""
    if not paragraphs:
        return None
    head = paragraphs[0][:100]
    hits = find_dates(head, us_order=us)
    if not hits or hits[0][0] > 45:
        return None
    off, when = hits[0]
    if not _LEAD_PLACE.match(head[:off]) or not _LEAD_AFTER.match(head[off:]):
        return None
    return when


def title_date(sig: PageSignals, us: bool) -> datetime | None:
    """The date the <title> gives as one of its separated parts, after the headline ("Headline | DW | 28.04.2023")."""
    parts = [p.strip() for p in _SEP.split(sig.title_tag or "")]
    for part in parts[1:]:
        if part and len(part) <= 40 and (when := date_line(part, us_order=us, max_other_words=0)) is not None:
            return when
    return None


def choose_published(sig: PageSignals, title: str | None, htmldate_day: str | None | Callable[[], str | None],
                     url: str | None, us: bool, lead: datetime | None = None, titled: datetime | None = None
                     ) -> tuple[datetime | None, str | None, str | None]:
    """(claimed publication time, its source, its precision) from the page's signals.

    The page's own publication stamps (JSON-LD datePublished, published-time meta tags, the element marked
    as the publication time) are the claim, with their full timestamp. The date printed by the headline
    overrides them when it is not an update notice and the first stamp is a generic date tag or no other
    specific stamp nor the URL's date backs it (a stamp with its time of day, only when another stamp or the
    URL states the printed date, or when it is a UTC stamp one day off: the local day); a numeric stamp whose
    day and month the printed date shows swapped is read in the page's order; a day-only stamp takes the time
    of a specific stamp of that day. A stamp keeps the offset the page's metadata writes it with; a UTC stamp
    beside a printed local clock time (or another stamp of the same instant in a local offset) takes that local
    offset only when it puts the instant on another day: the local day is the publication day.
    An earlier date in the URL (fixed when the page was first published) beats a later stamp; a URL naming the month
    alone ("/2019/10/a-slug/") that the stamp agrees with keeps the stamp over a printed date of another month.
    A publication stamp that equals a modification stamp yields to an earlier publication stamp (a CMS writing its
    last edit as the publication time); a time without an offset takes the offset of a stamp of the same clock time.
    Without stamps: the printed date, then a date the <title> gives as one of its parts ("Headline | DW | 28.04.2023"),
    then the dateline opening the first paragraph ("Karlsruhe, (12.11.2021). …"),
    then htmldate (original date), then the URL's date. htmldate's day is
    checked against the page's modification stamps (it falls back on them): an earlier <time> element or URL
    date is the publication then; and against stamps giving a year and month alone (it fills in a day): a
    <time> element of that month gives the day; a <time> element of htmldate's day gives its time and offset.
    htmldate's day may be given as a function, called only where it may count.
    """
    printed = printed_dates(sig, title, us)
    # the nearest printed date that is not an update notice ("11.2.2025 | 23:55 | Uppfært 12.2.2025 7:25"): the
    # notice's day and clock time are the revision's, not the publication's
    shown = next((p for p in printed if not _not_publication(p[1])), printed[0]) if printed else None
    stamps = []   # (source, datetime, precision, strong, clocked: the stamp states a time of day)
    for src, value, strong in sig.published:
        got = parse_timestamp(value) if not _NO_DAY.match(value) else None
        if got is None:
            continue
        stamp = got[0]
        if shown is not None and _NUMERIC_DAY.match(value):
            sd = shown[0]
            if (stamp.day, stamp.month) == (sd.month, sd.day) and stamp.year == sd.year:
                # "10/05/2022 05:22 pm" read month first where the page prints 10 May: the printed date settles it
                stamp = stamp.replace(month=sd.month, day=sd.day)
        clocked = _STAMP_CLOCK.search(value) is not None and (stamp.hour, stamp.minute) != (0, 0)
        stamps.append((src, stamp, got[1], strong, clocked))
    if len(stamps) > 1:
        # a publication stamp that is the modification stamp, beside an earlier one: a CMS writing its last edit as
        # the publication time (article:published_time = article:modified_time); the earlier stamp is the publication
        revised = {got[0] for got in map(parse_timestamp, sig.modified) if got is not None and got[1] == "minute"}
        earliest = min(x[1] for x in stamps if x[2] == "minute") if any(x[2] == "minute" for x in stamps) else None
        # (the same clock time in two offsets is one publication time written two ways, not a revision)
        kept = [x for x in stamps if not (x[2] == "minute" and x[1] in revised and earliest is not None and x[1] > earliest
                                          and x[1].replace(tzinfo=None) != earliest.replace(tzinfo=None))]
        stamps = kept or stamps
    found = None
    if (shown is not None and shown[0].day <= 12) or (shown is None and not stamps):
        # htmldate's day counts where it may settle the printed date's day/month order (a day up to 12) and
        # where nothing else dates the page (given as a function, htmldate runs only then)
        day = htmldate_day() if callable(htmldate_day) else htmldate_day
        found = parse_timestamp(day) if day else None
    url_day = date_from_url(url)
    if shown is not None and found is not None:
        sd, fd = shown[0], found[0]
        if (sd.day, sd.month) == (fd.month, fd.day) and sd.year == fd.year:
            shown = (fd, shown[1])  # a numeric date read in the wrong day/month order: the metadata settles it
    if stamps:
        first = stamps[0]
        # several stamps for one instant: the first as the page's metadata writes it, with its own offset; one in
        # the page's local offset only when that puts the instant on another day (the publication day is local)
        local = [x for x in stamps if x[1] == first[1] and x[1].utcoffset() and x[1].date() != first[1].date()]
        src, when, precision, strong, clocked = local[0] if local and not first[1].utcoffset() else first
        if precision == "day":
            # a day alone (JSON-LD "2022-02-03") beside a specific stamp of that day with its time and offset:
            # the same claim, told more precisely
            timed = [x for x in stamps if x[2] == "minute" and x[3] and x[1].date() == when.date()]
            # a time without an offset (JSON-LD "2023-04-28 18:11:01") beside a stamp of that very clock time with
            # its offset (a generic date tag): the same instant, whose offset that tag states
            timed = timed or [x for x in stamps if x[2] == "minute" and x[1].replace(tzinfo=None) == when.replace(tzinfo=None)
                              and (when.hour, when.minute, when.second) != (0, 0, 0)]
            if timed:
                src, when, precision, strong, clocked = timed[0]
        if shown is not None and precision == "minute" and not when.utcoffset():
            # a UTC stamp beside the clock time printed by the headline: the stamp keeps its own offset, unless
            # the printed local time falls on another day (then the instant is told in the page's offset, so
            # that its day is the local publication day)
            offset = _local_offset(when, shown[0], shown[1])
            if offset is not None and when.astimezone(timezone(offset)).date() != when.date():
                when = when.astimezone(timezone(offset))
        day = when.date()
        if url_day is not None and (day - url_day.date()).days > 1 and (shown is None or shown[0].date() == url_day.date()):
            return url_day, "url", "day"
        support = sum(1 for x in stamps if x is not first and x[3] and x[1].date() == day) + (
            url_day is not None and url_day.date() == day)
        # stamps that agree with the printed date
        agree = [x for x in stamps if x[1].date() == shown[0].date()] if shown is not None else []
        # a specific stamp with its time of day was written by the publishing system at the moment of
        # publication: a different date printed near the headline overrides it only when another of the
        # page's stamps or the URL's date states the printed date too
        backed = bool(agree) or (url_day is not None and shown is not None and url_day.date() == shown[0].date())
        # a UTC (or zone-less) stamp a day off the printed date is the same instant seen from the page's own
        # time zone: no contradiction, the printed (local) day is the claim
        zone_day = shown is not None and not when.utcoffset() and abs((shown[0].date() - day).days) == 1
        # a URL naming the month alone ("/2019/10/a-slug/"), fixed at first publication, that the stamp agrees with and
        # the printed date does not: the printed date is another post's (a list of related posts under the headline)
        url_month = month_from_url(url)
        off_month = (url_month is not None and shown is not None and (day.year, day.month) == url_month
                     and (shown[0].year, shown[0].month) != url_month)
        if shown is not None and shown[0].date() != day and not _not_publication(shown[1]) and not off_month and (
                not strong or (support == 0 and (not clocked or backed or zone_day))):
            # the printed date is the claim; a stamp that agrees with it gives its time
            if agree:
                return agree[0][1], agree[0][0], agree[0][2]
            return shown[0], "page-text", "day"
        return when, src, precision
    if shown is not None:
        return shown[0], "page-text", "day"
    if titled is not None:
        return titled, "title", "day"
    if lead is not None:
        return lead, "lead-dateline", "day"
    if found is not None:
        day = found[0].date()
        times = [got for got in map(parse_timestamp, sig.times) if got is not None]
        modified = {got[0].date() for got in map(parse_timestamp, sig.modified) if got is not None}
        # a stamp with a year and month alone ("2017/01"): htmldate reads it and fills in a day of its own
        partial = {(m.group(1), int(m.group(2))) for _, v, _ in sig.published if (m := _YEAR_MONTH.match(v))}
        fill = [got for got in times if (str(got[0].year), got[0].month) in partial]
        if (str(day.year), day.month) in partial and fill:
            return fill[0][0], "time", fill[0][1]   # a <time> element of that month gives the day
        if day in modified:
            # htmldate falls back on a modification stamp when no publication meta is there: an earlier date of
            # a <time> element or of the URL is the publication
            earlier = [(got[0], "time", got[1]) for got in times if got[0].date() < day and got[0].date() not in modified]
            earlier += [(url_day, "url", "day")] if url_day is not None and url_day.date() < day else []
            if earlier:
                return earlier[0]
        # htmldate gives the day; a <time> element of that day gives its time and offset
        timed = [got for got in times if got[1] == "minute" and got[0].date() == day]
        if timed:
            return timed[0][0], "time", "minute"
        return found[0], "htmldate", "day"
    return (url_day, "url", "day") if url_day is not None else (None, None, None)


_SENTENCE_ENDS = (".", "!", "?", ":", '"', "“", "”", "»", "«")


def _drop_repeated_head(paragraphs: list[str], title: str | None, sig: PageSignals) -> tuple[list[str], list[str]]:
    """The body without the headline repeated at its top, nor what is printed over it (short lines that are no
    sentences: a kicker, "OSV-Bericht", "Zweite Tarifrunde … beginnt am Montag", a time "Mo, 11:41 Uhr"; captions),
    so the body opens where the article does (and
    a lead trafilatura pruned is found before it: chrome.find_lead). (A standfirst stays: it is the article's lede,
    and the development pages' annotators count it as main text.)"""
    heads = {_norm(x) for x in (title, sig.ld.get("headline"), sig.meta.get("og:title")) if x}
    dropped: list[str] = []
    # the headline among the first paragraphs, under lines that are no sentences (a kicker, a time, a section's name)
    # or captions: those go with it
    at = next((i for i in range(1, min(4, len(paragraphs) - 2)) if _norm(paragraphs[i]) in heads), None)
    if at is not None and all(p in sig.captions or len(p) <= 100 and not p.rstrip().endswith(_SENTENCE_ENDS)
                              for p in paragraphs[:at]):
        dropped += paragraphs[:at]
        del paragraphs[:at]
    repeats = 0
    while paragraphs and repeats < 3 and len(paragraphs) > 2:
        p = _norm(paragraphs[0])
        if p in heads:
            dropped.append(paragraphs.pop(0))
            repeats += 1
        else:
            break
    return paragraphs, dropped


def _htmldate_day(html: str) -> str | None:
    """htmldate's day for a page, with the settings trafilatura's metadata pass uses."""
    from htmldate import find_date
    try:
        return find_date(html, extensive_search=True, original_date=True)
    except Exception:  # noqa: BLE001  (a day nobody found is no day, not a failed page)
        return None


# below this much body text, the article may be in the page's scripts instead (embedded.py)
_SHELL_CHARS = 200


def extract_html(html: str, origin: str, options: ExtractOptions) -> Article:
    """Main text and metadata of an HTML page."""
    tree = lean_trafilatura.load_html(html)
    if tree is None:
        raise ValueError("not parseable as HTML")
    sig = read_signals(tree)
    doc = lean_trafilatura.extract(tree)
    # htmldate's day, asked only where choose_published needs it; trafilatura returns no metadata for a page where it
    # finds no text: htmldate is then asked for the day it would have given
    htmldate_day = (lambda: doc.get("date")) if doc is not None else (lambda: _htmldate_day(html))
    doc = doc if doc is not None else {}
    text = doc.get("text") or ""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if sum(map(len, paragraphs)) < _SHELL_CHARS:
        # a framework's shell page: the article is data inside its scripts, which a browser would render
        scripted = embedded_paragraphs(tree)
        if sum(map(len, scripted)) > 2 * sum(map(len, paragraphs)):
            paragraphs = scripted
    url = sig.canonical or sig.meta.get("og:url") or doc.get("url")
    if url and not url.startswith("http"):
        url = None
    url = url or saved_from(html)
    sites = _site_names(sig, doc.get("sitename"), url)
    title, _ = pick_html_title(sig, doc.get("title"), sites)
    paragraphs, repeated = _drop_repeated_head(paragraphs, title, sig)
    # month-first numeric dates only on US-English pages
    us = sig.lang_tag in ("en-us", "en_us") or (sig.lang == "en" and bool(url) and url.split("://", 1)[-1].split("/", 1)[0].endswith((".com", ".us")))
    published, source, precision = choose_published(sig, title, htmldate_day, url, us,
                                                    lead_dateline(paragraphs, us), title_date(sig, us))
    domain = registrable_domain(url)
    # the site's names as it states them (trafilatura's guessed site name may be a headline: left out)
    site_keys_ = site_keys(sig.meta.get("og:site_name"), sig.ld.get("publisher"), sig.meta.get("application-name"),
                           sig.meta.get("twitter:site", "").lstrip("@"), sig.meta.get("dc.publisher"), sig.meta.get("publisher"),
                           domain, domain and domain.split(".")[0],
                           url and url.split("://", 1)[-1].split("/", 1)[0].removeprefix("www."))
    people = [x for x in sig.ld.get("authors", "").split("\n") if x]
    meta_author = sig.meta.get("author")
    if not meta_author and _WRITTEN_BY.match(sig.meta.get("twitter:label1", "")) and sig.meta.get("twitter:data1"):
        # the byline SEO plugins state as "Written by: …": the post's CMS account, a meta tag like the author tag
        meta_author = sig.meta["twitter:data1"]
    author = None if newsroom_byline(sig, title) else clean_authors(people, doc.get("author"), meta_author, site_keys_,
                                                                     lambda: sig.byline_lines)
    outlet = outlet_name(url, [sig.meta.get("og:site_name"), sig.ld.get("publisher")],
                         [sig.canonical, sig.meta.get("og:url"), sig.own_url], title,
                         weak=[doc.get("sitename"), sig.meta.get("application-name")],
                         titles=[sig.title_tag, sig.meta.get("og:title")],
                         lines=sig.lines[:10] + sig.lines[max(10, len(sig.lines) - 40):],
                         handles=[sig.meta.get("twitter:site")],
                         authors=(author or "").split("; "))
    # photo captions are kept apart from the body, whether or not trafilatura kept them in
    caption_set = set(sig.captions)
    captions = list(sig.captions)
    if not options.keep_captions_in_body:
        paragraphs = [p for p in paragraphs if p not in caption_set]
    # chrome trafilatura kept (by where the page prints a paragraph and by its wording), and the lead it pruned
    names = sig.names
    # the page's lines squashed and joined, which two steps read (neither where the body is one paragraph)
    squashed_lines = chrome.squash_lines(sig.lines) if len(paragraphs) >= 2 else None
    paragraphs, dropped = chrome.drop_chrome(names, paragraphs, sig.lines, squashed_lines)
    # where the page prints the paragraphs: the header picture's caption, lines trafilatura left out inside the
    # article's element, a closing run printed far after the article
    page = layout.Page(names)
    paragraphs = layout.drop_header_caption(page, paragraphs)
    paragraphs = layout.fill_holes(page, paragraphs, {title or "", *repeated, *dropped, *caption_set})
    paragraphs = layout.drop_far_tail(paragraphs, sig.lines, squashed_lines)
    lead = chrome.find_lead(names, paragraphs, sig.lines, title, sig.meta.get("description") or sig.meta.get("og:description"))
    if lead:
        paragraphs.insert(lead[1], lead[0])
    body = "\n\n".join(paragraphs)
    kept = set(paragraphs) | caption_set | {title}
    boilerplate = [l for l in sig.lines if l not in kept]
    language = detect_language(body) or sig.lang   # (trafilatura names no language when not asked to check one)
    return Article(id="", origin=origin, title=title, text=body, paragraphs=paragraphs,
                   outlet=outlet, url=url, author=author, published=published, published_source=source,
                   published_precision=precision, language=language, captions=captions, boilerplate=boilerplate)
