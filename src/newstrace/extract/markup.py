"""Lines of plain text with light markup (markdown copied from a page) normalised: link text kept, URLs dropped."""
from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{1,6})\s+")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*([^)\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_LIST = re.compile(r"^(?:[-*+•·]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^>\s?")
_RULE = re.compile(r"^(?:[-*_=]\s*){3,}$")
URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"'\])]+|www\.[a-z0-9-]+\.[a-z]{2,}[^\s<>\"'\])]*", re.I)
_MAYBE_MARKUP = re.compile(r"^(?:#|>|[-*+•·]\s|\d{1,3}[.)]\s|(?:[-*_=]\s*){3,}$)|[*_\[<]")
_WS = re.compile(r"[ \t\u00a0\u2009\u202f]+")
# a cheap superset of _MAYBE_MARKUP: a line starting with a markup character, or holding * _ [ < anywhere
_MARKUP_START = frozenset("#>-*+•·=_0123456789")


@dataclass(slots=True)
class Line:
    """One non-empty line of a text page, after markup normalisation."""

    raw: str
    text: str
    heading: int = 0            # markdown heading level (0: none)
    list_item: bool = False
    link_chars: int = 0         # characters of the normalised text that were link text
    links: int = 0
    urls: tuple[str, ...] | list[str] = ()   # a shared empty tuple: most lines have no links (no list per line)
    gap_before: int = 0         # blank lines before it
    gap_after: int = 0


def _starts_with_date(s: str) -> bool:
    from .dates import find_dates  # dates imports nothing from here; imported late to keep this module light
    hits = find_dates(s[:40])
    return bool(hits) and hits[0][0] == 0


def normalise_line(raw: str) -> Line:
    """Strip markdown markup from one line, remembering what it was (heading, list, links)."""
    s = " ".join(raw.split())  # C-level whitespace collapse (any Unicode space, NBSP included)
    line = Line(raw, s)
    if not s or not _MAYBE_MARKUP.search(s):  # most lines of a plain page: nothing to undo
        return line
    if _RULE.match(s):
        line.text = ""
        return line
    m = _HEADING.match(s)
    if m:
        line.heading = len(m.group(1))
        s = s[m.end():].rstrip("# ").strip()
    s = _QUOTE.sub("", s)
    m = _LIST.match(s)
    # "1. Februar 2022" is a date written day-first with an ordinal dot, not item 1 of a list
    if m and len(s) > m.end() and not (s[:1].isdigit() and _starts_with_date(s)):
        line.list_item = True
        # a bullet is markup; an item's number is part of what the page prints ("5. Kristi Dosh" in a top ten)
        if not s[:1].isdigit():
            s = s[m.end():]
    s = _IMAGE.sub("", s)
    line.urls = []
    if "](" in s:
        def link(m: re.Match) -> str:
            line.links += 1
            line.link_chars += len(m.group(1).strip())
            if m.group(2).startswith(("http://", "https://")):
                line.urls.append(m.group(2))
            return m.group(1).strip()
        s = _LINK.sub(link, s)
    if "<" in s:
        def auto(m: re.Match) -> str:
            line.urls.append(m.group(1))
            return m.group(1)
        s = _AUTOLINK.sub(auto, s)
    if "*" in s or "_" in s:
        s = _BOLD.sub(r"\2", s)
        s = _ITALIC.sub(r"\2", s)
    # s was whitespace-collapsed before the substitutions, which can only leave double spaces behind
    line.text = (_WS.sub(" ", s) if "  " in s else s).strip()
    return line


def split_lines(text: str) -> list[Line]:
    """Non-empty normalised lines of a text, with the number of blank lines around each."""
    out: list[Line] = []
    append = out.append
    blank = 0
    for raw in text.splitlines():
        s = " ".join(raw.split())
        if not s:
            blank += 1
            continue
        # most lines of a plain page carry no markup: skip the markdown pass for them
        line = normalise_line(raw) if s[0] in _MARKUP_START or "*" in s or "_" in s or "[" in s or "<" in s else Line(raw, s)
        if not line.text:
            blank += 1
            continue
        if blank:  # gaps default to 0: set only the few that are not
            line.gap_before = blank
            if out:
                out[-1].gap_after = blank
            blank = 0
        append(line)
    if out:
        out[-1].gap_after = blank
    return out


def is_url_only(text: str) -> bool:
    """True for a line that is nothing but one URL."""
    m = URL_RE.fullmatch(text.strip().strip("<>").rstrip("/."))
    return m is not None
