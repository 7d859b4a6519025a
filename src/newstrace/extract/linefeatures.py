"""Language-independent features of the lines of a text page, for telling article lines from page chrome.

Each line gets features of its own shape (length, punctuation, capitalisation, short-word ratio as a
stand-in for stopwords, links, repetition, position) and of its neighbourhood (how much prose is
around it, whether it lies inside the page's main run of prose). The same function serves the
shipped model at run time and tools/train_text_extractor.py at training time.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from .markup import Line, URL_RE

_SENT_END = re.compile(r"[.!?。！？…](?:[\"'”’»)\]]*)$")
_SENT_BREAK = re.compile(r"[.!?。！？](?:[\"'”’»)]*)\s+\S")
_WORD = re.compile(r"\w+", re.U)
_TIME_OR_COUNT = re.compile(r"^[\d\s:.,/|()+-]+$")
_SEPARATORS = set("|»›>/•·")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

FEATURE_NAMES = [
    "bias", "loglen", "len<=3", "len<=15", "len<=40", "len<=80", "len<=150", "len>150",
    "ends_sentence", "ends_colon", "ends_comma", "sent_breaks", "titlecase", "shortword", "digits", "punct",
    "allcaps", "list", "repeated", "numeric_only", "url_only", "commas_per_word",
    "cjk", "separators", "starts_lower", "logwords", "pos", "first10", "last10",
    "prose", "prose_win3", "prose_win10", "prev_prose", "next_prose", "dist_prose", "before_frac", "after_frac",
    "inside", "in_best_run", "nb_loglen", "prev_short", "next_short", "run_short",
]


def _shape(line: Line) -> dict:
    """Per-line measurements used by several features."""
    t = line.text
    n = len(t)
    words = _WORD.findall(t)
    nw = len(words)
    alpha = [w for w in words if not w.isdigit()]
    cjk = len(_CJK.findall(t)) / n if n else 0.0
    long_enough = n >= (40 if cjk > 0.3 else 80)
    ends = bool(_SENT_END.search(t))
    breaks = len(_SENT_BREAK.findall(t))
    prose = (long_enough and (ends or breaks >= 1)) or n >= (80 if cjk > 0.3 else 180)
    return {"n": n, "words": words, "nw": nw, "alpha": alpha, "cjk": cjk, "ends": ends, "breaks": breaks, "prose": prose}


def line_features(lines: list[Line]) -> list[list[float]]:
    """One feature vector (FEATURE_NAMES order) per line."""
    shapes = [_shape(l) for l in lines]
    n = len(lines)
    counts = Counter(l.text for l in lines)
    prose = [1.0 if s["prose"] else 0.0 for s in shapes]
    chars = [s["n"] for s in shapes]
    prose_chars = [c if p else 0 for c, p in zip(chars, prose)]
    total_prose = sum(prose_chars) or 1
    # cumulative prose before/after each line: lines between the first and last prose are "inside"
    before, acc = [], 0
    for c in prose_chars:
        before.append(acc)
        acc += c
    after = [total_prose - b - c for b, c in zip(before, prose_chars)]
    # distance to the nearest prose line
    dist = [n] * n
    last = -10**9
    for i in range(n):
        if prose[i]:
            last = i
        dist[i] = i - last
    last = 10**9
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        dist[i] = min(dist[i], last - i)
    # the main run: maximum-sum segment where prose counts for and short lines count against (Finn et al.'s BTE idea)
    score = [(c if p else -(15 + 0.5 * min(c, 80))) for c, p in zip(chars, prose)]
    best, best_span, cur, start = -1e18, (0, -1), 0.0, 0
    for i, s in enumerate(score):
        if cur <= 0:
            cur, start = 0.0, i
        cur += s
        if cur > best:
            best, best_span = cur, (start, i)
    # short-line runs (menus, related-headline lists): length of the run of non-prose lines a line belongs to
    run = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and not prose[j]:
            j += 1
        for k in range(i, j):
            run[k] = j - i
        i = max(j, i + 1)
    pre = [0.0] * (n + 1)
    for i in range(n):
        pre[i + 1] = pre[i] + prose[i]

    def win(i: int, k: int) -> float:
        a, b = max(0, i - k), min(n, i + k + 1)
        return (pre[b] - pre[a] - prose[i]) / max(1, b - a - 1)

    feats: list[list[float]] = []
    for i, (line, s) in enumerate(zip(lines, shapes)):
        t, ln, nw = line.text, s["n"], s["nw"]
        alpha = s["alpha"]
        caps = sum(1 for w in alpha if w[:1].isupper()) / len(alpha) if alpha else 0.0
        short = sum(1 for w in alpha if len(w) <= 3) / len(alpha) if alpha else 0.0
        digits = sum(ch.isdigit() for ch in t) / ln if ln else 0.0
        punct = sum(1 for ch in t if not ch.isalnum() and not ch.isspace()) / ln if ln else 0.0
        letters = [ch for ch in t if ch.isalpha()]
        allcaps = 1.0 if len(letters) > 3 and all(ch.isupper() for ch in letters) else 0.0
        nb = [chars[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n]
        feats.append([
            1.0, math.log1p(ln) / 6, ln <= 3, 3 < ln <= 15, 15 < ln <= 40, 40 < ln <= 80, 80 < ln <= 150, ln > 150,
            s["ends"], t.endswith(":"), t.endswith((",", ";")), min(s["breaks"], 5) / 5, caps, short, digits, punct,
            allcaps, line.list_item,
            math.log(counts[t]) if counts[t] > 1 else 0.0, bool(_TIME_OR_COUNT.match(t)),
            bool(URL_RE.fullmatch(t.strip("<>"))), t.count(",") / max(1, nw), s["cjk"],
            sum(1 for ch in t if ch in _SEPARATORS) / max(1, nw), t[:1].islower(), math.log1p(nw) / 5,
            i / max(1, n - 1), i < n * 0.1, i >= n * 0.9,
            prose[i], win(i, 3), win(i, 10), prose[i - 1] if i > 0 else 0.0, prose[i + 1] if i + 1 < n else 0.0,
            math.log1p(dist[i]) / 4, before[i] / total_prose, after[i] / total_prose,
            before[i] > 0 and after[i] > 0, best_span[0] <= i <= best_span[1],
            math.log1p(sum(nb) / len(nb)) / 6 if nb else 0.0,
            (chars[i - 1] < 40) if i > 0 else 1.0, (chars[i + 1] < 40) if i + 1 < n else 1.0,
            math.log1p(run[i]) / 4,
        ])
    return [[float(x) for x in f] for f in feats]
