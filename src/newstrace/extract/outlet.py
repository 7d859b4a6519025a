"""The outlet's name from a text page: a masthead line at the top, or the name that the URL's domain spells."""
from __future__ import annotations

import re

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


def registrable_domain(url: str | None) -> str | None:
    """The registrable domain of a URL's host by the Public Suffix List ("ap.org" for https://hosted.ap.org/…).

    The list is the snapshot bundled with the `tld` package; nothing is fetched."""
    if not url or "." not in url:
        return None
    from tld import get_fld
    try:
        fld = get_fld(url if "://" in url else "http://" + url, fail_silently=True)
    except ValueError:
        return None
    return fld.lower() if fld else None


def domain_key(url: str | None) -> str | None:
    """The distinctive label of a URL's host ("themoscowtimes" for https://www.themoscowtimes.com/…)."""
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
    # no URL: a short title-case line at the very top, before the headline
    stop = title_idx if title_idx is not None else body_start
    for i in range(0, min(stop, 3)):
        t = lines[i].text
        words = t.split()
        if 1 <= len(words) <= 5 and not any(c.isdigit() for c in t) and not t.endswith((".", ":", "!", "?")) \
                and all(w[:1].isupper() or not w[:1].isalpha() for w in words) and len(t) <= 40:
            return t, i
    return None, None
