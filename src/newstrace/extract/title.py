"""The headline of a text page: the best-scoring candidate line above (or at the top of) the body."""
from __future__ import annotations

import math
import re

from .dates import find_dates
from .markup import Line, URL_RE

_WORD = re.compile(r"\w+", re.U)
_SENT_BREAK = re.compile(r"[.!?。](?:[\"'”’»)]*)\s+\S")


def _slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0]
    return {t for t in re.split(r"[^\w]+|_", path.lower()) if len(t) >= 3 and not t.isdigit()}


def title_score(lines: list[Line], i: int, body_start: int, counts: dict[str, int], slug: set[str]) -> float:
    """How much line i looks like the article's headline (hand-set weights, checked on the dev pages)."""
    line = lines[i]
    t = line.text
    words = _WORD.findall(t)
    nw = len(words)
    s = 0.0
    if line.heading == 1:
        s += 4.0
    elif line.heading:
        s += 2.0
    if counts.get(t, 0) >= 2:
        s += 1.0
    d = body_start - i
    s += 2.5 * math.exp(-(d - 1) / 4) if d >= 1 else -1.0 - 0.2 * min(-d, 10)
    s += 1.0 if 4 <= nw <= 25 else (0.0 if nw >= 2 else -1.5)
    if t.endswith(".") and not t.endswith("..."):
        s -= 1.5
    if t.endswith(":"):
        s -= 2.0
    if _SENT_BREAK.search(t):
        s -= 1.5
    if t[:1].isupper() or t[:1].isdigit() or t[:1] in "\"'“«„":
        s += 0.3
    if slug:
        toks = {w.lower() for w in words}
        s += 4.0 * len(toks & slug) / len(slug)
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(lines) and len(lines[j].text) < 80 and find_dates(lines[j].text):
            s += 0.8
            break
    if line.link_chars > 0.5 * len(t):
        s -= 1.5
    s -= 1.0 * sum(t.count(c) for c in "|»›")
    return s


def pick_title(lines: list[Line], body_start: int, url: str | None) -> int | None:
    """Index of the headline line (looked for above `body_start`, the first prose line), or None."""
    n = len(lines)
    if not n:
        return None
    counts: dict[str, int] = {}
    for l in lines:
        counts[l.text] = counts.get(l.text, 0) + 1
    slug = _slug_tokens(url)
    best, best_i = -1e9, None
    hi = min(n, body_start + 3)
    cands = list(range(max(0, body_start - 60), hi)) + [i for i in range(hi, n // 2) if lines[i].heading == 1]
    for i in cands:
        t = lines[i].text
        if not (5 <= len(t) <= 250) or URL_RE.fullmatch(t.strip("<>")):
            continue
        if len(t) < 60 and find_dates(t) and len(_WORD.findall(t)) <= 6:
            continue
        sc = title_score(lines, i, body_start, counts, slug)
        if sc > best:
            best, best_i = sc, i
    return best_i
