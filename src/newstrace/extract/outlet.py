"""Outlets: one per site (its registrable domain by the Public Suffix List), named from the site's own metadata.

HTML pages name their site in og:site_name, JSON-LD publisher, application-name or twitter:site; the name
(or a part of it: "LN - Lübecker Nachrichten") that spells the site's domain is preferred, as that names
the site and not a section, a syndication partner or a headline. `outlets.json` keeps the names sites
gave themselves (tools/learn_outlets.py makes it from pages), so a record with only a URL is named the
same way; then a name the page prints for its site that spells the domain (its copyright line, the site's part of
its <title>). A declared name that spells nothing is kept unless it is the page's author, the section the URL's
path names, a name of the site that serves a page whose canonical URL is another's, or trafilatura's guess taken
from the twitter:site handle; failing that, the name is spelled out of the domain ("nydailynews.com" → "NY Daily News").
A declared name that is merely the site's address ("www.springer.com") is the last resort, spelled out the same way.
Text pages read a masthead line at the top, or the name that the URL's domain spells.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .byline import COMPANY
from .markup import Line

_PUBLIC_SUFFIX2 = {"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"}
# words that newspaper names are commonly made of, to split a domain like "thedailystar" when the page lacks them
MASTHEAD_WORDS = set("""the a daily times post news journal herald tribune gazette guardian telegraph express mail star sun
chronicle observer independent standard record review report press courier globe mirror monitor today week weekly
insider wire street business world national international global local city county state public radio tv television
online digital media network channel magazine new york london washington financial economic economist morning evening
sunday free first live network info hub now point focus voice voices view views live bulletin dispatch register
examiner inquirer enquirer sentinel leader echo argus advocate times""".split())
_WORD = re.compile(r"[^\W\d_]+", re.U)


_ARCHIVED = re.compile(r"^https?://(?:web\.)?archive\.org/web/\d+[a-z_]*/(https?://.+)$", re.I)


@lru_cache(maxsize=4096)
def registrable_domain(url: str | None) -> str | None:
    """The registrable domain of a URL's host by the Public Suffix List ("ap.org" for https://hosted.ap.org/…);
    for a Wayback Machine copy, that of the archived page.

    The list is the snapshot bundled with the `tld` package; nothing is fetched."""
    if not url or "." not in url:
        return None
    if (m := _ARCHIVED.match(url)) is not None:
        url = m.group(1)
    from tld import get_fld
    try:
        fld = get_fld(url if "://" in url else "http://" + url, fail_silently=True)
    except ValueError:
        return None
    return fld.lower() if fld else None


def domain_key(url: str | None) -> str | None:
    """The distinctive label of a URL's host ("themoscowtimes" for https://www.themoscowtimes.com/…)."""
    domain = registrable_domain(url)
    if domain:
        return re.sub(r"[^a-z0-9]", "", domain.split(".")[0]) or None
    if not url:
        return None
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    parts = [p for p in host.split(".") if p]
    if len(parts) < 2:
        return None
    parts = parts[:-1]
    if len(parts) >= 2 and parts[-1] in _PUBLIC_SUFFIX2:
        parts = parts[:-1]
    label = parts[-1]
    return re.sub(r"[^a-z0-9]", "", label) or None


OUTLETS_PATH = Path(__file__).with_name("outlets.json")
_SEPARATORS = re.compile(r"\s+[|\-–—·•:»]\s+|\s*\|\s*")
_COPY_SEPARATORS = re.compile(r"\s+[|\-–—·•:»/]\s+|\s*\|\s*")   # a copyright line also parts its name with " / "
# words a domain label is commonly made of besides masthead words, to spell "usatoday" as "USA Today"
_DOMAIN_WORDS = MASTHEAD_WORDS | {"today", "usa", "online", "blog", "magazin", "zeitung", "nachrichten", "noticias", "journal"}


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if c.isalnum())


@lru_cache(maxsize=1)
def outlet_map() -> dict[str, str]:
    """Registrable domain → the name the site gives itself (outlets.json)."""
    try:
        return json.loads(OUTLETS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def site_key(url: str | None, name: str | None = None) -> str | None:
    """The key of a site in outlets.json: its registrable domain when the name is the domain's own, else its host
    (a blog on a shared platform: "mitternachtskabinett.wordpress.com")."""
    domain = registrable_domain(url)
    if not domain:
        return None
    if name is None or spells(name, domain):
        return domain
    inner = _ARCHIVED.match(url).group(1) if _ARCHIVED.match(url) else url
    host = inner.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.")


def mapped_name(url: str | None) -> str | None:
    """The name outlets.json keeps for the URL's site (its host's entry, else its domain's if site-wide)."""
    domain = registrable_domain(url)
    if not domain:
        return None
    table = outlet_map()
    host = site_key(url, "")
    if host in table:
        return table[host]
    name = table.get(domain)
    return name if name and spells(name, domain) else None


def spells(name: str, url_or_domain: str | None) -> bool:
    """The name spells the site: its letters are the domain's label (or a subdomain's), contain it, or its initials."""
    domain = registrable_domain(url_or_domain)
    if not domain or not name:
        return False
    host = url_or_domain.split("://", 1)[-1].split("/", 1)[0].lower() if "://" in (url_or_domain or "") else domain
    labels = {_fold(domain.split(".")[0])} | {_fold(p) for p in host.split(".")[:-1] if len(p) >= 3 and p not in ("www", "com")}
    n = _fold(re.sub(r"^the\s+", "", name.strip(), flags=re.I))
    if not n:
        return False
    for label in labels:
        if not label:
            continue
        if n == label or n == "the" + label or (len(n) >= 3 and n in label and len(n) >= 0.5 * len(label)) \
                or (len(label) >= 3 and label in n):
            return True
        words = [w for w in re.findall(r"\w+", name) if w.lower() not in ("the", "of", "and", "de", "la", "le", "der", "die")]
        initials = "".join(w[0] for w in words).lower()
        if len(words) >= 2 and len(initials) >= 2 and (label == initials or label.startswith(initials) and len(label) <= len(initials) + 3):
            return True
    return False


def name_from_domain(domain: str | None) -> str | None:
    """A readable name spelled out of a registrable domain ("nydailynews.com" → "NY Daily News", "ap.org" → "AP")."""
    if not domain:
        return None
    raw = domain.split(".")[0].lower()
    if "-" in raw.strip("-"):  # the site spelled its words out: "der-erfolg-gibt-recht.de"
        return " ".join(w.upper() if len(w) <= 2 else w.capitalize() for w in raw.split("-") if w)
    label = re.sub(r"[^a-z0-9]", "", raw)
    if not label:
        return None
    if len(label) <= 3:
        return label.upper()
    parts = segment(label, _DOMAIN_WORDS)
    for k in (2, 3):  # an acronym before known words: "nbcnews", "nydailynews"
        if not parts and (rest := segment(label[k:], _DOMAIN_WORDS)):
            parts = [label[:k]] + rest
    if parts and len(parts) <= 4:
        return " ".join(p.upper() if len(p) <= 3 and p not in ("the", "new", "sun", "fox", "now", "hub") else p.capitalize()
                        for p in parts)
    return label.capitalize()


# a rights notice glued to a site's name ("人民网版权所有", "Name All rights reserved")
_RIGHTS_TAIL = re.compile(r"\s*(?:版权所有|版權所有|保留所有权利|著作権所有|無断転載禁止|all rights reserved\.?)$", re.I)


def _clean_site_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip().lstrip("@").strip()
    return _RIGHTS_TAIL.sub("", name).strip() or name


def is_hostname(name: str | None, url: str | None) -> bool:
    """The name is merely the site's address as typed ("www.springer.com", "taz.de", "http://www.tafelblog.com" for
    a page of that site): in lower case, a web address whose host or domain label is the site's, not a name the
    site styles for itself ("FAZ.NET", "Merkur.de")."""
    domain = registrable_domain(url)
    if not name or not domain or name != name.lower() or " " in name.strip():
        return False
    address = registrable_domain(name.strip())
    return address is not None and (address == domain or domain_key(address) == domain_key(domain))


def outlet_name(url: str | None, declared: list[str | None], other_urls: list[str | None] = (), title: str | None = None,
                weak: list[str | None] = (), *, titles: list[str | None] = (), lines: list[str] = (),
                handles: list[str | None] = (), authors: list[str | None] = ()) -> str | None:
    """The outlet of a page (`outlet_choice`'s name)."""
    return outlet_choice(url, declared, other_urls, title, weak, titles=titles, lines=lines, handles=handles,
                         authors=authors)[0]


def outlet_choice(url: str | None, declared: list[str | None], other_urls: list[str | None] = (), title: str | None = None,
                  weak: list[str | None] = (), *, titles: list[str | None] = (), lines: list[str] = (),
                  handles: list[str | None] = (), authors: list[str | None] = (),
                  learned: bool = True) -> tuple[str | None, str | None]:
    """The outlet of a page: a name the site declares (`declared`, or a `weak` one: an app name, a guessed site name)
    that spells its domain (or a part of such a name), else the name kept for the domain in outlets.json, else a
    name the page prints (its copyright line among `lines`, the site's part of its <title>/og:title, `titles`) that
    spells the domain, else a short declared name that is neither the headline, nor another site's, nor the page's
    author (`authors`: the byline's names), nor the section the URL's path names (nor a weak name that is the site's social handle,
    `handles`: trafilatura takes twitter:site for a site name), else the name spelled out of the domain. A declared
    name that is merely the site's address ("www.springer.com", `is_hostname`) is the last resort: spelled out as a
    name like the domain, it loses to every name the site gives itself, on this page or (outlets.json) on others.
    Returns (name, how it was found: "declared", "learned" (outlets.json; not asked unless `learned`), "printed"
    (copyright line, <title>), "company", "named" (a declared name that does not spell the site), "domain")."""
    domain = registrable_domain(url)
    names = [n for n in (_clean_site_name(d) for d in declared if d and d.strip()) if not is_hostname(n, url)]
    weak_names = [n for n in (_clean_site_name(d) for d in weak if d and d.strip()) if not is_hostname(n, url)]
    handle_names = [_clean_site_name(d) for d in handles if d and d.strip()]

    def spelled(candidates: list[str], whole: bool = True) -> str | None:
        for n in candidates:
            parts = [p.strip() for p in _SEPARATORS.split(n) if p.strip() and p.strip() != n]
            for p in ([n] if whole else []) + parts:
                if spells(p, url) and len(p) <= 60 and (whole or len(p) <= 40 and len(p.split()) <= 5 and not p.islower()):
                    return p
        return None

    if domain:
        # a name the site declares, else a weak one, that spells the site; a handle ("@politifact") is the
        # site's written name when known. A company's name ("TAZ Verlags- und Vertriebs GmbH", a meta copyright
        # tag trafilatura reads as the site name) names who runs the site, not the site: it comes last
        declared_all = names + [n for n in weak_names if "_" not in n]
        companies = [n for n in declared_all if COMPANY.search(n)]
        found = spelled([n for n in names if n not in companies]) or spelled([n for n in declared_all[len(names):] if n not in companies])
        known = mapped_name(url) if learned else None
        if found is not None:
            return (known, "learned") if known and found.islower() and " " not in found else (found, "declared")
        if known is not None:
            return known, "learned"
        # the name the page prints for its site: its copyright line ("© THE NERVOUS BREAKDOWN"), a part of its
        # <title> ("Headline | ARTE Radio"; the headline itself is no candidate)
        found = spelled([n for n in (copyright_name(x) for x in lines) if n and not n.islower()]) \
            or spelled([n for n in titles if n and n.strip()], whole=False)
        if found is not None:
            return found, "printed"
        if (found := _site_part(spelled(companies), url)) is not None:
            return found, "company"
    others = {registrable_domain(u) for u in other_urls if u} - {domain, None}
    nt = _fold(title or "")
    title_words = {_fold(w) for w in re.findall(r"\w+", title or "")}
    people = [_fold(a) for a in authors if a and a.strip()]
    handle_folds = {_fold(h) for h in handle_names}
    path = (url or "").split("://", 1)[-1].split("?", 1)[0].split("/")
    section = _fold(path[1]) if len(path) > 2 else ""
    # a weak name that is the site's social handle ("TNBtweets", "VPFlsh", a web agency's "Dimastersoftware") is no
    # name of the site unless it spells it
    for n in names + [w for w in weak_names[:1] if not w.islower() and _fold(w) not in handle_folds]:
        if _SEPARATORS.search(n):  # "Name - tagline": the name
            n = _SEPARATORS.split(n)[0].strip()
        if len(n) > 40 or len(n.split()) > 5 or not n or (nt and _fold(n) == nt):
            continue
        words = [_fold(w) for w in re.findall(r"\w+", n)]
        if len(words) >= 3 and sum(w in title_words for w in words) >= 0.6 * len(words):
            continue  # a headline set as the site's name
        if registrable_domain(n) not in (None, domain):
            continue  # another site's domain ("dhz.net" on deutsche-handwerks-zeitung.de)
        if any(spells(n, o) for o in others):  # a syndication partner's name ("MSN" on an nbcnews.com story)
            continue
        f = _fold(n)
        if len(f) >= 5 and any(f == a or f in a for a in people):
            continue  # the page's author given as the site's name (a personal site, a producer's page)
        if section and f == section:
            continue  # the section the URL's path names ("Intelligencer" on nymag.com/intelligencer/…)
        return n, "named"
    return name_from_domain(domain), "domain"


def _site_part(company: str | None, url: str | None) -> str | None:
    """The fewest leading words of a company's name that spell the site ("TAZ Verlags- und Vertriebs GmbH" → "TAZ"),
    else the company's name."""
    if not company:
        return None
    words = company.split()
    for k in range(1, len(words)):
        part = " ".join(words[:k]).strip(" ,-–")
        if part and not COMPANY.search(part) and spells(part, url):
            return part
    return company


def copyright_name(line: str) -> str | None:
    """The name in a copyright line ("© 2022 Petri Heil" → "Petri Heil"), or None; not a company or a licence."""
    m = _COPYRIGHT.search(line)
    if not m:
        return None
    # what follows a separator is a tagline or a rights notice ("Kaieteur News / All rights reserved", "GIGA · Alle …")
    name = re.sub(_RIGHTS, "", _COPY_SEPARATORS.split(m.group("name"))[0]).strip(" .,;:-–—|/·•")
    words = name.split()
    if 1 <= len(words) <= 4 and name[:1].isupper() and not any(c.isdigit() for c in name) and not COMPANY.search(name) \
            and not re.search(r"\b(?:creative commons|rights|rechte|derechos|droits|diritti)\b", name, re.I):
        return name
    return None


def _letters(s: str) -> str:
    return re.sub(r"[^\w]|_", "", s.lower())


def segment(key: str, vocab: set[str]) -> list[str] | None:
    """Split a run of letters into the fewest known words (dynamic programming), or None."""
    n = len(key)
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + 20) + 1):
            w = key[i:j]
            if w in vocab and (best[j] is None or best[i][0] + 1 < best[j][0]):
                best[j] = (best[i][0] + 1, best[i][1] + [w])
    return best[n][1] if best[n] else None


def outlet_from_lines(lines: list[Line], title_idx: int | None, body_start: int, url: str | None) -> tuple[str | None, int | None]:
    """(outlet name, index of the line it was read from or None)."""
    key = domain_key(url)
    if key and len(key) >= 3:
        # the name written out somewhere on the page (masthead, copyright line, trailer)
        # mastheads and copyright lines sit at the top and the bottom of a page
        ends = sorted(set(range(min(30, len(lines)))) | set(range(max(0, len(lines) - 30), len(lines))))
        near = [(i, lines[i]) for i in ends]
        for i, line in near:
            t = line.text
            if len(t) <= 60 and _letters(t) in (key, "the" + key):
                return t, i
        for _, line in near:
            if key not in _letters(line.text):  # one cheap test before trying word spans
                continue
            words = line.text.split()
            for a in range(len(words)):
                acc = ""
                for b in range(a, min(len(words), a + 6)):
                    acc += _letters(words[b])
                    if acc == key or acc == "the" + key:
                        phrase = " ".join(words[a:b + 1]).strip(".,;:()«»\"'©")
                        if phrase[:1].isupper():
                            return phrase, None
                    if len(acc) >= len(key) + 3:
                        break
        words = {w.strip(".,;:!?()[]\"'«»“”’") for w in " ".join(l.text for l in lines).lower().split()}
        vocab = {key[i:j] for i in range(len(key)) for j in range(i + 3, min(len(key), i + 20) + 1) if key[i:j] in words}
        vocab |= MASTHEAD_WORDS
        vocab.discard(key)  # the domain itself (from URL lines) is no segmentation
        parts = segment(key, vocab)
        if parts and len(parts) <= 5:
            return " ".join(p.capitalize() for p in parts), None
        return key.capitalize() if key.isalpha() else key, None
    # no URL: a masthead at the very top, before the headline, made of words newspaper names are made of (a top
    # line alone is as often a menu item, "Home", "Menü", as a masthead)
    stop = title_idx if title_idx is not None else body_start
    for i in range(0, min(stop, 3)):
        t = lines[i].text
        words = t.split()
        if 2 <= len(words) <= 5 and len(t) <= 40 and not any(c.isdigit() or c in "()[]<>/#|" for c in t) \
                and not t.endswith((".", ":", "!", "?")) and all(w[:1].isupper() or not w[:1].isalpha() for w in words) \
                and any(w.lower() in _MASTHEAD_NOUNS for w in words):
            return t, i
    # else the name in the page's copyright line ("© 2021 Die Tagespost")
    ends = list(range(max(0, len(lines) - 40), len(lines))) + list(range(min(10, len(lines))))
    for i in ends:
        name = copyright_name(lines[i].text)
        # the owner's company ("Nexstar Media Inc"), a licence or a rights notice names no outlet
        if name and not _OWNER.search(name):
            return name, None
    return None, None


# the words of a newspaper's name that menus do not use ("News", "World", "Business" head sections too)
_MASTHEAD_NOUNS = set("""daily times post journal herald tribune gazette guardian telegraph express mail star sun chronicle
observer independent standard record courier globe mirror monitor sentinel examiner inquirer enquirer leader echo argus
advocate dispatch register bulletin press review weekly zeitung rundschau anzeiger kurier nachrichten tagblatt
journal quotidien diario gazzetta corriere""".split())
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*)?(?:by\s+)?"
                        r"(?P<name>[^|,;©]{2,50})", re.I)
_OWNER = re.compile(r"\b(?:media|group|network|communications|verlag|medien|rechte|derechos|diritti|droits|rights|"
                    r"inhalte|copyright|creative|commons|reserved|vorbehalten|reservados|network|online|inc|ltd)\b", re.I)
_RIGHTS = re.compile(r"\s*(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
                     r"tutti i diritti riservati)\b.*$", re.I)
