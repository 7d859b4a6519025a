"""Bylines a reader can cite: author names cleaned of dates, roles, site and company names, and placeholders.

Bylines come from trafilatura (which reads bylines and meta tags and joins several names with "; "),
from JSON-LD `author` and from `<meta name="author">`. Each candidate is split into names; each name
loses a "By"/"Von" prefix, a trailing role phrase ("… is a reporter"), degrees, and whatever follows a
weekday, a month or a date label ("Malcolm Owen Monday", "Carrie Arnold November"); names that are the
site's own name or domain, a company, a social network, a placeholder ("Admin", "Redaktion") or a
sentence are dropped. When the page's structured data names people, those names are the byline. On an HTML
page, trafilatura's and the meta tags' names count only when the page prints them outside its comments (a
commenter, a theme's credit, an uploading account are no byline), and a first name alone takes the one
surname the page prints with it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .dates import calendar_words

_SPLIT = re.compile(r"\s*(?:;|\||\s/\s|,\s+(?=[^\W\d_]{2,})|\s+(?:and|und|et|y|e|en|och|og|i)\s+|\s*&\s*)\s*", re.I)
_PREFIX = re.compile(r"^(?:(?:written|posted|text|texte|reported|story|words|artikel|beitrag|ein beitrag|zum profil)\s+)?"
                     r"(?:by|von|par|por|di|da|door|av|af|przez|od|de)\s+|^(?:author|autor|auteur|autore|text|texte|"
                     r"verfasser|redakteur|责任编辑|作者|編集)\s*[:：]\s*", re.I)
# "… is a reporter for", "… ist Redakteur", "… est journaliste": a role sentence after the name
_ROLE = re.compile(r"\s+(?:is|was|ist|war|est|était|es|era|è|jest|är|er)\s+\S.*$", re.I)
_SAYS = re.compile(r"\b(?:says|said|writes|wrote|schreibt|sagt|meint|dit|dice|comments?|commented|replied|antwortete)\b", re.I)
_DEGREE = re.compile(r",?\s+(?:Ph\.?\s?D\.?|M\.?D\.?|M\.?Sc\.?|B\.?Sc\.?|M\.?A\.?|MBA|RDN?|LL\.?M\.?|MPH|DPhil|Jr\.?|Sr\.?)$")
_LABELS = {"stand", "updated", "update", "aktualisiert", "veröffentlicht", "published", "publié", "publicado", "pubblicato",
           "posted", "hora", "uhr"}
_BEFORE_DATE = {"on", "am", "le", "el", "il", "at", "um", "den", "vom", "du", "del"}   # count only before a date
_PLACEHOLDERS = {"admin", "administrator", "administrador", "redaktion", "redaction", "rédaction", "redacción", "redazione",
                 "redactie", "redakcja", "editor", "editors", "editorial", "staff", "guest", "guest author", "gastautor",
                 "anonymous", "anonym", "unknown", "no author", "none", "null", "newsroom", "newsdesk", "webmaster", "team",
                 "agencies", "agency", "user", "author", "autor", "auteur", "webteam", "online-redaktion", "site default",
                 "wp admin", "wpadmin", "root", "publisher", "phd", "md", "msc", "bsc", "mba", "mph", "rd", "rdn", "jr", "sr",
                 # "red." (Redaktion) and "Agenturen" of "red/Agenturen"; a site's "news" as its byline
                 "red", "agenturen", "agentur", "news", "nachrichten", "noticias", "notizie", "nouvelles", "actualités",
                 "wiadomości", "новости", "haberler", "notícias"}
COMPANY = re.compile(r"\b(?:GmbH|AG|Inc|Ltd|LLC|L\.L\.C|S\.A|SA|S\.L|SL|SpA|S\.p\.A|e\.V|eV|Corp|Corporation|Company|Co|"
                      r"Verlag|Mediengruppe|Media Group|Holding|Holdings|Publishing|Publications|Press Association|"
                      r"B\.V|BV|N\.V|plc|PLC|Pty|KG|OHG|SARL|SAS)\b\.?")
_SOCIAL = {"facebook", "twitter", "instagram", "linkedin", "youtube", "tiktok", "pinterest", "xing", "whatsapp", "telegram",
           "reddit", "tumblr", "mastodon", "threads", "bluesky", "flipboard", "email", "e-mail", "rss", "print", "share"}
_TLD_WORD = re.compile(r"(?:^|\s)(?:com|net|org|de|at|ch|fr|es|it|nl|be|uk|co|info|io|eu|us|ru|pl|br|mx|ar|cl|pe|in|cn|jp|au)$", re.I)
# particles that stand lower-case inside names (von, de la, van der, bin, al-)
_PARTICLES = {"von", "van", "der", "den", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le",
              "y", "e", "zu", "zur", "ten", "ter", "bin", "ibn", "al", "el", "af", "av", "of", "st", "mc", "vom"}


def fold(s: str) -> str:
    """Lower-cased letters and digits only, accents removed ("Condé Nast" → "condenast")."""
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if c.isalnum())


@lru_cache(maxsize=1)
def _placeholder_folds() -> frozenset[str]:
    return frozenset(fold(p) for p in _PLACEHOLDERS)


def _cut_at_dates(name: str) -> str:
    """The name before a weekday, month, date label or number ("Malcolm Owen Monday" → "Malcolm Owen")."""
    words = name.split()
    cal = calendar_words()
    for i, w in enumerate(words):
        lw = w.lower().strip(".,:;()")
        if any(c.isdigit() for c in w):
            return " ".join(words[:i])
        before_date = i + 1 < len(words) and (any(c.isdigit() for c in words[i + 1]) or words[i + 1].lower().strip(".,") in cal)
        if lw in _BEFORE_DATE and before_date:
            return " ".join(words[:i])
        if (lw in cal or lw in _LABELS) and (i > 0 or len(words) == 1 or before_date):
            return " ".join(words[:i])
    return name


def _site_like(name: str, sites: set[str]) -> bool:
    """The name is the site's own name, a part of it, or its domain ("Tagesschau De", "Jobs" of "Jobs & Hire"),
    or the site's name with initials ("Ilanga D")."""
    f = fold(name)
    if not f:
        return True
    for s in sites:
        if f == s or (len(f) >= 3 and f in s) or (len(s) >= 4 and s in f and len(f) <= len(s) + 4):
            return True
    words = [fold(w) for w in name.split()]
    long_words = [w for w in words if len(w) > 2]
    return len(long_words) == 1 and (long_words[0] in sites or len(long_words[0]) >= 5 and any(long_words[0] in s for s in sites))


# an author's short code after the name ("Corina Gall (cog.)", "(obe)"), or an agency's ("(AP)")
_CODE = re.compile(r"\s*\([^()\s]{1,8}\)$")


_ARTICLE = re.compile(r"^(?:the|die|der|das|la|le|les|el|il|lo|de|het|unsere|our|your|ihre)\s+", re.I)


def is_placeholder(name: str) -> bool:
    """The name stands for no person: a newsroom, an account ("Admin", "Die Redaktion", "The Editors")."""
    n = _ARTICLE.sub("", re.sub(r"\s+", " ", name or "").strip(" .,;:")).lower()
    return n in _PLACEHOLDERS or fold(n) in _placeholder_folds()


def clean_name(name: str, sites: set[str]) -> str | None:
    """One author name cleaned, or None when it is not a person's or byline's name."""
    n = re.sub(r"\s+", " ", name or "").strip(" \t.,;:-–—|•·/")
    if not n or "@" in n and " " not in n or "://" in n or "www." in n.lower():
        return None
    for _ in range(2):
        n = _PREFIX.sub("", n).strip(" .,;:-–—")
    if _SAYS.search(n):  # "Art Edwards says": a comment's signature, not a byline
        return None
    n = _ROLE.sub("", n)
    n = _CODE.sub("", _DEGREE.sub("", n)).strip(" .,;:")
    n = _cut_at_dates(n).strip(" .,;:-–—|")
    if not n or len(n) > 60:
        return None
    words = n.split()
    # a kicker glued to the name ("FOCUS-Online-Experte Robin Tschöpe"): drop leading words naming the site
    while len(words) > 2 and any(s and len(s) >= 4 and s in fold(words[0]) for s in sites):
        words = words[1:]
    # a name written twice in a row ("jesusfreak jesusfreak": a profile link and its label)
    words = [w for i, w in enumerate(words) if i == 0 or w.lower() != words[i - 1].lower()]
    n = " ".join(words)
    if len(fold(n)) <= 2:  # an initial or a stray letter ("e. V." split off a company name)
        return None
    low = n.lower()
    if is_placeholder(n) or low in _SOCIAL:
        return None
    if COMPANY.search(n) or _TLD_WORD.search(n) or "." in n.replace(". ", " ").strip(".") and " " not in n:
        return None
    if _site_like(n, sites):
        return None
    if len(words) > 5:
        return None
    # a sentence or a headline fragment: lower-case words that are not name particles
    if len(words) >= 2 and any(w[:1].islower() and w.lower().strip(".,") not in _PARTICLES for w in words):
        return None
    return n


def split_names(text: str) -> list[str]:
    """A byline split into names ("A; B", "A and B", "A, B & C")."""
    return [p for p in _SPLIT.split(text or "") if p and p.strip()]


def site_keys(*names: str | None) -> set[str]:
    """Folded forms of the site's names and of their parts ("LN - Lübecker Nachrichten" → ln, lübeckernachrichten)."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        out.add(fold(name))
        for part in re.split(r"\s+[|\-–—·•:]\s+|\s*\|\s*", name):
            if fold(part):
                out.add(fold(part))
    return {s for s in out if s}


def _squash(s: str) -> str:
    return re.sub(r"[\W_]+", "", s)


def as_written(name: str, lines: list[str]) -> str | None:
    """The name as the page prints it in a short line (case kept, or in capitals; punctuation aside), or None:
    a byline is printed, while words a heuristic took for a name ("flappy bird" in the text) are not capitalised.
    A one-word user name printed in lower case ("lupa", which trafilatura gives as "Lupa") comes back as printed."""
    key = _squash(name)
    if not key:
        return None
    upper, low = key.upper(), key.lower()
    single = None
    for line in lines:
        if len(line) <= 200:
            sq = _squash(line)
            if key in sq or upper in sq:
                return name
            if single is None and " " not in name and len(line) <= 60:
                for w in line.split():
                    if _squash(w).lower() == low and _squash(w) == _squash(w).lower():
                        single = w.strip(".,;:()[]")
                        break
    return single


# a surname after a first name: a capitalised word, hyphenated or with an apostrophe ("Müller-Lüdenscheidt", "O'Neill")
_SURNAME = r"[^\W\d_][^\W\d_]*(?:[-'’][^\W\d_]+)*"


def _first_name_alone(name: str) -> bool:
    """Whether a name is one capitalised word (a first name a page may print in full elsewhere)."""
    return " " not in name and name[:1].isupper()


def full_name(first: str, lines: list[str], sites: set[str]) -> str | None:
    """A first name alone ("Nils", a CMS display name) as the page prints it in full in a short line ("Eine Kolumne
    von Nils Pickert", "MEHR VON HENRY STEINHAU"): the first name and the one surname the page gives it, or None
    when the page gives it none or several."""
    if not _first_name_alone(first):
        return None
    pat = re.compile(rf"(?<![\w-]){re.escape(first)}\s+({_SURNAME})(?![\w-])", re.I)
    cal = calendar_words()
    found: dict[str, str | None] = {}   # folded surname → its spelling in a line not set in capitals
    for line in lines:
        if len(line) > 100:
            continue
        caps = line.isupper()
        for m in pat.finditer(line):
            given, last = line[m.start():m.start() + len(first)], m.group(1)
            if given not in (first, first.upper()) or not last[:1].isupper():
                continue
            if last.lower() in cal or last.lower() in _PARTICLES or last.lower() in _PLACEHOLDERS or last.isupper() and not caps:
                continue
            spelled = None if caps else last
            found[fold(last)] = found.get(fold(last)) or spelled
    if len(found) != 1:
        return None
    [(key, spelled)] = found.items()
    whole = clean_name(f"{first} {spelled or key.title()}", sites)
    return whole if whole and " " in whole else None


def clean_authors(structured: list[str], found: str | None, meta: str | None, sites: set[str],
                  lines: list[str] | Callable[[], list[str]] | None = None) -> str | None:
    """The byline: the people the page's structured data names, else trafilatura's byline (names printed on the
    page as written), else the author meta tag, each cleaned (names joined with "; ").

    With the page's lines (its visible text outside its comments), trafilatura's and the meta tag's names count
    only when the page prints them: a commenter's name (trafilatura reads a comment's or a "recent comments"
    widget's author) and a meta tag the page never shows (a theme's credit, the account that uploaded the post)
    are no byline; and a first name alone takes the surname the page prints it with. The lines may be given as a
    function (cheap to call again), called only when a name is to be checked: finding them can cost more than the rest."""
    page_lines = lines if callable(lines) else lambda: lines
    for kind, source in (("structured", structured), ("found", split_names(found or "")), ("meta", split_names(meta or ""))):
        names: list[str] = []
        if kind != "structured" and len(source) >= 2 and any(_site_like(x, sites) for x in source):
            # "hessenschau.de, Frankfurt, Germany": the site and its address; a person's name has two words
            source = [x for x in source if len(x.split()) >= 2 and not _site_like(x, sites)]
        for raw in source:
            for part in split_names(raw):
                c = clean_name(part, sites)
                if c and kind == "found":
                    # trafilatura's reading of the meta tag ("R C Baker" of "R.C. Baker"): the tag's spelling
                    c = next((m for m in (clean_name(x, sites) for x in split_names(meta or "")) if m and fold(m) == fold(c)), c)
                if c and kind != "structured" and lines is not None:
                    if kind == "found" and fold(c) not in fold(meta or ""):
                        c = as_written(c, page_lines())
                    elif as_written(c, page_lines()) is None:
                        c = None
                if c and lines is not None and _first_name_alone(c):
                    c = full_name(c, page_lines(), sites) or c
                if c and fold(c) not in {fold(x) for x in names}:
                    names.append(c)
        if names:
            return "; ".join(names)
    return None
