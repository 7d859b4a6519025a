"""Dates written in an article, resolved to absolute days against its claimed date.

Each expression becomes a `MentionedDate` (text, first and last day it can mean, the sentence,
`about`, char offset in `Article.text`, -1 when it is in the title or a caption; `where`: body,
dateline — a short line at the top or one starting "Published/Posted/Updated" — title, caption,
or a caption-like line the extractor removed as boilerplate).
Two kinds matter downstream:
- explicit dates ("November 12, 2021", "Nov. 2021", "in 2014") say when by themselves;
- anchored ones ("on Friday", "last week", "earlier this year", "November 12") only make
  sense against the claimed date, so they can never contradict it.
`about` separates the report's own events from background: a bare year that qualifies a
noun ("the 2014 invasion", "2020 election"), anniversaries, "since …", "… ago", "last year",
a past-perfect clause, decades — all background.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator

from ..records import Article, Enrichment, MentionedDate

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"

# Ordered: the first pattern that claims a span wins; later ones skip overlapping spans.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b")),
    ("mdy", re.compile(rf"(?:{_WD},?\s+)?\b{_MON}\s+(?P<d>[0-3]?\d){_ORD}(?:\s*,\s*|\s+){_YEAR}\b")),
    ("dmy", re.compile(rf"(?:{_WD},?\s+)?\b(?P<d>[0-3]?\d){_ORD}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b")),
    ("numeric", re.compile(r"\b(?P<a>[01]?\d|[23]\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)\b")),
    ("my", re.compile(rf"\b{_MON},?\s+(?:of\s+)?{_YEAR}\b")),
    ("md", re.compile(rf"(?:{_WD},?\s+)?\b{_MON}\s+(?P<d>[0-3]?\d){_ORD}\b(?!\s*(?:,\s*)?\d)")),
    ("dm", re.compile(rf"(?:{_WD},?\s+)?\b(?P<d>[0-3]?\d){_ORD}\s+(?:of\s+)?{_MON}\b")),
    ("decade", re.compile(r"\b(?:the\s+)?(?:early\s+|mid-?\s*|late\s+)?(?P<year>(?:1[89]|20)\d0)'?s\b")),
    ("ago", re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)\s+"
                       r"(?P<unit>day|week|month|year|decade)s?\s+ago\b", re.I)),
    ("rel", re.compile(r"\b(?P<rel>(?:earlier|later)\s+(?:this|last)\s+(?:week|month|year)|(?:last|this|next|past)\s+(?:week|month|year|weekend)|"
                       r"(?:in\s+)?recent\s+(?:days|weeks|months)|yesterday|today|tonight|tomorrow|last\s+night|"
                       r"this\s+(?:morning|afternoon|evening))\b", re.I)),
    ("month", re.compile(rf"\b(?P<pre>(?i:in|since|during|by|until|till|last|this|next|early|late|mid-?|end\s+of|beginning\s+of|start\s+of|"
                         rf"in\s+early|in\s+late|in\s+mid-?))\s+(?:of\s+)?(?P<mon>January|February|March|April|May|June|July|August|"
                         rf"September|October|November|December)\b(?!\s*,?\s*\d)")),
    ("weekday", re.compile(rf"\b(?:(?P<pre>(?i:last|this|next|on|early|late))\s+)?{_WD}(?:'s)?\b")),
    ("year", re.compile(rf"(?<![\d,.$£€/-]){_YEAR}(?![\d/:%-]|[,.]\d|\s*(?:%|percent|per\s+cent|people|troops|soldiers|km|kilomet|miles|meters|metres|feet|tons|tonnes|dollars|euros))")),
]

_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3}

# Words near a date that make it background rather than the report's own event.
_BACKGROUND = re.compile(
    r"\b(anniversar\w*|since|ago|born|died in|founded|established|built in|previous\w*|last time|first time|history|historic|"
    r"years? (?:after|since|before|earlier|later)|back in|dating back|at the time|a year earlier|commemorat\w*|memorial|"
    r"record (?:set|high|low)|remember\w*|recall\w*|former\w*|until|prior to|in the wake of|had been|had (?!to\b)\w+ed|"
    # a verdict or sentence comes long after the deed it dates ("convicted of murdering a deputy in June 2005")
    r"convicted|sentenced|acquitted|found guilty|verdict|on trial|trial (?:of|over|for))\b", re.I)
_NEAR_BEFORE = re.compile(r"\b(since|until|till|before|back in|as early as|dating (?:back )?to|from|between|throughout)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?$", re.I)
_QUANT_BEFORE = re.compile(r"\b(some|about|around|nearly|almost|over|than|up to|at least|roughly|approximately|estimated|only|just)\s+$", re.I)
_FUTURE = re.compile(r"\b(will|would|is to|are to|scheduled|expected to|plans? to|planning to|set to|due to|upcoming|coming)\b", re.I)
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass
class Span:
    """One date expression found in a piece of text, before it becomes a MentionedDate."""

    kind: str
    text: str
    start: date
    end: date
    char: int              # offset in the piece of text
    explicit: bool         # its own words fix the year
    about: bool


def _clamp_day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_range(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _near_year(anchor: date, m: int, d: int | None) -> int:
    """Year for a month (and day) written without one: the occurrence nearest the anchor, biased to the past."""
    y = anchor.year
    probe = _clamp_day(y, m, d or 1) or date(y, m, 1)
    if probe > anchor + timedelta(days=90):
        return y - 1
    if probe < anchor - timedelta(days=275):
        return y + 1
    return y


def _weekday(anchor: date, wd: int, pre: str, future: bool) -> date:
    """The weekday named: the latest on or before the anchor unless the sentence looks ahead."""
    back = (anchor.weekday() - wd) % 7
    if pre == "next" or (future and pre != "last"):
        ahead = (wd - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=ahead if pre != "next" or ahead > 1 else ahead + 7)
    if pre == "last":
        back = back or 7
    return anchor - timedelta(days=back)


def _relative(rel: str, anchor: date) -> tuple[date, date, bool]:
    """Range meant by a relative expression, and whether it is about the report's own time."""
    r = re.sub(r"\s+", " ", rel.lower()).replace("in recent", "recent")
    if r in ("today", "tonight") or r.startswith("this ") and r.split()[1] in ("morning", "afternoon", "evening"):
        return anchor, anchor, True
    if r == "yesterday":
        return anchor - timedelta(days=1), anchor - timedelta(days=1), True
    if r == "last night":
        return anchor - timedelta(days=1), anchor, True
    if r == "tomorrow":
        return anchor + timedelta(days=1), anchor + timedelta(days=1), True
    unit = r.split()[-1]
    if r.startswith("recent"):
        span = {"days": 7, "weeks": 30, "months": 120}[unit]
        return anchor - timedelta(days=span), anchor, True
    if unit in ("week", "weekend"):
        monday = anchor - timedelta(days=anchor.weekday())
        if "last" in r.split()[:2] and not r.startswith("earlier") and not r.startswith("later"):
            return monday - timedelta(days=7), monday - timedelta(days=1), True
        if r.startswith("next"):
            return monday + timedelta(days=7), monday + timedelta(days=13), True
        if r.startswith("past"):
            return anchor - timedelta(days=7), anchor, True
        return monday, anchor, True
    if unit == "month":
        first = anchor.replace(day=1)
        if r.startswith(("last", "earlier last")):
            prev = first - timedelta(days=1)
            return prev.replace(day=1), prev, True
        if r.startswith("next"):
            nxt = (first + timedelta(days=32)).replace(day=1)
            return (*_month_range(nxt.year, nxt.month), True)
        if r.startswith("past"):
            return anchor - timedelta(days=31), anchor, True
        return first, anchor, True
    # year: "last year" is background (it points away from the report's now); "this year" is the report's own year.
    if r.startswith(("last", "earlier last", "past")):
        if r.startswith("past"):
            return anchor - timedelta(days=365), anchor, True
        return date(anchor.year - 1, 1, 1), date(anchor.year - 1, 12, 31), False
    if r.startswith("next"):
        return date(anchor.year + 1, 1, 1), date(anchor.year + 1, 12, 31), False
    return date(anchor.year, 1, 1), anchor, True


def _background(sentence: str, local: int, m_text: str, kind: str, after: str) -> bool:
    """True when the words around a date make it background rather than the report's own event."""
    before = sentence[max(0, local - 40):local]
    if _NEAR_BEFORE.search(before):
        return True
    if kind == "year":
        # A bare year: background when it qualifies a noun ("the 2014 invasion", "its 2020 election victory")
        # and nearly always otherwise too; the report's own events are dated at day or month granularity.
        return True
    if kind in ("decade", "ago"):
        return True
    window = sentence[max(0, local - 80):local + len(m_text) + 60]
    return bool(_BACKGROUND.search(window))


def find_spans(text: str, anchor: date | None) -> Iterator[tuple[Span, str]]:
    """Every date expression in one piece of text, with the sentence it is in."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if kind == "year" and _QUANT_BEFORE.search(text[max(0, a - 20):a]):
                continue
            if kind in ("md", "dm") and m.group("mon").lower().rstrip(".") == "may" and not m.group("wd"):
                # "may 3" can be a verb followed by a number; require a capital M in the middle of a sentence.
                if not text[a:a + 1].isupper():
                    continue
            taken.append((a, b))
            found.append((a, b, kind, m))
    found.sort()
    sentences = _sentences(text)
    for a, b, kind, m in found:
        s_start, s_text = _sentence_at(sentences, a)
        local = a - s_start
        span = _resolve(kind, m, anchor, s_text, local, text[b:b + 30])
        if span is not None:
            span.char = a
            yield span, s_text


def _resolve(kind: str, m: re.Match[str], anchor: date | None, sentence: str, local: int, after: str) -> Span | None:
    """Turn one regex match into a Span (None when it cannot be a date or needs an anchor that is missing)."""
    g = m.groupdict()
    txt = m.group(0)
    explicit = kind in ("iso", "mdy", "dmy", "numeric", "my", "year", "decade")
    start = end = None
    about = True
    if kind == "iso":
        start = end = _clamp_day(int(g["year"]), int(g["m"]), int(g["d"]))
    elif kind in ("mdy", "dmy"):
        start = end = _clamp_day(int(g["year"]), _MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
    elif kind == "numeric":
        a, b = int(g["a"]), int(g["b"])
        mm, dd = (a, b) if a <= 12 else (b, a)
        start = end = _clamp_day(int(g["year"]), mm, dd)
    elif kind == "my":
        start, end = _month_range(int(g["year"]), _MONTHS[g["mon"].lower().rstrip(".")])
    elif kind == "year":
        y = int(g["year"])
        if anchor is not None and y > anchor.year + 10:
            return None
        start, end = date(y, 1, 1), date(y, 12, 31)
    elif kind == "decade":
        y = int(g["year"])
        start, end = date(y, 1, 1), date(y + 9, 12, 31)
    elif anchor is None:
        return None
    elif kind in ("md", "dm"):
        mon = _MONTHS[g["mon"].lower().rstrip(".")]
        y = _near_year(anchor, mon, int(g["d"]))
        start = end = _clamp_day(y, mon, int(g["d"]))
    elif kind == "month":
        mon = _MONTHS[g["mon"].lower()]
        pre = g["pre"].lower()
        y = _near_year(anchor, mon, None)
        if pre == "last" and date(y, mon, 1) >= anchor.replace(day=1):
            y -= 1
        if pre == "next" and date(y, mon, 1) <= anchor:
            y += 1
        start, end = _month_range(y, mon)
    elif kind == "weekday":
        pre = (g.get("pre") or "").lower()
        # Looking ahead only when the future wording governs the day ("will meet on Saturday"),
        # not when it follows it ("said on Thursday it would respond").
        ahead = bool(_FUTURE.search(sentence[max(0, local - 40):local]))
        start = end = _weekday(anchor, _DAYS[g["wd"].lower()], pre, ahead)
    elif kind == "ago":
        n = g["n"].lower()
        k = int(n) if n.isdigit() else _NUMWORDS.get(n, 1)
        days = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3652}[g["unit"].lower()] * k
        start = end = anchor - timedelta(days=days)
        about = g["unit"].lower() in ("day", "week")
    elif kind == "rel":
        start, end, about = _relative(g["rel"], anchor)
    if start is None or end is None:
        return None
    if about and _background(sentence, local, txt, kind, after):
        about = False
    return Span(kind=kind, text=txt, start=start, end=end, char=-1, explicit=explicit, about=about)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; paragraphs and line breaks always end a sentence."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        pos = 0
        s = para.group(0)
        for cut in _SENT_SPLIT.finditer(s):
            out.append((base + pos, s[pos:cut.start()]))
            pos = cut.end()
        out.append((base + pos, s[pos:]))
    return out


def _sentence_at(sentences: list[tuple[int, str]], char: int) -> tuple[int, str]:
    best = (0, "")
    for start, s in sentences:
        if start <= char:
            best = (start, s)
        else:
            break
    return best


def is_explicit(m: MentionedDate) -> bool:
    """True when the expression fixes its own year ("November 12, 2021", "in 2014") rather than leaning on the claimed date."""
    return bool(re.search(r"(?:1[89]|20)\d\d", m.text))


def has_day(m: MentionedDate) -> bool:
    """True when the expression names one day."""
    return m.start == m.end


def article_dates(article: Article) -> list[MentionedDate]:
    """Every date in an article's title, body, captions and caption-like removed lines, resolved against its claimed date."""
    article = article.head()
    when = article.published or article.first_seen
    anchor = when.date() if isinstance(when, datetime) else when
    out: list[MentionedDate] = []
    claimed_day = article.published.date() if article.published else None
    for piece, offset, where in _pieces(article):
        for span, sentence in find_spans(piece, anchor):
            # A line that is nothing but the claimed date is the page's own date line, not evidence.
            if claimed_day and span.start == span.end == claimed_day and _only_date(sentence, span.text):
                continue
            kind = "dateline" if where == "body" and _dateline(sentence, span.text, offset + span.char) else where
            out.append(MentionedDate(text=span.text, start=span.start, end=span.end, sentence=sentence.strip()[:400],
                                     about=span.about, char=(offset + span.char) if offset >= 0 else -1, where=kind))
    return out


_DATELINE = re.compile(r"^\W*(published|posted|updated|first posted|last updated|date|dated|filed)\b", re.I)


def _dateline(sentence: str, date_text: str, char: int) -> bool:
    """A short line stating when the text was written ("Published: July 29, 2004", a date alone at the top)."""
    # Only near the top: further down, a short dated line is more often a list of other pages' headlines.
    if len(sentence.split()) > 14 or char >= 600:
        return False
    if _DATELINE.match(sentence.strip()):
        return True
    rest = [w for w in sentence.replace(date_text, " ").split() if re.search(r"[A-Za-z]{2,}", w)
            and not re.fullmatch(r"(?i)\W*(?:am|pm|a\.m\.|p\.m\.|[ap]m\W*|gmt|bst|edt|est|cdt|pdt|utc|et|at|\d+:?\d*\w*)\W*", w)]
    return char < 300 and len(rest) <= 1


def _only_date(sentence: str, date_text: str) -> bool:
    rest = sentence.replace(date_text, " ")
    return not re.search(r"[A-Za-z]{3,}", re.sub(r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b|\b(?:updated|published|posted)\b", "", rest, flags=re.I))


_CAPTION_LIKE = re.compile(r"^[A-Z\"“'‘].{40,400}[.!?][\"”’]?$")


def _pieces(article: Article) -> Iterator[tuple[str, int, str]]:
    """Title, body, captions and caption-like removed lines, with the offset of each in Article.text (-1 when outside it)."""
    if article.title:
        yield article.title, -1, "title"
    yield article.text, 0, "body"
    for c in article.captions:
        yield c, -1, "caption"
    # Photo captions an extractor removed as boilerplate still describe the report's own pictures;
    # only full sentences are read (menus, link lists and headlines rarely end with a period).
    for line in article.boilerplate:
        line = line.strip()
        if _CAPTION_LIKE.match(line) and len(line.split()) >= 8:
            yield line, -1, "boilerplate"


def resolve(articles: list[Article], out: list[Enrichment]) -> None:
    """Fill the `dates` of each enrichment."""
    for article, enrichment in zip(articles, out):
        enrichment.dates = article_dates(article)


__all__ = ["resolve", "article_dates", "find_spans", "is_explicit", "has_day"]
